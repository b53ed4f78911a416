"""The register-and-regex tagger: regions from the register, percents and dates from
patterns, officials from role words. No learning, so it needs no data, runs on any
machine, sets the speed floor, and gives a neural model one rule tag per word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from pipeline.document import Document, Entity
from pipeline.normalize import normalize_entities
from pipeline.normalize.dates import DAY, MONTH, RANGE_DASH, YEAR, parse_date
from pipeline.normalize.percent import GROUPS, MULTIPLIERS, UNIT, UNITS, parse_percent
from pipeline.normalize.regions import get_register

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
# A bare year only after `tahun`/`th`; the year (or range) is group 1.
_YEAR_AFTER_TAHUN = re.compile(
    rf"\b(?:tahun|th\.?)\s+({YEAR}(?:{RANGE_DASH}{YEAR})?)\b(?![.,]?\d)", re.IGNORECASE
)
# `Nomor 18 tahun 2020`, `PP 47 Tahun 2016`: the year is part of a regulation's number.
_REGULATION_NUMBER = re.compile(r"\d+[A-Za-z]?\s*$")

# Role words, longest first; a name after them (or before `, <role>`) is an official's.
ROLES: tuple[str, ...] = (
    "Sekretaris Daerah", "Sekda", "Wakil Bupati", "Wabup", "Bupati", "Wakil Wali Kota",
    "Wakil Walikota", "Wali Kota", "Walikota", "Wawali", "Wakil Gubernur", "Wagub",
    "Gubernur", "Penjabat", "Pj.", "Pj", "Plt.", "Plt", "Plh.", "Plh",
    "Kepala Cabang", "Kepala Dinas", "Kepala Bidang", "Kepala", "Kadinkes", "Kadis", "Kabid",
    "Deputi Direksi", "Deputi", "Direktur Utama", "Dirut", "Direktur", "Menteri", "Menkes",
    "Wakil Menteri", "Wamenkes", "Ketua DPRD", "Ketua DPR", "Ketua", "Wakil Ketua",
    "Anggota DPRD", "Anggota DPR", "Anggota Komisi", "Presiden", "Wakil Presiden", "Wapres",
    "Camat", "Lurah", "Asisten", "Staf Ahli", "Sekretaris", "Koordinator", "Kapolda",
    "Kapolres", "Dandim", "Pimpinan",
)
_ROLE = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(r) for r in sorted(ROLES, key=len, reverse=True))
    + r")(?![\w])"
)
_COMMA_ROLE = re.compile(r",[ \t]*(?=" + _ROLE.pattern + ")")
# Words between a role and the name: the office and its place (`BPJS Kesehatan Cabang`).
_OFFICE_WORD = re.compile(
    r"(?:BPJS|Kesehatan|Ketenagakerjaan|Cabang|Provinsi|Prov\.|Kabupaten|Kab\.|Kota|Daerah|"
    r"Wilayah|Dinas|Dinkes|Kominfo|Sosial|Dinsos|Pemprov|Pemkab|Pemkot|Pemerintah|RSUD|"
    r"Kantor|Direksi|Bidang|Utama|Kedeputian|DPRD|DPR|RI|Komisi|Kementerian|Kemenkes|"
    r"Kemensos|Puskesmas|Rumah|Sakit|Umum|Badan|Penyelenggara|Jaminan|Nasional|"
    r"Perwakilan|Regional|[IVX]{1,5})(?![\w.])|,"
)
_TITLE = re.compile(
    r"(?:dr|Dr|drg|Drs|Dra|Ir|Prof|H|Hj|HM|KH|Gus|apt|Ns|Hajjah|Haji)\.?[ \t]+(?=[A-Z])"
)
_NAME_WORD = re.compile(r"(?:[A-Z]\.[ \t]+)*[A-Z][a-z]+(?:['’-][A-Za-z]+)?(?![\w.])")
_GAP = re.compile(r"[ \t]*")
# Capitalised words that follow a role but are no name (days, headline verbs, offices).
NOT_NAMES: frozenset[str] = frozenset({
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Ahad",
    "Sebut", "Lepas", "Buka", "Minta", "Ajak", "Dorong", "Tinjau", "Resmikan", "Serahkan",
    "Apresiasi", "Hadiri", "Pimpin", "Terima", "Beri", "Berikan", "Harap", "Ingatkan",
    "Tegaskan", "Pastikan", "Dukung", "Gelar", "Kunjungi", "Raih", "Jadi", "Bahas", "Akan",
    "Imbau", "Targetkan", "Sampaikan", "Optimis", "Klaim", "Saat", "Bersama", "Dan",
    "Dalam", "Pada", "Untuk", "Kami", "Yang", "Ini", "Itu", "Juga", "Universal", "Health",
    "Berprestasi", "Terbaik", "Terpilih", "Baru", "Lama", "Definitif",
})
_NOT_OFFICIAL_BEFORE = re.compile(r"(?:Reporter|Editor|Penulis|Pewarta|Foto)\s*:?\s*$",
                                  re.IGNORECASE)
_NAME_BEFORE = re.compile(
    r"(?<![\w.])(?:[A-Z]\.[ \t]+)*[A-Z][a-z]+(?:['’-][A-Za-z]+)?"
    r"(?:[ \t]+(?:[A-Z]\.[ \t]+)*[A-Z][a-z]+(?:['’-][A-Za-z]+)?){0,3}$"
)
_SPEECH_BEFORE = re.compile(r"\b(?:kata|ujar|ungkap|jelas|tutur|tegas|sebut|oleh|menurut)\s+$")


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
        found += _officials(text, regions)
        return _without_overlaps(found)


def _dates(text: str) -> list[tuple[int, int, str]]:
    spans = [(m.start(), m.end(), "DATE") for m in _DATE.finditer(text)
             if parse_date(m.group()) is not None]
    for match in _YEAR_AFTER_TAHUN.finditer(text):
        if not _REGULATION_NUMBER.search(text[max(0, match.start() - 12):match.start()]):
            spans.append((match.start(1), match.end(1), "DATE"))
    return spans


def _officials(text: str, regions: list[Span]) -> list[tuple[int, int, str]]:
    region_ends = {s: e for s, e in regions}
    names: list[Span] = []
    for role in _ROLE.finditer(text):
        name = _name_after(text, _skip_office(text, role.end(), region_ends), region_ends)
        if name:
            names.append(name)
    for match in _COMMA_ROLE.finditer(text):
        name = _name_before(text, match.start())
        if name:
            names.append(name)
    names = [n for n in names if not _NOT_OFFICIAL_BEFORE.search(text[max(0, n[0] - 12):n[0]])]
    return [(s, e, "OFFICIAL") for s, e in names] + _short_mentions(text, names)


def _skip_office(text: str, pos: int, region_ends: dict[int, int]) -> int:
    """Position after the office words and places that follow a role (at most eight)."""
    for _ in range(8):
        gap = _GAP.match(text, pos).end()
        if gap in region_ends:
            pos = region_ends[gap]
            continue
        office = _OFFICE_WORD.match(text, gap)
        if not office:
            break
        pos = office.end()
    return pos


def _name_after(text: str, pos: int, region_ends: dict[int, int]) -> Span | None:
    pos = _GAP.match(text, pos).end()
    title = _TITLE.match(text, pos)
    while title:
        pos = title.end()
        title = _TITLE.match(text, pos)
    start = end = pos
    for _ in range(4):
        word = _NAME_WORD.match(text, _GAP.match(text, end).end() if end > start else end)
        if not word or word.start() in region_ends or word.group().split()[-1] in NOT_NAMES:
            break
        end = word.end()
    return (start, end) if end > start else None


def _name_before(text: str, comma: int) -> Span | None:
    """`kata Abdul Hafidz, Bupati …`: the capitalised words that end at the comma."""
    window_start = max(0, comma - 60)
    match = _NAME_BEFORE.search(text, window_start, comma)
    if not match or match.group().split()[0] in NOT_NAMES:
        return None
    before = text[window_start:match.start()]
    if len(match.group().split()) < 2 and not _SPEECH_BEFORE.search(before):
        return None
    return match.span()


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
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(
        re.escape(p).replace(r"\ ", r"[ \t]+") for p in sorted(parts, key=len, reverse=True)
    ) + r")(?![\w])")
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
