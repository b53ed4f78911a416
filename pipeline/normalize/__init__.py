"""Normalisers: percent → float, date → ISO, region → canonical name and code, official → full name.

`normalize_entities` is the one entry point the markup builder and the taggers call, so
gold and predicted documents get their norms from the same code.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.document import Document
from pipeline.normalize.dates import parse_date
from pipeline.normalize.officials import official_norms
from pipeline.normalize.percent import parse_percent
from pipeline.normalize.regions import get_register

__all__ = ["normalize_entities", "parse_date", "parse_percent"]


def normalize_entities(doc: Document, keep: Iterable[str] = ()) -> None:
    """Fill `norm` (and a REGION's `code`) of every entity whose id is not in `keep`.

    A kept REGION still gets its code when its given norm names exactly one register entry.
    """
    kept = set(keep)
    text = doc.text
    regions = [e for e in doc.entities if e.label == "REGION"]
    officials = [e for e in doc.entities if e.label == "OFFICIAL"]
    register = get_register()

    refs = register.resolve_all(text, [(e.start, e.end) for e in regions])
    for entity, ref in zip(regions, refs, strict=True):
        if entity.id in kept:
            known = register.by_name(str(entity.norm)) if entity.norm else None
            entity.code = known.code if known else None
        elif ref is None:
            entity.norm, entity.code = doc.mention(entity).title(), None
        else:
            entity.norm, entity.code = ref.name, ref.code

    full_names = official_norms(text, [(e.start, e.end) for e in officials])
    for entity, full_name in zip(officials, full_names, strict=True):
        if entity.id not in kept:
            entity.norm = full_name

    for entity in doc.entities:
        if entity.id in kept:
            continue
        if entity.label == "PERCENT":
            entity.norm = parse_percent(doc.mention(entity))
        elif entity.label == "DATE":
            entity.norm = parse_date(doc.mention(entity))
