"""The register-and-regex tagger: regions from the register, percents and dates from
patterns, officials from role words. No learning, so it needs no data, runs on any
machine, sets the speed floor, and gives a neural model one rule tag per word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace

from pipeline.document import Document, Entity
from pipeline.ner.offices import (
    NOT_A_PERSON_BEFORE,
    NOT_NAMES,
    OFFICE_NOUN,
    OFFICE_WORDS,
    ROLES,
    TITLES,
)
from pipeline.normalize import normalize_entities
from pipeline.normalize.dates import DAY, MONTH, RANGE_DASH, WEEKDAYS, YEAR, parse_date
from pipeline.normalize.percent import GROUPS, MULTIPLIERS, UNIT, UNITS, parse_percent
from pipeline.normalize.regions import get_register, longest_known, trie_pattern

Span = tuple[int, int]

_NUMBER_WORD = "|".join(sorted([*UNITS, *GROUPS, *MULTIPLIERS, "koma"], key=len, reverse=True))
_PERCENT = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d{{1,3}}, \d{{1,2}}|\d+(?:[.,]\d+)?)"
    rf"\s?{UNIT}"
    rf"|\b(?:(?:{_NUMBER_WORD})\s+)+{UNIT}",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"(?<![\w/.-])(?:{YEAR}-\d{{2}}-\d{{2}}|\d{{1,2}}([/.-])\d{{1,2}}\1{YEAR})(?![\w/-])"
    rf"|(?<![\w,.])\b(?:{DAY}\s+{MONTH}(?:\s*,?\s*{YEAR}\b)?"
    rf"|{MONTH}\s+{DAY},?\s+{YEAR}\b|{MONTH}\s*,?\s*{YEAR}\b)",
    re.IGNORECASE,
)
# `Rabu (14/5)`, `Jumat, (07/03)`: a day and month without the year, in parentheses after a
# weekday (the news-agency dateline). The date is group 1; elsewhere `8/8` may be a ratio.
_WEEKDAY_DAY_MONTH = re.compile(
    r"\b(?:" + "|".join(WEEKDAYS) + rf")\s*,?\s*\(\s*({DAY}/\d{{1,2}})\s*\)", re.IGNORECASE
)
# `semester II tahun 2024`: a half-year, which is no calendar date (like a quarter).
_SEMESTER_BEFORE = re.compile(r"\bsemester\s+(?:I{1,2}|[12]|satu|dua|ganjil|genap)\s*$",
                              re.IGNORECASE)
# A bare year only after `tahun`/`th`; the year (or range) is group 1.
_YEAR_AFTER_TAHUN = re.compile(
    rf"\b(?:tahun|th\.?)\s+({YEAR}(?:{RANGE_DASH}{YEAR})?)\b(?![.,]?\d)", re.IGNORECASE
)
# `Nomor 18 tahun 2020`, `PP 47 Tahun 2016`: the year is part of a regulation's number.
_REGULATION_NUMBER = re.compile(r"\d+[A-Za-z]?\s*$")

_ROLE = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(r) for r in sorted(ROLES, key=len, reverse=True))
    + r")(?![\w])"
)
_ROLE_AFTER = re.compile(r"[ \t]*(?:,[ \t]*|\([ \t]*)(?=" + _ROLE.pattern + ")")
_TITLE = re.compile(
    r"(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
    + r")\.?,?[ \t]+(?=[A-Z])"
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*|&|\((?:[^()\n]{1,30})\)|,")
# A name word: capitalised (`Ma’ruf`), or an initial with or without its dot (`K.`, `A`,
# `SF`) when a capitalised word follows.
_NAME_WORD = re.compile(
    r"(?:[A-Z]\.?[ \t]+|[A-Z]{2}[ \t]+(?=[A-Z][a-z]))*[A-Z][a-z]+(?:['’-][A-Za-z]+)?(?!\w|\.\w)"
)
_GAP = re.compile(r"[ \t]*")
_NOT_OFFICIAL_BEFORE = re.compile(r"(?:Reporter|Editor|Penulis|Pewarta|Foto)\s*:?\s*$",
                                  re.IGNORECASE)
_NAME_BEFORE = re.compile(
    r"(?<![\w.])(?:[A-Z]\.?[ \t]+)*[A-Z][a-z]+(?:['’-][A-Za-z]+)?"
    r"(?:[ \t]+(?:[A-Z]\.?[ \t]+)*[A-Z][a-z]+(?:['’-][A-Za-z]+)?){0,3}$"
)
_SPEECH_BEFORE = re.compile(
    r"\b(?:kata|ujar|ucap|ungkap|jelas|tutur|tegas|terang|sebut|oleh|menurut|pula)\s+$")


class RuleTagger:
    """Tags REGION, PERCENT, DATE and OFFICIAL mentions by register look-up and patterns."""

    def __init__(self) -> None:
        self._register = get_register()

    def tag(self, text: str) -> list[Entity]:
        """Non-overlapping entities in text order, norms filled, score 1.0."""
        spans = self.spans(text)
        entities = [Entity(id=f"T{i}", start=s, end=e, label=label, score=1.0)
                    for i, (s, e, label) in enumerate(spans, 1)]
        normalize_entities(Document(id="", text=text, entities=entities))
        return entities

    def predict_batch(self, docs: list[Document]) -> list[Document]:
        """New documents with the same id, text and meta, entities tagged, no facts."""
        return [replace(doc, meta=dict(doc.meta), entities=self.tag(doc.text), facts=[])
                for doc in docs]

    def rule_features(self, text: str, spans: list[Span],
                      mentions: list[tuple[int, int, str]] | None = None) -> list[str]:
        """The rule tag of each word span in IOB2 (`B-REGION`, `I-REGION`, … `O`), or `ROLE`
        for a role word, so a model sees where the rules put each boundary. `mentions` are
        this text's `spans()` when the caller already has them."""
        found = self.spans(text) if mentions is None else mentions
        tagged = sorted([*found, *((m.start(), m.end(), "ROLE")
                                               for m in _ROLE.finditer(text))])
        starts = [s for s, _e, _label in tagged]
        out = []
        previous: tuple[int, int, str] | None = None
        for start, end in spans:
            i = bisect.bisect_right(starts, start) - 1
            hit = next((t for t in tagged[max(i - 1, 0):i + 2] if t[0] < end and start < t[1]),
                       None)
            if hit is None:
                out.append("O")
            elif hit[2] == "ROLE":
                out.append("ROLE")
            else:
                out.append(("I-" if hit == previous else "B-") + hit[2])
            previous = hit
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of every mention, non-overlapping, in text order."""
        found: list[tuple[int, int, str]] = []
        found += [(m.start(), m.end(), "PERCENT") for m in _PERCENT.finditer(text)
                  if parse_percent(m.group()) is not None]
        found += _dates(text)
        regions = self._register.find_mentions(text)
        found += [(s, e, "REGION") for s, e in regions]
        found += _officials(text, regions, self._register.candidates)
        return _without_overlaps(found)


def _dates(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), "DATE") for m in _DATE.finditer(text)
             if parse_date(m.group()) is not None]
    for match in _YEAR_AFTER_TAHUN.finditer(text):
        before = text[max(0, match.start() - 20):match.start()]
        if not (_REGULATION_NUMBER.search(before[-12:]) or _SEMESTER_BEFORE.search(before)):
            spans.append((match.start(1), match.end(1), "DATE"))
    spans += [(m.start(1), m.end(1), "DATE") for m in _WEEKDAY_DAY_MONTH.finditer(text)
              if parse_date(m.group(1)) is not None]
    return spans


def _officials(text: str, regions: list[Span],
               known_place: Callable[[str], object]) -> list[tuple[int, int, str]]:
    region_ends = {s: e for s, e in regions}
    names: list[Span] = []
    for role in _ROLE.finditer(text):
        if NOT_A_PERSON_BEFORE.search(text, max(0, role.start() - 20), role.start()):
            continue
        office_end = _skip_office(text, role.end(), region_ends, known_place)
        name = _name_after(text, office_end, region_ends)
        if name:
            names.append(name)
    for match in _ROLE_AFTER.finditer(text):
        name = _name_before(text, match.start(), region_ends)
        if name:
            names.append(name)
    names = [n for n in names if not _NOT_OFFICIAL_BEFORE.search(text[max(0, n[0] - 12):n[0]])]
    return [(s, e, "OFFICIAL") for s, e in names] + _short_mentions(text, names)


def is_office_word(word: str) -> bool:
    """A word that belongs to an office's name rather than to a person's."""
    return (word.lower() in OFFICE_WORDS or bool(OFFICE_NOUN.fullmatch(word))
            or (word.isupper() and len(word) >= 3) or bool(re.fullmatch(r"[IVX]{1,5}", word)))


def _skip_office(text: str, pos: int, region_ends: dict[int, int],
                 known_place: Callable[[str], object]) -> int:
    """Position after the office that follows a role: office words, further roles, places,
    short bracketed asides (`(Pj)`, `(Dinkes)`), commas, and `dan`/`&` between two of
    them (`Pemerintahan dan Kesra`) — at most sixteen steps."""
    previous = ""
    for _ in range(16):
        gap = _GAP.match(text, pos).end()
        if gap in region_ends:
            pos, previous = region_ends[gap], ""
            continue
        role = _ROLE.match(text, gap)
        if role:
            pos, previous = role.end(), ""
            continue
        word = _WORD.match(text, gap)
        if not word:
            break
        token = word.group()
        if previous == "wilayah" and token[0].isupper():
            # A BPJS division (`Wilayah Sumut dan Aceh`) is no REGION, so its places
            # are looked up here: the longest run of words the register knows, else one word.
            pos = longest_known(text, gap, known_place) or word.end()
            following = _WORD.match(text, _GAP.match(text, pos).end())
            if following and following.group() in ("dan", "&"):
                pos = following.end()  # `… dan Papua Barat`: another place of the division
                continue
            previous = ""
            continue
        if token in ("dan", "&"):
            after = _GAP.match(text, word.end()).end()
            following = _WORD.match(text, after)
            if not (after in region_ends or (following and is_office_word(following.group()))):
                break
        elif not (token == "," or token.startswith("(") or is_office_word(token)):
            break
        pos, previous = word.end(), token.lower()
    return pos


def _is_name_word(word: str) -> bool:
    last = word.split()[-1]
    return not (last in NOT_NAMES or _ROLE.fullmatch(last) or is_office_word(last)
                or last.endswith(("kan", "nya")))


def _name_after(text: str, pos: int, region_ends: dict[int, int]) -> Span | None:
    pos = _GAP.match(text, pos).end()
    if text.startswith(",", pos):
        pos = _GAP.match(text, pos + 1).end()
    title = _TITLE.match(text, pos)
    while title:
        pos = title.end()
        title = _TITLE.match(text, pos)
    start = end = pos
    for _ in range(4):
        word = _NAME_WORD.match(text, _GAP.match(text, end).end() if end > start else end)
        if not word or word.start() in region_ends or not _is_name_word(word.group()):
            break
        end = word.end()
    return (start, end) if end > start else None


def _name_before(text: str, role_at: int, region_ends: dict[int, int]) -> Span | None:
    """`kata Abdul Hafidz, Bupati …`, `hadir Ernansyah Desri (Kepala …)`: the capitalised
    words that end where the role's comma or bracket starts."""
    window_start = max(0, role_at - 60)
    match = _NAME_BEFORE.search(text, window_start, role_at)
    if not match:
        return None
    words = list(re.finditer(r"\S+", match.group()))
    # Leading words that are offices or places belong to the sentence, not to the name.
    while words and (not _is_name_word(words[0].group())
                     or match.start() + words[0].start() in region_ends):
        words.pop(0)
    if not words:
        return None
    start = match.start() + words[0].start()
    before = text[window_start:start]
    if len(words) < 2 and not _SPEECH_BEFORE.search(before):
        return None
    return start, match.end()


def _short_mentions(text: str, names: list[Span]) -> list[tuple[int, int, str]]:
    """Later mentions by part of a found name (`Hindro`, `Hilman`), whole words only."""
    parts: set[str] = set()
    for start, end in names:
        words = text[start:end].split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                part = " ".join(words[i:j])
                if len(part) >= 3 and not part.endswith("."):
                    parts.add(part)
    if not parts:
        return []
    # one trie over the parts, so a long article with many names is still read once
    pattern = re.compile(r"(?<![\w.])(?:" + trie_pattern(sorted(parts)) + r")(?![\w])")
    return [(m.start(), m.end(), "OFFICIAL") for m in pattern.finditer(text)]


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep the longest of overlapping spans (the earlier one, then the non-OFFICIAL one, on a
    tie: a word that is a place is rarely also a short form of a name), in text order.
    Kept spans never overlap, so one neighbour look-up per candidate settles it."""
    kept: list[tuple[int, int, str]] = []
    for span in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], s[2] == "OFFICIAL")):
        start, end, _label = span
        i = bisect.bisect_left(kept, (end,))
        if i and kept[i - 1][1] > start:
            continue
        kept.insert(i, span)
    return kept
