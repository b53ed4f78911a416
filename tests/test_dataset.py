"""The analyst's dataset: consolidation rules, the latest view, the files, the command."""

import csv
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.dataset import Consolidator, consolidate, latest, merge_roundings
from pipeline.document import Document, Entity, Fact, write_jsonl
from pipeline.report import FactRow
from pipeline.report.dataset_files import CSV_COLUMNS, write_dataset

REPO = Path(__file__).resolve().parent.parent


def row(value: float, doc: str = "a", *, metric: str = "coverage", target: bool = False,
        region: str | None = "Kabupaten Rembang", code: str | None = "33.17",
        date: str | None = "2024-01-01", segment: str | None = None,
        published: str | None = None, warnings: list[str] | None = None,
        officials: list[str] | None = None, start: int = 0) -> FactRow:
    return FactRow(doc_id=doc, value=value, metric=metric, target=target, segment=segment,
                   region=region, region_norm=region, region_code=code, date=date,
                   sentence=f"Cakupan {value}.", score=None, warnings=list(warnings or []),
                   title=f"Berita {doc}", url=f"https://berita.example/{doc}",
                   published=published, start=start, end=start + 5, sentence_start=0,
                   officials=list(officials or []))


def observations(*rows: FactRow):
    consolidator = Consolidator()
    for fact in rows:
        consolidator.add(fact)
    return consolidator.observations()


@pytest.mark.parametrize(("values", "joins"), [
    ([7400, 7420], {7400: 7420}),  # 74 of 74,2
    ([8560, 8561], {8560: 8561}),  # 85,6 of 85,61
    ([7400, 7380, 7420], {7400: 7400}),  # 74 rounds two values: it stays alone
    ([7400, 7450], {7400: 7450}), ([7500, 7450], {7500: 7450}),  # a tie counts either way
    ([7400, 7460], {7400: 7400}),  # 74,6 rounds to 75
    ([7400, 7420, 7423], {7400: 7423, 7420: 7423}),  # a chain ends at the most precise
    ([7400, 7500], {7400: 7400, 7500: 7500}),  # two whole numbers are two values
])
def test_a_rounding_joins_the_one_more_precise_value_it_rounds(values, joins):
    merged = merge_roundings(values)
    for value, root in joins.items():
        assert merged[value] == root


def test_restatements_are_one_observation_with_every_source():
    rows = observations(row(95.26, "a", start=10), row(95.26, "a", start=80),
                        row(95.26, "b", published="2024-02-01"), row(95.0, "c"),
                        row(95.3, "c", start=40))
    assert len(rows) == 1
    obs = rows[0]
    assert (obs.value, obs.values_stated, obs.mentions, obs.documents) == \
        (95.26, [95.26, 95.3, 95.0], 5, 3)
    assert not obs.conflict and obs.date_source == "text"
    assert [(s.doc_id, s.start, s.value) for s in obs.sources] == \
        [("a", 10, 95.26), ("a", 80, 95.26), ("b", 0, 95.26), ("c", 40, 95.3), ("c", 0, 95.0)]
    assert obs.sources[2].title == "Berita b" and obs.sources[2].url.endswith("/b")
    assert obs.sources[2].published == "2024-02-01"
    assert (obs.region_id, obs.province) == ("33.17", "Jawa Tengah")


def test_different_values_for_one_key_are_kept_and_flagged():
    rows = observations(row(95.26, "a"), row(97.1, "b"), row(97.1, "c"))
    assert [(o.value, o.mentions, o.conflict, o.conflict_values) for o in rows] == \
        [(95.26, 1, True, [97.1]), (97.1, 2, True, [95.26])]
    assert rows[0].warnings == ["conflict: coverage for Kabupaten Rembang on 2024-01-01 is "
                                "also reported as 97.1% (b)"]


def test_conflict_messages_name_targets_regionless_figures_and_at_most_three_others():
    targets = observations(row(98.0, "a", target=True, date=None),
                           row(95.0, "b", target=True, date=None))
    assert targets[0].warnings == ["conflict: coverage target for Kabupaten Rembang (no date) "
                                   "is also reported as 98% (a)"]
    many = observations(*(row(value, doc, code=None, region=None, segment="PBPU")
                          for value, doc in ((90.0, "a"), (91.0, "b"), (92.0, "c"),
                                             (93.0, "d"), (94.0, "e"))))
    assert many[0].warnings == ["conflict: coverage for (no region) PBPU on 2024-01-01 is "
                                "also reported as 91% (b), 92% (c), 93% (d) and 1 more"]
    assert many[0].conflict_values == [91.0, 92.0, 93.0, 94.0]


def test_the_key_separates_metric_target_segment_date_and_region():
    rows = observations(row(73.94, segment="PBI APBD", metric="activity"),
                        row(77.66, segment="PBI APBN", metric="activity"),
                        row(70.95, metric="activity"), row(98, target=True),
                        row(98, date="2024-02-01"), row(98, code=None, region="Indonesia"))
    assert len(rows) == 6 and not any(o.conflict for o in rows)
    assert rows[-1].region_id == "Indonesia" and rows[-1].province is None


def test_undated_figures_keep_the_date_empty_and_take_the_earliest_publication_date():
    undated, = observations(row(95.26, "a", date=None, published="2024-03-05"),
                            row(95.26, "b", date=None, published="2024-02-01"),
                            row(95.26, "c", date=None))
    assert (undated.date, undated.date_source, undated.published, undated.when) == \
        (None, "published", "2024-02-01", "2024-02-01")
    nothing, = observations(row(95.26, date=None))
    assert (nothing.date, nothing.date_source, nothing.published) == (None, None, None)


def test_warnings_carry_over_and_activity_above_coverage_is_checked_across_articles():
    over = "coverage_over_100: coverage 118.09% is above 100% (possibly double-counted data)"
    rows = observations(row(118.09, "a", warnings=[over]), row(118.09, "b", warnings=[over]),
                        row(81.0, "c", metric="activity", code="62", region="Kalteng"),
                        row(80.0, "d", code="62", region="Kalteng"))
    by_value = {o.value: o for o in rows}
    assert by_value[118.09].warnings == [over]
    assert by_value[81.0].warnings == ["activity_above_coverage: activity 81% is above "
                                       "coverage 80% in d for Kalteng on 2024-01-01"]


def test_latest_is_the_latest_measured_value_per_region_metric_and_segment():
    rows = observations(row(90.0, "a", date="2023-06-01"), row(95.26, "b", date="2024-01-01"),
                        row(98.0, "c", date="2025-01-01", target=True),
                        row(96.0, "d", date=None, published="2024-05-01"),
                        row(70.0, "e", metric="activity", date="2023-01-01"),
                        row(71.0, "f", metric="activity", date="2023-01-01"),
                        row(71.0, "g", metric="activity", date="2023-01-01"))
    newest = latest(rows)
    assert [(o.metric, o.value, o.when, o.conflict, o.conflict_values) for o in newest] == [
        ("activity", 71.0, "2023-01-01", True, [70.0]),  # more mentions of the same date
        ("coverage", 96.0, "2024-05-01", False, []),  # undated, placed at its publication
    ]
    assert not any(o is r for o in newest for r in rows)  # copies: the dataset is unchanged


def test_consolidation_of_documents_credits_officials_in_the_sentence_or_paragraph():
    text = ("Cakupan Rembang 95,26 persen. Itu kata Bupati Hafidz.\n"
            "Cakupan Rembang 95,26 persen, ujar Sekda Fahrudin.")
    surfaces = [("R1", "Rembang", "REGION", "Kabupaten Rembang"),
                ("P1", "95,26 persen", "PERCENT", 95.26), ("O1", "Hafidz", "OFFICIAL", "Hafidz"),
                ("R2", "Rembang", "REGION", "Kabupaten Rembang"),
                ("P2", "95,26 persen", "PERCENT", 95.26),
                ("O2", "Fahrudin", "OFFICIAL", "Fahrudin")]
    doc = Document("rembang", text, meta={"title": "Rembang", "published": "2022-08-19"})
    cursor = 0
    for eid, surface, label, norm in surfaces:
        start = text.index(surface, cursor)
        doc.entities.append(Entity(eid, start, start + len(surface), label, norm))
        cursor = start + len(surface)
    doc.facts = [Fact("P1", "coverage", False, "R1", "Kabupaten Rembang", region_code="33.17"),
                 Fact("P2", "coverage", False, "R2", "Kabupaten Rembang", region_code="33.17")]
    obs, = consolidate([doc])
    assert (obs.mentions, obs.documents, obs.published) == (2, 1, "2022-08-19")
    assert obs.officials == ["Hafidz", "Fahrudin"]  # paragraph, then sentence
    assert [s.officials for s in obs.sources] == [["Hafidz"], ["Fahrudin"]]


def _read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        return list(reader)


def test_csv_lists_sources_line_by_line_keeps_codes_text_and_neutralises_formulas(tmp_path):
    a = row(101.75, "=cmd|' /C calc'!A0", code="62.10", region="Kabupaten Gunung Mas")
    rows = observations(a, row(101.75, "b", code="62.10", region="Kabupaten Gunung Mas",
                                start=7))
    path = tmp_path / "dataset.csv"
    write_dataset(rows, path, "csv")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b'"62.10","Kabupaten Gunung Mas","62.10"' in raw  # quoted: text to LibreOffice
    assert b",101.75," in raw  # a number stays a number
    (only,) = _read_csv(path)
    assert only["source_ids"].split("\n") == ["'=cmd|' /C calc'!A0", "b"]
    assert only["source_offsets"] == "0-5\n7-12"
    assert only["source_titles"].split("\n")[1] == "Berita b"
    assert (only["mentions"], only["documents"], only["conflict"]) == ("2", "2", "false")

    write_dataset(rows, path, "csv", bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    write_dataset(rows, path, "csv", excel=True)
    (excel,) = _read_csv(path, "utf-8-sig")
    assert (excel["region_id"], excel["region_code"]) == ('="62.10"', '="62.10"')


def test_parquet_and_jsonl_keep_lists_and_sources(tmp_path):
    import pyarrow.parquet as pq

    rows = observations(row(95.26, "a"), row(95.0, "b"), row(97.5, "c"))
    write_dataset(rows, tmp_path / "d.parquet", "parquet")
    table = pq.read_table(tmp_path / "d.parquet").to_pylist()
    assert [(r["value"], r["values_stated"], r["conflict"]) for r in table] == \
        [(95.26, [95.26, 95.0], True), (97.5, [97.5], True)]
    assert table[0]["region_code"] == "33.17" and table[0]["sources"][1]["doc_id"] == "b"
    write_dataset(rows, tmp_path / "d.jsonl", "jsonl")
    lines = [json.loads(line) for line in (tmp_path / "d.jsonl").read_text().splitlines()]
    assert lines[0]["sources"][0]["url"] == "https://berita.example/a"
    assert [(r["value"], r["values_stated"], r["conflict_values"], len(r["sources"]))
            for r in lines] == [(95.26, [95.26, 95], [97.5], 2), (97.5, [97.5], [95.26], 1)]


def test_the_dataset_command_on_the_seeds_gives_rembang_once(tmp_path, capsys):
    """The issue's acceptance, with the rule tagger (fast, no model to load)."""
    tagged = tmp_path / "out.jsonl"
    assert main(["tag", str(REPO / "seeds"), "--model", "rules", "-o", str(tagged)]) == 0
    out = tmp_path / "dataset.csv"
    assert main(["dataset", str(tagged), "-o", str(out)]) == 0
    assert f"wrote 47 observations to {out}" in capsys.readouterr().out
    rows = _read_csv(out)
    rembang = [r for r in rows if r["region"] == "Kabupaten Rembang" and r["value"] == "95.26"]
    assert len(rembang) == 1 and int(rembang[0]["mentions"]) >= 3
    assert len(set(rembang[0]["source_sentences"].split("\n"))) == int(rembang[0]["mentions"])
    segments = {r["segment"] for r in rows if r["region_code"] == "62"
                and r["metric"] == "activity"}
    assert {"PBI APBN", "PBI APBD", "PBPU", "BP", "PPU BU", "PPU PN", ""} <= segments
    keys = [(r["region_id"], r["metric"], r["target"], r["segment"], r["date"], r["value"])
            for r in rows]
    assert len(keys) == len(set(keys))  # no duplicate rows

    latest_path = tmp_path / "latest.parquet"
    assert main(["dataset", str(tagged), "-o", str(latest_path), "--view", "latest"]) == 0
    assert "latest values" in capsys.readouterr().out and latest_path.stat().st_size > 0


def test_the_dataset_command_refuses_bad_inputs_and_outputs(tmp_path, capsys):
    tagged = tmp_path / "out.jsonl"
    write_jsonl([Document("a", "teks")], tagged)
    assert main(["dataset", str(tagged), "-o", str(tagged)]) == 2
    assert "is an input" in capsys.readouterr().err
    assert main(["dataset", str(tagged), "-o", str(tmp_path / "d.xlsx")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["dataset", str(tmp_path / "hilang.jsonl"), "-o", str(tmp_path / "d.csv")]) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert main(["dataset", str(bad), "-o", str(tmp_path / "d.csv")]) == 2
    assert f"{bad}:1: not JSON" in capsys.readouterr().err


def test_the_benchmark_prints_its_figures(capsys):
    assert main(["dataset", "--bench", "400"]) == 0
    out = capsys.readouterr().out
    assert "      100 facts" in out and "      400 facts" in out
    assert "(1.0 = linear)" in out
