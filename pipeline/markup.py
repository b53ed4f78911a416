"""Inline annotation markup → gold Documents.

Character offsets are painful to write by hand and impossible to review, so gold
documents are authored as readable markup sources (annotations/src/) and built into
JSONL with `jkn-ie markup`. A source file is a header block, then the article body:

    ---
    id: seed-000
    source: seeds/000_4d62181232c53c6a.txt
    ---
    SEPUTAR [[KALTIM]]{REGION #r1}
    Sekda [[Kaltim]]{REGION #r2} … [[85,61 Persen]]{PERCENT metric=activity region=r2 date=d1}

A mention is `[[surface]]{LABEL attrs}`. Attributes: `#id` names the entity so a
fact can point at it; `norm=...` overrides the normaliser (needed for OFFICIAL short
forms and for the rare region the register cannot resolve). A PERCENT carries its
fact: `metric=` (required), `target=1`, `region=r1` (or `r1,r2` for one fact per
region), `region_norm=Indonesia` (or `-` for null; defaults to the linked region's
norm), `date=d1`, `segment="PBI APBN"`. Values with spaces are double-quoted.

When the header names a `source`, the body with the markup stripped must equal that
file byte for byte, so the seeds' text is provably the file as read.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.document import LABELS, Document, Entity, Fact
from pipeline.normalize import normalize_entities

_MENTION = re.compile(r"\[\[(?P<surface>.+?)\]\]\{(?P<attrs>[^}]*)\}", re.S)
_FACT_KEYS = {"metric", "target", "region", "region_norm", "date", "segment"}


class MarkupError(ValueError):
    """A markup source that cannot be built; the message names file and line."""


@dataclass
class _Mention:
    entity: Entity
    name: str | None
    attrs: dict[str, str] = field(default_factory=dict)
    norm_given: bool = False


def _parse_attrs(raw: str, where: str) -> tuple[str, str | None, dict[str, str]]:
    try:
        parts = shlex.split(raw)
    except ValueError as err:
        raise MarkupError(f"{where}: bad attributes {raw!r}: {err}") from err
    if not parts or parts[0] not in LABELS:
        raise MarkupError(f"{where}: mention needs a label from {LABELS}, got {raw!r}")
    label, name, attrs = parts[0], None, {}
    for part in parts[1:]:
        if part.startswith("#"):
            name = part[1:]
        elif "=" in part:
            key, value = part.split("=", 1)
            attrs[key] = value
        else:
            raise MarkupError(f"{where}: attribute {part!r} is not key=value or #id")
    unknown = set(attrs) - _FACT_KEYS - {"norm"}
    if unknown or (label != "PERCENT" and set(attrs) - {"norm"}):
        raise MarkupError(f"{where}: unexpected attributes {sorted(set(attrs) - {'norm'})} "
                          f"on {label}")
    return label, name, attrs


def _norm_value(label: str, raw: str, where: str = "") -> str | float | None:
    if raw == "-":
        return None
    if label != "PERCENT":
        return raw
    try:
        return float(raw)
    except ValueError:
        raise MarkupError(f"{where}: a PERCENT norm must be a number, got {raw!r}") from None


def parse_markup(source: str, path: str = "<markup>") -> Document:
    """Build one gold Document (norms filled by the normalisers) from a markup source."""
    header, body = _split_header(source, path)
    text_parts: list[str] = []
    mentions: list[_Mention] = []
    cursor = 0
    offset = 0
    for match in _MENTION.finditer(body):
        where = f"{path}:{_body_line(source, body, match.start())}"
        text_parts.append(body[cursor:match.start()])
        offset += match.start() - cursor
        surface = match.group("surface")
        label, name, attrs = _parse_attrs(match.group("attrs"), where)
        entity = Entity(id=f"T{len(mentions) + 1}", start=offset, end=offset + len(surface),
                        label=label)
        norm_given = "norm" in attrs
        if norm_given:
            entity.norm = _norm_value(label, attrs.pop("norm"), where)
        mentions.append(_Mention(entity, name, attrs, norm_given))
        text_parts.append(surface)
        offset += len(surface)
        cursor = match.end()
    text_parts.append(body[cursor:])
    text = "".join(text_parts)
    if "[[" in text or "]]{" in text:
        raise MarkupError(f"{path}: unclosed or malformed mention near "
                          f"{text[text.find('[['):][:40]!r}")

    doc = Document(id=header["id"], text=text, meta=_meta(header),
                   entities=[m.entity for m in mentions])
    if "source" in header:
        _check_source(text, Path(header["source"]), path)
    normalize_entities(doc, keep=[m.entity.id for m in mentions if m.norm_given])
    doc.facts = _facts(mentions, doc, path)
    return doc


def _split_header(source: str, path: str) -> tuple[dict[str, str], str]:
    if not source.startswith("---\n"):
        raise MarkupError(f"{path}:1: a markup source starts with a '---' header block")
    end = source.find("\n---\n", 4)
    if end < 0:
        raise MarkupError(f"{path}: header block is not closed with '---'")
    header = {}
    for line in source[4:end].splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            header[key.strip()] = value.strip()
    if "id" not in header:
        raise MarkupError(f"{path}: header needs an id")
    return header, source[end + 5:]


def _body_line(source: str, body: str, pos: int) -> int:
    header_lines = source[: len(source) - len(body)].count("\n")
    return header_lines + body.count("\n", 0, pos) + 1


def _meta(header: dict[str, str]) -> dict[str, Any]:
    meta: dict[str, Any] = {k: v for k, v in header.items() if k != "id"}
    if "synthetic" in meta:
        meta["synthetic"] = meta["synthetic"].lower() in {"1", "true", "yes"}
    return meta


def _check_source(text: str, source: Path, path: str) -> None:
    original = source.read_text(encoding="utf-8") if source.exists() else None
    if original is None:
        raise MarkupError(f"{path}: source {source} does not exist")
    if original != text:
        at = next((i for i, (a, b) in enumerate(zip(original, text, strict=False)) if a != b),
                  min(len(original), len(text)))
        raise MarkupError(f"{path}: text differs from {source} at character {at}: "
                          f"{original[at:at + 30]!r} vs {text[at:at + 30]!r}")


def _facts(mentions: list[_Mention], doc: Document, path: str) -> list[Fact]:
    by_name = {m.name: m.entity for m in mentions if m.name}
    facts: list[Fact] = []
    for m in mentions:
        if m.entity.label != "PERCENT":
            continue
        where = f"{path}: {doc.text[m.entity.start:m.entity.end]!r} ({m.entity.id})"
        if "metric" not in m.attrs:
            raise MarkupError(f"{where}: a PERCENT needs metric=")

        def ref(key: str, label: str, name: str, where: str = where) -> Entity:
            if name not in by_name or by_name[name].label != label:
                raise MarkupError(f"{where}: {key}={name} is not a {label} mention's #id")
            return by_name[name]

        date = ref("date", "DATE", m.attrs["date"]) if m.attrs.get("date") else None
        regions: list[Entity | None] = [
            ref("region", "REGION", name) for name in m.attrs.get("region", "").split(",") if name
        ] or [None]
        for region in regions:
            if "region_norm" in m.attrs:
                region_norm = _norm_value("REGION", m.attrs["region_norm"])
            else:
                region_norm = region.norm if region is not None else None
            segment = m.attrs.get("segment")
            facts.append(Fact(
                percent=m.entity.id, metric=m.attrs["metric"],
                target=m.attrs.get("target", "0").lower() in {"1", "true", "yes"},
                region=region.id if region else None,
                region_norm=region_norm if isinstance(region_norm, str) else None,
                date=date.id if date else None,
                segment=None if segment in (None, "-") else segment,
            ))
    return facts


def build_sources(paths: list[Path]) -> list[Document]:
    """Build every markup source (files, or folders of *.txt), in path order."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.txt")) if path.is_dir() else [path])
    return [parse_markup(f.read_text(encoding="utf-8"), str(f)) for f in files]
