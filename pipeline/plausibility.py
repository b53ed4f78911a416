"""Plausibility warnings: measured figures an analyst should check before trusting them.

A warning is a stable code, a colon and a message (`coverage_over_100: coverage 118.09% is
above 100% (possibly double-counted data)`), so a table can be filtered on the code and still
be read by a person. Targets are never checked: a goal or threshold may be any number.

Figures are compared as the scorer compares them (value rounded to 2 decimals, the scorer's
region key, the date's ISO norm). Within one document an undated figure is compared with the
other undated figures of the same region, since they share the article's context; across
documents only dated figures are compared, because two undated figures from different
articles may well be from different times.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from pipeline.document import Document, Entity, Fact
from pipeline.evaluate import region_key

MAX_LISTED = 3  # other values named in one conflict message


class Figure(NamedTuple):
    """What the checks need to know of one measured (non-target) fact."""

    doc_id: str
    value: float
    metric: str
    segment: str | None
    region: str | None  # the scorer's region key
    place: str | None  # the region's canonical name, for messages
    date: str | None

    @classmethod
    def of(cls, doc_id: str, value: float | None, metric: str, target: bool,
           segment: str | None, region_norm: str | None, date: str | None) -> Figure | None:
        """The figure a fact states, or None for a target or a fact without a value."""
        if target or value is None:
            return None
        return cls(doc_id, round(float(value), 2), metric, segment, region_key(region_norm),
                   region_norm, date)


def figure(doc_id: str, fact: Fact, entities: Mapping[str, Entity]) -> Figure | None:
    """The figure of a fact, given its document's entities by id."""
    percent = entities.get(fact.percent)
    date = entities.get(fact.date) if fact.date else None
    return Figure.of(doc_id, percent.norm if percent else None, fact.metric, fact.target,
                     fact.segment, fact.region_norm, date.norm if date else None)


def pct(value: float) -> str:
    """A percent as messages write it: `98.12%`, `95%`."""
    return f"{value:g}%"


def _where(fig: Figure) -> str:
    date = f"on {fig.date}" if fig.date else "(no date)"
    segment = f" {fig.segment}" if fig.segment else ""
    return f"{fig.place or '(no region)'}{segment} {date}"


def over_100(fig: Figure) -> str | None:
    """A share above 100%: coverage (double-counted data, as the seeds discuss), activity or
    inactive (impossible as a share of participants)."""
    if fig.value <= 100 or fig.metric == "other":
        return None
    why = ("possibly double-counted data" if fig.metric == "coverage"
           else "a share cannot exceed 100%")
    return f"{fig.metric}_over_100: {fig.metric} {pct(fig.value)} is above 100% ({why})"


def activity_above_coverage(fig: Figure, lowest: tuple[float, str] | None,
                            same_doc: bool) -> str | None:
    """Activity above the coverage of the same region, segment and date: active members
    cannot outnumber registered ones. `lowest`: the smallest coverage value and its
    document (`FigureIndex.lowest`); activity above it is above some coverage."""
    if fig.metric != "activity" or lowest is None or not fig.value > lowest[0]:
        return None
    value, doc = lowest
    source = "" if same_doc else f" in {doc}"
    return (f"activity_above_coverage: activity {pct(fig.value)} is above coverage "
            f"{pct(value)}{source} for {_where(fig)}")


def conflict(fig: Figure, values: Mapping[float, str], target: bool = False) -> str | None:
    """Other values stated for the same region, metric, segment and date. `values` maps
    each value to the first document stating it. `target` words it for a target (`coverage
    target for …`): the dataset flags conflicting targets too, with this one message."""
    count = len(values) - (fig.value in values)  # the others, counted without a pass
    if not count:
        return None
    shown = itertools.islice(((value, doc) for value, doc in values.items()
                              if value != fig.value), MAX_LISTED)
    listed = ", ".join(f"{pct(value)} ({doc})" for value, doc in shown)
    more = f" and {count - MAX_LISTED} more" if count > MAX_LISTED else ""
    what = f"{fig.metric} target" if target else fig.metric
    return f"conflict: {what} for {_where(fig)} is also reported as {listed}{more}"


class FigureIndex:
    """The values seen per (region, date, segment, metric), each with the first document
    stating it. Its size grows with the distinct figures, not with the documents, so a
    writer can index a stream of millions of documents."""

    def __init__(self) -> None:
        self._values: dict[tuple, dict[float, str]] = {}
        # key → the smallest (value, document), and the smallest first stated by another
        # document than that one; worked out when first asked, dropped when a value comes
        self._lowest: dict[tuple, tuple[tuple[float, str] | None,
                                        tuple[float, str] | None]] = {}

    @staticmethod
    def _key(fig: Figure, metric: str) -> tuple:
        return fig.region, fig.date, fig.segment, metric

    def add(self, fig: Figure) -> None:
        if fig.region is not None:
            key = self._key(fig, fig.metric)
            values = self._values.setdefault(key, {})
            if fig.value not in values:
                values[fig.value] = fig.doc_id
                self._lowest.pop(key, None)

    def values(self, fig: Figure, metric: str) -> dict[float, str]:
        """Values of `metric` seen for the figure's region, date and segment."""
        return self._values.get(self._key(fig, metric), {})

    def lowest(self, fig: Figure, metric: str, other_than: str | None = None
               ) -> tuple[float, str] | None:
        """The smallest value of `metric` seen for the figure's region, date and segment,
        with its document; `other_than`: among the values first stated by another
        document. Answered without a pass over the values once the key is indexed."""
        key = self._key(fig, metric)
        if key not in self._lowest:
            values = self._values.get(key, {})
            first = min(values.items(), default=None)  # values are distinct: by value
            second = min(((value, doc) for value, doc in values.items()
                          if first is not None and doc != first[1]), default=None)
            self._lowest[key] = (first, second)
        first, second = self._lowest[key]
        if other_than is None or first is None or first[1] != other_than:
            return first
        return second  # the smallest of the documents other than the smallest's


class BatchIndex(FigureIndex):
    """The cross-document checks: index every figure of a batch first, then ask `warnings`
    for each."""

    def add(self, fig: Figure) -> None:
        if fig.date is not None:
            super().add(fig)

    def warnings(self, fig: Figure) -> list[str]:
        if fig.region is None or fig.date is None:
            return []
        # same-document pairs are document_warnings' job
        others = self.lowest(fig, "coverage", other_than=fig.doc_id)
        found = (activity_above_coverage(fig, others, same_doc=False),
                 conflict(fig, self.values(fig, fig.metric)))
        return [warning for warning in found if warning]


def add_warnings(existing: list[str], new: Iterable[str | None]) -> None:
    """Append new warnings to a fact's list, skipping repeats so every check can run twice."""
    for warning in new:
        if warning and warning not in existing:
            existing.append(warning)


def figures(doc: Document) -> list[tuple[Fact, Figure]]:
    """The measured facts of a document with their figures (targets and facts without a
    value left out): what both the single-document and the batch checks look at."""
    entities = {e.id: e for e in doc.entities}
    pairs = ((fact, figure(doc.id, fact, entities)) for fact in doc.facts)
    return [(fact, fig) for fact, fig in pairs if fig is not None]


def document_warnings(doc: Document) -> None:
    """Add the checks that need only this document to its facts (in place)."""
    found = figures(doc)
    index = FigureIndex()
    for _, fig in found:
        index.add(fig)
    for fact, fig in found:
        add_warnings(fact.warnings, (
            over_100(fig),
            activity_above_coverage(fig, index.lowest(fig, "coverage"), same_doc=True)))
