"""A document read once for the relation step: its words, sentences and entity positions.

Both relaters ask many questions per percent (which words come before it, which region is
nearest); answering them from word indices computed once per document keeps the step
linear in the article's length, which matters over millions of articles.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pipeline.document import Document, Entity
from pipeline.text import sentences, tokenize

Match = tuple[int, int, str]  # first word, end word (exclusive), label
_MEMO_WORDS = 64  # a PhraseTable.find over this many words or more reads a Words' memo


class Words(list[str]):
    """A document's words in cue form, and the phrase matches found in it so far: in a long
    sentence (a one-line table of figures) every percent asks for the cues of the whole
    sentence or of its start, which `PhraseTable.find` then reads once, not once each."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self.runs: dict[tuple[PhraseTable, int], _Run] = {}


class _Run:
    """A phrase table's leftmost-longest matches from word `lo` on with no upper bound, as
    far as word `pos` (where the scan goes on)."""

    __slots__ = ("matches", "starts", "pos")

    def __init__(self, lo: int) -> None:
        self.matches: list[Match] = []
        self.starts: list[int] = []
        self.pos = lo


def cue_form(word: str) -> str:
    """The form a word is compared in: lower-cased, without a trailing `-nya`."""
    word = word.lower()
    return word[:-3] if len(word) > 6 and word.endswith("nya") else word


class PhraseTable:
    """Phrases of cue words mapped to labels, matched leftmost-longest over word lists, so
    `tidak aktif` wins over `aktif`."""

    def __init__(self, phrases: Mapping[str, str] | Iterable[str]) -> None:
        items = phrases.items() if isinstance(phrases, Mapping) else ((p, p) for p in phrases)
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for phrase, label in items:
            words = tuple(cue_form(phrase[s:e]) for s, e in tokenize(phrase))
            self._by_first.setdefault(words[0], []).append((words, label))
        for entries in self._by_first.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def find(self, words: list[str], lo: int, hi: int) -> list[Match]:
        """Non-overlapping matches lying wholly inside words[lo:hi].

        Over many `Words` the matches come from the scan from `lo` without an upper bound,
        kept in the Words: until the scan meets a phrase reaching past `hi` it makes the
        choices a scan bounded by `hi` makes, and from that phrase on the bounded scan is
        run again (a few words)."""
        lo = max(lo, 0)
        runs = getattr(words, "runs", None)
        if runs is None or hi - lo < _MEMO_WORDS or hi > len(words):
            return self._scan(words, lo, hi)
        run = runs.get((self, lo))
        if run is None:
            run = runs[self, lo] = _Run(lo)
        i, n = run.pos, len(words)
        while i < hi:
            for phrase, label in self._by_first.get(words[i], ()):
                if i + len(phrase) <= n and tuple(words[i:i + len(phrase)]) == phrase:
                    run.matches.append((i, i + len(phrase), label))
                    run.starts.append(i)
                    i += len(phrase)
                    break
            else:
                i += 1
        run.pos = i
        k = bisect_left(run.starts, hi)  # the matches starting before hi
        if k and run.matches[k - 1][1] > hi:
            return run.matches[:k - 1] + self._scan(words, run.matches[k - 1][0], hi)
        return run.matches[:k]

    def _scan(self, words: list[str], lo: int, hi: int) -> list[Match]:
        found: list[Match] = []
        i = lo
        while i < hi:
            for phrase, label in self._by_first.get(words[i], ()):
                if i + len(phrase) <= hi and tuple(words[i:i + len(phrase)]) == phrase:
                    found.append((i, i + len(phrase), label))
                    i += len(phrase)
                    break
            else:
                i += 1
        return found


@dataclass(frozen=True)
class Mention:
    """An entity placed among the words: words[first:end] cover it."""

    entity: Entity
    first: int
    end: int
    sentence: int

    @property
    def id(self) -> str:
        return self.entity.id


class DocContext:
    """Words (in cue form), sentences and the REGION, PERCENT and DATE mentions of one
    document, each list in text order."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        spans = tokenize(doc.text)
        self.words = Words(cue_form(doc.text[s:e]) for s, e in spans)
        self._starts = [s for s, _ in spans]
        self.sentence_first = [bisect_left(self._starts, s) for s, _ in sentences(doc.text)]
        placed = sorted((self._place(e) for e in doc.entities), key=lambda m: m.first)
        self.regions = [m for m in placed if m.entity.label == "REGION"]
        self.percents = [m for m in placed if m.entity.label == "PERCENT"]
        self.dates = [m for m in placed if m.entity.label == "DATE"]
        self.region_counts = Counter(region_name(m.entity, doc) for m in self.regions)
        # Indexes for the questions asked per percent, so each costs a bisection or a
        # look-up instead of a scan of the document (each list is in text order).
        self.entities: dict[str, Entity] = {}  # id → entity (the first, as Document.entity)
        for entity in doc.entities:
            self.entities.setdefault(entity.id, entity)
        self.region_firsts = [m.first for m in self.regions]
        self.region_sentences = [m.sentence for m in self.regions]
        self.percent_firsts = [m.first for m in self.percents]
        self.date_firsts = [m.first for m in self.dates]
        self.date_sentences = [m.sentence for m in self.dates]
        self._percent_ends = sorted(m.end for m in self.percents)
        self._region_ending_at: dict[int, int] = {}  # end word → first region ending there
        for i, m in enumerate(self.regions):
            self._region_ending_at.setdefault(m.end, i)
        # the smallest end of the percents from each index on (they are sorted by first word)
        self._percent_min_end = [m.end for m in self.percents]
        for i in range(len(self.percents) - 2, -1, -1):
            self._percent_min_end[i] = min(self._percent_min_end[i], self._percent_min_end[i + 1])
        self._positions: dict[str, list[int]] = {}

    def _place(self, entity: Entity) -> Mention:
        first = bisect_left(self._starts, entity.start)
        end = max(bisect_left(self._starts, entity.end), first + 1)
        return Mention(entity, first, end, self.sentence_of(first))

    def sentence_of(self, word: int) -> int:
        return max(bisect_right(self.sentence_first, word) - 1, 0)

    def sentence_bounds(self, sentence: int) -> tuple[int, int]:
        """First word and end word (exclusive) of a sentence."""
        end = (self.sentence_first[sentence + 1] if sentence + 1 < len(self.sentence_first)
               else len(self.words))
        return self.sentence_first[sentence], end

    def clause(self, percent: Mention) -> tuple[int, int, int, int]:
        """(lo, hi) words before and after a percent within its sentence, each stopping at
        the neighbouring percent: the words that speak of this figure alone."""
        s_lo, s_hi = self.sentence_bounds(percent.sentence)
        # the last percent end at or before the figure, the first percent start after it
        i = bisect_right(self._percent_ends, percent.first) - 1
        before = self._percent_ends[i] if i >= 0 and self._percent_ends[i] >= s_lo else s_lo
        j = bisect_left(self.percent_firsts, percent.end)
        after = (self.percent_firsts[j] if j < len(self.percent_firsts)
                 and self.percent_firsts[j] < s_hi else s_hi)
        return before, percent.first, percent.end, after

    # ------------------------------------------------------------------ look-ups

    def region_ending_at(self, word: int) -> int | None:
        """Index of the first region whose last word ends right before `word`, else None."""
        return self._region_ending_at.get(word)

    def last_region_ending_by(self, word: int) -> int | None:
        """Index of the last region (in text order) that ends at or before `word`."""
        i = bisect_left(self.region_firsts, word) - 1  # later regions start at or after it
        while i >= 0 and self.regions[i].end > word:
            i -= 1
        return i if i >= 0 else None

    def nearest_regions(self, percent: Mention, skip: Callable[[Mention], bool]
                        ) -> tuple[int | None, int | None]:
        """Indices of the last region of the percent's sentence that ends by its first word
        and of the first one that starts at or after its end, passing over the regions
        `skip` names: found by bisection, then a step past each region passed over."""
        sentence = self.regions_in(percent.sentence, percent.sentence)
        before = self.last_region_ending_by(percent.first)
        while before is not None and before >= sentence.start and (
                self.regions[before].end > percent.first or skip(self.regions[before])):
            before -= 1
        after = max(bisect_left(self.region_firsts, percent.end), sentence.start)
        while after < sentence.stop and skip(self.regions[after]):
            after += 1
        return (before if before is not None and before >= sentence.start else None,
                after if after < sentence.stop else None)

    def percent_within(self, lo: int, hi: int) -> bool:
        """Whether some percent lies wholly inside words[lo:hi]."""
        i = bisect_left(self.percent_firsts, lo)
        return i < len(self.percents) and self._percent_min_end[i] <= hi

    def regions_starting(self, lo: int, hi: int) -> range:
        """Indices of the regions whose first word is in [lo, hi)."""
        return range(bisect_left(self.region_firsts, lo), bisect_left(self.region_firsts, hi))

    def percents_starting(self, lo: int, hi: int) -> list[Mention]:
        """The percents whose first word is in [lo, hi)."""
        return self.percents[bisect_left(self.percent_firsts, lo):
                             bisect_left(self.percent_firsts, hi)]

    def count_percents(self, lo: int, hi: int) -> int:
        """How many percents have their first word in [lo, hi)."""
        return max(bisect_left(self.percent_firsts, hi) - bisect_left(self.percent_firsts, lo), 0)

    def regions_in(self, first_sentence: int, last_sentence: int) -> range:
        """Indices of the regions whose sentence is in [first_sentence, last_sentence]."""
        return range(bisect_left(self.region_sentences, first_sentence),
                     bisect_right(self.region_sentences, last_sentence))

    def dates_in(self, sentence: int) -> list[Mention]:
        """The dates of a sentence."""
        return self.dates[bisect_left(self.date_sentences, sentence):
                          bisect_right(self.date_sentences, sentence)]

    def dates_starting(self, lo: int, hi: int) -> list[Mention]:
        """The dates whose first word is in [lo, hi)."""
        return self.dates[bisect_left(self.date_firsts, lo):bisect_left(self.date_firsts, hi)]

    def last_position(self, form: str, lo: int, hi: int) -> int | None:
        """The last word index in [lo, hi) whose cue form is `form`, else None."""
        positions = self._positions.get(form)
        if positions is None:
            positions = self._positions[form] = [i for i, w in enumerate(self.words)
                                                 if w == form]
        i = bisect_left(positions, hi) - 1
        return positions[i] if i >= 0 and positions[i] >= lo else None


def region_name(entity: Entity, doc: Document) -> str:
    """A region's canonical name: its norm, else the mention as written."""
    return str(entity.norm) if entity.norm else doc.mention(entity)
