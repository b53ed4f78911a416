"""Hand-designed, readable features of the learned relater: the words around a percent,
and for every candidate region or date its distance, direction, cue words and whether the
rules chose it. Every feature is a string, so a weight can be read next to its name."""

from __future__ import annotations

from bisect import bisect_left

from pipeline.document import Document
from pipeline.normalize.regions import get_register
from pipeline.relate.context import DocContext, region_name
from pipeline.relate.facts import NATIONAL, NONE, Decision
from pipeline.relate.rules import (
    GROUPS,
    METRICS,
    NATIONALS,
    SEGMENTS,
    TARGETS,
    chain,
    date_cue,
    is_group,
    last,
    list_region,
    refers_back,
    respective,
    rule_decisions,
    topic,
)

Candidates = list[tuple[str, list[str]]]  # (candidate key, its features)


def _bucket(n: int, edges: tuple[int, ...] = (0, 1, 2, 3, 5, 8, 12, 20, 40)) -> str:
    """A count or distance as the smallest edge it does not exceed (`>40` beyond)."""
    return next((str(edge) for edge in edges if n <= edge), f">{edges[-1]}")


class DocFeatures:
    """The features of one document, computed from one DocContext and the rule decisions
    (which are themselves features)."""

    def __init__(self, doc: Document) -> None:
        self.ctx = ctx = DocContext(doc)
        self.rules: list[Decision] = rule_decisions(ctx)
        self._region_firsts = [m.first for m in ctx.regions]
        self._percent_firsts = [m.first for m in ctx.percents]
        self._date_firsts = [m.first for m in ctx.dates]
        self.names = [region_name(m.entity, doc) for m in ctx.regions]
        top = max(ctx.region_counts.values(), default=0)
        self._main = {name for name, n in ctx.region_counts.items() if n == top}
        self._date_kinds = [date_cue(ctx, d) for d in ctx.dates]
        # region index → whether it heads a `Name (X%)` item of some percent
        self._list_heads = {i for p in ctx.percents if (i := list_region(ctx, p)) is not None}
        self._levels = [ref.level if (ref := get_register().by_name(name)) else "unknown"
                        for name in self.names]
        self._in_list = {i for i in range(len(ctx.regions)) if len(chain(ctx, i)) > 1}
        # word positions of group and national cues, to ask "is one between?" by bisection
        n = len(ctx.words)
        self._groups = [i for i in range(n) if is_group(ctx.words, i, i + 1)]
        self._groups += [m[0] for m in GROUPS.find(ctx.words, 0, n)]
        self._groups.sort()
        self._nationals = [m[0] for m in NATIONALS.find(ctx.words, 0, n)]
        self._same_value: dict[object, set[str]] = {}
        for p, rule in zip(ctx.percents, self.rules, strict=True):
            if rule.date is not None and p.entity.norm is not None:
                self._same_value.setdefault(p.entity.norm, set()).add(rule.date)

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
            between = _bucket(self._between(self._percent_firsts, gap_lo, gap_hi), (0, 1, 2))
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
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        w = ctx.words
        listed = list_region(ctx, p)
        paired = respective(ctx, p)
        rule_names = {self.names[i] for i, m in enumerate(ctx.regions) if m.id in rule.regions}
        s_lo, s_hi = ctx.sentence_bounds(p.sentence)
        lo, hi, a_lo, a_hi = ctx.clause(p)
        in_sentence = any(m.sentence == p.sentence for m in ctx.regions)
        out: Candidates = []
        for i, m in enumerate(ctx.regions):
            before = m.end <= p.first
            gap_lo, gap_hi = (m.end, p.first) if before else (p.end, m.first)
            side = "before" if before else "after"
            same = m.sentence == p.sentence
            sent = _bucket(abs(p.sentence - m.sentence), (0, 1, 2, 4, 8))
            words = _bucket(gap_hi - gap_lo)
            regions_between = _bucket(self._between(self._region_firsts, gap_lo, gap_hi),
                                      (0, 1, 2))
            percents_between = _bucket(self._between(self._percent_firsts, gap_lo, gap_hi),
                                       (0, 1, 2))
            feats = ["M", f"M_side={side}", f"M_sent={sent}", f"M_side_sent={side}|{sent}",
                     f"M_words={side}|{words}", f"M_regions_between={side}|{regions_between}",
                     f"M_percents_between={percents_between}",
                     f"M_level={self._levels[i]}",
                     f"M_prev={w[m.first - 1] if m.first else '<s>'}"]
            if same:
                feats.append(f"M_same|{side}|{regions_between}")
            if listed == i:
                feats.append("M_list_self")
            elif paired == i:
                feats.append("M_respective")
            elif i in self._list_heads:
                feats.append("M_list_other")
            if i in self._in_list:
                feats.append("M_in_list")
            if self.names[i] in self._main:
                feats.append("M_main")
            if m.id in rule.regions:
                feats.append("M_rule")
            elif self.names[i] in rule_names:
                feats.append("M_rule_name")
            if self.names[i] == "Indonesia":
                feats.append("M_country")
            if self._between(self._groups, gap_lo, gap_hi):
                feats.append("M_group_between")
            if self._between(self._nationals, gap_lo, gap_hi):
                feats.append("M_national_between")
            out.append((m.id, feats))
        national = ["N", *(["N_rule"] if NATIONAL in rule.regions else [])]
        national += [f"N_cue={m[2]}" for m in NATIONALS.find(w, lo, hi)]
        national += [f"N_cue_after={m[2]}" for m in NATIONALS.find(w, a_lo, a_hi)]
        national += ["N_sentence_cue"] if NATIONALS.find(w, s_lo, s_hi) else []
        national += [] if in_sentence else ["N_no_region_in_sentence"]
        none = ["Z", *(["Z_rule"] if NONE in rule.regions else [])]
        none += [f"Z_group={m[2]}" for m in GROUPS.find(w, lo, hi)]
        none += ["Z_group_sentence"] if is_group(w, s_lo, s_hi) else []
        none += [] if ctx.regions else ["Z_no_regions"]
        none += [f"Z_target={rule.target}"]
        out += [(NATIONAL, national), (NONE, none)]
        return out

    # ------------------------------------------------------------------ dates

    def dates(self, index: int, previous: str | None) -> Candidates:
        """Every DATE mention and NONE as candidates for the percent's as-of date.
        `previous` is the date chosen for the last earlier figure that has one."""
        ctx, p, rule = self.ctx, self.ctx.percents[index], self.rules[index]
        lo, hi, a_lo, a_hi = ctx.clause(p)
        back = refers_back(ctx, p)
        target = f"target={rule.target}"
        out: Candidates = []
        for j, d in enumerate(ctx.dates):
            kind, cue = self._date_kinds[j]
            before = d.end <= p.first
            gap_lo, gap_hi = (d.end, p.first) if before else (p.end, d.first)
            side = "before" if before else "after"
            sent = _bucket(abs(p.sentence - d.sentence), (0, 1, 2, 4, 8))
            clause = lo <= d.first and d.end <= hi or a_lo <= d.first and d.end <= a_hi
            dates_between = _bucket(self._between(self._date_firsts, gap_lo, gap_hi), (0, 1, 2))
            percents_between = _bucket(self._between(self._percent_firsts, gap_lo, gap_hi),
                                       (0, 1, 2, 4))
            feats = ["D", f"D_kind={kind}", f"D_cue={cue}", f"D_side_sent={side}|{sent}",
                     f"D_kind_sent={kind}|{sent}", f"D_words={side}|{_bucket(gap_hi - gap_lo)}",
                     f"D_dates_between={side}|{dates_between}",
                     f"D_percents_between={percents_between}",
                     f"D_kind_target={kind}|{target}", f"D_shape={_shape(d.entity.norm)}"]
            if clause:
                feats += ["D_clause", f"D_clause_kind={kind}"]
            if d.id == rule.date:
                feats.append("D_rule")
            if d.id == previous:
                feats += ["D_previous", f"D_previous_back={back}|{target}"]
            if d.id in self._same_value.get(p.entity.norm, ()):
                feats.append("D_same_value")
            if d.sentence < 3:
                feats.append("D_early")
            out.append((d.id, feats))
        none = ["Z", target, *(["Z_rule"] if rule.date is None else [])]
        none += [f"Z_back={back}", f"Z_previous={previous is not None}"]
        none += ["Z_no_dates"] if not ctx.dates else []
        out.append((NONE, none))
        return out


def _shape(norm: object) -> str:
    """day / month / year / range / unknown: how precise a date's norm is."""
    if not isinstance(norm, str):
        return "unknown"
    if "/" in norm:
        return "range"
    return {10: "day", 7: "month", 4: "year"}.get(len(norm), "other")
