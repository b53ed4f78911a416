"""Writers for people: the CSV facts table (`csv_table`) and the HTML report (`html`).

Both show the same rows, built here: one per fact, with the surface text and sentence an
analyst needs to check it against the article, and the article's provenance (title, url,
publication date) from its `meta`. `pipeline.dataset` consolidates the same rows into
observations. `Records` reads a `jkn-ie tag` output (or a
gold file) for them: its documents and its error lines, straight from disk each time, so a
batch of any size is never held in memory.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.document import Document, Entity
from pipeline.engine import is_error_line
from pipeline.inputs import InputError
from pipeline.plausibility import Figure, document_warnings
from pipeline.text import sentences


class Records:
    """The documents of a JSONL output (iterate) and its error lines (`errors()`).

    Every iteration rereads the file, so the writers can make two passes over a big batch
    (index every figure, then write the rows) in constant memory. A line that is neither a
    document nor an error record raises ValueError naming the file and line.
    `with_document_warnings` adds the single-document checks, which a gold file (or an
    older output) lacks.
    """

    def __init__(self, path: str | Path, *, with_document_warnings: bool = False) -> None:
        self.path = Path(path)
        self.with_document_warnings = with_document_warnings

    def __iter__(self) -> Iterator[Document]:
        for lineno, data in self._lines():
            if not is_error_line(data):
                try:
                    doc = Document.from_dict(data)
                except (KeyError, TypeError, ValueError) as err:
                    raise ValueError(f"{self.path}:{lineno}: not a valid document "
                                     f"({err!r})") from err
                if self.with_document_warnings:
                    document_warnings(doc)
                yield doc

    def errors(self) -> Iterator[InputError]:
        """The inputs that could not be tagged, in file order."""
        for _, data in self._lines():
            if is_error_line(data):
                yield InputError(data.get("id"), str(data.get("source")), str(data["error"]))

    def _lines(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self.path.open(encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(f"{self.path}:{lineno}: not JSON ({err.msg})") from err
                if not isinstance(data, dict):
                    raise ValueError(f"{self.path}:{lineno}: not a JSON object")
                yield lineno, data


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
    title: str | None = None  # the article's provenance, from its meta
    url: str | None = None
    published: str | None = None
    start: int | None = None  # the percent's character offsets in the article
    end: int | None = None
    sentence_start: int | None = None  # where the sentence starts: the report's anchor
    officials: list[str] = field(default_factory=list)  # who stated it (see `stated_by`)

    @property
    def region_id(self) -> str:
        """The region the row is keyed by in the dataset and filtered by in the report: its
        Kemendagri code, else its canonical name, else empty."""
        return self.region_code or (self.region_norm or "").strip()

    @property
    def figure(self) -> Figure | None:
        return Figure.of(self.doc_id, self.value, self.metric, self.target, self.segment,
                         self.region_norm, self.date)


def meta_text(doc: Document, key: str) -> str | None:
    """A provenance key of a document's meta (`title`, `url`, `published`, `source`) as
    text, or None; older outputs and gold files may lack them or hold other types."""
    value = doc.meta.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def stated_by(doc: Document, officials: list[Entity], sentence: tuple[int, int],
              position: int) -> list[str]:
    """The officials credited with a figure: those named in its sentence, else in its
    paragraph (news attributes a quote or a list of figures once, often in the sentence
    after: `..., ujar Hafidz`). Names are the officials' norms, else their mentions."""
    for start, end in (sentence, _paragraph(doc.text, position)):
        names = [str(e.norm) if e.norm else doc.mention(e) for e in officials
                 if start <= e.start and e.end <= end]
        if names:
            return list(dict.fromkeys(names))
    return []


def fact_rows(doc: Document) -> Iterator[FactRow]:
    """The rows of a document's facts, in fact order."""
    entities = {e.id: e for e in doc.entities}
    officials = [e for e in doc.entities if e.label == "OFFICIAL"]
    spans = sentences(doc.text)
    starts = [start for start, _ in spans]
    title, url, published = (meta_text(doc, key) for key in ("title", "url", "published"))
    for fact in doc.facts:
        percent = entities.get(fact.percent)
        region = entities.get(fact.region) if fact.region else None
        date = entities.get(fact.date) if fact.date else None
        sentence, span = "", None
        if percent is not None and spans:
            span = spans[max(bisect_right(starts, percent.start) - 1, 0)]
            sentence = doc.text[span[0]:span[1]]
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
            percent_id=fact.percent, title=title, url=url, published=published,
            start=percent.start if percent is not None else None,
            end=percent.end if percent is not None else None,
            sentence_start=span[0] if span is not None else None,
            officials=stated_by(doc, officials, span, percent.start)
            if span is not None and percent is not None else [],
        )
