"""Leave-one-seed-out: the honest estimate of accuracy on real articles.

The seeds are the only real articles we have. For each seed, every learned system is
trained on the authored articles plus the other four seeds and scored on the held-out
seed; per-label F1 is then averaged over the five folds. The rule tagger is scored on the
same folds but was written with sight of all five seeds, so its row is not a fair
comparison and is marked so.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.document import LABELS, Document, read_jsonl
from pipeline.evaluate import evaluate
from pipeline.ner.config import Config

SYSTEMS: dict[str, str] = {
    "transformer": "transformer token classifier with register features; certain regex "
                   "percentages win",
    "transformer+rules": "the same trained model; every rule-tagger span wins, the model "
                         "adds what the rules miss",
    "transformer-no-register": "the same transformer without register features",
    "spacy-cnn": "spaCy CNN NER (blank('id') + tok2vec + ner), same data",
    "rules": "register-and-regex tagger — written with sight of all seeds: not a fair "
             "comparison",
}
# What `jkn-ie loso --systems` can train; the transformer is scored with two merge policies.
TRAINED: tuple[str, ...] = ("transformer", "transformer-no-register", "spacy-cnn", "rules")


def split_folds(docs: Sequence[Document]) -> tuple[list[Document], list[Document]]:
    """(seeds, other documents): a seed is a document whose id starts with `seed-`."""
    seeds = [d for d in docs if d.id.startswith("seed-")]
    return seeds, [d for d in docs if not d.id.startswith("seed-")]


def _taggers(system: str, config: Config, train_docs: list[Document], scratch: Path
             ) -> tuple[dict[str, Any], float]:
    """Train `system` on `train_docs`; returns ({scored name: tagger}, training seconds)."""
    if system == "rules":
        from pipeline.ner.rules import RuleTagger
        return {"rules": RuleTagger()}, 0.0
    if system == "spacy-cnn":
        from pipeline.ner.augment import with_augmented
        from pipeline.ner.spacy_baseline import SpacyTagger, train_spacy
        seconds = train_spacy(
            with_augmented(train_docs, config.data.augment_ratio, config.data.seed),
            scratch / "spacy", epochs=config.train.epochs, seed=config.train.seed)
        return {"spacy-cnn": SpacyTagger(scratch / "spacy")}, seconds
    from pipeline.ner.predict import NerTagger
    from pipeline.ner.train import train_ner
    if system == "transformer-no-register":
        config = replace(config, model=replace(config.model, register_features=False))
        seconds = train_ner(config, train_docs, scratch / system).seconds
        return {system: NerTagger(scratch / system)}, seconds
    seconds = train_ner(config, train_docs, scratch / system).seconds
    return {"transformer": NerTagger(scratch / system, certain_labels=["PERCENT"]),
            "transformer+rules": NerTagger(scratch / system, certain_labels=LABELS)}, seconds


def run_loso(config: Config, docs: Sequence[Document], systems: Sequence[str],
             log: Callable[[str], None] = print) -> dict[str, Any]:
    """Per scored system: per-fold and fold-averaged entity scores, training seconds."""
    seeds, others = split_folds(docs)
    if not seeds:
        raise ValueError("no seed documents (ids starting with 'seed-') to hold out")
    folds: dict[str, list[dict[str, Any]]] = {}
    for system in systems:
        for held_out in seeds:
            train_docs = others + [s for s in seeds if s is not held_out]
            with tempfile.TemporaryDirectory() as scratch:
                taggers, seconds = _taggers(system, config, train_docs, Path(scratch))
                for name, tagger in taggers.items():
                    started = time.perf_counter()
                    predicted = tagger.predict_batch([Document(held_out.id, held_out.text,
                                                               dict(held_out.meta))])
                    tag_seconds = time.perf_counter() - started
                    scores = evaluate([held_out], predicted)
                    folds.setdefault(name, []).append({
                        "held_out": held_out.id, "train_seconds": round(seconds, 1),
                        "tag_seconds": round(tag_seconds, 3), "entities": scores["entities"],
                        "seqeval": scores["seqeval"], "tagged": predicted[0].to_dict()})
                    log(f"{name:<24} {held_out.id}: micro F1 "
                        f"{scores['entities']['micro']['f1']:.3f} ({seconds:.0f}s training)")
    return {"folds": [s.id for s in seeds], "systems": {
        name: {"description": SYSTEMS[name], "folds": runs, "mean": _mean_scores(runs)}
        for name, runs in folds.items()}}


def tagged_documents(results: dict[str, Any], system: str) -> dict[str, Document]:
    """Held-out seed id → the document `system` tagged in that fold."""
    return {fold["held_out"]: Document.from_dict(fold["tagged"])
            for fold in results["systems"][system]["folds"]}


def _mean_scores(folds: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-label and micro F1 averaged over folds (a label absent from a fold's gold and
    prediction is left out of that label's average), plus mean training seconds."""
    mean: dict[str, Any] = {}
    for key in (*LABELS, "micro"):
        rows = [f["entities"]["micro"] if key == "micro" else f["entities"]["labels"][key]
                for f in folds]
        values = [r["f1"] for r in rows if r["support"] or r["fp"]]
        mean[key] = round(statistics.fmean(values), 4) if values else None
    mean["seqeval_micro"] = round(statistics.fmean(
        f["seqeval"]["micro"]["f1"] for f in folds), 4)
    mean["train_seconds"] = round(statistics.fmean(f["train_seconds"] for f in folds), 1)
    return mean


def loso_table(results: dict[str, Any]) -> str:
    """Markdown table: one row per system, fold-averaged F1 per label."""
    head = "| system | " + " | ".join(LABELS) + " | micro | seqeval strict | train s/fold |"
    rows = [head, "|" + "---|" * (len(LABELS) + 4)]
    for name, system in results["systems"].items():
        m = system["mean"]
        cells = ["–" if m[k] is None else f"{m[k]:.3f}" for k in (*LABELS, "micro")]
        rows.append(f"| {name} | " + " | ".join(cells)
                    + f" | {m['seqeval_micro']:.3f} | {m['train_seconds']:.0f} |")
    return "\n".join(rows)


def load_training_docs(paths: Sequence[str], root: Path = Path(".")) -> list[Document]:
    docs: list[Document] = []
    for path in paths:
        docs.extend(read_jsonl(root / path))
    return docs


def save_results(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
