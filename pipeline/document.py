"""Document, Entity and Fact as ANNOTATION.md defines them, JSONL I/O and validation.

Gold annotations, the tagger's output and the scorer's input share this one format,
so a tagged file can be scored against a gold file directly.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELS: tuple[str, ...] = ("REGION", "OFFICIAL", "PERCENT", "DATE")
METRICS: tuple[str, ...] = ("coverage", "activity", "inactive", "other")
SEGMENTS: tuple[str, ...] = ("PBI APBN", "PBI APBD", "PBPU", "PBPU Pemda", "BP", "PPU PN", "PPU BU")

# Which Python types a `norm` may have, per label (None = null is allowed).
_NORM_TYPES: dict[str, tuple[type, ...]] = {
    "REGION": (str,),
    "OFFICIAL": (str, type(None)),
    "PERCENT": (float, int),
    "DATE": (str, type(None)),
}


@dataclass
class Entity:
    id: str
    start: int
    end: int
    label: str
    norm: str | float | None = None
    score: float | None = None
    code: str | None = None  # Kemendagri code of a REGION, when known

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id, "start": self.start, "end": self.end,
            "label": self.label, "norm": self.norm,
        }
        if self.code is not None:
            out["code"] = self.code
        if self.score is not None:
            out["score"] = round(float(self.score), 4)
        return out


@dataclass
class Fact:
    percent: str
    metric: str
    target: bool
    region: str | None = None
    region_norm: str | None = None
    date: str | None = None
    segment: str | None = None
    score: float | None = None
    region_code: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "percent": self.percent, "metric": self.metric, "target": self.target,
            "region": self.region, "region_norm": self.region_norm,
            "date": self.date, "segment": self.segment,
        }
        if self.region_code is not None:
            out["region_code"] = self.region_code
        if self.score is not None:
            out["score"] = round(float(self.score), 4)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass
class Document:
    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        if entity_id is None:
            return None
        return next((e for e in self.entities if e.id == entity_id), None)

    def mention(self, entity: Entity) -> str:
        return self.text[entity.start:entity.end]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "meta": self.meta,
            "entities": [e.to_dict() for e in self.entities],
            "facts": [f.to_dict() for f in self.facts],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Build a Document from its JSON form; raises KeyError/TypeError on a malformed one."""
        entities = [
            Entity(id=e["id"], start=e["start"], end=e["end"], label=e["label"],
                   norm=e.get("norm"), score=e.get("score"), code=e.get("code"))
            for e in data.get("entities", [])
        ]
        facts = [
            Fact(percent=f["percent"], metric=f["metric"], target=f["target"],
                 region=f.get("region"), region_norm=f.get("region_norm"),
                 date=f.get("date"), segment=f.get("segment"), score=f.get("score"),
                 region_code=f.get("region_code"), warnings=list(f.get("warnings", [])))
            for f in data.get("facts", [])
        ]
        return cls(id=data["id"], text=data["text"], meta=dict(data.get("meta") or {}),
                   entities=entities, facts=facts)


def read_jsonl(path: str | Path) -> list[Document]:
    """Read documents; a malformed file raises ValueError naming the line (use validate for all)."""
    docs = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                docs.append(Document.from_dict(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise ValueError(f"{path}:{lineno}: not a valid document ({err!r})") from err
    return docs


def document_line(doc: Document) -> str:
    """One JSONL line (with newline) for a document.

    A NaN or infinity (say in an input's `meta`) is written as null: bare `NaN` is not
    JSON, and every other reader of the file (a browser, Label Studio, jq) would refuse it.
    """
    data = doc.to_dict()
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False) + "\n"
    except ValueError:  # rare, so the copy is made only then
        return json.dumps(_finite(data), ensure_ascii=False, allow_nan=False) + "\n"


def _finite(value: Any) -> Any:
    """`value` with every non-finite float replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def write_jsonl(docs: Iterable[Document], path: str | Path) -> int:
    """Write documents to a JSONL file; returns how many were written."""
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(document_line(doc))
            count += 1
    return count


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


def _entity_problems(data: dict[str, Any]) -> Iterator[str]:
    text = data["text"]
    seen_ids: set[str] = set()
    spans: list[tuple[int, int, str]] = []
    for ent in data.get("entities", []):
        if not isinstance(ent, dict):
            yield f"entity is not an object: {ent!r}"
            continue
        eid = ent.get("id")
        missing = [k for k in ("id", "start", "end", "label") if k not in ent]
        if missing:
            yield f"entity {short(eid)} lacks {', '.join(missing)}"
            continue
        if not isinstance(eid, str) or not eid:
            # A list or object here used to crash the set lookups below (unhashable type).
            yield f"entity id {short(eid)} is not a non-empty string"
            continue
        if eid in seen_ids:
            yield f"duplicate entity id {eid!r}"
        seen_ids.add(eid)
        start, end, label = ent["start"], ent["end"], ent["label"]
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            yield f"entity {eid}: offsets must be integers"
            continue
        if not 0 <= start < end <= len(text):
            yield f"entity {eid}: offsets {start}-{end} outside the text (length {len(text)})"
            continue
        if text[start:end] != text[start:end].strip():
            yield f"entity {eid}: span {text[start:end]!r} starts or ends with whitespace"
        if label not in LABELS:
            yield f"entity {eid}: unknown label {label!r}"
        else:
            norm = ent.get("norm")
            if isinstance(norm, bool) or not isinstance(norm, _NORM_TYPES[label]):
                yield f"entity {eid}: norm {norm!r} has the wrong type for {label}"
        spans.append((start, end, eid))
    spans.sort()
    open_spans: list[tuple[int, str]] = []  # (end, id) of spans that may still overlap
    for start, end, eid in spans:
        open_spans = [(e, i) for e, i in open_spans if e > start]
        for _e, other in open_spans:
            yield f"entities {other} and {eid} overlap"
        open_spans.append((end, eid))


def _fact_problems(data: dict[str, Any]) -> Iterator[str]:
    # Only string ids can be looked up; any other id is reported by _entity_problems.
    labels = {e["id"]: e.get("label") for e in data.get("entities", [])
              if isinstance(e, dict) and isinstance(e.get("id"), str)}
    with_fact: set[str] = set()
    for i, fact in enumerate(data.get("facts", [])):
        where = f"fact {i + 1}"
        if not isinstance(fact, dict):
            yield f"{where} is not an object"
            continue
        for key, label, required in (("percent", "PERCENT", True), ("region", "REGION", False),
                                     ("date", "DATE", False)):
            ref = fact.get(key)
            if ref is None:
                if required:
                    yield f"{where}: no percent entity"
            elif not isinstance(ref, str):
                yield f"{where}: {key} must be an entity id (a string), not {short(ref)}"
            elif ref not in labels:
                yield f"{where}: {key} points at missing entity {ref!r}"
            elif labels[ref] != label:
                yield f"{where}: {key} points at {ref} which is {labels[ref]}, not {label}"
        if isinstance(fact.get("percent"), str):
            with_fact.add(fact["percent"])
        if fact.get("metric") not in METRICS:
            yield f"{where}: unknown metric {fact.get('metric')!r}"
        if not isinstance(fact.get("target"), bool):
            yield f"{where}: target must be true or false"
        if fact.get("segment") is not None and fact.get("segment") not in SEGMENTS:
            yield f"{where}: unknown segment {fact.get('segment')!r}"
        if fact.get("region_norm") is not None and not isinstance(fact.get("region_norm"), str):
            yield f"{where}: region_norm must be a string or null"
    for eid, label in labels.items():
        if label == "PERCENT" and eid not in with_fact:
            yield f"PERCENT {eid} has no fact"


def short(value: Any, limit: int = 60) -> str:
    """`repr` of a value cut to `limit` characters, so one huge bad value cannot flood a report."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _undecodable(line: str) -> str | None:
    """Why a line read with `errors="surrogateescape"` is not UTF-8, or None when it is."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError as err:
        return f"not valid UTF-8 (undecodable byte at column {err.start + 1}); save it as UTF-8"
    return None


def validate_lines(lines: Iterable[str], path: str = "<input>") -> list[Problem]:
    """Every problem in a JSONL stream, each with its line number and reason.

    Lines read with `errors="surrogateescape"` (as `validate_file` does) may hold
    undecodable bytes; such a line is one problem and the lines after it are still checked.
    """
    problems: list[Problem] = []
    seen_docs: dict[str, int] = {}
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        bad_bytes = _undecodable(line)
        if bad_bytes is not None:
            problems.append(Problem(path, lineno, bad_bytes))
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(path, lineno, f"invalid JSON: {err.msg}"))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) \
                or not isinstance(data.get("text"), str):
            problems.append(Problem(path, lineno, "a document needs a string id and text"))
            continue
        if data["id"] in seen_docs:
            problems.append(Problem(path, lineno, f"duplicate document id {data['id']!r} "
                                                  f"(first on line {seen_docs[data['id']]})"))
        seen_docs.setdefault(data["id"], lineno)
        lists = [key for key in ("entities", "facts")
                 if not isinstance(data.get(key, []), list)]
        if lists:
            problems.append(Problem(path, lineno, f"{data['id']}: "
                                    f"{' and '.join(lists)} must be a list"))
            continue
        for reason in (*_entity_problems(data), *_fact_problems(data)):
            problems.append(Problem(path, lineno, f"{data['id']}: {reason}"))
    return problems


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem in a JSONL file; an unreadable file is one problem, not an exception.

    Bad bytes are kept as surrogates rather than raised, so one undecodable byte is a
    problem of its line and does not hide the problems of every other line.
    """
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            return validate_lines(handle, str(path))
    except OSError as err:
        return [Problem(str(path), 0, f"cannot read: {err}")]
