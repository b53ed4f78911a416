"""The extraction API: text in, documents with entities, facts and warnings out.

    from pipeline.api import load_extractor
    extractor = load_extractor()              # the bundled models/default
    docs = extractor.predict_batch([Document(id="a", text=article)])

`predict_batch` is the one function every engine (local, multi-process, Ray) calls, so
they all give the same output.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from pipeline.document import Document, Fact
from pipeline.ner.config import MODEL_META
from pipeline.plausibility import document_warnings

# The bundled model: installed with the package as pipeline/_model (pyproject.toml maps it
# there), or models/default at the root of a checkout, where it is kept.
_PACKAGED_MODEL = Path(__file__).resolve().parent / "_model"
DEFAULT_MODEL = (_PACKAGED_MODEL if _PACKAGED_MODEL.is_dir()
                 else Path(__file__).resolve().parent.parent / "models" / "default")


class Tagger(Protocol):
    def predict_batch(self, docs: Sequence[Document]) -> list[Document]: ...


class Relater(Protocol):
    def relate(self, doc: Document) -> list[Fact]: ...


class Extractor:
    """Tagger (entities with norms) → relater (facts) → plausibility warnings."""

    def __init__(self, tagger: Tagger, relater: Relater) -> None:
        self.tagger = tagger
        self.relater = relater

    def predict_batch(self, docs: Sequence[Document]) -> list[Document]:
        tagged = self.tagger.predict_batch(docs)
        for doc in tagged:
            doc.facts = self.relater.relate(doc)
            document_warnings(doc)
        return tagged


def load_extractor(model: str | Path | None = None) -> Extractor:
    """`None`: the bundled default model; `"rules"`: the register-and-regex baseline with
    the rule relater; otherwise a model folder written by `jkn-ie train` (or a spaCy
    baseline folder), whose relation weights (`relation.json`) are used when present."""
    from pipeline.relate import LearnedRelater, RuleRelater

    if model == "rules":
        from pipeline.ner.rules import RuleTagger
        return Extractor(RuleTagger(), RuleRelater())
    path = Path(model) if model is not None else DEFAULT_MODEL
    if not path.is_dir():
        raise FileNotFoundError(f"model folder {path} does not exist")
    if (path / MODEL_META).is_file():
        from pipeline.ner.predict import NerTagger
        tagger: Tagger = NerTagger(path)
    elif (path / "config.cfg").is_file():
        from pipeline.ner.spacy_baseline import SpacyTagger
        tagger = SpacyTagger(path)
    else:
        raise FileNotFoundError(f"{path} holds neither a trained model (ner_meta.json) "
                                "nor a spaCy pipeline (config.cfg)")
    relater: Relater = (LearnedRelater.load(path) if (path / "relation.json").is_file()
                        else RuleRelater())
    return Extractor(tagger, relater)
