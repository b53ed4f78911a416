"""Documents ↔ Label Studio tasks, for correcting the model's output in Label Studio.

Annotators correct extraction output in Label Studio with `configs/labelstudio.xml`; these
pure functions turn tagged documents into tasks whose pre-annotations are the model's
entities and facts, and completed tasks back into gold documents of the data contract.

How a document is drawn in the config (names are the config's `name`s):

- every entity is a `label` span (REGION, OFFICIAL, PERCENT, DATE); its result id is the
  entity id, so relations and per-span choices can point at it;
- a PERCENT carries its fact in per-span choices: `metric`, `target` (the one choice
  "target"), `segment`, and `scope` = "Indonesia" for a national figure that no region
  mention names;
- the fact's region mention(s) and date are relations from the PERCENT, labelled
  "region" and "date" (the labels are optional on import: the linked span's label decides);
- a per-span `norm` text box overrides the normaliser ("-": no norm). Export writes it
  only where a norm differs from what the normalisers give for the span, so a corrected
  span gets a fresh norm unless the annotator typed one.

Import is the inverse: one fact per linked region (in text order), plus a national fact
for `scope`, or one fact with no region when neither is given; entity ids are renumbered
T1… in text order, as `jkn-ie markup` numbers them, so gold → tasks → gold is the identity.
Offsets are Python string indices: code points, as Label Studio stores them since its emoji
fix (HumanSignal/label-studio#1559); a span whose text does not match is reported.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.document import (
    LABELS,
    METRICS,
    SEGMENTS,
    Document,
    Entity,
    Fact,
    document_line,
    validate_lines,
)
from pipeline.normalize import normalize_entities

SPAN, METRIC, TARGET, SEGMENT, SCOPE, NORM = "label", "metric", "target", "segment", "scope", "norm"
TEXT = "text"
TARGET_CHOICE = "target"
NATIONAL = "Indonesia"
NO_NORM = "-"
REGION_LINK, DATE_LINK = "region", "date"
_SPAN_CHOICES = (METRIC, TARGET, SEGMENT, SCOPE)


# --- export ---------------------------------------------------------------------------------

def _span_value(doc: Document, entity: Entity) -> dict[str, Any]:
    return {"start": entity.start, "end": entity.end, "text": doc.mention(entity)}


def _choice(doc: Document, entity: Entity, name: str, value: str,
            score: float | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {"id": entity.id, "from_name": name, "to_name": TEXT,
                              "type": "choices",
                              "value": {**_span_value(doc, entity), "choices": [value]}}
    if score is not None:
        result["score"] = round(float(score), 4)
    return result


def _relation(source: str, target: str, label: str) -> dict[str, Any]:
    return {"from_id": source, "to_id": target, "type": "relation", "direction": "right",
            "labels": [label]}


def normaliser_norms(doc: Document) -> dict[str, tuple[Any, str | None]]:
    """What the normalisers give each entity of `doc` (by id): (norm, code), from the
    spans alone. A norm whose code differs is an override too: a given norm takes its code
    from the register by name, which can differ from the one the normaliser chose."""
    fresh = copy.deepcopy(doc)
    normalize_entities(fresh)
    return {e.id: (e.norm, e.code) for e in fresh.entities}


def _norm_text(norm: Any) -> str:
    return NO_NORM if norm is None else repr(norm) if isinstance(norm, float) else str(norm)


def _fact_results(doc: Document, percent: Entity, facts: list[Fact]) -> tuple[
        list[dict[str, Any]], list[str]]:
    """The choices and relations of one PERCENT's facts, and what they cannot express."""
    first = facts[0]
    problems = []
    if any((f.metric, f.target, f.segment, f.date) != (first.metric, first.target,
                                                        first.segment, first.date)
           for f in facts):
        problems.append(f"facts of {percent.id} differ in metric, target, segment or date; "
                        "the first one's are exported")
    results = [_choice(doc, percent, METRIC, first.metric, first.score)]
    if first.target:
        results.append(_choice(doc, percent, TARGET, TARGET_CHOICE))
    if first.segment is not None:
        results.append(_choice(doc, percent, SEGMENT, first.segment))
    linked = [f for f in facts if f.region is not None]
    regionless = [f for f in facts if f.region is None]
    if any(f.region_norm == NATIONAL for f in regionless):
        results.append(_choice(doc, percent, SCOPE, NATIONAL))
    for fact in linked:
        region = doc.entity(fact.region)
        if region is not None and fact.region_norm != region.norm:
            problems.append(f"fact of {percent.id}: region_norm {fact.region_norm!r} is not "
                            f"the norm of {region.id} ({region.norm!r}); the norm is exported")
        results.append(_relation(percent.id, str(fact.region), REGION_LINK))
    odd = [f.region_norm for f in regionless if f.region_norm not in (None, NATIONAL)]
    if odd:
        problems.append(f"fact of {percent.id}: region_norm {odd[0]!r} without a region "
                        f"mention cannot be expressed (only {NATIONAL!r} or none)")
    if linked and any(f.region_norm is None for f in regionless):
        problems.append(f"{percent.id} has facts with and without a region; the one without "
                        "is not exported")
    if first.date is not None:
        results.append(_relation(percent.id, first.date, DATE_LINK))
    return results, problems


def document_results(doc: Document, with_scores: bool = True) -> tuple[
        list[dict[str, Any]], list[str]]:
    """The Label Studio results of a document, and what of it they cannot express."""
    defaults = normaliser_norms(doc)
    results: list[dict[str, Any]] = []
    problems: list[str] = []
    for entity in doc.entities:
        span: dict[str, Any] = {"id": entity.id, "from_name": SPAN, "to_name": TEXT,
                                "type": "labels",
                                "value": {**_span_value(doc, entity), "labels": [entity.label]}}
        if with_scores and entity.score is not None:
            span["score"] = round(float(entity.score), 4)
        results.append(span)
        if (entity.norm, entity.code) != defaults.get(entity.id):
            results.append({"id": entity.id, "from_name": NORM, "to_name": TEXT,
                            "type": "textarea",
                            "value": {"start": entity.start, "end": entity.end,
                                      "text": [_norm_text(entity.norm)]}})
    by_percent: dict[str, list[Fact]] = {}
    for fact in doc.facts:
        by_percent.setdefault(fact.percent, []).append(fact)
    for percent_id, facts in by_percent.items():
        percent = doc.entity(percent_id)
        if percent is None:
            problems.append(f"a fact points at missing entity {percent_id!r}; not exported")
            continue
        if not with_scores:
            facts = [Fact(**{**vars(f), "score": None}) for f in facts]
        fact_results, fact_problems = _fact_results(doc, percent, facts)
        results.extend(fact_results)
        problems.extend(fact_problems)
    return results, problems


def _mean(values: Iterable[float | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return round(sum(known) / len(known), 4) if known else None


def document_to_task(doc: Document, as_annotations: bool = False,
                     model_version: str = "jkn-ie") -> tuple[dict[str, Any], list[str]]:
    """One task: `data` (text, id, meta) and the document's entities and facts as
    `predictions` (with scores; Label Studio shows them pre-filled and can sort tasks by
    the overall score) or, with `as_annotations`, as a finished annotation (gold for
    review). Returns the task and what it could not express."""
    results, problems = document_results(doc, with_scores=not as_annotations)
    task: dict[str, Any] = {"data": {"text": doc.text, "id": doc.id, "meta": doc.meta}}
    if as_annotations:
        task["annotations"] = [{"result": results, "was_cancelled": False}]
    else:
        prediction: dict[str, Any] = {"model_version": model_version, "result": results}
        score = _mean([e.score for e in doc.entities] + [f.score for f in doc.facts])
        if score is not None:
            prediction["score"] = score
        task["predictions"] = [prediction]
    return task, problems


# --- import ---------------------------------------------------------------------------------

@dataclass
class TaskImport:
    """One task's outcome: its document, or the problems that stopped it, or why it was
    skipped (no completed annotation). `name` says which task, for messages."""

    name: str
    document: Document | None = None
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def from_predictions(self) -> bool:
        """Whether the document is the model's prediction, not an annotation: read off its
        `meta.from_predictions`, the one place that says so."""
        return self.document is not None and self.document.meta.get("from_predictions") is True


def task_name(task: Any, index: int) -> str:
    """`task 12 (seed-000)`: Label Studio's task id (else its position) and the document id."""
    data = task.get("data") if isinstance(task, dict) else None
    doc_id = data.get("id") if isinstance(data, dict) else None
    ls_id = task.get("id") if isinstance(task, dict) else None
    name = f"task {ls_id}" if ls_id is not None else f"task #{index + 1}"
    return f"{name} ({doc_id})" if doc_id is not None else name


def _completed(task: dict[str, Any]) -> dict[str, Any] | None:
    """The latest annotation that was not cancelled (by update time, else list order)."""
    done = [(str(a.get("updated_at") or a.get("created_at") or ""), i, a)
            for i, a in enumerate(task.get("annotations") or [])
            if isinstance(a, dict) and not a.get("was_cancelled")]
    return max(done, key=lambda item: item[:2])[2] if done else None


def _latest_prediction(task: dict[str, Any]) -> dict[str, Any] | None:
    found = [(str(p.get("created_at") or ""), i, p)
             for i, p in enumerate(task.get("predictions") or []) if isinstance(p, dict)]
    return max(found, key=lambda item: item[:2])[2] if found else None


@dataclass
class _Span:
    start: int
    end: int
    label: str
    extras: dict[str, dict[str, Any]] = field(default_factory=dict)  # from_name → value


def _read_span(value: Any, text: str, where: str) -> tuple[int, int] | str:
    """(start, end) of a span value with surrounding whitespace trimmed, or a problem."""
    if not isinstance(value, dict):
        return f"{where}: value is not an object"
    start, end = value.get("start"), value.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) \
            or isinstance(end, bool):
        return f"{where}: start/end are not integers ({start!r}, {end!r})"
    if not 0 <= start < end <= len(text):
        return f"{where}: offsets {start}-{end} outside the text (length {len(text)})"
    shown = value.get("text")
    if isinstance(shown, str) and shown != text[start:end]:
        return (f"{where}: span text {shown!r} is not the task text at {start}-{end} "
                f"({text[start:end]!r}); was the text changed?")
    surface = text[start:end]
    start += len(surface) - len(surface.lstrip())
    end -= len(surface) - len(surface.rstrip())
    if start >= end:
        return f"{where}: span {surface!r} is only whitespace"
    return start, end


def _collect(result: list[Any], text: str) -> tuple[dict[str, _Span], list[dict[str, Any]],
                                                   list[str]]:
    """Spans by result id, relations, and problems, from one annotation's result list."""
    spans: dict[str, _Span] = {}
    extras: list[tuple[str, str, Any]] = []
    relations: list[dict[str, Any]] = []
    problems: list[str] = []
    for item in result:
        if not isinstance(item, dict):
            problems.append(f"result item {item!r:.60} is not an object")
            continue
        if item.get("type") == "relation":
            relations.append(item)
            continue
        rid, name = item.get("id"), item.get("from_name")
        where = f"{name} result {rid!r}"
        if not isinstance(rid, str):
            problems.append(f"{where}: no result id")
        elif name == SPAN:
            value = item.get("value")
            labels = value.get("labels") if isinstance(value, dict) else None
            span = _read_span(item.get("value"), text, where)
            if isinstance(span, str):
                problems.append(span)
            elif not isinstance(labels, list) or len(labels) != 1 or labels[0] not in LABELS:
                problems.append(f"{where}: needs exactly one label of {', '.join(LABELS)}, "
                                f"has {labels!r}")
            elif rid in spans:
                problems.append(f"{where}: two spans with the same result id")
            else:
                spans[rid] = _Span(span[0], span[1], labels[0])
        elif name in (*_SPAN_CHOICES, NORM):
            extras.append((rid, name, item.get("value")))
        else:
            problems.append(f"{where}: unknown result (from_name {name!r}, type "
                            f"{item.get('type')!r}); is the project using configs/labelstudio.xml?")
    for rid, name, value in extras:
        if rid not in spans:
            problems.append(f"{name} result {rid!r} belongs to no span")
        elif name in spans[rid].extras:
            problems.append(f"{name} given twice for span {rid!r}")
        else:
            spans[rid].extras[name] = value if isinstance(value, dict) else {}
    return spans, relations, problems


def _given_norm(span: _Span, doc_text: str) -> tuple[bool, Any, str | None]:
    """(given?, norm, problem) from a span's norm box."""
    raw = span.extras.get(NORM, {}).get("text")
    lines = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    value = " ".join(str(x) for x in lines).strip()
    if not value:
        return False, None, None
    if value == NO_NORM:
        return True, None, None
    if span.label == "PERCENT":
        try:
            return True, float(value.replace(",", ".")), None
        except ValueError:
            mention = doc_text[span.start:span.end]
            return False, None, f"PERCENT {mention!r}: norm {value!r} is not a number"
    return True, value, None


def _choices(span: _Span, name: str) -> list[str]:
    chosen = span.extras.get(name, {}).get("choices")
    return [str(c) for c in chosen] if isinstance(chosen, list) else []


def _span_desc(doc: Document, entity: Entity) -> str:
    return f"{entity.label} {doc.mention(entity)!r} at {entity.start}-{entity.end}"


def _facts(doc: Document, by_rid: dict[str, Entity], spans: dict[str, _Span],
           relations: list[dict[str, Any]]) -> tuple[list[Fact], list[str]]:
    problems: list[str] = []
    links: dict[str, dict[str, list[Entity]]] = {}
    for rel in relations:
        ends = [by_rid.get(str(rel.get(k))) for k in ("from_id", "to_id")]
        if ends[0] is None or ends[1] is None:
            problems.append(f"relation {rel.get('from_id')!r} → {rel.get('to_id')!r} points "
                            "at a span that is not there")
            continue
        percents = [e for e in ends if e.label == "PERCENT"]
        others = [e for e in ends if e.label != "PERCENT"]
        if len(percents) != 1 or others[0].label not in ("REGION", "DATE"):
            problems.append(f"relation between {_span_desc(doc, ends[0])} and "
                            f"{_span_desc(doc, ends[1])}: a link goes from a PERCENT to a "
                            "REGION or a DATE")
            continue
        kind = REGION_LINK if others[0].label == "REGION" else DATE_LINK
        labels = rel.get("labels") or []
        if labels and labels != [kind]:
            problems.append(f"relation from {_span_desc(doc, percents[0])} to "
                            f"{_span_desc(doc, others[0])} is labelled {labels!r}, "
                            f"but links a {others[0].label} (label it {kind!r})")
            continue
        linked = links.setdefault(percents[0].id, {}).setdefault(kind, [])
        if others[0] not in linked:
            linked.append(others[0])

    facts: list[Fact] = []
    span_of = {entity.id: spans[rid] for rid, entity in by_rid.items()}
    for entity in doc.entities:
        span = span_of[entity.id]
        given = [name for name in _SPAN_CHOICES if _choices(span, name)]
        if entity.label != "PERCENT":
            if given:
                problems.append(f"{_span_desc(doc, entity)} has {', '.join(given)}: only a "
                                "PERCENT carries a fact")
            continue
        metric, target, segment = (_choices(span, METRIC), _choices(span, TARGET),
                                   _choices(span, SEGMENT))
        scope = _choices(span, SCOPE)
        where = _span_desc(doc, entity)
        if len(metric) != 1 or metric[0] not in METRICS:
            problems.append(f"{where}: needs one metric of {', '.join(METRICS)}, has {metric!r}")
            continue
        bad = [c for c in target if c != TARGET_CHOICE] + [c for c in scope if c != NATIONAL]
        if len(segment) > 1 or any(s not in SEGMENTS for s in segment) or bad:
            problems.append(f"{where}: unknown choices {segment + bad!r}")
            continue
        dates = links.get(entity.id, {}).get(DATE_LINK, [])
        if len(dates) > 1:
            problems.append(f"{where}: linked to {len(dates)} dates; a figure has one as-of date")
            continue
        regions = sorted(links.get(entity.id, {}).get(REGION_LINK, []),
                         key=lambda e: (e.start, e.end))
        base = {"percent": entity.id, "metric": metric[0], "target": bool(target),
                "date": dates[0].id if dates else None,
                "segment": segment[0] if segment else None}
        facts.extend(Fact(**base, region=r.id,
                          region_norm=r.norm if isinstance(r.norm, str) else None)
                     for r in regions)
        if scope or not regions:
            facts.append(Fact(**base, region=None, region_norm=NATIONAL if scope else None))
    return facts, problems


def result_to_document(doc_id: str, text: str, meta: dict[str, Any],
                       result: list[Any]) -> tuple[Document | None, list[str]]:
    """A gold document from one annotation's result list, or None and every problem."""
    spans, relations, problems = _collect(result, text)
    ordered = sorted(spans.items(), key=lambda item: (item[1].start, item[1].end))
    by_rid: dict[str, Entity] = {}
    keep: list[str] = []
    for i, (rid, span) in enumerate(ordered, 1):
        entity = Entity(id=f"T{i}", start=span.start, end=span.end, label=span.label)
        given, norm, problem = _given_norm(span, text)
        if problem:
            problems.append(problem)
        if given:
            entity.norm = norm
            keep.append(entity.id)
        by_rid[rid] = entity
    doc = Document(id=doc_id, text=text, meta=meta, entities=list(by_rid.values()))
    doc.entities.sort(key=lambda e: (e.start, e.end))
    normalize_entities(doc, keep=keep)
    doc.facts, fact_problems = _facts(doc, by_rid, spans, relations)
    problems.extend(fact_problems)
    if not problems:
        prefix = f"{doc_id}: "
        problems = [p.reason.removeprefix(prefix)
                    for p in validate_lines([document_line(doc)], doc_id)]
    return (None, problems) if problems else (doc, [])


def task_to_document(task: Any, index: int = 0, use_predictions: bool = False) -> TaskImport:
    """The gold document of one exported task: its latest completed annotation, or, only
    with `use_predictions`, its latest prediction when nobody annotated it (a task whose
    annotations were all cancelled stays skipped). `meta.from_predictions` marks the latter."""
    name = task_name(task, index)
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        return TaskImport(name, problems=["not a Label Studio task (no data object)"])
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str):
        return TaskImport(name, problems=["data.text is missing or not a string"])
    doc_id = data.get("id")
    if doc_id is None:
        doc_id = f"labelstudio-{task.get('id', index + 1)}"
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    chosen, from_predictions = _completed(task), False
    if chosen is None:
        annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
        if annotations:  # all cancelled: the annotator skipped it, so the model's is no gold
            return TaskImport(name, skipped="every annotation was cancelled (skipped)")
        predictions = task.get("predictions") or []
        if not use_predictions:
            return TaskImport(name, skipped="no completed annotation" + (
                "; --from-predictions would take the model's" if predictions else ""))
        chosen, from_predictions = _latest_prediction(task), True
        if chosen is None:
            return TaskImport(name, skipped="no completed annotation and no prediction" + (
                " (predictions exported as ids only: export with full predictions)"
                if predictions else ""))
    result = chosen.get("result")
    if not isinstance(result, list):
        return TaskImport(name, problems=["the annotation has no result list"])
    meta = {k: v for k, v in meta.items() if k != "from_predictions"}
    if from_predictions:
        meta["from_predictions"] = True
    doc, problems = result_to_document(str(doc_id), text, meta, result)
    return TaskImport(name, document=doc, problems=problems)


def tasks_to_documents(tasks: Sequence[Any], use_predictions: bool = False) -> list[TaskImport]:
    """Every task's outcome, in order; a second task with a document id already imported
    fails rather than overwriting the first."""
    outcomes: list[TaskImport] = []
    seen: dict[str, str] = {}
    for index, task in enumerate(tasks):
        outcome = task_to_document(task, index, use_predictions)
        doc = outcome.document
        if doc is not None:
            if doc.id in seen:
                outcome.problems.append(f"document id {doc.id!r} was already imported from "
                                        f"{seen[doc.id]}")
                outcome.document = None
            else:
                seen[doc.id] = outcome.name
        outcomes.append(outcome)
    return outcomes
