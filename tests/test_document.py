import argparse
import copy
import json

import pytest

from pipeline.document import (
    Document,
    Entity,
    Fact,
    Problem,
    document_line,
    read_jsonl,
    validate_file,
    validate_lines,
    write_jsonl,
)

TEXT = "Di Kaltim, cakupan JKN 85,61 persen per 1 Mei 2025 kata Sri Wahyuni."


def span(mention: str) -> tuple[int, int]:
    start = TEXT.index(mention)
    return start, start + len(mention)


def entity(eid: str, mention: str, label: str, norm) -> dict:
    start, end = span(mention)
    return {"id": eid, "start": start, "end": end, "label": label, "norm": norm}


def valid() -> dict:
    """A document with every label and one fact that the validator accepts."""
    return {
        "id": "d1", "text": TEXT, "meta": {"source": "x.txt"},
        "entities": [
            entity("T1", "Kaltim", "REGION", "Kalimantan Timur"),
            entity("T2", "85,61 persen", "PERCENT", 85.61),
            entity("T3", "1 Mei 2025", "DATE", "2025-05-01"),
            entity("T4", "Sri Wahyuni", "OFFICIAL", "Sri Wahyuni"),
        ],
        "facts": [{"percent": "T2", "metric": "coverage", "target": False, "region": "T1",
                   "region_norm": "Kalimantan Timur", "date": "T3", "segment": None}],
    }


def problems_of(*docs: dict | str) -> list[Problem]:
    lines = [d if isinstance(d, str) else json.dumps(d) for d in docs]
    return validate_lines(lines, "gold.jsonl")


def mutated(change) -> dict:
    doc = copy.deepcopy(valid())
    change(doc)
    return doc


def set_entity(index: int, **values):
    return lambda doc: doc["entities"][index].update(values)


def set_fact(**values):
    return lambda doc: doc["facts"][0].update(values)


def test_valid_document_has_no_problems():
    assert problems_of(valid()) == []


@pytest.mark.parametrize("change, reason", [
    (set_entity(0, end=len(TEXT) + 5), "offsets"),
    (set_entity(0, start=-1), "outside the text"),
    (set_entity(0, start=span("Kaltim")[0] - 1), "whitespace"),
    (set_entity(0, end=span("Kaltim,")[1] + 1), "whitespace"),
    (set_entity(0, start="2"), "offsets must be integers"),
    (set_entity(3, label="PERSON"), "unknown label 'PERSON'"),
    (set_entity(1, norm="85,61"), "wrong type for PERCENT"),
    (set_entity(1, norm=True), "wrong type for PERCENT"),
    (set_entity(1, norm=None), "wrong type for PERCENT"),
    (set_entity(0, norm=64), "wrong type for REGION"),
    (set_entity(0, norm=None), "wrong type for REGION"),
    (set_entity(3, norm=False), "wrong type for OFFICIAL"),
    (lambda doc: doc["entities"].append(entity("T5", "Sri", "OFFICIAL", None)), "overlap"),
    (lambda doc: doc["entities"].append(entity("T4", "JKN", "OFFICIAL", None)),
     "duplicate entity id 'T4'"),
    (lambda doc: doc["entities"].append("T9"), "entity is not an object"),
    (lambda doc: doc["entities"].append({"id": "T9", "start": 0}), "lacks end, label"),
    (lambda doc: doc.update(facts=[]), "PERCENT T2 has no fact"),
    (lambda doc: doc["facts"].append(dict(doc["facts"][0], percent=None)), "no percent entity"),
    (set_fact(region="T9"), "region points at missing entity 'T9'"),
    (set_fact(date="T7"), "date points at missing entity 'T7'"),
    (set_fact(region="T3"), "region points at T3 which is DATE, not REGION"),
    (set_fact(date="T1"), "date points at T1 which is REGION, not DATE"),
    (set_fact(metric="cakupan"), "unknown metric 'cakupan'"),
    (set_fact(metric=None), "unknown metric None"),
    (set_fact(segment="PBI"), "unknown segment 'PBI'"),
    (set_fact(target="false"), "target must be true or false"),
    (set_fact(target=0), "target must be true or false"),
    (set_fact(region_norm=64), "region_norm must be a string or null"),
    (lambda doc: doc["facts"].append(7), "fact 2 is not an object"),
    (set_entity(3, id=["T4"]), "entity id ['T4'] is not a non-empty string"),
    (set_entity(3, id={"id": "T4"}), "entity id {'id': 'T4'} is not a non-empty string"),
    (set_entity(3, id=4), "entity id 4 is not a non-empty string"),
    (set_fact(region=["T1"]), "region must be an entity id (a string), not ['T1']"),
    (set_fact(date={"id": "T3"}), "date must be an entity id (a string), not {'id': 'T3'}"),
])
def test_each_problem_is_reported_with_line_and_reason(change, reason):
    problems = problems_of(dict(valid(), id="d0"), mutated(change))
    assert len(problems) == 1, problems
    assert problems[0].line == 2
    assert problems[0].reason.startswith("d1: ")
    assert reason in problems[0].reason


def test_a_fact_percent_pointing_at_a_region_also_leaves_the_percent_without_fact():
    reasons = [p.reason for p in problems_of(mutated(set_fact(percent="T1")))]
    assert reasons == ["d1: fact 1: percent points at T1 which is REGION, not PERCENT",
                       "d1: PERCENT T2 has no fact"]


def test_problems_of_one_document_are_all_reported():
    def break_everything(doc):
        doc["entities"][0]["norm"] = 1
        doc["entities"][3]["label"] = "NAME"
        doc["facts"][0].update(metric="x", target="no")

    reasons = [p.reason for p in problems_of(mutated(break_everything))]
    assert len(reasons) == 4
    assert [r for r in reasons if "REGION" in r and "wrong type" in r]
    assert [r for r in reasons if "unknown label 'NAME'" in r]
    assert [r for r in reasons if "unknown metric 'x'" in r]
    assert [r for r in reasons if "target must be" in r]


def test_invalid_json_and_documents_without_id_or_text():
    problems = problems_of('{"id": "d1", "text": ', '[1, 2]', {"id": 3, "text": "x"},
                           {"id": "d4"})
    assert [p.line for p in problems] == [1, 2, 3, 4]
    assert problems[0].reason.startswith("invalid JSON")
    assert all(p.reason == "a document needs a string id and text" for p in problems[1:])


def test_duplicate_document_id_names_the_first_line():
    other = dict(valid(), id="d2")
    problems = problems_of(valid(), other, valid())
    assert [(p.line, p.reason) for p in problems] == [
        (3, "duplicate document id 'd1' (first on line 1)")]


def test_every_problem_in_a_file_is_reported_in_line_order():
    lines = [
        json.dumps(valid()),
        "{not json",
        "",
        json.dumps(mutated(set_entity(1, end=500))),
        json.dumps(mutated(lambda doc: doc.update(id="d2", facts=[]))),
        json.dumps(mutated(lambda doc: doc.update(id="d3"))),
        json.dumps(mutated(lambda doc: doc.update(id="d3"))),
    ]
    problems = validate_lines(lines, "gold.jsonl")
    assert [(p.path, p.line) for p in problems] == [("gold.jsonl", n) for n in (2, 4, 4, 5, 7)]
    assert problems[0].reason.startswith("invalid JSON")
    assert problems[1].reason == "duplicate document id 'd1' (first on line 1)"
    assert problems[2].reason == (f"d1: entity T2: offsets {span('85,61')[0]}-500 outside the "
                                  f"text (length {len(TEXT)})")
    assert problems[3].reason == "d2: PERCENT T2 has no fact"
    assert problems[4].reason == "duplicate document id 'd3' (first on line 6)"


def test_problem_prints_as_path_line_reason():
    assert str(Problem("a.jsonl", 3, "bad")) == "a.jsonl:3: bad"


def test_validate_file_reads_a_file(tmp_path):
    path = tmp_path / "gold.jsonl"
    broken = mutated(lambda doc: doc.update(id="d2", facts=[]))
    path.write_text(json.dumps(valid()) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    problems = validate_file(path)
    assert [(p.path, p.line) for p in problems] == [(str(path), 2)]


def test_validate_file_on_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    path = tmp_path / "nope.jsonl"
    problems = validate_file(path)
    assert len(problems) == 1
    assert problems[0].path == str(path)
    assert problems[0].line == 0
    assert problems[0].reason.startswith("cannot read")


def test_an_undecodable_byte_is_a_problem_of_its_line_and_the_other_lines_are_checked(tmp_path):
    path = tmp_path / "latin.jsonl"
    broken = mutated(lambda doc: doc.update(id="d2", facts=[]))
    path.write_bytes(json.dumps(valid()).encode() + b'\n{"id": "\xe9"}\n'
                     + json.dumps(broken).encode() + b"\n")
    assert [(p.line, p.reason) for p in validate_file(path)] == [
        (2, "not valid UTF-8 (undecodable byte at column 9); save it as UTF-8"),
        (3, "d2: PERCENT T2 has no fact"),
    ]


def test_a_list_or_object_where_an_id_belongs_is_a_problem_not_a_crash():
    lists = mutated(lambda doc: doc["facts"][0].update(percent=["T2"]))
    objects = mutated(lambda doc: doc["entities"][1].update(id={"T": 2}))
    document = dict(valid(), id=["d1"])
    assert [(p.line, p.reason) for p in problems_of(lists, objects, document)] == [
        (1, "d1: fact 1: percent must be an entity id (a string), not ['T2']"),
        (1, "d1: PERCENT T2 has no fact"),
        (2, "duplicate document id 'd1' (first on line 1)"),
        (2, "d1: entity id {'T': 2} is not a non-empty string"),
        (2, "d1: fact 1: percent points at missing entity 'T2'"),
        (3, "a document needs a string id and text"),
    ]


def test_validate_command_reports_file_and_line_for_an_unhashable_id(tmp_path, capsys):
    from pipeline.commands import validate

    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(mutated(set_fact(region=[1, 2]))) + "\n", encoding="utf-8")
    assert validate.run(argparse.Namespace(files=[str(path)])) == 1
    assert capsys.readouterr().err == (f"{path}:1: d1: fact 1: region must be an entity id "
                                       "(a string), not [1, 2]\n")


def test_boolean_end_offset_is_a_problem():
    problems = problems_of(mutated(set_entity(0, start=0, end=True)))
    assert [p for p in problems if "offsets must be integers" in p.reason]


def test_every_overlapping_pair_is_reported():
    def nest(doc):
        doc["entities"] = [entity("T1", "Di Kaltim, cakupan JKN", "OFFICIAL", None),
                           entity("T2", "Kaltim", "REGION", "Kalimantan Timur"),
                           entity("T3", "JKN", "DATE", None)]
        doc["facts"] = []

    reasons = {p.reason for p in problems_of(mutated(nest))}
    assert reasons == {"d1: entities T1 and T2 overlap", "d1: entities T1 and T3 overlap"}


@pytest.mark.parametrize("key", ["entities", "facts"])
def test_null_entity_or_fact_list_is_a_problem(key):
    problems = problems_of(mutated(lambda doc: doc.update({key: None})))
    assert [p.line for p in problems] == [1]


# --- dataclasses and JSONL ---------------------------------------------------------------

def full_document() -> Document:
    return Document(
        "d1", TEXT, {"source": "x.txt", "synthetic": True},
        entities=[Entity("T1", *span("Kaltim"), "REGION", "Kalimantan Timur", 0.9, "64"),
                  Entity("T2", *span("85,61 persen"), "PERCENT", 85.61),
                  Entity("T4", *span("Sri Wahyuni"), "OFFICIAL")],
        facts=[Fact("T2", "activity", True, "T1", "Kalimantan Timur", None, "PBI APBN",
                    score=0.25, region_code="64", warnings=["odd value"])],
    )


def test_to_dict_keeps_score_code_and_warnings():
    data = full_document().to_dict()
    assert data["entities"][0] == {"id": "T1", "start": 3, "end": 9, "label": "REGION",
                                   "norm": "Kalimantan Timur", "code": "64", "score": 0.9}
    assert data["facts"][0] == {
        "percent": "T2", "metric": "activity", "target": True, "region": "T1",
        "region_norm": "Kalimantan Timur", "date": None, "segment": "PBI APBN",
        "region_code": "64", "score": 0.25, "warnings": ["odd value"]}


def test_to_dict_omits_absent_score_code_and_warnings_but_keeps_null_norm():
    data = full_document().to_dict()
    assert data["entities"][2] == {"id": "T4", "start": span("Sri Wahyuni")[0],
                                   "end": span("Sri Wahyuni")[1], "label": "OFFICIAL",
                                   "norm": None}
    bare = Fact("T2", "coverage", False).to_dict()
    assert set(bare) == {"percent", "metric", "target", "region", "region_norm", "date",
                         "segment"}


def test_to_dict_rounds_scores_to_four_places():
    ent = Entity("T1", 0, 2, "REGION", "Aceh", score=0.123456)
    assert ent.to_dict()["score"] == 0.1235


def test_from_dict_round_trip():
    doc = full_document()
    again = Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again == doc
    assert again.to_dict() == doc.to_dict()


def test_from_dict_defaults_missing_optional_parts():
    doc = Document.from_dict({"id": "d", "text": "t", "meta": None})
    assert (doc.meta, doc.entities, doc.facts) == ({}, [], [])


def test_from_dict_raises_on_missing_keys():
    with pytest.raises(KeyError):
        Document.from_dict({"id": "d", "text": "t", "entities": [{"id": "T1"}]})


def test_entity_lookup_and_mention():
    doc = full_document()
    assert doc.entity("T2").label == "PERCENT"
    assert doc.entity("T9") is None
    assert doc.entity(None) is None
    assert doc.mention(doc.entity("T1")) == "Kaltim"


def test_jsonl_round_trip(tmp_path):
    docs = [full_document(), Document("d2", "Teks “kutip” é\nbaris dua")]
    path = tmp_path / "docs.jsonl"
    assert write_jsonl(docs, path) == 2
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == 2
    assert "“kutip” é" in text  # written as UTF-8, not \u escapes
    assert read_jsonl(path) == docs


def test_document_line_is_one_line():
    line = document_line(Document("d", "a\nb"))
    assert line.endswith("\n") and line.count("\n") == 1
    assert json.loads(line)["text"] == "a\nb"


def test_nan_and_infinity_are_written_as_null_by_every_document_writer(tmp_path):
    doc = Document("d", "Kaltim", meta={"x": float("nan"), "y": [float("inf")], "z": 1.5},
                   entities=[Entity("T1", 0, 6, "PERCENT", float("-inf"))])
    path = tmp_path / "docs.jsonl"
    write_jsonl([doc], path)
    for line in (document_line(doc), path.read_text(encoding="utf-8")):
        data = json.loads(line, parse_constant=lambda name: pytest.fail(f"bare {name}"))
        assert data["meta"] == {"x": None, "y": [None], "z": 1.5}
        assert data["entities"][0]["norm"] is None
    assert doc.meta["y"] == [float("inf")]  # the document itself is left as it was


def test_read_jsonl_skips_blank_lines_and_names_a_bad_line(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("\n" + document_line(Document("d1", "x")) + "\n", encoding="utf-8")
    assert [d.id for d in read_jsonl(path)] == ["d1"]
    path.write_text(document_line(Document("d1", "x")) + '{"id": "d2"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"docs\.jsonl:2: not a valid document"):
        read_jsonl(path)
