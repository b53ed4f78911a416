"""Training configuration: TOML → dataclasses, validated before any work starts.

As in transformers' run_ner.py, a bad path or value fails in the first second with a
message naming the key, not twenty minutes into a training run.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

# The file in a model folder that marks it as a trained NER model and records how it reads
# text (labels, register features, window sizes, certain labels).
MODEL_META = "ner_meta.json"


class ConfigError(ValueError):
    """A training config that cannot be used; the message names the key."""


@dataclass
class DataConfig:
    train: list[str] = field(default_factory=lambda: ["annotations/seeds.jsonl"])
    augment_ratio: float = 0.0  # augmented copies per training document
    seed: int = 13

    def validate(self, root: Path) -> None:
        if not self.train:
            raise ConfigError("data.train must name at least one JSONL file")
        for path in self.train:
            if not (root / path).is_file():
                raise ConfigError(f"data.train: {path} does not exist")
        if self.augment_ratio < 0:
            raise ConfigError("data.augment_ratio must be >= 0")


@dataclass
class ModelConfig:
    name: str = "default"
    base: str = ""  # a local pretrained checkpoint to fine-tune; empty: train from scratch
    register_features: bool = True  # embed the rule tagger's tag of each word
    vocab_size: int = 8000
    hidden_size: int = 128
    num_layers: int = 2
    num_heads: int = 2
    intermediate_size: int = 256
    max_words: int = 96  # words per window (whole sentences)
    max_tokens: int = 256  # sub-tokens per window
    # Labels whose rule-tagger spans win over learned spans at prediction time.
    certain_labels: list[str] = field(default_factory=lambda: ["PERCENT"])
    # Labels whose learned spans are added where the rules found nothing. The dev set of
    # real articles decides: a label whose additions cost precision there is left to the
    # rules.
    added_labels: list[str] = field(
        default_factory=lambda: ["REGION", "OFFICIAL", "PERCENT", "DATE"])
    # Fact fields the relation step takes from the rule relater rather than from its
    # classifiers (`pipeline.relate.model.RULE_FIELDS`); the dev set decides them too.
    relation_rule_fields: list[str] = field(default_factory=list)

    def validate(self, root: Path) -> None:
        if self.base and not (root / self.base).is_dir():
            raise ConfigError(f"model.base: {self.base} is not a local checkpoint folder "
                              "(nothing is downloaded)")
        if self.hidden_size % self.num_heads:
            raise ConfigError("model.hidden_size must be a multiple of model.num_heads")
        for key in ("certain_labels", "added_labels"):
            unknown = set(getattr(self, key)) - {"REGION", "OFFICIAL", "PERCENT", "DATE"}
            if unknown:
                raise ConfigError(f"model.{key}: unknown labels {sorted(unknown)}")
        from pipeline.relate.model import RULE_FIELDS

        unknown_fields = set(self.relation_rule_fields) - set(RULE_FIELDS)
        if unknown_fields:
            raise ConfigError(f"model.relation_rule_fields: unknown fields "
                              f"{sorted(unknown_fields)} (known: {', '.join(RULE_FIELDS)})")
        if not 8 <= self.max_words <= self.max_tokens <= 512:
            raise ConfigError("need 8 <= model.max_words <= model.max_tokens <= 512")


@dataclass
class TrainConfig:
    epochs: int = 30
    batch_size: int = 16
    learning_rate: float = 5e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    seed: int = 13
    threads: int = 2

    def validate(self, root: Path) -> None:
        if self.epochs < 1 or self.batch_size < 1:
            raise ConfigError("train.epochs and train.batch_size must be >= 1")
        if not 0 < self.learning_rate < 1:
            raise ConfigError("train.learning_rate must be in (0, 1)")


@dataclass
class Config:
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _section(cls: type, values: dict[str, Any], name: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"[{name}] unknown keys: {', '.join(sorted(unknown))}")
    return cls(**values)


def config_from_dict(raw: dict[str, Any], root: Path = Path(".")) -> Config:
    """A validated Config from a parsed TOML table; relative paths resolve against root."""
    unknown = set(raw) - {"data", "model", "train"}
    if unknown:
        raise ConfigError(f"unknown sections: {', '.join(sorted(unknown))}")
    config = Config(
        data=_section(DataConfig, raw.get("data", {}), "data"),
        model=_section(ModelConfig, raw.get("model", {}), "model"),
        train=_section(TrainConfig, raw.get("train", {}), "train"),
    )
    for part in (config.data, config.model, config.train):
        part.validate(root)
    return config


def load_config(path: str | Path, root: Path = Path(".")) -> Config:
    """Read and validate a TOML training config."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path}: {err}") from err
    return config_from_dict(raw, root)
