"""Annotate next: order unannotated articles by how much the model would learn from them.

The annotation budget is small, so it should go to the articles the model is least sure
of, where its two paths disagree, and that show it something new. Each article is tagged
by the learned path (the bundled model) and the rule path; its priority is

    score = span_uncertainty + fact_uncertainty + disagreement
            + (unseen_regions + unseen_title_words) / 2

with every term in [0, 1] (so 0 ≤ score ≤ 4):

- span_uncertainty: mean of (1 − score) over the learned path's entities;
- fact_uncertainty: mean of (1 − score) over the learned path's facts;
- disagreement: 1 − F1 between the two paths, averaged over spans (start, end, label) and
  facts (percent span, metric, target, region_norm, date span, segment); a term whose two
  sides are both empty counts 0;
- unseen_regions: share of the region norms either path found that no training document
  has;
- unseen_title_words: share of the title's words (letters only, 3+ characters, lower
  case) that no training text contains; the title is `meta.title`, else the first line of
  three or more words.

The novelty terms count half: a new name alone does not mean the model errs on it. An
article with no entities scores 0 on the first three terms: articles outside the genre are
not worth annotating. An article whose text is already in the training data is not ranked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.document import Document
from pipeline.evaluate import prf
from pipeline.report import meta_text

_WORD = re.compile(r"[^\W\d_]{3,}")
_SHOWN = 3  # examples per reason


@dataclass
class TrainingData:
    """What the model has already seen: region norms, lower-case words, texts."""

    regions: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)


def training_data(docs: Iterable[Document]) -> TrainingData:
    seen = TrainingData()
    for doc in docs:
        seen.texts.add(doc.text)
        seen.words.update(w.lower() for w in _WORD.findall(doc.text))
        seen.regions.update(str(e.norm) for e in doc.entities if e.label == "REGION" and e.norm)
    return seen


@dataclass
class Ranked:
    id: str
    score: float
    terms: dict[str, float]
    reasons: list[str]
    source: str | None = None

    def to_dict(self, rank: int) -> dict[str, Any]:
        out: dict[str, Any] = {"rank": rank, "id": self.id, "score": round(self.score, 4),
                               "terms": {k: round(v, 4) for k, v in self.terms.items()},
                               "reasons": self.reasons}
        if self.source is not None:
            out["source"] = self.source
        return out


def title(doc: Document) -> str:
    """The article's title: `meta.title`, else its first line of three or more words."""
    given = meta_text(doc, "title")
    if given:
        return given
    return next((line.strip() for line in doc.text.splitlines() if len(line.split()) >= 3), "")


def _uncertainty(scores: Sequence[float | None]) -> float:
    known = [float(s) for s in scores if s is not None]
    return sum(1.0 - s for s in known) / len(known) if known else 0.0


def _span_keys(doc: Document) -> set[tuple[int, int, str]]:
    """Exact spans, as `pipeline.evaluate.entity_scores` matches them."""
    return {(e.start, e.end, e.label) for e in doc.entities}


def _fact_keys(doc: Document) -> set[tuple[Any, ...]]:
    def span(entity_id: str | None) -> tuple[int, int] | None:
        entity = doc.entity(entity_id)
        return (entity.start, entity.end) if entity is not None else None

    return {(span(f.percent), f.metric, f.target, f.region_norm, span(f.date), f.segment)
            for f in doc.facts}


def _disagreement(a: set[Any], b: set[Any]) -> float:
    """1 − F1 of one path's keys scored against the other's (symmetric), by the scorer's
    `prf`; 0 when both are empty (prf would say F1 0: total disagreement)."""
    if not a and not b:
        return 0.0
    return 1.0 - prf(len(a & b), len(a), len(b))["f1"]


def _examples(items: Iterable[str]) -> str:
    shown = sorted(items)
    more = f", … ({len(shown) - _SHOWN} more)" if len(shown) > _SHOWN else ""
    return ", ".join(shown[:_SHOWN]) + more


def score_document(learned: Document, rules: Document, seen: TrainingData) -> Ranked:
    """The priority of one article from its two taggings (same id and text)."""
    text = learned.text
    reasons: list[tuple[float, str]] = []

    span_u = _uncertainty([e.score for e in learned.entities])
    if span_u > 0:
        low = min(learned.entities, key=lambda e: e.score if e.score is not None else 1.0)
        reasons.append((span_u, f"span scores: mean {1 - span_u:.2f} over "
                                f"{len(learned.entities)} spans; lowest {low.label} "
                                f"{learned.mention(low)!r} {low.score:.2f}"))
    fact_u = _uncertainty([f.score for f in learned.facts])
    if fact_u > 0:
        low_fact = min(learned.facts, key=lambda f: f.score if f.score is not None else 1.0)
        percent = learned.entity(low_fact.percent)
        shown = learned.mention(percent) if percent is not None else low_fact.percent
        reasons.append((fact_u, f"fact scores: mean {1 - fact_u:.2f} over "
                                f"{len(learned.facts)} facts; lowest {shown!r} "
                                f"({low_fact.metric}, {low_fact.region_norm}) "
                                f"{low_fact.score:.2f}"))

    spans_l, spans_r = _span_keys(learned), _span_keys(rules)
    facts_l, facts_r = _fact_keys(learned), _fact_keys(rules)
    span_gap, fact_gap = _disagreement(spans_l, spans_r), _disagreement(facts_l, facts_r)
    disagreement = (span_gap + fact_gap) / 2
    if spans_l != spans_r:
        only = [f"{text[s:e]!r} {label}" for s, e, label in spans_l - spans_r]
        rule_only = [f"{text[s:e]!r} {label}" for s, e, label in spans_r - spans_l]
        reasons.append((span_gap / 2, "learned and rule paths disagree on "
                        f"{len(spans_l ^ spans_r)} of {len(spans_l | spans_r)} spans"
                        + (f"; only learned: {_examples(only)}" if only else "")
                        + (f"; only rules: {_examples(rule_only)}" if rule_only else "")))
    if facts_l != facts_r:
        differing = {text[k[0][0]:k[0][1]] for k in facts_l ^ facts_r if k[0] is not None}
        reasons.append((fact_gap / 2, "learned and rule paths disagree on "
                        f"{len(facts_l ^ facts_r)} of {len(facts_l | facts_r)} facts, "
                        f"for {_examples(repr(m) for m in differing)}"))

    regions = {str(e.norm) for doc in (learned, rules) for e in doc.entities
               if e.label == "REGION" and e.norm}
    new_regions = regions - seen.regions
    unseen_regions = len(new_regions) / len(regions) if regions else 0.0
    if new_regions:
        reasons.append((unseen_regions / 2, f"regions not in the training data: "
                                            f"{_examples(new_regions)}"))
    words = {w.lower() for w in _WORD.findall(title(learned))}
    new_words = words - seen.words
    unseen_title = len(new_words) / len(words) if words else 0.0
    if new_words:
        reasons.append((unseen_title / 2, f"title words not in the training data: "
                                          f"{_examples(new_words)}"))

    terms = {"span_uncertainty": span_u, "fact_uncertainty": fact_u,
             "disagreement": disagreement, "unseen_regions": unseen_regions,
             "unseen_title_words": unseen_title}
    score = span_u + fact_u + disagreement + (unseen_regions + unseen_title) / 2
    if not learned.entities and not rules.entities:
        reasons.append((0.0, "no entities found by either path: probably outside the genre"))
    reasons.sort(key=lambda item: -item[0])
    source = learned.meta.get("source")
    return Ranked(learned.id, score, terms, [r for _, r in reasons],
                  source if isinstance(source, str) else None)


def rank(learned: Sequence[Document], rules: Sequence[Document],
         seen: TrainingData) -> tuple[list[Ranked], list[str]]:
    """Articles by descending priority (ties by id), and the ids left out because their
    text is already in the training data."""
    ranked: list[Ranked] = []
    known: list[str] = []
    for doc_l, doc_r in zip(learned, rules, strict=True):
        if doc_l.text in seen.texts:
            known.append(doc_l.id)
        else:
            ranked.append(score_document(doc_l, doc_r, seen))
    ranked.sort(key=lambda r: (-r.score, r.id))
    return ranked, known
