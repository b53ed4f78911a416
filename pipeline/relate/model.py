"""The learned relater: five small logistic regressions over the features of
`pipeline.relate.features` — metric and target per percent, and a candidate ranker each
for the segment, the region and the date link.

Weights are plain JSON (feature names, classes, coefficients, intercepts) read with numpy,
never pickled, so a model file can be inspected and loaded without running its code.
scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.document import Document, Fact
from pipeline.relate.facts import NATIONAL, NONE, Decision, build_facts
from pipeline.relate.features import Candidates, DocFeatures
from pipeline.relate.rules import chain, list_region, respective

MODEL_FILE = "relation.json"
FORMAT = "jkn-ie relation v1"
_C = 3.0  # inverse regularisation strength of every classifier (5-fold CV: 0.3 < 1 < 3 ≈ 10)


@dataclass
class LinearModel:
    """A linear classifier over string features: one weight row per class (a single row
    for a binary model, scoring its second class)."""

    features: dict[str, int]
    classes: list[Any]
    coef: np.ndarray
    intercept: np.ndarray

    def proba(self, feats: Sequence[str]) -> np.ndarray:
        """Class probabilities of one example."""
        columns = [self.features[f] for f in feats if f in self.features]
        z = self.coef[:, columns].sum(axis=1) + self.intercept
        if len(self.classes) == 1:
            return np.ones(1)
        if len(z) == 1:
            positive = 1.0 / (1.0 + np.exp(-z[0]))
            return np.array([1.0 - positive, positive])
        e = np.exp(z - z.max())
        return e / e.sum()

    def predict(self, feats: Sequence[str]) -> tuple[Any, float]:
        probs = self.proba(feats)
        best = int(probs.argmax())
        return self.classes[best], float(probs[best])

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.features, key=self.features.__getitem__)
        return {"features": names, "classes": self.classes,
                "coef": self.coef.tolist(), "intercept": self.intercept.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls({name: i for i, name in enumerate(data["features"])}, list(data["classes"]),
                   np.asarray(data["coef"], dtype=float).reshape(-1, len(data["features"])),
                   np.asarray(data["intercept"], dtype=float))


def fit(examples: Sequence[list[str]], labels: Sequence[Any], seed: int) -> LinearModel:
    """A logistic regression (L2, C=_C) over binary features; one class gives a constant
    model."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, feats in enumerate(examples):
        for f in set(feats):
            rows.append(r)
            cols.append(vocab.setdefault(f, len(vocab)))
    classes = sorted(set(labels), key=str)
    if len(classes) < 2:
        return LinearModel(vocab, classes, np.zeros((1, len(vocab))), np.zeros(1))
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(vocab)))
    clf = LogisticRegression(C=_C, max_iter=5000, random_state=seed)
    clf.fit(x, [classes.index(label) for label in labels])
    return LinearModel(vocab, classes, clf.coef_, clf.intercept_)


def _rank(model: LinearModel, candidates: Candidates) -> tuple[str, float]:
    """The candidate the ranker scores highest, with its share of all candidates' scores."""
    scores = [model.proba(feats)[-1] for _, feats in candidates]
    best = int(np.argmax(scores))
    return candidates[best][0], float(scores[best] / (sum(scores) or 1.0))


class LearnedRelater:
    """Facts from the five learned classifiers (see the module docstring)."""

    def __init__(self, models: dict[str, LinearModel]) -> None:
        self.models = models

    def decide(self, features: DocFeatures) -> list[Decision]:
        ctx = features.ctx
        decisions: list[Decision] = []
        previous: str | None = None
        for i in range(len(ctx.percents)):
            feats = features.percent(i)
            metric, metric_p = self.models["metric"].predict(feats)
            target = bool(self.models["target"].predict(feats)[0])
            segment = _rank(self.models["segment"], features.segments(i))[0]
            region, region_p = _rank(self.models["region"], features.regions(i))
            date = _rank(self.models["date"], features.dates(i, previous))[0]
            date = None if date == NONE else date
            previous = date or previous
            decisions.append(Decision(metric, target, None if segment == NONE else segment,
                                      _spread(features, i, region), date, metric_p * region_p))
        return decisions

    def relate(self, doc: Document) -> list[Fact]:
        features = DocFeatures(doc)
        return [fact for p, decision in zip(features.ctx.percents, self.decide(features),
                                            strict=True)
                for fact in build_facts(features.ctx, p, decision)]

    def save(self, model_dir: Path) -> Path:
        model_dir.mkdir(parents=True, exist_ok=True)
        path = model_dir / MODEL_FILE
        data = {"format": FORMAT,
                "models": {name: m.to_json() for name, m in self.models.items()}}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: Path) -> LearnedRelater:
        data = json.loads((Path(model_dir) / MODEL_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{model_dir / MODEL_FILE}: not a {FORMAT!r} file")
        return cls({name: LinearModel.from_json(m) for name, m in data["models"].items()})


def _spread(features: DocFeatures, index: int, best: str) -> list[str]:
    """The chosen region, or every region of the list it heads ("Sleman dan Bantul
    mencapai 100%") when the figure follows that list and is not an item of its own."""
    ctx = features.ctx
    p = ctx.percents[index]
    position = next((i for i, m in enumerate(ctx.regions) if m.id == best), None)
    if position is None or list_region(ctx, p) is not None or respective(ctx, p) is not None:
        return [best]
    members = chain(ctx, position)
    last = ctx.regions[members[-1]]
    if len(members) < 2 or last.end > p.first or any(
            last.end <= q.first < p.first for q in ctx.percents):
        return [best]
    return [ctx.regions[i].id for i in members]


def _gold_region_labels(features: DocFeatures, index: int, gold: list[Fact],
                        candidates: Candidates) -> list[tuple[list[str], bool]]:
    """Training pairs of one percent's region candidates: the gold mentions (or NATIONAL /
    NONE) are positive; a mention of a gold region other than the one linked is left out,
    since it is neither wrong nor the preferred link."""
    from pipeline.evaluate import region_key

    ids = {f.region for f in gold if f.region}
    keys = {region_key(f.region_norm) for f in gold}
    positive = set(ids)
    if not ids:
        positive.add(NATIONAL if keys == {"indonesia"} else NONE if keys == {None} else "")
    names = {m.id: region_key(features.names[i]) for i, m in enumerate(features.ctx.regions)}
    pairs = []
    for key, feats in candidates:
        if key in positive:
            pairs.append((feats, True))
        elif names.get(key) in keys or (key == NATIONAL and "indonesia" in keys):
            continue
        else:
            pairs.append((feats, False))
    return pairs


def train_relater(docs: list[Document], seed: int = 13) -> LearnedRelater:
    """Fit the five classifiers on the annotated facts of `docs`."""
    data: dict[str, tuple[list[list[str]], list[Any]]] = {
        name: ([], []) for name in ("metric", "target", "segment", "region", "date")}

    def add(name: str, feats: list[str], label: Any) -> None:
        data[name][0].append(feats)
        data[name][1].append(label)

    for doc in docs:
        features = DocFeatures(doc)
        by_percent: dict[str, list[Fact]] = {}
        for fact in doc.facts:
            by_percent.setdefault(fact.percent, []).append(fact)
        previous: str | None = None
        for i, p in enumerate(features.ctx.percents):
            gold = by_percent.get(p.id)
            if not gold:
                continue
            feats = features.percent(i)
            add("metric", feats, gold[0].metric)
            add("target", feats, gold[0].target)
            gold_segment = gold[0].segment or NONE
            for key, cand in features.segments(i):
                add("segment", cand, key == gold_segment)
            for cand, label in _gold_region_labels(features, i, gold, features.regions(i)):
                add("region", cand, label)
            gold_date = gold[0].date or NONE
            gold_norm = doc.entity(gold[0].date).norm if gold[0].date else None
            for key, cand in features.dates(i, previous):
                if key == gold_date or key == NONE or doc.entity(key).norm != gold_norm:
                    add("date", cand, key == gold_date)
            previous = gold[0].date or previous
    return LearnedRelater({name: fit(x, y, seed) for name, (x, y) in data.items()})
