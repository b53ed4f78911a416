"""Leave-one-seed-out fact scores of the relaters, the honest estimate on real articles.

For each seed, the learned relater is trained on every other document (authored articles
and the other four seeds) and relates the held-out seed's gold entities; facts are scored
with `pipeline.evaluate.evaluate` and the scores averaged over the folds. The rule relater
is scored on the same folds, but its cues were written with sight of the seeds, so its row
is not a fair comparison and is marked so.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.document import METRICS, Document
from pipeline.evaluate import evaluate
from pipeline.loso import split_folds
from pipeline.relate.model import train_relater
from pipeline.relate.rules import RuleRelater

SYSTEMS: dict[str, str] = {
    "learned": "logistic regressions over cue, distance and rule features (the default)",
    "rules": "cue-word rules — written with sight of the seeds: not a fair comparison",
}
_SCORES = ("without_date", "with_date")


def _relater(system: str, train_docs: list[Document], seed: int):
    return train_relater(train_docs, seed=seed) if system == "learned" else RuleRelater()


def relation_loso(docs: Sequence[Document], systems: Sequence[str] = tuple(SYSTEMS),
                  seed: int = 13, log: Callable[[str], None] = print,
                  tagged: dict[str, Document] | None = None) -> dict[str, Any]:
    """Per system: per-fold fact scores (micro P/R/F1 without and with the date, F1 per
    metric) and their means over the folds.

    By default the held-out seed's gold entities are related (the relation step alone);
    with `tagged` (held-out id → that fold's NER output) the tagger's entities are, which
    scores the whole pipeline end to end."""
    seeds, others = split_folds(docs)
    if not seeds:
        raise ValueError("no seed documents (ids starting with 'seed-') to hold out")
    results: dict[str, Any] = {"folds": [s.id for s in seeds], "systems": {}}
    for system in systems:
        folds = []
        for held_out in seeds:
            relater = _relater(system, others + [s for s in seeds if s is not held_out], seed)
            source = tagged[held_out.id] if tagged else held_out
            predicted = Document(held_out.id, held_out.text, dict(held_out.meta),
                                 list(source.entities), relater.relate(source))
            facts = evaluate([held_out], [predicted])["facts"]
            folds.append({"held_out": held_out.id,
                          **{k: facts[k] for k in _SCORES},
                          "per_metric": facts["per_metric"]})
            log(f"{system:<8} {held_out.id}: fact F1 {facts['without_date']['f1']:.3f} "
                f"without date, {facts['with_date']['f1']:.3f} with date")
        results["systems"][system] = {"description": SYSTEMS[system], "folds": folds,
                                      "mean": _mean(folds)}
    return results


def _mean(folds: list[dict[str, Any]]) -> dict[str, Any]:
    """P/R/F1 averaged over folds; a metric absent from a fold's gold and prediction is
    left out of that metric's average."""
    mean: dict[str, Any] = {
        key: {m: round(statistics.fmean(f[key][m] for f in folds), 4)
              for m in ("precision", "recall", "f1")}
        for key in _SCORES}
    per_metric = {}
    for metric in METRICS:
        rows = [f["per_metric"][metric] for f in folds]
        values = [r["f1"] for r in rows if r["support"] or r["fp"]]
        per_metric[metric] = round(statistics.fmean(values), 4) if values else None
    mean["per_metric_f1"] = per_metric
    return mean


def relation_table(results: dict[str, Any]) -> str:
    """Markdown table: one row per system, fold-averaged fact scores."""
    head = ("| system | P | R | F1 | P (date) | R (date) | F1 (date) | "
            + " | ".join(f"F1 {m}" for m in METRICS) + " |")
    rows = [head, "|" + "---|" * (7 + len(METRICS))]
    for name, system in results["systems"].items():
        m = system["mean"]
        cells = [f"{m[k][s]:.3f}" for k in _SCORES for s in ("precision", "recall", "f1")]
        cells += ["–" if m["per_metric_f1"][x] is None else f"{m['per_metric_f1'][x]:.3f}"
                  for x in METRICS]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
