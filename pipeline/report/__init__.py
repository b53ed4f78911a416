"""Writers for people: the CSV facts table (`csv_table`) and the HTML report (`html`).

Both show the same rows, built here: one per fact, with the surface text and sentence an
analyst needs to check it against the article.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline.document import Document
from pipeline.plausibility import Figure
from pipeline.text import sentences


@dataclass
class FactRow:
    doc_id: str
    value: float | None
    metric: str
    target: bool
    segment: str | None
    region: str | None  # the region mention as written
    region_norm: str | None
    region_code: str | None
    date: str | None  # the date's ISO norm
    sentence: str  # the sentence holding the percent
    score: float | None
    warnings: list[str] = field(default_factory=list)
    percent_id: str = ""

    @property
    def figure(self) -> Figure | None:
        return Figure.of(self.doc_id, self.value, self.metric, self.target, self.segment,
                         self.region_norm, self.date)


def fact_rows(doc: Document) -> Iterator[FactRow]:
    """The rows of a document's facts, in fact order."""
    entities = {e.id: e for e in doc.entities}
    spans = sentences(doc.text)
    starts = [start for start, _ in spans]
    for fact in doc.facts:
        percent = entities.get(fact.percent)
        region = entities.get(fact.region) if fact.region else None
        date = entities.get(fact.date) if fact.date else None
        sentence = ""
        if percent is not None and spans:
            start, end = spans[max(bisect_right(starts, percent.start) - 1, 0)]
            sentence = doc.text[start:end]
        code = fact.region_code
        if code is None and region is not None and region.norm == fact.region_norm:
            code = region.code
        yield FactRow(
            doc_id=doc.id,
            value=float(percent.norm) if percent is not None and percent.norm is not None
            else None,
            metric=fact.metric, target=fact.target, segment=fact.segment,
            region=doc.mention(region) if region is not None else None,
            region_norm=fact.region_norm, region_code=code,
            date=str(date.norm) if date is not None and date.norm is not None else None,
            sentence=sentence, score=fact.score, warnings=list(fact.warnings),
            percent_id=fact.percent,
        )
