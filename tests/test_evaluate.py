import copy
import json

import pytest

from pipeline.cli import main
from pipeline.document import Document, Entity, Fact, write_jsonl
from pipeline.evaluate import NONE, evaluate, format_report, region_key, seqeval_scores

TEXT = ("Di Kabupaten Banjar, kata Bupati Sri Wahyuni, cakupan JKN 85,614 persen "
        "dan keaktifan 70 persen per 1 Mei 2025.")


def ent(eid: str, mention: str, label: str, norm, text: str = TEXT) -> Entity:
    start = text.index(mention)
    return Entity(eid, start, start + len(mention), label, norm)


def gold_doc(doc_id: str = "d1") -> Document:
    return Document(doc_id, TEXT, entities=[
        ent("T1", "Banjar", "REGION", "Kabupaten Banjar"),
        ent("T2", "Sri Wahyuni", "OFFICIAL", "Sri Wahyuni"),
        ent("T3", "85,614 persen", "PERCENT", 85.614),
        ent("T4", "70 persen", "PERCENT", 70.0),
        ent("T5", "1 Mei 2025", "DATE", "2025-05-01"),
    ], facts=[
        Fact("T3", "coverage", False, "T1", "Kabupaten Banjar", "T5"),
        Fact("T4", "activity", False, "T1", "Kabupaten Banjar", "T5"),
    ])


def test_perfect_prediction_scores_one_everywhere():
    result = evaluate([gold_doc()], [gold_doc()])
    for table in (result["entities"], result["seqeval"]):
        assert all(s["f1"] == 1.0 for s in table["labels"].values())
        assert table["micro"] == pytest.approx(
            {**table["micro"], "precision": 1.0, "recall": 1.0, "f1": 1.0})
    assert result["entities"]["micro"]["support"] == 5
    assert result["seqeval"]["micro"]["support"] == 5
    facts = result["facts"]
    assert facts["without_date"]["f1"] == facts["with_date"]["f1"] == 1.0
    assert facts["per_metric"]["coverage"]["f1"] == facts["per_metric"]["activity"]["f1"] == 1.0
    assert facts["confusion"]["coverage"]["coverage"] == 1
    assert facts["confusion"]["activity"]["activity"] == 1


def test_shifted_span_is_both_false_positive_and_false_negative():
    pred = gold_doc()
    pred.entities[1] = ent("T2", "Sri", "OFFICIAL", "Sri")
    scores = evaluate([gold_doc()], [pred])["entities"]
    official = scores["labels"]["OFFICIAL"]
    assert (official["tp"], official["fp"], official["fn"]) == (0, 1, 1)
    assert scores["micro"]["precision"] == scores["micro"]["recall"] == 4 / 5
    assert scores["labels"]["REGION"]["f1"] == 1.0


def test_wrong_label_on_the_right_span_does_not_count():
    pred = gold_doc()
    pred.entities[4].label = "OFFICIAL"
    labels = evaluate([gold_doc()], [pred])["entities"]["labels"]
    assert labels["DATE"]["fn"] == 1 and labels["OFFICIAL"]["fp"] == 1


def test_missing_document_counts_as_misses_and_extra_is_ignored():
    other_text = Document("zz", "Teks lain tanpa angka.")
    result = evaluate([gold_doc("d1"), gold_doc("d2")], [gold_doc("d1"), other_text])
    assert result["documents"]["missing"] == ["d2"]
    assert result["documents"]["extra"] == ["zz"]
    assert result["documents"]["scored"] == 1
    micro = result["entities"]["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (5, 0, 5)
    assert result["seqeval"]["micro"]["recall"] == 0.5
    assert result["seqeval"]["micro"]["precision"] == 1.0
    assert result["facts"]["without_date"]["recall"] == 0.5
    assert result["facts"]["confusion"]["coverage"][NONE] == 1


def test_prediction_for_another_text_is_refused():
    pred = gold_doc()
    pred.text = pred.text.upper()
    with pytest.raises(ValueError, match="differs"):
        evaluate([gold_doc()], [pred])


def test_seqeval_is_strict_iob2():
    gold = [["B-REGION", "I-REGION", "O"]]
    starts_with_i = [["I-REGION", "I-REGION", "O"]]  # lenient (conlleval) would accept this
    assert seqeval_scores(gold, starts_with_i)["micro"]["f1"] == 0.0
    assert seqeval_scores(gold, gold)["micro"]["f1"] == 1.0


def test_seqeval_widens_a_predicted_span_that_cuts_a_word():
    pred = gold_doc()
    pred.entities[0] = ent("T1", "anja", "REGION", "Kabupaten Banjar")
    result = evaluate([gold_doc()], [pred])
    assert result["seqeval"]["labels"]["REGION"]["f1"] == 1.0
    assert result["entities"]["labels"]["REGION"]["f1"] == 0.0


def test_region_key_strips_prefix_and_case():
    assert region_key("Kabupaten Banjar") == region_key("banjar") == "banjar"
    assert region_key("Kota Samarinda") == "samarinda"
    assert region_key("Provinsi Kalimantan Timur") == "kalimantan timur"
    assert region_key(None) is None


def test_fact_value_rounded_and_region_prefix_ignored():
    pred = gold_doc()
    pred.entities[2].norm = 85.6140001
    for fact in pred.facts:
        fact.region_norm = "banjar"
    assert evaluate([gold_doc()], [pred])["facts"]["without_date"]["f1"] == 1.0
    pred.entities[2].norm = 85.62
    assert evaluate([gold_doc()], [pred])["facts"]["without_date"]["tp"] == 1


def test_date_counts_only_in_the_with_date_figure():
    pred = gold_doc()
    pred.facts[0].date = None
    facts = evaluate([gold_doc()], [pred])["facts"]
    assert facts["without_date"]["f1"] == 1.0
    assert (facts["with_date"]["tp"], facts["with_date"]["fp"], facts["with_date"]["fn"]) \
        == (1, 1, 1)


def test_one_fact_per_region_is_a_multiset():
    text = "Sleman dan Bantul mencapai 100%."
    entities = [ent("T1", "Sleman", "REGION", "Kabupaten Sleman", text),
                ent("T2", "Bantul", "REGION", "Kabupaten Bantul", text),
                ent("T3", "100%", "PERCENT", 100.0, text)]
    gold = Document("r", text, entities=entities, facts=[
        Fact("T3", "coverage", False, "T1", "Kabupaten Sleman"),
        Fact("T3", "coverage", False, "T2", "Kabupaten Bantul")])
    pred = copy.deepcopy(gold)
    pred.facts = [Fact("T3", "coverage", False, "T1", "Kabupaten Sleman")] * 3
    facts = evaluate([gold], [pred])["facts"]
    assert (facts["without_date"]["tp"], facts["without_date"]["fp"],
            facts["without_date"]["fn"]) == (1, 2, 1)
    assert facts["confusion"]["coverage"]["coverage"] == 1
    assert facts["confusion"]["coverage"][NONE] == 1
    assert facts["confusion"][NONE]["coverage"] == 2


def test_confusion_matrix_and_per_metric():
    pred = gold_doc()
    pred.facts[0].metric = "activity"  # 85.61 predicted as activity
    pred.facts[1].metric = "activity"
    pred.facts.append(Fact("T4", "other", False, None, None))  # region differs: unpaired
    facts = evaluate([gold_doc()], [pred])["facts"]
    assert facts["confusion"]["coverage"]["activity"] == 1
    assert facts["confusion"]["activity"]["activity"] == 1
    assert facts["confusion"][NONE]["other"] == 1
    assert sum(sum(row.values()) for row in facts["confusion"].values()) == 3
    per_metric = facts["per_metric"]
    assert (per_metric["coverage"]["support"], per_metric["coverage"]["recall"]) == (1, 0.0)
    assert per_metric["activity"]["precision"] == 0.5
    assert per_metric["other"]["fp"] == 1


def test_confusion_pairs_same_metric_first():
    pred = gold_doc()
    for fact in pred.facts:
        fact.percent = "T3"  # both predicted facts on one figure, in swapped order
    pred.facts.reverse()
    gold = gold_doc()
    gold.facts[1].percent = "T3"
    matrix = evaluate([gold], [pred])["facts"]["confusion"]
    assert matrix["coverage"]["coverage"] == matrix["activity"]["activity"] == 1
    assert matrix["coverage"]["activity"] == 0


def test_result_is_plain_json_and_report_renders():
    result = evaluate([gold_doc(), gold_doc("d2")], [gold_doc()])
    assert json.loads(json.dumps(result)) == result
    report = format_report(result)
    assert "seqeval, strict IOB2" in report and "missing from predictions" in report
    assert "with date" in report and NONE in report


def test_cli_exit_codes(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    write_jsonl([gold_doc()], gold)
    out = tmp_path / "scores.json"
    assert main(["evaluate", "--gold", str(gold), "--pred", str(gold), "--json", str(out)]) == 0
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["entities"]["micro"]["f1"] == 1.0 and saved["pred"] == str(gold)

    assert main(["evaluate", "--gold", str(tmp_path / "nope.jsonl"), "--pred", str(gold)]) == 2
    assert "no such file" in capsys.readouterr().err

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "d1", "text": "x", "entities": [{"id": "T1"}]}\n', encoding="utf-8")
    assert main(["evaluate", "--gold", str(gold), "--pred", str(bad)]) == 2
    assert "fails validation" in capsys.readouterr().err

    other = tmp_path / "other.jsonl"
    changed = gold_doc()
    changed.text = changed.text.replace("Di ", "DI ")
    write_jsonl([changed], other)
    assert main(["evaluate", "--gold", str(gold), "--pred", str(other)]) == 2

    assert main(["evaluate", "--gold", str(gold), "--model", str(tmp_path / "none")]) == 2


def test_documents_with_other_ids_pair_by_identical_text():
    """`jkn-ie tag seeds/` names documents after their files; the gold says seed-000."""
    renamed = gold_doc("000_4d62181232c53c6a")
    result = evaluate([gold_doc("seed-000")], [renamed])
    assert result["documents"]["missing"] == [] and result["documents"]["extra"] == []
    assert result["entities"]["micro"]["f1"] == 1.0
