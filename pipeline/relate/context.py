"""A document read once for the relation step: its words, sentences and entity positions.

Both relaters ask many questions per percent (which words come before it, which region is
nearest); answering them from word indices computed once per document keeps the step
linear in the article's length, which matters over millions of articles.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipeline.document import Document, Entity
from pipeline.text import sentences, tokenize

Match = tuple[int, int, str]  # first word, end word (exclusive), label


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
        """Non-overlapping matches lying wholly inside words[lo:hi]."""
        found: list[Match] = []
        i = max(lo, 0)
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
        self.words = [cue_form(doc.text[s:e]) for s, e in spans]
        self._starts = [s for s, _ in spans]
        self.sentence_first = [bisect_left(self._starts, s) for s, _ in sentences(doc.text)]
        placed = sorted((self._place(e) for e in doc.entities), key=lambda m: m.first)
        self.regions = [m for m in placed if m.entity.label == "REGION"]
        self.percents = [m for m in placed if m.entity.label == "PERCENT"]
        self.dates = [m for m in placed if m.entity.label == "DATE"]
        self.region_counts = Counter(region_name(m.entity, doc) for m in self.regions)

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
        before = [m.end for m in self.percents if s_lo <= m.end <= percent.first]
        after = [m.first for m in self.percents if percent.end <= m.first < s_hi]
        return (max(before, default=s_lo), percent.first, percent.end, min(after, default=s_hi))


def region_name(entity: Entity, doc: Document) -> str:
    """A region's canonical name: its norm, else the mention as written."""
    return str(entity.norm) if entity.norm else doc.mention(entity)
