"""Mention replacement: new training documents from annotated ones.

Five seeds and a few dozen authored articles name a few dozen regions and officials; the
product meets all 552 regions of the register and any name. Each augmented copy swaps
every region for another of the same level (consistently within the document), every
official for a new name (short forms follow), and re-renders every percentage and date in
another surface form the normalisers accept — so the model learns contexts, not strings.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.document import Document, Entity, Fact
from pipeline.ner.names import FIRST_NAMES, LAST_NAMES
from pipeline.normalize import normalize_entities
from pipeline.normalize.aliases import ALIASES
from pipeline.normalize.regions import get_register

_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                 "Des")


@dataclass(frozen=True)
class RegionPools:
    """Surface names by level: provinces (full names and aliases), regencies, cities."""

    provinces: Sequence[str]
    regencies: Sequence[str]
    cities: Sequence[str]

    def pick(self, norm: str, rng: random.Random) -> str:
        if norm.startswith("Kabupaten "):
            return rng.choice(self.regencies)
        if norm.startswith("Kota "):
            return rng.choice(self.cities)
        return rng.choice(self.provinces)


def region_pools() -> RegionPools:
    """Pools from the whole register; provinces also by their common aliases (Kaltim…)."""
    refs = get_register().refs()
    province_aliases = [alias for alias, name in ALIASES.items()
                        if (ref := get_register().by_name(name)) and ref.level == "province"]
    return RegionPools(
        provinces=[r.name for r in refs if r.level == "province"] + province_aliases,
        regencies=[r.name.removeprefix("Kabupaten ") for r in refs if r.level == "regency"],
        cities=[r.name.removeprefix("Kota ") for r in refs if r.level == "city"],
    )


def render_percent(value: float, rng: random.Random) -> str:
    """One of the surface forms parse_percent reads, for a value."""
    whole = value == int(value) and rng.random() < 0.7
    number = f"{value:.0f}" if whole else f"{value:.2f}".replace(".", ",")
    if not whole:
        roll = rng.random()
        if roll < 0.1:
            number = number.replace(",", ", ")  # stray space, as scraped pages have
        elif roll < 0.2:
            number = number.replace(",", ".")  # dot decimal
    unit = rng.choice(["%", "%", " persen", " persen", " Persen", " PERSEN", " %"])
    return number + unit


def render_date(norm: str, rng: random.Random) -> str | None:
    """Another surface form for an ISO date norm, keeping its precision; None if unknown."""
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", norm):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        return rng.choice([
            f"{day}/{month}/{year}", f"{day:02d}/{month:02d}/{year}",
            f"{day} {_MONTHS[month - 1]} {year}", f"{day} {_MONTHS_SHORT[month - 1]} {year}",
            f"{_MONTHS[month - 1]} {day} {year}", f"{day} {_MONTHS[month - 1].upper()} {year}",
        ])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", norm):
        year, month = int(m[1]), int(m[2])
        return rng.choice([f"{_MONTHS[month - 1]} {year}", f"{_MONTHS_SHORT[month - 1]} {year}"])
    if m := re.fullmatch(r"--(\d{2})-(\d{2})", norm):
        return f"{int(m[2])} {_MONTHS[int(m[1]) - 1]}"
    if re.fullmatch(r"\d{4}(/\d{4})?", norm):
        return norm.replace("/", "-")
    return None


def _random_date_norm(norm: str, rng: random.Random) -> str:
    """A new date of the same precision (so context words like `tahun` still fit)."""
    year, month, day = rng.randint(2018, 2026), rng.randint(1, 12), rng.randint(1, 28)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", norm):
        return f"{year}-{month:02d}-{day:02d}"
    if re.fullmatch(r"\d{4}-\d{2}", norm):
        return f"{year}-{month:02d}"
    if norm.startswith("--"):
        return f"--{month:02d}-{day:02d}"
    if "/" in norm:
        return f"{year - 4}/{year}"
    return str(year)


def _new_official(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES)
    return first if rng.random() < 0.15 else f"{first} {rng.choice(LAST_NAMES)}"


def _official_surface(mention: str, old_full: str, new_full: str) -> str:
    """The new name in the same form as the mention (full, first word or last word)."""
    old_parts, new_parts = old_full.split(), new_full.split()
    if mention == old_full or len(mention.split()) > 1:
        return new_full
    if old_parts and mention == old_parts[-1] and len(old_parts) > 1:
        return new_parts[-1]
    return new_parts[0]


def _styled(surface: str, like: str) -> str:
    return surface.upper() if like.isupper() and len(like) > 1 else surface


def augment_document(doc: Document, pools: RegionPools, rng: random.Random,
                     copy_id: str) -> Document:
    """One augmented copy: every mention replaced, facts kept pointing at the same ids."""
    region_map: dict[str, str] = {}
    official_map: dict[str, str] = {}
    date_map: dict[str, str] = {}
    pieces: list[str] = []
    entities: list[Entity] = []
    cursor = 0
    for ent in sorted(doc.entities, key=lambda e: e.start):
        mention = doc.text[ent.start:ent.end]
        new = mention
        if ent.label == "REGION" and isinstance(ent.norm, str) and ent.norm != "Indonesia":
            new = _styled(region_map.setdefault(ent.norm, pools.pick(ent.norm, rng)), mention)
        elif ent.label == "OFFICIAL":
            key = ent.norm if isinstance(ent.norm, str) else mention
            new = _official_surface(mention, key, official_map.setdefault(key, _new_official(rng)))
        elif ent.label == "PERCENT" and isinstance(ent.norm, int | float):
            jitter = round(rng.uniform(-15, 15), 2) if rng.random() < 0.5 else 0.0
            value = min(max(round(float(ent.norm) + jitter, 2), 0.0), 130.0)
            new = render_percent(value, rng)
        elif ent.label == "DATE" and isinstance(ent.norm, str):
            new_norm = date_map.setdefault(ent.norm, _random_date_norm(ent.norm, rng))
            new = render_date(new_norm, rng) or mention
        pieces.append(doc.text[cursor:ent.start])
        start = sum(len(p) for p in pieces)
        pieces.append(new)
        entities.append(replace(ent, start=start, end=start + len(new), norm=None, code=None))
        cursor = ent.end
    pieces.append(doc.text[cursor:])
    copy = Document(id=copy_id, text="".join(pieces), meta={**doc.meta, "augmented_from": doc.id},
                    entities=entities)
    normalize_entities(copy)
    copy.facts = [_refresh_fact(f, doc, copy) for f in doc.facts]
    return copy


def _refresh_fact(fact: Fact, old: Document, new: Document) -> Fact:
    """Region norms follow the replaced region; the national `Indonesia` stays."""
    region_norm = fact.region_norm
    new_region = new.entity(fact.region)
    old_region = old.entity(fact.region)
    if new_region is not None and old_region is not None and fact.region_norm == old_region.norm:
        region_norm = new_region.norm if isinstance(new_region.norm, str) else None
    return replace(fact, region_norm=region_norm, warnings=[])


def augment(docs: Sequence[Document], ratio: float, pools: RegionPools,
            seed: int) -> list[Document]:
    """`ratio` augmented copies per document on average (2.5 → two or three), seeded."""
    rng = random.Random(seed)
    out: list[Document] = []
    for doc in docs:
        copies = int(ratio) + (1 if rng.random() < ratio - int(ratio) else 0)
        out.extend(augment_document(doc, pools, rng, f"{doc.id}~aug{i + 1}")
                   for i in range(copies))
    return out


def with_augmented(docs: Sequence[Document], ratio: float, seed: int) -> list[Document]:
    """The documents followed by their augmented copies (none when `ratio` is 0)."""
    return list(docs) + (augment(docs, ratio, region_pools(), seed) if ratio else [])
