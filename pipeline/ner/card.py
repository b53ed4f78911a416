"""metrics.json and the model card (README.md) of a trained model folder.

The card is generated from measured results only: the leave-one-seed-out file written by
`jkn-ie loso` (and, when present, the relation step's), never from scores on the
training documents.
"""

from __future__ import annotations

import json
import platform
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.loso import loso_table
from pipeline.ner.config import Config
from pipeline.ner.train import TrainResult

_AIMS = {"micro": 0.93, "PERCENT": 0.99, "DATE": 0.95, "REGION": 0.93, "OFFICIAL": 0.85}


def _winner(loso: dict[str, Any]) -> tuple[str, str, float] | None:
    """(best learned system, runner-up, micro-F1 margin) among the trained systems."""
    learned = {name: s["mean"]["micro"] for name, s in loso["systems"].items()
               if name != "rules" and s["mean"]["micro"] is not None}
    if len(learned) < 2:
        return None
    ranked = sorted(learned, key=learned.get, reverse=True)
    return ranked[0], ranked[1], learned[ranked[0]] - learned[ranked[1]]


def _aims(loso: dict[str, Any], system: str) -> list[str]:
    mean = loso["systems"][system]["mean"]
    lines = []
    for key, aim in _AIMS.items():
        value = mean.get(key)
        if value is None:
            continue
        status = "met" if value >= aim else f"short by {aim - value:.3f}"
        lines.append(f"- {key}: {value:.3f} (aim ≥ {aim}) — {status}")
    return lines


def _rules_on_authored(config: Config) -> dict[str, Any]:
    """The rule tagger's exact-span scores on the authored (non-seed) training articles,
    which its author had mostly not seen (it was written on the seeds while they were
    being written)."""
    from pipeline.evaluate import evaluate
    from pipeline.loso import load_training_docs, split_folds
    from pipeline.ner.rules import RuleTagger

    _seeds, authored = split_folds(load_training_docs(config.data.train))
    blank = [replace(d, entities=[], facts=[]) for d in authored]
    return evaluate(authored, RuleTagger().predict_batch(blank))["entities"]


def _analysis(loso: dict[str, Any], config: Config) -> list[str]:
    """What the table says, in words, from the measured numbers."""
    mean = {name: system["mean"] for name, system in loso["systems"].items()}
    needed = {"transformer", "transformer+rules", "transformer-no-register", "rules"}
    if not needed <= set(mean):
        return []
    authored = _rules_on_authored(config)
    return [
        "### Reading the table",
        "",
        f"- Register knowledge is what makes the small model work: without the register "
        f"features the same transformer reaches {mean['transformer-no-register']['micro']:.3f}"
        f" micro F1, with them {mean['transformer']['micro']:.3f}.",
        f"- The learned spans alone are weakest on OFFICIAL "
        f"({mean['transformer']['OFFICIAL']:.3f}); letting the rule tagger's spans win and "
        f"the model add only what the rules miss raises it to "
        f"{mean['transformer+rules']['OFFICIAL']:.3f}.",
        f"- The rule tagger scores {mean['rules']['micro']:.3f} here, but its role words and "
        "name patterns were written while reading these five seeds; on the authored "
        f"articles, written alongside it by other annotators, its OFFICIAL F1 is "
        f"{authored['labels']['OFFICIAL']['f1']:.3f} and micro F1 "
        f"{authored['micro']['f1']:.3f} (computed when this card was written). "
        "What the learned model adds on the seeds is mostly false officials (capitalised "
        "headline verbs, an editor's name), which is where the gap to the rules comes from.",
        "- What would close it: more real articles with officials in new phrasings, a "
        "confidence threshold on the model's added spans tuned on held-out authored folds, "
        "and a pretrained Indonesian encoder (`model.base`) where one is on disk.",
        "",
    ]


def _relation_sections(relation: dict[str, Any]) -> list[str]:
    """Fact F1 tables: relation step on gold entities, and end to end on tagged entities."""
    from pipeline.relate.experiment import relation_table

    titles = {"gold_entities": "relation step alone, on the held-out seed's gold entities "
                               "(`rules` row written with sight of the data: not fair)"}
    lines = []
    for key, results in relation.items():
        title = titles.get(key, "end to end, on the entities tagged by "
                                f"`{key.partition(':')[2]}` in the same fold")
        lines += [f"## Leave-one-seed-out fact scores: {title}", "",
                  relation_table(results), ""]
    return lines


def write_card(out_dir: Path, config: Config, result: TrainResult,
               loso_path: Path | None) -> None:
    loso = json.loads(loso_path.read_text(encoding="utf-8")) if loso_path else None
    metrics: dict[str, Any] = {
        "training": {
            "documents": result.train_documents, "augmented_documents": result.augmented_documents,
            "windows": result.windows, "seconds": round(result.seconds, 1),
            "machine": f"{platform.machine()}, {config.train.threads} torch threads",
            "config": config.to_dict(),
        },
        "leave_one_seed_out": loso,
    }
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")
    m = config.model
    lines = [
        f"# Model card: `{out_dir.name}`",
        "",
        "Token classifier tagging REGION, OFFICIAL, PERCENT and DATE in Indonesian JKN / BPJS "
        "Kesehatan news (IOB2 over the words of `pipeline.text.tokenize`).",
        "",
        "## Data",
        f"- Trained on {result.train_documents} gold documents ({', '.join(config.data.train)})"
        f" plus {result.augmented_documents} augmented copies (mention replacement, ratio "
        f"{config.data.augment_ratio}, seed {config.data.seed}).",
        "- Seeds are real articles; authored articles are written for the project "
        "(`meta.synthetic = true`).",
        "",
        "## Configuration",
        f"- {'fine-tuned from ' + m.base if m.base else 'trained from scratch'}: BERT, "
        f"{m.num_layers} layers, hidden {m.hidden_size}, {m.num_heads} heads, WordPiece "
        f"vocabulary of {m.vocab_size} learned from the training text and the region register.",
        f"- Register features: {'on' if m.register_features else 'off'} (the rule tagger's "
        "tag and the shape of each word enter through `token_type_ids`).",
        f"- {config.train.epochs} epochs, batch {config.train.batch_size}, learning rate "
        f"{config.train.learning_rate}, seed {config.train.seed}; windows of whole sentences, "
        f"≤ {m.max_words} words / {m.max_tokens} sub-tokens.",
        f"- Training time on all data: {result.seconds:.0f} s "
        f"({metrics['training']['machine']}).",
        f"- Rule-tagger spans of {', '.join(m.certain_labels)} are never overruled by a learned "
        "span; the model adds spans where the rules found nothing (`pipeline/ner/predict.py`).",
        "",
        "Reproduce: `make model` (runs `jkn-ie loso --config configs/default.toml --json "
        "runs/loso.json` then `jkn-ie train --config configs/default.toml --loso "
        "runs/loso.json`).",
        "",
    ]
    if loso:
        lines += [
            "## Leave-one-seed-out entity F1 (exact spans)",
            "",
            "Each fold trains on the authored articles and four seeds and scores the held-out "
            "seed; F1 per label averaged over the five folds. The `rules` row was written with "
            "sight of all five seeds, so it is not a fair comparison. Scores on training data "
            "are never quoted here.",
            "",
            loso_table(loso),
            "",
            *([f"Provenance: {loso['note']}", ""] if loso.get("note") else []),
        ]
        if winner := _winner(loso):
            best, second, margin = winner
            rules = loso["systems"].get("rules", {}).get("mean", {}).get("micro")
            lines += [f"Winner among the learned systems: **{best}**, ahead of {second} by "
                      f"{margin:.3f} micro F1; it is the bundled configuration "
                      f"(`model.certain_labels = {config.model.certain_labels}`).", ""]
            if rules is not None:
                lines += [f"Against the rule tagger (not a fair comparison, see above): "
                          f"{loso['systems'][best]['mean']['micro'] - rules:+.3f} micro F1.", ""]
            lines += [f"Against the aims of the NER issue ({best}):", *_aims(loso, best), ""]
        lines += _analysis(loso, config)
        lines += _relation_sections(loso.get("relation", {}))
    (out_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")
