"""The learned relater: five small logistic regressions over the features of
`pipeline.relate.features` — metric and target per percent, and a candidate ranker each
for the segment, the region and the date link.

Weights are plain JSON (feature names, classes, coefficients, intercepts) read with numpy,
never pickled, so a model file can be inspected and loaded without running its code.
scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.document import Document, Fact
from pipeline.relate.facts import NATIONAL, NONE, Decision, build_facts
from pipeline.relate.features import Candidates, DocFeatures, FarMentions, Layout
from pipeline.relate.rules import chain, event_place, list_region, listed_after, respective

MODEL_FILE = "relation.json"
# Decision fields a relater may leave to the rules.
RULE_FIELDS: tuple[str, ...] = ("metric", "target", "segment", "regions", "date")
FORMAT = "jkn-ie relation v1"
_C = 3.0  # inverse regularisation strength of every classifier (5-fold CV: 0.3 < 1 < 3 ≈ 10)
_SHORT_RUN = 16  # far mentions in a run up to which each is looked up, not range-queried


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


class _RangeBest:
    """The first position of the largest value in any range of an array, by a sparse table
    (one look-up per query)."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        n = len(values)
        self.levels = [np.arange(n)]  # level k: the best position in [i, i + 2**k)
        width = 1
        while 2 * width <= n:
            prev = self.levels[-1]
            left, right = prev[:n - 2 * width + 1], prev[width:n - width + 1]
            self.levels.append(np.where(values[left] >= values[right], left, right))
            width *= 2

    def best(self, lo: int, hi: int) -> int:
        level = (hi - lo).bit_length() - 1
        i, j = self.levels[level][lo], self.levels[level][hi - (1 << level)]
        return int(i if self.values[i] >= self.values[j] else j)


class _Ranker:
    """`_rank` for one field of one document, in time linear in the document.

    A far mention's features are fixed by its static key, its run's variant and whether a
    boost group of the percent holds it (`features.Layout`), so each distinct feature list
    is scored once, and a long run is ranked by range queries: prefix sums give its total, a
    sparse table its best mention. A boost (`M_rule_name`, `D_same_value`) can only raise
    a score, checked per variant; where it would not, and where the mentions overlap, the
    candidates are ranked one by one as `_rank` does. Scores are the same numbers as
    `_rank`'s and ties go to the first candidate, as with argmax; only the share's total is
    summed in another order."""

    def __init__(self, model: LinearModel, far: FarMentions | None) -> None:
        self.model = model
        self.far = far
        self._scores: dict[tuple[str, ...], float] = {}
        self._static: dict[tuple[Hashable, bool, Hashable], float] = {}
        self._plain: dict[Hashable, tuple[np.ndarray, np.ndarray, _RangeBest]] = {}
        self._boosted: dict[tuple[Hashable, Hashable], tuple[list[int], np.ndarray,
                                                             np.ndarray, _RangeBest, bool]] = {}

    def score(self, feats: list[str]) -> float:
        key = tuple(feats)
        if key not in self._scores:
            self._scores[key] = self.model.proba(feats)[-1]
        return self._scores[key]

    def best(self, layout: Callable[[], Layout], candidates: Callable[[], Candidates]
             ) -> tuple[str, float]:
        """The best candidate and its share, from the layout when it can be used."""
        found = self._best_of_layout(layout()) if self.far is not None else None
        if found is not None:
            return found
        listed = candidates()
        scores = [self.score(feats) for _, feats in listed]
        best = int(np.argmax(scores))
        return listed[best][0], float(scores[best] / (sum(scores) or 1.0))

    def _far_score(self, i: int, variant: Hashable, boosted: bool) -> float:
        assert self.far is not None
        key = (variant, boosted, self.far.static[i])
        if key not in self._static:
            self._static[key] = self.score(self.far.features(i, variant, boosted))
        return self._static[key]

    def _plain_run(self, variant: Hashable) -> tuple[np.ndarray, np.ndarray, _RangeBest]:
        if variant not in self._plain:
            assert self.far is not None
            values = np.array([self._far_score(i, variant, False)
                               for i in range(len(self.far.keys))], dtype=float)
            self._plain[variant] = (values, np.concatenate(([0.0], np.cumsum(values))),
                                    _RangeBest(values))
        return self._plain[variant]

    def _boosted_run(self, group: Hashable, variant: Hashable
                     ) -> tuple[list[int], np.ndarray, np.ndarray, _RangeBest, bool]:
        """The mentions of a boost group, their boosted scores, prefix sums of what the
        boost adds, a sparse table, and whether the boost raises every score."""
        if (group, variant) not in self._boosted:
            assert self.far is not None
            positions = self.far.groups[group]
            plain = self._plain_run(variant)[0][positions]
            values = np.array([self._far_score(i, variant, True) for i in positions],
                              dtype=float)
            self._boosted[group, variant] = (
                positions, values, np.concatenate(([0.0], np.cumsum(values - plain))),
                _RangeBest(values), bool(np.all(values >= plain)))
        return self._boosted[group, variant]

    def _best_of_layout(self, layout: Layout) -> tuple[str, float] | None:
        assert self.far is not None
        best_pos, best = -1, -np.inf
        totals: list[tuple[int, float]] = []  # (position, score or a run's total)

        def consider(pos: int, value: float) -> None:
            nonlocal best_pos, best
            if value > best or (value == best and pos < best_pos):
                best_pos, best = pos, value

        for pos, _, feats in layout.scored:
            value = self.score(feats)
            consider(pos, value)
            totals.append((pos, value))
        for lo, hi, variant in layout.runs:
            if hi - lo <= _SHORT_RUN:  # looked up one by one
                for i in range(lo, hi):
                    value = self._far_score(i, variant, layout.boosted(i))
                    consider(i, value)
                    totals.append((i, value))
                continue
            values, prefix, table = self._plain_run(variant)
            total = prefix[hi] - prefix[lo]
            top = table.best(lo, hi)
            top_boosted = False
            for group in layout.boosts:
                positions, boosted, added, group_table, raises = self._boosted_run(group,
                                                                                  variant)
                start, end = bisect_left(positions, lo), bisect_left(positions, hi)
                if start == end:
                    continue
                if not raises:
                    return None
                k = group_table.best(start, end)
                consider(positions[k], boosted[k])
                total += added[end] - added[start]
                at = bisect_left(positions, top, start, end)
                top_boosted = top_boosted or (at < end and positions[at] == top)
            if not top_boosted:  # a boosted top is beaten by its own boosted score
                consider(top, values[top])
            totals.append((lo, total))
        total = sum(value for _, value in totals)
        key = (self.far.keys[best_pos] if best_pos < len(self.far.keys)
               else next(k for pos, k, _ in layout.scored if pos == best_pos))
        return key, float(best / (total or 1.0))


class LearnedRelater:
    """Facts from the five learned classifiers (see the module docstring)."""

    def __init__(self, models: dict[str, LinearModel],
                 rule_fields: frozenset[str] = frozenset()) -> None:
        unknown = set(rule_fields) - set(RULE_FIELDS)
        if unknown:
            raise ValueError(f"rule_fields: unknown fields {sorted(unknown)}")
        self.models = models
        # Fields taken from the rule relater's decision instead of the classifier's: on the
        # real dev set the rules decide target and date better (models/default/README.md).
        self.rule_fields = frozenset(rule_fields)

    def decide(self, features: DocFeatures) -> list[Decision]:
        """One decision per percent; a field in `rule_fields` is the rule relater's, and its
        classifier is not run. The score is the classifiers' confidence in the metric and
        region they chose (1.0 for a part the rules decided)."""
        ctx, ruled = features.ctx, self.rule_fields
        decisions: list[Decision] = []
        previous: str | None = None
        regions = (None if "regions" in ruled
                   else _Ranker(self.models["region"], features.far_regions()))
        dates = None if "date" in ruled else _Ranker(self.models["date"], features.far_dates())
        for i in range(len(ctx.percents)):
            rule, feats = features.rules[i], features.percent(i)
            metric, metric_p = ((rule.metric, 1.0) if "metric" in ruled
                                else self.models["metric"].predict(feats))
            target = (rule.target if "target" in ruled
                      else bool(self.models["target"].predict(feats)[0]))
            segment = (rule.segment if "segment" in ruled
                       else _none(_rank(self.models["segment"], features.segments(i))[0]))
            chosen, region_p = rule.regions, 1.0
            if regions is not None and not _listed_after(features, i):
                region, p = regions.best(lambda i=i: features.region_layout(i),
                                         lambda i=i: features.regions(i))
                if not _announced_at(features, region):
                    chosen, region_p = _spread(features, i, region), p
            if dates is None:
                date = rule.date
            else:
                date = _none(dates.best(lambda i=i, p=previous: features.date_layout(i, p),
                                        lambda i=i, p=previous: features.dates(i, p))[0])
                previous = date or previous
            decisions.append(Decision(metric, target, segment, chosen, date,
                                      metric_p * region_p))
        return decisions

    def relate(self, doc: Document) -> list[Fact]:
        features = DocFeatures(doc)
        return [fact for p, decision in zip(features.ctx.percents, self.decide(features),
                                            strict=True)
                for fact in build_facts(features.ctx, p, decision)]

    def save(self, model_dir: Path) -> Path:
        model_dir.mkdir(parents=True, exist_ok=True)
        path = model_dir / MODEL_FILE
        data = {"format": FORMAT, "rule_fields": sorted(self.rule_fields),
                "models": {name: m.to_json() for name, m in self.models.items()}}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    @classmethod
    def load(cls, model_dir: Path) -> LearnedRelater:
        data = json.loads((Path(model_dir) / MODEL_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{model_dir / MODEL_FILE}: not a {FORMAT!r} file")
        return cls({name: LinearModel.from_json(m) for name, m in data["models"].items()},
                   frozenset(data.get("rule_fields", ())))


def _none(key: str) -> str | None:
    return None if key == NONE else key


def _listed_after(features: DocFeatures, index: int) -> bool:
    """The figure is stated for a `yakni` list right after it (`di bawah 80 persen, yakni A,
    B dan C`): one fact per region, which one ranked mention cannot express, so the rule's
    regions stand."""
    following = listed_after(features.ctx, features.ctx.percents[index])
    return following is not None and len(following) > 1


def _announced_at(features: DocFeatures, key: str) -> bool:
    """The ranker chose the place where the figure was announced (`di Ternate, Jumat`), which
    is never what it describes: the rule's regions stand."""
    position = features.region_index(key)
    return position is not None and event_place(features.ctx, features.ctx.regions[position])


def _spread(features: DocFeatures, index: int, best: str) -> list[str]:
    """The chosen region, or every region of the list it heads ("Sleman dan Bantul
    mencapai 100%") when the figure follows that list and is not an item of its own."""
    ctx = features.ctx
    p = ctx.percents[index]
    position = features.region_index(best)
    if position is None or list_region(ctx, p) is not None or respective(ctx, p) is not None:
        return [best]
    members = chain(ctx, position)
    last = ctx.regions[members[-1]]
    if len(members) < 2 or last.end > p.first or ctx.count_percents(last.end, p.first):
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


def train_relater(docs: list[Document], seed: int = 13,
                  rule_fields: frozenset[str] = frozenset()) -> LearnedRelater:
    """Fit the five classifiers on the annotated facts of `docs`; `rule_fields` are left to
    the rule relater at prediction time."""
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
    return LearnedRelater({name: fit(x, y, seed) for name, (x, y) in data.items()},
                          rule_fields)
