"""Annotate next: each term of the priority, the order, the reasons, and the command — on
short texts written for these tests."""

import json

import pytest

from pipeline.cli import main
from pipeline.document import Document, Entity, Fact, write_jsonl
from pipeline.rank import rank, score_document, title, training_data

SEEN_TEXT = ("Cakupan JKN Kabupaten Lembah Hijau\n\nCakupan kepesertaan JKN di Lembah Hijau "
             "mencapai 96 persen.")
NEW_TEXT = ("Klaim Rumah Sakit Tapal Batas Melonjak\n\nKlaim peserta JKN di Tapal Batas naik, "
            "cakupan 91 persen.")


def _doc(doc_id: str, text: str, spans: list[tuple[str, str, object, float | None]],
         facts: list[Fact] | None = None) -> Document:
    entities = []
    for i, (surface, label, norm, score) in enumerate(spans, 1):
        start = text.index(surface)
        entities.append(Entity(f"T{i}", start, start + len(surface), label, norm, score))
    return Document(doc_id, text, entities=entities, facts=facts or [])


@pytest.fixture
def seen():
    gold = _doc("g", SEEN_TEXT, [("Lembah Hijau", "REGION", "Kabupaten Lembah Hijau", None),
                                 ("96 persen", "PERCENT", 96.0, None)],
                [Fact("T2", "coverage", False, "T1", "Kabupaten Lembah Hijau")])
    return training_data([gold])


def _new(scores: tuple[float, float, float], region: str = "Kabupaten Tapal Batas") -> Document:
    span_a, span_b, fact = scores
    return _doc("n", NEW_TEXT, [("Tapal Batas", "REGION", region, span_a),
                                ("91 persen", "PERCENT", 91.0, span_b)],
                [Fact("T2", "coverage", False, "T1", region, score=fact)])


def test_each_term_of_the_formula(seen):
    learned = _new((0.9, 0.7, 0.4))
    rules = _doc("n", NEW_TEXT, [("Tapal Batas", "REGION", "Kabupaten Tapal Batas", None)])
    ranked = score_document(learned, rules, seen)
    terms = ranked.terms
    assert terms["span_uncertainty"] == pytest.approx((0.1 + 0.3) / 2)
    assert terms["fact_uncertainty"] == pytest.approx(0.6)
    # spans: 1 shared of 2 + 1 → F1 2/3; facts: none shared → F1 0
    assert terms["disagreement"] == pytest.approx(((1 - 2 / 3) + 1.0) / 2)
    assert terms["unseen_regions"] == 1.0
    # title words: klaim, rumah, sakit, tapal, batas, melonjak — none in the training text
    assert terms["unseen_title_words"] == 1.0
    assert ranked.score == pytest.approx(0.2 + 0.6 + terms["disagreement"] + 1.0)


def test_reasons_say_why_in_words_biggest_first(seen):
    learned = _new((0.9, 0.7, 0.4))
    rules = _doc("n", NEW_TEXT, [("Tapal Batas", "REGION", "Kabupaten Tapal Batas", None)])
    reasons = score_document(learned, rules, seen).reasons
    # by what each adds to the score: fact scores 0.6, fact disagreement 0.5, ...
    assert reasons[0].startswith("fact scores:")
    assert reasons[1].startswith("learned and rule paths disagree on 1 of 1 facts, for "
                                 "'91 persen'")
    assert reasons[-1].startswith("learned and rule paths disagree on 1 of 2 spans")
    assert "only learned: '91 persen' PERCENT" in " ".join(reasons)
    assert "fact scores: mean 0.40 over 1 facts; lowest '91 persen' (coverage, Kabupaten "\
           "Tapal Batas) 0.40" in reasons
    assert "regions not in the training data: Kabupaten Tapal Batas" in reasons
    assert any(r.startswith("title words not in the training data: batas, klaim, melonjak")
               for r in reasons)


def test_agreement_and_known_names_rank_below_doubt_and_novelty(seen):
    sure = _doc("a-sure", "Cakupan JKN di Lembah Hijau\n\nCakupan di Lembah Hijau 96 persen.",
                [("Lembah Hijau", "REGION", "Kabupaten Lembah Hijau", 1.0),
                 ("96 persen", "PERCENT", 96.0, 1.0)],
                [Fact("T2", "coverage", False, "T1", "Kabupaten Lembah Hijau", score=1.0)])
    unsure = _new((0.6, 0.5, 0.3))
    unsure.id = "b-unsure"
    off_genre = _doc("c-off", "Festival kuliner ramai\n\nWarga memadati alun-alun.", [])
    ranked, known = rank([sure, unsure, off_genre], [sure, unsure, off_genre], seen)
    assert known == []
    assert [r.id for r in ranked][0] == "b-unsure"
    by_id = {r.id: r for r in ranked}
    assert by_id["a-sure"].score == 0.0 and by_id["a-sure"].reasons == []
    assert by_id["c-off"].terms["disagreement"] == 0.0
    assert by_id["c-off"].reasons[-1] == ("no entities found by either path: probably "
                                          "outside the genre")


def test_annotated_texts_are_left_out(seen):
    already = _doc("again", SEEN_TEXT, [])
    ranked, known = rank([already], [already], seen)
    assert ranked == [] and known == ["again"]


def test_title_is_meta_title_else_the_first_line_of_three_words():
    assert title(Document("t", "JAKARTA\nCakupan JKN Naik Lagi\nisi")) == "Cakupan JKN Naik Lagi"
    assert title(Document("t", "x y z", meta={"title": "Judul Asli"})) == "Judul Asli"


def test_rank_command_writes_the_queue_with_scores_and_reasons(tmp_path, capsys):
    train = tmp_path / "train.jsonl"
    write_jsonl([_doc("g", SEEN_TEXT, [("Lembah Hijau", "REGION", "Kabupaten Lembah Hijau", None),
                                       ("96 persen", "PERCENT", 96.0, None)],
                      [Fact("T2", "coverage", False, "T1", "Kabupaten Lembah Hijau")])], train)
    config = tmp_path / "config.toml"
    config.write_text(f'[data]\ntrain = ["{train}"]\n', encoding="utf-8")
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "new.txt").write_text(NEW_TEXT, encoding="utf-8")
    (articles / "seen.txt").write_text(SEEN_TEXT, encoding="utf-8")
    (articles / "empty.txt").write_text("", encoding="utf-8")
    queue = tmp_path / "queue.jsonl"
    assert main(["rank", str(articles), "-o", str(queue), "--model", "rules",
                 "--config", str(config)]) == 1  # the empty file is named
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    assert [(r["rank"], r["id"]) for r in rows] == [(1, "new")]
    assert set(rows[0]["terms"]) == {"span_uncertainty", "fact_uncertainty", "disagreement",
                                     "unseen_regions", "unseen_title_words"}
    assert rows[0]["score"] > 0 and rows[0]["reasons"]
    assert rows[0]["source"].endswith("new.txt")
    assert "seen: already in the training data; not ranked" in err
    assert "empty.txt" in err
    assert "ranked 1 article(s)" in out
