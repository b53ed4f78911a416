"""Hand-designed, readable features of the learned relater: the words around a percent,
and for every candidate region or date its distance, direction, cue words and whether the
rules chose it. Every feature is a string, so a weight can be read next to its name.

Every REGION and DATE mention of a document is a candidate for every percent, which would
make ranking them quadratic in the article's length. But a mention far from the percent
(more than 40 words and a few mentions away) falls in the last bucket of every distance but
the sentences, so its features depend only on the mention itself and on a variant — its
side of the percent, its sentence-distance bucket and a few flags — that changes only a few
times along each side. The layouts describe the candidates of one percent that way — near
ones to score one by one, far ones as runs of mentions sharing a variant — so a ranker can
score each distinct feature list once and rank a long run by range queries
(`pipeline.relate.model`)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from pipeline.document import Document
from pipeline.normalize.regions import get_register
from pipeline.relate.context import DocContext, Mention, region_name
from pipeline.relate.facts import NATIONAL, NONE, Decision
from pipeline.relate.rules import (
    GROUPS,
    METRICS,
    SEGMENTS,
    TARGETS,
    chain,
    date_cue,
    is_group,
    last,
    list_region,
    national_cues,
    refers_back,
    respective,
    rule_decisions,
    topic,
)

Candidates = list[tuple[str, list[str]]]  # (candidate key, its features)

_SENTENCE_EDGES = (0, 1, 2, 4, 8)  # buckets of a candidate's distance in sentences

# Beyond these a distance is in the last bucket of its feature (`>40`, `>2`, `>4`).
_FAR_WORDS = 40
_FAR_MENTIONS = 2  # regions or dates between
_FAR_PERCENTS = {"region": 2, "date": 4}


@dataclass
class FarMentions:
    """One field's mention candidates (regions or dates) as a ranker sees them from afar:
    the key of each, a static key that with a variant and a boost fixes a far mention's
    features, and how to spell those features."""

    keys: list[str]
    static: list[Hashable]
    features: Callable[[int, Hashable, bool], list[str]]  # (mention, variant, boosted)
    groups: dict[Hashable, list[int]]  # boost group → its mentions, in text order


@dataclass
class Layout:
    """The candidates of one percent for one field, in candidate order (mentions, then the
    field's other candidates). `scored`: (position, key, features) of the candidates to
    score one by one. `runs`: (lo, hi, variant) — the far mentions lo..hi-1, none of them in
    `scored`, whose features are `FarMentions.features(i, variant, boosted(i))`. `boosts`:
    the boost groups of this percent (`boosted(i)`: i is in one of them)."""

    scored: list[tuple[int, str, list[str]]]
    runs: list[tuple[int, int, Hashable]]
    boosts: list[Hashable]
    boosted: Callable[[int], bool]


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 12, 20, 40)) -> str:
    """A count or distance as the smallest edge it does not exceed (`>40` beyond)."""
    return next((str(edge) for edge in edges if n <= edge), f">{edges[-1]}")


class DocFeatures:
    """The features of one document, computed from one DocContext and the rule decisions
    (which are themselves features)."""

    def __init__(self, doc: Document) -> None:
        self.ctx = ctx = DocContext(doc)
        self.rules: list[Decision] = rule_decisions(ctx)
        self.names = [region_name(m.entity, doc) for m in ctx.regions]
        top = max(ctx.region_counts.values(), default=0)
        self._main = {name for name, n in ctx.region_counts.items() if n == top}
        self._date_kinds = [date_cue(ctx, d) for d in ctx.dates]
        # region index → whether it heads a `Name (X%)` item of some percent
        self._list_heads = {i for p in ctx.percents if (i := list_region(ctx, p)) is not None}
        self._levels = [ref.level if (ref := get_register().by_name(name)) else "unknown"
                        for name in self.names]
        # regions in a list of two or more: each list is a run of regions, read once
        self._in_list: set[int] = set()
        i = 0
        while i < len(ctx.regions):
            members = chain(ctx, i)  # i starts its list: the one before is not joined to it
            if len(members) > 1:
                self._in_list.update(members)
            i = members[-1] + 1
        # word positions of group and national cues, to ask "is one between?" by bisection
        n = len(ctx.words)
        self._groups = [i for i in range(n) if is_group(ctx.words, i, i + 1)]
        self._groups += [m[0] for m in GROUPS.find(ctx.words, 0, n)]
        self._groups.sort()
        self._nationals = [m[0] for m in national_cues(ctx.words, 0, n)]
        self._same_value: dict[object, set[str]] = {}
        for p, rule in zip(ctx.percents, self.rules, strict=True):
            if rule.date is not None and p.entity.norm is not None:
                self._same_value.setdefault(p.entity.norm, set()).add(rule.date)
        # mention id → its indices (ids are unique in practice; nothing here assumes it)
        self._region_at = _indices_by_id(ctx.regions)
        self._date_at = _indices_by_id(ctx.dates)
        self._region_ends = [m.end for m in ctx.regions]
        self._date_ends = [m.end for m in ctx.dates]
        self._far: dict[str, FarMentions | None] = {}
        self._target_index: dict[bool, int] = {}  # a rule target flag → a percent with it
        self._groups_in: dict[int, bool] = {}  # sentence → whether it names a group

    def region_index(self, key: str) -> int | None:
        """Index of the first region mention with this id, else None."""
        return self._region_at.get(key, [None])[0]

    @staticmethod
    def _between(firsts: list[int], lo: int, hi: int) -> int:
        return bisect_left(firsts, hi) - bisect_left(firsts, lo)

    # ------------------------------------------------------------------ percent fields

    def percent(self, index: int) -> list[str]:
        """Features for metric, target and segment: words by position, cue findings, the
        rules' choices."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        w = ctx.words
        lo, hi, a_lo, a_hi = ctx.clause(p)
        s_lo, s_hi = ctx.sentence_bounds(p.sentence)
        feats = ["bias", f"rule_metric={rule.metric}", f"rule_target={rule.target}",
                 f"rule_segment={rule.segment}"]
        for k, i in enumerate(range(p.first - 1, max(s_lo, p.first - 20) - 1, -1)):
            feats.append(f"b{'1' if k < 3 else '2' if k < 8 else '3'}={w[i]}")
            if i >= lo:
                feats.append(f"clause={w[i]}")
        for k, i in enumerate(range(p.end, min(s_hi, p.end + 8))):
            feats.append(f"a{'1' if k < 3 else '2'}={w[i]}")
        for i in range(max(s_lo, p.first - 6), p.first - 1):
            feats.append(f"bb={w[i]}_{w[i + 1]}")
        for name, cue_table in (("metric", METRICS), ("target", TARGETS),
                                ("segment", SEGMENTS)):
            feats += [f"cue_{name}={m[2]}" for m in cue_table.find(w, lo, hi)]
            feats += [f"cue_{name}_after={m[2]}" for m in cue_table.find(w, a_lo, a_hi)]
        feats += [f"sentence_cue={last(METRICS.find(w, s_lo, lo))}",
                  f"topic={topic(ctx, p)}"]
        if index:
            earlier = ctx.percents[index - 1]
            distance = _bucket(p.sentence - earlier.sentence, (0, 1, 2))
            feats.append(f"previous_metric={self.rules[index - 1].metric}|{distance}")
        if list_region(ctx, p) is not None:
            feats.append("list_item")
        if p.sentence < 3:
            feats.append("early")
        return feats

    def segments(self, index: int) -> Candidates:
        """Every segment named in the percent's sentence, and NONE (all participants)."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        lo, hi, a_lo, a_hi = ctx.clause(p)
        s_lo, s_hi = ctx.sentence_bounds(p.sentence)
        out: Candidates = []
        for start, end, label in SEGMENTS.find(ctx.words, s_lo, s_hi):
            before = end <= p.first
            gap_lo, gap_hi = (end, p.first) if before else (p.end, start)
            side = "before" if before else "after"
            between = _bucket(self._between(self.ctx.percent_firsts, gap_lo, gap_hi), (0, 1, 2))
            feats = ["S", f"S_words={side}|{_bucket(gap_hi - gap_lo)}",
                     f"S_percents_between={side}|{between}", f"S_label={label}",
                     f"S_phrase={'_'.join(ctx.words[start:end])}"]
            if lo <= start and end <= hi or a_lo <= start and end <= a_hi:
                feats.append(f"S_clause={side}")
            if label == rule.segment:
                feats.append("S_rule")
            out.append((label, feats))
        none = ["Z", f"Z_metric={rule.metric}", *(["Z_rule"] if rule.segment is None else [])]
        out.append((NONE, none))
        return out

    # ------------------------------------------------------------------ regions

    def regions(self, index: int) -> Candidates:
        """Every REGION mention, NATIONAL and NONE as candidates for the percent's region."""
        ctx = self.ctx
        view = self._region_view(index)
        out: Candidates = [(m.id, self._region_candidate(index, view, i))
                           for i, m in enumerate(ctx.regions)]
        return out + self._region_others(index)

    def _region_view(self, index: int) -> tuple[int | None, int | None, set[int], set[str]]:
        """What the region candidates of a percent are compared with: the list item it
        heads, the region `masing-masing` pairs it with, the rule's regions and their
        names."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        rule_at = {i for key in rule.regions for i in self._region_at.get(key, ())}
        return (list_region(ctx, p), respective(ctx, p), rule_at,
                {self.names[i] for i in rule_at})

    def _region_candidate(self, index: int, view: tuple[int | None, int | None, set[int],
                                                        set[str]], i: int) -> list[str]:
        ctx, p = self.ctx, self.ctx.percents[index]
        listed, paired, rule_at, rule_names = view
        m = ctx.regions[i]
        before = m.end <= p.first
        gap_lo, gap_hi = (m.end, p.first) if before else (p.end, m.first)
        regions_between = _bucket(self._between(self.ctx.region_firsts, gap_lo, gap_hi),
                                  (0, 1, 2))
        if listed == i:
            list_tag = "M_list_self"
        elif paired == i:
            list_tag = "M_respective"
        else:
            list_tag = "M_list_other" if i in self._list_heads else None
        rule_tag = ("M_rule" if i in rule_at
                    else "M_rule_name" if self.names[i] in rule_names else None)
        return self._region_features(
            i, "before" if before else "after",
            _bucket(abs(p.sentence - m.sentence), _SENTENCE_EDGES), _bucket(gap_hi - gap_lo),
            regions_between,
            _bucket(self._between(self.ctx.percent_firsts, gap_lo, gap_hi), (0, 1, 2)),
            m.sentence == p.sentence, list_tag, rule_tag,
            bool(self._between(self._groups, gap_lo, gap_hi)),
            bool(self._between(self._nationals, gap_lo, gap_hi)))

    def _region_features(self, i: int, side: str, sent: str, words: str, regions_between: str,
                         percents_between: str, same: bool, list_tag: str | None,
                         rule_tag: str | None, group: bool, national: bool) -> list[str]:
        """The features of region mention i as a candidate, given how it stands to the
        percent; near and far candidates are both spelled here."""
        m = self.ctx.regions[i]
        feats = ["M", f"M_side={side}", f"M_sent={sent}", f"M_side_sent={side}|{sent}",
                 f"M_words={side}|{words}", f"M_regions_between={side}|{regions_between}",
                 f"M_percents_between={percents_between}",
                 f"M_level={self._levels[i]}",
                 f"M_prev={self.ctx.words[m.first - 1] if m.first else '<s>'}"]
        if same:
            feats.append(f"M_same|{side}|{regions_between}")
        if list_tag:
            feats.append(list_tag)
        if i in self._in_list:
            feats.append("M_in_list")
        if self.names[i] in self._main:
            feats.append("M_main")
        if rule_tag:
            feats.append(rule_tag)
        if self.names[i] == "Indonesia":
            feats.append("M_country")
        if group:
            feats.append("M_group_between")
        if national:
            feats.append("M_national_between")
        return feats

    def _group_in(self, sentence: int) -> bool:
        """Whether a sentence names a group of regions (read once per sentence)."""
        if sentence not in self._groups_in:
            self._groups_in[sentence] = is_group(self.ctx.words,
                                                 *self.ctx.sentence_bounds(sentence))
        return self._groups_in[sentence]

    def _region_others(self, index: int) -> Candidates:
        """NATIONAL and NONE as candidates for the percent's region."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        w = ctx.words
        s_lo, s_hi = ctx.sentence_bounds(p.sentence)
        lo, hi, a_lo, a_hi = ctx.clause(p)
        in_sentence = bool(ctx.regions_in(p.sentence, p.sentence))
        national = ["N", *(["N_rule"] if NATIONAL in rule.regions else [])]
        national += [f"N_cue={m[2]}" for m in national_cues(w, lo, hi)]
        national += [f"N_cue_after={m[2]}" for m in national_cues(w, a_lo, a_hi)]
        national += ["N_sentence_cue"] if national_cues(w, s_lo, s_hi) else []
        national += [] if in_sentence else ["N_no_region_in_sentence"]
        none = ["Z", *(["Z_rule"] if NONE in rule.regions else [])]
        none += [f"Z_group={m[2]}" for m in GROUPS.find(w, lo, hi)]
        none += ["Z_group_sentence"] if self._group_in(p.sentence) else []
        none += [] if ctx.regions else ["Z_no_regions"]
        none += [f"Z_target={rule.target}"]
        return [(NATIONAL, national), (NONE, none)]

    # ------------------------------------------------------------------ dates

    def dates(self, index: int, previous: str | None) -> Candidates:
        """Every DATE mention and NONE as candidates for the percent's as-of date.
        `previous` is the date chosen for the last earlier figure that has one."""
        ctx = self.ctx
        out: Candidates = [(d.id, self._date_candidate(index, previous, j))
                           for j, d in enumerate(ctx.dates)]
        return out + self._date_others(index, previous)

    def _date_candidate(self, index: int, previous: str | None, j: int) -> list[str]:
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        d = ctx.dates[j]
        lo, hi, a_lo, a_hi = ctx.clause(p)
        before = d.end <= p.first
        gap_lo, gap_hi = (d.end, p.first) if before else (p.end, d.first)
        return self._date_features(
            index, previous, j, "before" if before else "after",
            _bucket(abs(p.sentence - d.sentence), _SENTENCE_EDGES), _bucket(gap_hi - gap_lo),
            _bucket(self._between(self.ctx.date_firsts, gap_lo, gap_hi), (0, 1, 2)),
            _bucket(self._between(self.ctx.percent_firsts, gap_lo, gap_hi), (0, 1, 2, 4)),
            lo <= d.first and d.end <= hi or a_lo <= d.first and d.end <= a_hi,
            d.id == rule.date, d.id in self._same_value.get(p.entity.norm, ()))

    def _date_features(self, index: int, previous: str | None, j: int, side: str, sent: str,
                       words: str, dates_between: str, percents_between: str, clause: bool,
                       rule_date: bool, same_value: bool) -> list[str]:
        """The features of date mention j as a candidate, given how it stands to the
        percent; near and far candidates are both spelled here."""
        rule, d = self.rules[index], self.ctx.dates[j]
        back = refers_back(self.ctx, self.ctx.percents[index]) if d.id == previous else False
        target = f"target={rule.target}"
        kind, cue = self._date_kinds[j]
        feats = ["D", f"D_kind={kind}", f"D_cue={cue}", f"D_side_sent={side}|{sent}",
                 f"D_kind_sent={kind}|{sent}", f"D_words={side}|{words}",
                 f"D_dates_between={side}|{dates_between}",
                 f"D_percents_between={percents_between}",
                 f"D_kind_target={kind}|{target}", f"D_shape={_shape(d.entity.norm)}"]
        if clause:
            feats += ["D_clause", f"D_clause_kind={kind}"]
        if rule_date:
            feats.append("D_rule")
        if d.id == previous:
            feats += ["D_previous", f"D_previous_back={back}|{target}"]
        if same_value:
            feats.append("D_same_value")
        if d.sentence < 3:
            feats.append("D_early")
        return feats

    def _date_others(self, index: int, previous: str | None) -> Candidates:
        """NONE as a candidate for the percent's date."""
        rule = self.rules[index]
        back = refers_back(self.ctx, self.ctx.percents[index])
        target = f"target={rule.target}"
        none = ["Z", target, *(["Z_rule"] if rule.date is None else [])]
        none += [f"Z_back={back}", f"Z_previous={previous is not None}"]
        none += ["Z_no_dates"] if not self.ctx.dates else []
        return [(NONE, none)]

    # ------------------------------------------------------------------ far candidates

    def far_regions(self) -> FarMentions | None:
        """The region mentions as seen from afar; None when their ends are out of text
        order (overlapping mentions), which the far runs assume."""
        if "region" not in self._far:
            self._far["region"] = self._far_mentions(
                self.ctx.regions, self._region_ends,
                [(self._levels[i], self.ctx.words[m.first - 1] if m.first else "<s>",
                  i in self._list_heads, i in self._in_list, self.names[i] in self._main,
                  self.names[i] == "Indonesia") for i, m in enumerate(self.ctx.regions)],
                self._far_region_features,
                _indices_by_id(self.ctx.regions, self.names))
        return self._far["region"]

    def _far_region_features(self, i: int, variant: Hashable, boosted: bool) -> list[str]:
        side, sent, group, national = variant  # type: ignore[misc]
        return self._region_features(
            i, side, sent, f">{_FAR_WORDS}", f">{_FAR_MENTIONS}", f">{_FAR_PERCENTS['region']}",
            sent == "0", "M_list_other" if i in self._list_heads else None,
            "M_rule_name" if boosted else None, group, national)

    def far_dates(self) -> FarMentions | None:
        """The date mentions as seen from afar; None as for `far_regions`."""
        if "date" not in self._far:
            self._far["date"] = self._far_mentions(
                self.ctx.dates, self._date_ends,
                [(*self._date_kinds[j], _shape(d.entity.norm), d.sentence < 3)
                 for j, d in enumerate(self.ctx.dates)],
                self._far_date_features, {})
        return self._far["date"]

    def _far_date_features(self, j: int, variant: Hashable, boosted: bool) -> list[str]:
        side, sent, index = variant  # type: ignore[misc]  # index: a percent with the target
        return self._date_features(
            index, None, j, side, sent, f">{_FAR_WORDS}", f">{_FAR_MENTIONS}",
            f">{_FAR_PERCENTS['date']}", False, False, boosted)

    @staticmethod
    def _far_mentions(mentions: list[Mention], ends: list[int], static: list[Hashable],
                      features: Callable[[int, Hashable, bool], list[str]],
                      groups: dict[Hashable, list[int]]) -> FarMentions | None:
        if any(a > b for a, b in zip(ends, ends[1:], strict=False)):
            return None
        return FarMentions([m.id for m in mentions], static, features, groups)

    def region_layout(self, index: int) -> Layout:
        """The region candidates of a percent: mentions near it, the rule's and the list's
        regions, NATIONAL and NONE one by one; far mentions as runs. Call only when
        `far_regions()` is not None."""
        ctx, p = self.ctx, self.ctx.percents[index]
        view = self._region_view(index)
        listed, paired, rule_at, rule_names = view
        special = rule_at | {i for i in (listed, paired) if i is not None}
        k_b, k_a = self._near("region", p)
        # M_group_between / M_national_between hold for the far mentions before the percent
        # that end by the last cue before it, and for those after it that start after the
        # first cue after it.
        before_cuts, after_cuts = [], []
        for cues in (self._groups, self._nationals):
            i = bisect_left(cues, p.first) - 1
            before_cuts.append(bisect_right(self._region_ends, cues[i]) if i >= 0 else 0)
            i = bisect_left(cues, p.end)
            after_cuts.append(bisect_right(self.ctx.region_firsts, cues[i]) if i < len(cues)
                              else len(ctx.regions))
        runs = self._runs(p, ctx.region_sentences, "before", 0, k_b, before_cuts,
                          lambda at: tuple(at < c for c in before_cuts))
        runs += self._runs(p, ctx.region_sentences, "after", k_a, len(ctx.regions), after_cuts,
                           lambda at: tuple(at >= c for c in after_cuts))
        scored = sorted({*special, *range(k_b, k_a)})
        return Layout(
            [(i, ctx.regions[i].id, self._region_candidate(index, view, i)) for i in scored]
            + [(len(ctx.regions) + k, key, feats)
               for k, (key, feats) in enumerate(self._region_others(index))],
            _split(runs, scored), sorted(rule_names), lambda i: self.names[i] in rule_names)

    def date_layout(self, index: int, previous: str | None) -> Layout:
        """The date candidates of a percent, as `region_layout`; call only when
        `far_dates()` is not None."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        same = self._same_value.get(p.entity.norm, ())
        special = {j for key in (rule.date, previous) if key is not None
                   for j in self._date_at.get(key, ())}
        k_b, k_a = self._near("date", p)
        # A far date's features read the percent only through its target flag: the first
        # percent with that flag stands for all of them in the variant.
        target = self._target_index.setdefault(rule.target, index)
        runs = self._runs(p, ctx.date_sentences, "before", 0, k_b, [], lambda at: (target,))
        runs += self._runs(p, ctx.date_sentences, "after", k_a, len(ctx.dates), [],
                           lambda at: (target,))
        scored = sorted({*special, *range(k_b, k_a)})
        far = self.far_dates()
        assert far is not None
        boosts: list[Hashable] = []
        if same:  # D_same_value: the dates the rules chose for figures of the same value
            group = ("same", p.entity.norm)
            if group not in far.groups:
                far.groups[group] = sorted(j for key in same for j in self._date_at.get(key, ()))
            boosts.append(group)
        return Layout(
            [(j, ctx.dates[j].id, self._date_candidate(index, previous, j)) for j in scored]
            + [(len(ctx.dates), key, feats) for key, feats in self._date_others(index, previous)],
            _split(runs, scored), boosts, lambda j: far.keys[j] in same)

    @staticmethod
    def _runs(p: Mention, sentences: list[int], side: str, lo: int, hi: int, cuts: list[int],
              flags: Callable[[int], tuple]) -> list[tuple[int, int, Hashable]]:
        """The far mentions lo..hi-1, all on one side of the percent, cut into runs of one
        variant: (side, sentence-distance bucket, *flags(first mention of the run)); the
        flags change only at `cuts`, the bucket where the distance crosses an edge."""
        if lo >= hi:
            return []
        points = {lo, hi, *(c for c in cuts if lo < c < hi)}
        for edge in _SENTENCE_EDGES:
            cut = (bisect_left(sentences, p.sentence - edge) if side == "before"
                   else bisect_right(sentences, p.sentence + edge))
            if lo < cut < hi:
                points.add(cut)
        ordered = sorted(points)
        return [(a, b, (side, _bucket(abs(p.sentence - sentences[a]), _SENTENCE_EDGES),
                        *flags(a)))
                for a, b in zip(ordered, ordered[1:], strict=False)]

    def _near(self, field: str, p: Mention) -> tuple[int, int]:
        """(k_b, k_a): the mentions of the field before k_b and from k_a on are far from the
        percent — more than 40 words, 2 such mentions and 2 (dates: 4) percents away, so
        every distance but the sentences is in its last bucket, and no date is in the
        percent's clause (which holds no other percent)."""
        if field == "region":
            firsts, ends = self.ctx.region_firsts, self._region_ends
        else:
            firsts, ends = self.ctx.date_firsts, self._date_ends
        percents = _FAR_PERCENTS[field]

        def far_before(i: int) -> bool:
            end = ends[i]
            return (end <= p.first - _FAR_WORDS - 1
                    and self._between(firsts, end, p.first) > _FAR_MENTIONS
                    and self._between(self.ctx.percent_firsts, end, p.first) > percents)

        def far_after(i: int) -> bool:
            first = firsts[i]
            return (first - p.end > _FAR_WORDS
                    and self._between(firsts, p.end, first) > _FAR_MENTIONS
                    and self._between(self.ctx.percent_firsts, p.end, first) > percents)

        # Each test only gets easier further from the percent (ends are in text order).
        lo, hi = 0, len(firsts)  # the largest k with mentions[:k] all far before
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if far_before(mid - 1):
                lo = mid
            else:
                hi = mid - 1
        k_b = lo
        lo, hi = k_b, len(firsts)  # the smallest k with mentions[k:] all far after
        while lo < hi:
            mid = (lo + hi) // 2
            if far_after(mid):
                hi = mid
            else:
                lo = mid + 1
        return k_b, lo


def _indices_by_id(mentions: list, names: list[str] | None = None) -> dict[str, list[int]]:
    """Mention key (its id, or its name when `names` are given) → its indices in order."""
    out: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        out.setdefault(names[i] if names is not None else m.id, []).append(i)
    return out


def _split(runs: list[tuple[int, int, Hashable]], scored: list[int]
           ) -> list[tuple[int, int, Hashable]]:
    """The runs without the mentions that are scored one by one."""
    out = []
    for lo, hi, variant in runs:
        start = lo
        for i in scored[bisect_left(scored, lo):bisect_left(scored, hi)]:
            if start < i:
                out.append((start, i, variant))
            start = i + 1
        if start < hi:
            out.append((start, hi, variant))
    return out


def _shape(norm: object) -> str:
    """day / month / year / range / unknown: how precise a date's norm is."""
    if not isinstance(norm, str):
        return "unknown"
    if "/" in norm:
        return "range"
    return {10: "day", 7: "month", 4: "year"}.get(len(norm), "other")
