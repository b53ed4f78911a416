"""The rule relater: every field of a fact from cue words and distances, transparently.

It is the baseline the learned relater is measured against, and its decisions are features
of that relater. Each rule reads the percent's clause (the words of its sentence up to the
neighbouring percents), so a sentence listing several figures gives each its own cues.
"""

from __future__ import annotations

from pipeline.document import Document, Fact
from pipeline.relate import cues
from pipeline.relate.context import DocContext, Match, Mention, PhraseTable
from pipeline.relate.facts import NATIONAL, NONE, Decision, build_facts

METRICS = PhraseTable(cues.METRIC_CUES)
WEAK_METRICS = PhraseTable(cues.WEAK_METRIC_CUES)
TARGETS = PhraseTable(cues.TARGET_CUES)
SEGMENTS = PhraseTable(cues.SEGMENT_CUES)
NATIONALS = PhraseTable(cues.NATIONAL_CUES)
GROUPS = PhraseTable(cues.GROUP_CUES)
CARRIES = PhraseTable(cues.CARRY_CUES)
CONTINUES = PhraseTable(cues.CONTINUATION_CUES)
COMPLEMENTS = PhraseTable(cues.COMPLEMENT_CUES)
SEGMENT_SHARES = PhraseTable(cues.SEGMENT_SHARE_CUES)
BELOW = PhraseTable(cues.BELOW_CUES)
_COMPLEMENT_REACH = 6  # words after a percent in which a complement cue names it

_TARGET_REACH = 12  # words before a percent in which a target cue counts
_AFTER_REACH = 3  # words after a percent in which a cue still speaks of it


def last(matches: list[Match]) -> str | None:
    return matches[-1][2] if matches else None


def first(matches: list[Match]) -> str | None:
    return matches[0][2] if matches else None


def topic(ctx: DocContext, percent: Mention) -> str | None:
    """The last strong metric cue of the sentence before the figure's: figures listed after
    a lead-in ("merinci keaktifan kabupaten per 31 Mei 2024. Teluk Bintuni 86,15%, …", or
    one per line) keep the topic the lead-in named."""
    if percent.sentence == 0:
        return None
    return last(METRICS.find(ctx.words, *ctx.sentence_bounds(percent.sentence - 1)))


def metric_rule(ctx: DocContext, percent: Mention, inherited: str | None) -> str:
    """The nearest strong cue before the figure in its clause, else right after it, else the
    previous figure's metric in the sentence, else a strong cue earlier in the sentence, else
    a weak cue in the sentence, else the previous sentence's topic, else coverage."""
    lo, hi, a_lo, a_hi = ctx.clause(percent)
    s_lo, s_hi = ctx.sentence_bounds(percent.sentence)
    w = ctx.words
    return (first(COMPLEMENTS.find(w, a_lo, min(a_hi, a_lo + _COMPLEMENT_REACH)))
            or last(METRICS.find(w, lo, hi)) or last(WEAK_METRICS.find(w, lo, hi))
            or first(METRICS.find(w, a_lo, a_hi)) or inherited
            or last(METRICS.find(w, s_lo, lo)) or last(WEAK_METRICS.find(w, s_lo, s_hi))
            or topic(ctx, percent) or "coverage")


def segment_share(ctx: DocContext, percent: Mention, metric: str, segment: str | None) -> str:
    """A segment's figure read as coverage, in a sentence about how participants divide
    into segments (or right after such a lead-in: the search starts one word early, at the
    previous sentence's last word), is that segment's share of them (`other`) — unless
    its own clause names coverage. Other metrics pass through."""
    if segment is None or metric != "coverage":
        return metric
    s_lo, s_hi = ctx.sentence_bounds(percent.sentence)
    lo, hi, _, _ = ctx.clause(percent)
    named_coverage = any(label == "coverage" for _, _, label in METRICS.find(ctx.words, lo, hi))
    shares = SEGMENT_SHARES.find(ctx.words, max(0, s_lo - 1), s_hi)
    return "other" if shares and not named_coverage else metric


def target_rule(ctx: DocContext, percent: Mention) -> bool:
    lo, hi, a_lo, a_hi = ctx.clause(percent)
    found = (TARGETS.find(ctx.words, max(lo, hi - _TARGET_REACH), hi)
             + TARGETS.find(ctx.words, a_lo, min(a_hi, a_lo + _AFTER_REACH)))
    return (any(not reached(ctx.words, start) for start, _end, _cue in found)
            or bar_for_regions(ctx, percent))


def reached(words: list[str], cue_start: int) -> bool:
    """`sudah mencapai target …`, `Lampaui Target`: the target was reached, so the figure
    is the measured one (but `belum mencapai target 98 persen` names the bar)."""
    before = words[max(0, cue_start - 3):cue_start]
    return (bool(before) and before[-1] in cues.REACHED
            and not any(word in cues.NOT_YET for word in before))


def bar_for_regions(ctx: DocContext, percent: Mention) -> bool:
    """`yang di bawah 70 persen`, `di bawah 80 persen, yakni A, B`: regions compared with a
    bar, which makes the figure a threshold."""
    lo, hi, _, _ = ctx.clause(percent)
    below = BELOW.find(ctx.words, max(lo, hi - 4), hi)
    if not below:
        return False
    start = below[-1][0]
    return (start > 0 and ctx.words[start - 1] == "yang") or listed_after(ctx, percent) is not None


def paired_with(ctx: DocContext, previous: Mention, percent: Mention) -> bool:
    """`target 98 persen dan tingkat keaktifan 75 persen`: a figure joined to the one before
    it by `dan`/`serta` with only a few words between shares its target flag."""
    gap = ctx.words[previous.end:percent.first]
    return (previous.sentence == percent.sentence and len(gap) <= 5
            and any(word in ("dan", "serta") for word in gap))


def segment_rule(ctx: DocContext, percent: Mention) -> str | None:
    lo, hi, a_lo, a_hi = ctx.clause(percent)
    return (last(SEGMENTS.find(ctx.words, lo, hi))
            or first(SEGMENTS.find(ctx.words, a_lo, min(a_hi, a_lo + _AFTER_REACH))))


# ----------------------------------------------------------------------------- regions

def list_region(ctx: DocContext, percent: Mention) -> int | None:
    """Index of the region a `Name (X%)` list item names, else None."""
    if percent.first == 0 or ctx.words[percent.first - 1] != "(":
        return None
    return ctx.region_ending_at(percent.first - 1)


def _joined(ctx: DocContext, a: Mention, b: Mention) -> bool:
    """Whether two region mentions are items of one list (`A, B dan C`, `A (x%) dan B`)."""
    if a.sentence != b.sentence:
        return False
    gap = ctx.words[a.end:b.first]
    if gap and gap[0] == "(" and ")" in gap:
        close = gap.index(")")
        if ctx.percent_within(a.end, a.end + close):
            gap = gap[close + 1:]
    return (bool(gap) and all(word in cues.LIST_JOINERS for word in gap)
            and any(word in cues.LIST_SEPARATORS for word in gap)
            and not _apposition(a, b))


def _apposition(a: Mention, b: Mention) -> bool:
    """`Kabupaten Bone, Sulawesi Selatan` (or the province first): a place next to the
    province holding it is one place, not a list of two."""
    return b.first - a.end <= 2 and (_holds(a, b) or _holds(b, a))


def _holds(outer: Mention, inner: Mention) -> bool:
    """Whether the region `outer` contains `inner`, by their Kemendagri codes."""
    codes = outer.entity.code, inner.entity.code
    return all(codes) and codes[1].startswith(codes[0] + ".")


def chain(ctx: DocContext, index: int) -> list[int]:
    """The region indices of the list the region at `index` belongs to (itself alone when
    it is in none)."""
    lo = hi = index
    while lo > 0 and _joined(ctx, ctx.regions[lo - 1], ctx.regions[lo]):
        lo -= 1
    while hi + 1 < len(ctx.regions) and _joined(ctx, ctx.regions[hi], ctx.regions[hi + 1]):
        hi += 1
    return list(range(lo, hi + 1))


def nearest_regions(ctx: DocContext, percent: Mention) -> tuple[int | None, int | None]:
    """Indices of the nearest region mention before the percent in its sentence and of the
    nearest one after it in its sentence."""
    return ctx.nearest_regions(percent, skip=lambda m: event_place(ctx, m))


def event_place(ctx: DocContext, region: Mention) -> bool:
    """`kata Kepala Cabang di Ternate, Jumat`: where something was said, not what a figure is
    about."""
    after = ctx.words[region.end:region.end + 2]
    return bool(after) and (after[0] in cues.WEEKDAYS
                            or (after[0] == "," and after[1:2] and after[1] in cues.WEEKDAYS))


def national_cues(words: list[str], lo: int, hi: int) -> list[Match]:
    """National cues, without the `Nasional` of the programme's own name (`Jaminan
    Kesehatan Nasional`)."""
    return [m for m in NATIONALS.find(words, lo, hi) if m[0] == 0 or words[m[0] - 1] != "kesehatan"]


def listed_after(ctx: DocContext, percent: Mention) -> list[int] | None:
    """`di bawah 80 persen, yakni A, B dan C`: the regions of a list
    introduced by `yakni`/`yaitu` right after the figure."""
    _, _, a_lo, a_hi = ctx.clause(percent)
    i = a_lo
    while i < a_hi and ctx.words[i] in cues.DASHES:
        i += 1
    if i >= a_hi or ctx.words[i] not in cues.LIST_OPENERS:
        return None
    head = next((k for k in ctx.regions_starting(i + 1, i + 4)
                 if ctx.regions[k].sentence == percent.sentence), None)
    if head is None:
        return None
    members = chain(ctx, head)
    end = ctx.regions[members[-1]].end
    if ctx.percents_starting(i + 1, end):
        return None  # `… yaitu Murung Raya (118,09%), …`: each member has its own figure
    return members


def is_group(words: list[str], lo: int, hi: int) -> bool:
    """A group of regions is named in words[lo:hi] (`kabupaten/kota`, `8 kabupaten`)."""
    if GROUPS.find(words, lo, hi):
        return True
    return any(words[i] in cues.GROUP_NOUNS
               and (words[i - 1].isdigit() or words[i - 1] in cues.NUMBER_WORDS)
               for i in range(max(lo, 1), hi))


def respective(ctx: DocContext, percent: Mention) -> int | None:
    """The region index paired with the figure by `masing-masing` ("Kaur dan Mukomuko
    masing-masing 91,2 persen dan 93,65 persen"): the i-th figure after the word goes with
    the i-th region of the list before it."""
    s_lo, s_hi = ctx.sentence_bounds(percent.sentence)
    at = ctx.last_position("masing", s_lo, percent.first)
    earlier = ctx.last_region_ending_by(at) if at is not None else None
    if earlier is None or ctx.regions[earlier].sentence < percent.sentence - 1:
        return None
    members = chain(ctx, earlier)
    figures = ctx.percents_starting(at + 1, s_hi)
    if len(members) < 2 or len(figures) != len(members):
        return None
    return members[figures.index(percent)]


def region_rule(ctx: DocContext, percent: Mention, target: bool = False) -> list[str]:
    listed = list_region(ctx, percent)
    if listed is None:
        listed = respective(ctx, percent)
    if listed is not None:
        return [ctx.regions[listed].id]
    following = listed_after(ctx, percent)
    if following is not None and (target or len(following) > 1):
        return [ctx.regions[i].id for i in following]
    before, after = nearest_regions(ctx, percent)
    s_lo, _ = ctx.sentence_bounds(percent.sentence)
    lo = ctx.regions[before].end if before is not None else s_lo
    _, _, a_lo, a_hi = ctx.clause(percent)
    a_end = min(a_hi, a_lo + _AFTER_REACH)
    w = ctx.words
    if is_group(w, lo, percent.first):
        return [NONE]
    # A national bar held against a region named before it in the sentence is that
    # region's target (`cakupan Subang nyaris menyentuh target nasional 98%`).
    measured_against = target and before is not None
    if not measured_against and (national_cues(w, lo, percent.first)
                                 or national_cues(w, a_lo, a_end)):
        return [NATIONAL]
    anchor = before if before is not None else after
    if (anchor is not None and anchor > 0
            and _apposition(ctx.regions[anchor - 1], ctx.regions[anchor])
            and _holds(ctx.regions[anchor], ctx.regions[anchor - 1])):
        anchor -= 1  # `Kabupaten Bone, Sulawesi Selatan, …`: the place, not its province
    if anchor is not None:
        return [ctx.regions[i].id for i in chain(ctx, anchor)]
    last_before = ctx.last_region_ending_by(percent.first)
    return [ctx.regions[last_before].id] if last_before is not None else [NONE]


# ----------------------------------------------------------------------------- dates

def date_cue(ctx: DocContext, date: Mention) -> tuple[str, str]:
    """(kind, cue word) of a date from the words before it in its sentence: kind `asof`
    (sampai, per, periode …), `event` (a weekday, parentheses, `pada`), `year` (after
    `tahun`), or `other`."""
    s_lo, _ = ctx.sentence_bounds(date.sentence)
    i = date.first - 1
    if i >= s_lo and ctx.words[i] == "(":
        return "event", "("
    saw_year = False
    while i >= s_lo and ctx.words[i] in cues.DATE_CUE_SKIP:
        saw_year = saw_year or ctx.words[i] in ("tahun", "th")
        i -= 1
    word = ctx.words[i] if i >= s_lo else "<s>"
    if saw_year:
        return "year", word
    if word in cues.ASOF_CUES:
        return "asof", word
    if word in cues.EVENT_CUES:
        return "event", word
    return "other", word


def own_clause_date(ctx: DocContext, percent: Mention, kinds: dict[str, str]) -> str | None:
    """The nearest date inside the figure's clause that is not an event's."""
    lo, hi, a_lo, a_hi = ctx.clause(percent)
    inside = [d for d in ctx.dates_starting(lo, a_hi)
              if kinds[d.id] != "event" and (lo <= d.first and d.end <= hi
                                            or a_lo <= d.first and d.end <= a_hi)]
    return min(inside, key=lambda d: abs(d.first - percent.first)).id if inside else None


def sentence_date(ctx: DocContext, percent: Mention, kinds: dict[str, str]) -> str | None:
    """The nearest as-of date anywhere in the figure's sentence."""
    inside = [d for d in ctx.dates_in(percent.sentence) if kinds[d.id] == "asof"]
    return min(inside, key=lambda d: abs(d.first - percent.first)).id if inside else None


def refers_back(ctx: DocContext, percent: Mention) -> bool:
    """The sentence points back at an earlier dated figure (`per tanggal yang sama`) or
    continues it (`Artinya …`)."""
    s_lo, s_hi = ctx.sentence_bounds(percent.sentence)
    return bool(CARRIES.find(ctx.words, s_lo, s_hi) or CONTINUES.find(ctx.words, s_lo, s_lo + 3))


def date_rule(ctx: DocContext, targets: list[bool]) -> list[str | None]:
    """The as-of date of each percent: in its clause; else the date of the same value
    stated elsewhere (a headline restating the body); else elsewhere in its sentence; else
    the previous dated figure's when the sentence refers back; else none."""
    kinds = {d.id: date_cue(ctx, d)[0] for d in ctx.dates}
    own = [own_clause_date(ctx, p, kinds) for p in ctx.percents]
    # A measured value restated elsewhere (a headline) shares its date; a target's deadline
    # never dates a measured figure of the same value (`target 95 persen Januari 2019`).
    dated_values = {}
    for p, d, target in zip(ctx.percents, own, targets, strict=True):
        if d is not None and p.entity.norm is not None and not target:
            dated_values.setdefault(p.entity.norm, d)
    result: list[str | None] = []
    previous: str | None = None
    for p, d, target in zip(ctx.percents, own, targets, strict=True):
        restated = None if target else dated_values.get(p.entity.norm)
        date = (d or restated or sentence_date(ctx, p, kinds)
                or (previous if not target or refers_back(ctx, p) else None))
        result.append(date)
        if not target:
            previous = date or previous
    return result


def rule_decisions(ctx: DocContext) -> list[Decision]:
    """One decision per percent of the document, in text order."""
    decisions: list[Decision] = []
    inherited: dict[int, str] = {}  # sentence → metric of its last figure
    previous: Mention | None = None
    for p in ctx.percents:
        metric = metric_rule(ctx, p, inherited.get(p.sentence))
        inherited[p.sentence] = metric
        segment = segment_rule(ctx, p)
        target = target_rule(ctx, p) or (previous is not None and decisions[-1].target
                                         and paired_with(ctx, previous, p))
        decisions.append(Decision(segment_share(ctx, p, metric, segment), target, segment,
                                  region_rule(ctx, p, target), None))
        previous = p
    for decision, date in zip(decisions, date_rule(ctx, [d.target for d in decisions]),
                              strict=True):
        decision.date = date
    return decisions


class RuleRelater:
    """Facts from cue-word rules; no training. Facts carry no score (rules have no
    calibrated confidence)."""

    def relate(self, doc: Document) -> list[Fact]:
        ctx = DocContext(doc)
        return [fact for p, decision in zip(ctx.percents, rule_decisions(ctx), strict=True)
                for fact in build_facts(ctx, p, decision)]

