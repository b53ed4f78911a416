"""Label Studio tasks ↔ documents: the round trip on the gold, predictions with scores,
and every way an annotated task can be wrong, each named with its task."""

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline import labelstudio as ls
from pipeline.cli import main
from pipeline.document import LABELS, METRICS, SEGMENTS, Document, Entity, Fact, read_jsonl

ROOT = Path(__file__).resolve().parents[1]
GOLD = [ROOT / "annotations" / "seeds.jsonl", ROOT / "annotations" / "authored.jsonl"]
CONFIG = ROOT / "configs" / "labelstudio.xml"

# A synthetic article (written for this test) and its spans, in text order.
TEXT = ("Cakupan JKN di Kabupaten Lembah Hijau mencapai 96,5 persen per 1 Mei 2025. "
        "Bupati Ani Lestari menargetkan 98 persen. Secara nasional sudah 97 persen.")


def _span(surface: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(surface, start + 1)
    return start, start + len(surface)


def synthetic_doc() -> Document:
    spans = [("Lembah Hijau", "REGION", "Kabupaten Lembah Hijau"),
             ("96,5 persen", "PERCENT", 96.5), ("1 Mei 2025", "DATE", "2025-05-01"),
             ("Ani Lestari", "OFFICIAL", "Ani Lestari"), ("98 persen", "PERCENT", 98.0),
             ("97 persen", "PERCENT", 97.0)]
    entities = [Entity(id=f"T{i}", start=_span(s)[0], end=_span(s)[1], label=label, norm=norm,
                       score=0.5 + i / 20)
                for i, (s, label, norm) in enumerate(spans, 1)]
    facts = [Fact("T2", "coverage", False, region="T1", region_norm="Kabupaten Lembah Hijau",
                  date="T3", score=0.8),
             Fact("T5", "coverage", True, region="T1", region_norm="Kabupaten Lembah Hijau",
                  segment="PBPU", score=0.6),
             Fact("T6", "coverage", False, region=None, region_norm="Indonesia", score=0.4)]
    return Document(id="syn-1", text=TEXT, meta={"synthetic": True}, entities=entities,
                    facts=facts)


def gold_documents() -> list[Document]:
    return [doc for path in GOLD for doc in read_jsonl(path)]


def as_exported(tasks: list[dict]) -> list[dict]:
    """The tasks as Label Studio exports them: JSON, with task ids."""
    tasks = json.loads(json.dumps(tasks))
    for i, task in enumerate(tasks, 1):
        task["id"] = 100 + i
    return tasks


# --- the config -----------------------------------------------------------------------------

def test_config_names_every_label_metric_segment_and_control_the_converter_uses():
    root = ET.parse(CONFIG).getroot()
    labels = root.find(".//Labels")
    assert labels.get("name") == ls.SPAN and labels.get("toName") == ls.TEXT
    assert tuple(label.get("value") for label in labels) == LABELS
    assert root.find(f".//Text[@name='{ls.TEXT}']").get("value") == "$text"
    choices = {c.get("name"): [x.get("value") for x in c] for c in root.iter("Choices")}
    assert choices == {ls.METRIC: list(METRICS), ls.TARGET: [ls.TARGET_CHOICE],
                       ls.SEGMENT: list(SEGMENTS), ls.SCOPE: [ls.NATIONAL]}
    assert all(c.get("perRegion") == "true" for c in root.iter("Choices"))
    assert root.find(f".//TextArea[@name='{ls.NORM}']").get("perRegion") == "true"
    assert [r.get("value") for r in root.iter("Relation")] == [ls.REGION_LINK, ls.DATE_LINK]


# --- round trip -----------------------------------------------------------------------------

@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_gold_to_tasks_to_gold_is_the_identity(path):
    gold = read_jsonl(path)
    tasks = []
    for doc in gold:
        task, problems = ls.document_to_task(doc, as_annotations=True)
        assert problems == [], doc.id
        tasks.append(task)
    outcomes = ls.tasks_to_documents(as_exported(tasks))
    assert [o.problems for o in outcomes] == [[] for _ in gold]
    assert [o.document.to_dict() for o in outcomes] == [d.to_dict() for d in gold]


def test_round_trip_through_the_cli_gives_the_gold_files_byte_for_byte(tmp_path, capsys):
    tasks, back = tmp_path / "tasks.json", tmp_path / "gold.jsonl"
    assert main(["export", "--format", "labelstudio", "--as-annotations", *map(str, GOLD),
                 "-o", str(tasks)]) == 0
    assert main(["import", "--format", "labelstudio", str(tasks), "-o", str(back)]) == 0
    assert back.read_bytes() == b"".join(path.read_bytes() for path in GOLD)
    out = capsys.readouterr().out
    assert "249 task(s): 249 imported, 0 failed, 0 skipped" in out


def test_only_norms_the_normaliser_would_not_give_are_exported():
    tasks = [ls.document_to_task(doc, as_annotations=True)[0] for doc in gold_documents()]
    norms = [r for t in tasks for r in t["annotations"][0]["result"]
             if r.get("from_name") == ls.NORM]
    assert norms, "the authored gold has overrides (norm=… in its markup)"
    assert len(norms) < sum(len(t["annotations"][0]["result"]) for t in tasks) / 20


# --- predictions ----------------------------------------------------------------------------

def test_predictions_carry_scores_and_relations_point_at_span_ids():
    task, problems = ls.document_to_task(synthetic_doc(), model_version="jkn-ie test")
    assert problems == []
    assert task["data"] == {"text": TEXT, "id": "syn-1", "meta": {"synthetic": True}}
    [prediction] = task["predictions"]
    assert prediction["model_version"] == "jkn-ie test"
    assert 0 < prediction["score"] < 1
    result = prediction["result"]
    spans = {r["id"]: r for r in result if r.get("from_name") == ls.SPAN}
    assert list(spans) == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert all("score" in r for r in spans.values())
    for item in result:
        if item.get("type") == "relation":
            assert item["from_id"] in spans and item["to_id"] in spans
        else:
            assert item["id"] in spans
            value = item["value"]
            assert TEXT[value["start"]:value["end"]] == spans[item["id"]]["value"]["text"]
    metric = {r["id"]: r for r in result if r.get("from_name") == ls.METRIC}
    assert metric["T2"]["score"] == 0.8 and metric["T2"]["value"]["choices"] == ["coverage"]
    picked = {(r["id"], r["from_name"]): r["value"]["choices"] for r in result
              if r.get("type") == "choices"}
    assert picked[("T5", ls.TARGET)] == ["target"] and picked[("T5", ls.SEGMENT)] == ["PBPU"]
    assert picked[("T6", ls.SCOPE)] == ["Indonesia"]


def test_predictions_come_back_with_from_predictions_only_when_asked():
    doc = synthetic_doc()
    tasks = as_exported([ls.document_to_task(doc)[0]])
    [skipped] = ls.tasks_to_documents(tasks)
    assert skipped.document is None and "no completed annotation" in skipped.skipped
    assert "--from-predictions" in skipped.skipped
    [taken] = ls.tasks_to_documents(tasks, use_predictions=True)
    assert taken.problems == [] and taken.from_predictions
    back = taken.document
    assert back.meta == {"synthetic": True, "from_predictions": True}
    without_scores = copy.deepcopy(doc)
    for item in (*without_scores.entities, *without_scores.facts):
        item.score = None
    assert [e.to_dict() for e in back.entities] == [e.to_dict() for e in without_scores.entities]
    assert [f.to_dict() for f in back.facts] == [f.to_dict() for f in without_scores.facts]


def test_export_names_what_it_cannot_express():
    doc = synthetic_doc()
    doc.facts.append(Fact("T2", "activity", False, region=None, region_norm="Kalimantan"))
    _task, problems = ls.document_to_task(doc)
    assert any("differ in metric" in p for p in problems)
    assert any("'Kalimantan' without a region mention" in p for p in problems)


# --- choosing the annotation ----------------------------------------------------------------

def _annotated_task(result: list, **annotation) -> dict:
    return {"id": 7, "data": {"text": TEXT, "id": "syn-1", "meta": {}},
            "annotations": [{"id": 1, "result": result, "was_cancelled": False, **annotation}]}


def _gold_result() -> list:
    return ls.document_results(synthetic_doc(), with_scores=False)[0]


def test_the_latest_annotation_that_was_not_cancelled_wins():
    task = _annotated_task(_gold_result(), updated_at="2025-01-01T00:00:00Z")
    newer = copy.deepcopy(_gold_result())
    next(r for r in newer if r.get("from_name") == ls.METRIC)["value"]["choices"] = ["other"]
    task["annotations"] += [
        {"id": 2, "result": newer, "was_cancelled": False, "updated_at": "2025-03-01T00:00:00Z"},
        {"id": 3, "result": [], "was_cancelled": True, "updated_at": "2025-05-01T00:00:00Z"}]
    [outcome] = ls.tasks_to_documents([task])
    assert outcome.document.facts[0].metric == "other"


def test_a_cancelled_task_stays_out_even_with_predictions():
    task = ls.document_to_task(synthetic_doc())[0]
    task["annotations"] = [{"id": 1, "result": [], "was_cancelled": True}]
    [outcome] = ls.tasks_to_documents([task], use_predictions=True)
    assert outcome.document is None and "cancelled" in outcome.skipped


# --- what annotators type -------------------------------------------------------------------

def test_given_norms_are_kept_and_missing_ones_normalised():
    result = _gold_result()
    start, end = _span("1 Mei 2025")
    result.append({"id": "T3", "from_name": ls.NORM, "to_name": "text", "type": "textarea",
                   "value": {"start": start, "end": end, "text": ["-"]}})
    start, end = _span("98 persen")
    result.append({"id": "T5", "from_name": ls.NORM, "to_name": "text", "type": "textarea",
                   "value": {"start": start, "end": end, "text": ["98,5"]}})
    [outcome] = ls.tasks_to_documents([_annotated_task(result)])
    doc = outcome.document
    assert outcome.problems == []
    assert doc.entities[2].norm is None  # the DATE, overridden with "-"
    assert doc.entities[4].norm == 98.5
    assert doc.entities[0].norm == "Kabupaten Lembah Hijau"  # exported as an override
    assert doc.entities[1].norm == 96.5


def test_spans_lose_surrounding_whitespace_and_ids_follow_text_order():
    start, end = _span("Ani Lestari")
    result = [{"id": "zz", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": start - 1, "end": end + 1,
                         "text": TEXT[start - 1:end + 1], "labels": ["OFFICIAL"]}},
              {"id": "aa", "from_name": "label", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 7, "text": "Cakupan", "labels": ["REGION"]}}]
    [outcome] = ls.tasks_to_documents([_annotated_task(result)])
    assert [(e.id, e.start, e.end, e.label) for e in outcome.document.entities] == [
        ("T1", 0, 7, "REGION"), ("T2", start, end, "OFFICIAL")]


def _problems(result: list) -> list[str]:
    [outcome] = ls.tasks_to_documents([_annotated_task(result)])
    assert outcome.document is None
    assert outcome.name == "task 7 (syn-1)"
    return outcome.problems


def test_every_problem_is_named():
    result = _gold_result()
    metric = next(r for r in result if r.get("from_name") == ls.METRIC)
    result.remove(metric)
    assert _problems(result) == [f"PERCENT '96,5 persen' at {metric['value']['start']}-"
                                 f"{metric['value']['end']}: needs one metric of coverage, "
                                 "activity, inactive, other, has []"]

    result = _gold_result()
    result.append(ls._relation("T1", "T4", "region"))
    assert "a link goes from a PERCENT to a REGION or a DATE" in _problems(result)[0]

    result = _gold_result()
    result.append(ls._relation("T6", "T1", "date"))
    assert "is labelled ['date'], but links a REGION (label it 'region')" in _problems(result)[0]

    result = _gold_result()
    result.append({"id": "D2", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 7, "text": "Cakupan", "labels": ["DATE"]}})
    result.append({"from_id": "T2", "to_id": "D2", "type": "relation", "labels": ["date"]})
    assert any("linked to 2 dates" in p for p in _problems(result))

    result = _gold_result()
    result[0]["value"]["text"] = "Lembah Hijau Raya"
    assert "span text 'Lembah Hijau Raya' is not the task text" in _problems(result)[0]

    result = _gold_result()
    result[0]["value"]["labels"] = ["PLACE"]
    assert "needs exactly one label of REGION, OFFICIAL, PERCENT, DATE" in _problems(result)[0]

    result = _gold_result()
    start, end = _span("Lembah Hijau")
    result.append({"id": "T1", "from_name": ls.METRIC, "to_name": "text", "type": "choices",
                   "value": {"start": start, "end": end, "choices": ["coverage"]}})
    assert "has metric: only a PERCENT carries a fact" in _problems(result)[0]

    result = _gold_result() + [{"id": "x", "from_name": "sentiment", "type": "choices"}]
    assert "unknown result (from_name 'sentiment'" in _problems(result)[0]

    result = _gold_result()
    result.append({"id": "O", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 15, "end": 30, "text": TEXT[15:30], "labels": ["OFFICIAL"]}})
    assert any("overlap" in p for p in _problems(result))  # the project's validator speaks

    result = _gold_result()
    start, end = _span("96,5 persen")
    result.append({"id": "T2", "from_name": ls.NORM, "to_name": "text", "type": "textarea",
                   "value": {"start": start, "end": end, "text": ["banyak"]}})
    assert "PERCENT '96,5 persen': norm 'banyak' is not a number" in _problems(result)


def test_a_task_without_text_or_a_repeated_document_id_fails():
    good = _annotated_task(_gold_result())
    outcomes = ls.tasks_to_documents([good, copy.deepcopy(good), {"id": 9, "data": {}}])
    assert outcomes[0].document is not None
    assert outcomes[1].problems == ["document id 'syn-1' was already imported from task 7 "
                                    "(syn-1)"]
    assert outcomes[2].problems == ["data.text is missing or not a string"]


# --- the commands ---------------------------------------------------------------------------

def test_import_writes_the_good_tasks_names_the_bad_and_exits_1(tmp_path, capsys):
    bad = _gold_result()
    bad.remove(next(r for r in bad if r.get("from_name") == ls.METRIC))
    unannotated = ls.document_to_task(synthetic_doc())[0]
    unannotated["id"] = 3
    tasks = [_annotated_task(_gold_result()), {**_annotated_task(bad), "id": 8},
             unannotated]
    tasks[1]["data"]["id"] = "syn-2"
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    out_path = tmp_path / "gold.jsonl"
    assert main(["import", str(export), "-o", str(out_path)]) == 1
    out, err = capsys.readouterr()
    assert [d.id for d in read_jsonl(out_path)] == ["syn-1"]
    assert f"{export}: task 8 (syn-2): PERCENT '96,5 persen'" in err
    assert f"{export}: task 3 (syn-1): skipped: no completed annotation" in err
    assert "3 task(s): 1 imported, 1 failed, 1 skipped" in out


def test_import_refuses_what_is_not_json(tmp_path, capsys):
    export = tmp_path / "export.json"
    export.write_text("not json", encoding="utf-8")
    assert main(["import", str(export), "-o", str(tmp_path / "gold.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_export_leaves_out_tag_error_lines_and_says_so(tmp_path, capsys):
    tagged = tmp_path / "tagged.jsonl"
    tagged.write_text(json.dumps(synthetic_doc().to_dict()) + "\n"
                      + json.dumps({"id": "x", "source": "x.txt", "error": "empty file"}) + "\n",
                      encoding="utf-8")
    tasks = tmp_path / "tasks.json"
    assert main(["export", str(tagged), "-o", str(tasks)]) == 1
    assert "'x' could not be tagged (empty file); left out" in capsys.readouterr().err
    [task] = json.loads(tasks.read_text(encoding="utf-8"))
    assert task["data"]["id"] == "syn-1" and task["predictions"][0]["result"]
