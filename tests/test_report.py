import csv

from pipeline.cli import main
from pipeline.document import Document, Entity, Fact, write_jsonl
from pipeline.report.csv_table import COLUMNS, FactsCsvWriter, write_facts_csv
from pipeline.report.html import render_report

TEXT = ("PALANGKA RAYA - Cakupan UHC sampai dengan 1 November 2023 di Provinsi Kalimantan "
        "Tengah mencapai 98,12%.\nDi Kabupaten Murung Raya cakupan mencapai 118,09%, "
        "kata Agus Sumarno. Target nasional 98 persen.")


def _entity(eid: str, surface: str, label: str, norm, code=None) -> Entity:
    start = TEXT.index(surface)
    return Entity(eid, start, start + len(surface), label, norm, code=code)


def kalteng(doc_id: str = "kalteng-1", text: str = TEXT) -> Document:
    doc = Document(id=doc_id, text=text, meta={"source": "seeds/001.txt"}, entities=[
        _entity("T1", "PALANGKA RAYA", "REGION", "Kota Palangka Raya", "62.71"),
        _entity("T2", "1 November 2023", "DATE", "2023-11-01"),
        _entity("T3", "Kalimantan Tengah", "REGION", "Kalimantan Tengah", "62"),
        _entity("T4", "98,12%", "PERCENT", 98.12),
        _entity("T5", "Murung Raya", "REGION", "Kabupaten Murung Raya", "62.12"),
        _entity("T6", "118,09%", "PERCENT", 118.09),
        _entity("T7", "Agus Sumarno", "OFFICIAL", "Agus Sumarno"),
        _entity("T8", "98 persen", "PERCENT", 98.0),
    ])
    doc.facts = [
        Fact("T4", "coverage", False, "T3", "Kalimantan Tengah", "T2", score=0.91,
             region_code="62"),
        Fact("T6", "coverage", False, "T5", "Kabupaten Murung Raya", "T2",
             region_code="62.12", warnings=["coverage_over_100: coverage 118.09% is above 100% "
                                            "(possibly double-counted data)"]),
        Fact("T8", "coverage", True, None, "Indonesia", None, segment="PBPU"),
    ]
    return doc


def _read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames) == COLUMNS
        return list(reader)


def test_csv_columns_and_values(tmp_path):
    path = tmp_path / "facts.csv"
    assert write_facts_csv([kalteng()], path) == 3
    rows = _read(path)
    assert rows[0] == {
        "doc_id": "kalteng-1", "value": "98.12", "metric": "coverage", "target": "false",
        "segment": "", "region": "Kalimantan Tengah", "region_norm": "Kalimantan Tengah",
        "region_code": "62", "date": "2023-11-01",
        "sentence": "PALANGKA RAYA - Cakupan UHC sampai dengan 1 November 2023 di Provinsi "
                    "Kalimantan Tengah mencapai 98,12%.",
        "score": "0.91", "warnings": "",
    }
    assert rows[1]["region"] == "Murung Raya"
    assert rows[1]["sentence"] == "Di Kabupaten Murung Raya cakupan mencapai 118,09%, kata " \
                                  "Agus Sumarno."
    assert rows[1]["warnings"].startswith("coverage_over_100: coverage 118.09%")
    assert (rows[2]["target"], rows[2]["segment"], rows[2]["region"], rows[2]["date"]) == \
        ("true", "PBPU", "", "")
    assert rows[2]["sentence"] == "Target nasional 98 persen."


def test_csv_adds_cross_document_warnings_joined(tmp_path):
    other = kalteng("kalteng-2")
    other.entities[3].norm = 97.5  # the same province and date, another value
    path = tmp_path / "facts.csv"
    with FactsCsvWriter(path) as writer:
        writer.write(kalteng())
        writer.write(other)
    rows = _read(path)
    assert [row["doc_id"] for row in rows] == ["kalteng-1"] * 3 + ["kalteng-2"] * 3
    assert rows[0]["warnings"] == ("conflict: coverage for Kalimantan Tengah on 2023-11-01 is "
                                   "also reported as 97.5% (kalteng-2)")
    assert rows[4]["warnings"] == ("coverage_over_100: coverage 118.09% is above 100% "
                                   "(possibly double-counted data)")


def test_csv_of_a_failed_stream_is_not_written(tmp_path):
    def docs():
        yield kalteng()
        raise RuntimeError("tagger failed")

    path = tmp_path / "facts.csv"
    try:
        write_facts_csv(docs(), path)
    except RuntimeError:
        pass
    assert not path.exists()


def test_html_escapes_article_text_and_keeps_line_breaks():
    doc = kalteng(text=TEXT + '\n<script>alert("x")</script>')
    doc.id = "<b>id</b>"
    page = render_report([doc])
    assert "<script>" not in page and "<b>id</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;id&lt;/b&gt;" in page
    assert "</mark>.\nDi " in page  # the line break survives; CSS pre-wrap shows it


def test_html_marks_entities_with_norm_tooltips_and_warnings():
    page = render_report([kalteng()])
    assert ('<mark class="region" title="REGION: Kabupaten Murung Raya (62.12)">Murung Raya'
            '<span class="tag">REGION</span></mark>') in page
    assert '<mark class="percent warned" title="PERCENT: 118.09\ncoverage_over_100:' in page
    assert '<tr class="warn">' in page and "<b>coverage_over_100</b>" in page
    summary = page[page.index("Facts by region and date"):page.index("<h2>Articles")]
    order = [summary.index(name) for name in  # province, its regency, then no code
             ("Kalimantan Tengah", "Kabupaten Murung Raya", "Indonesia")]
    assert order == sorted(order)
    assert '<a href="#doc-0">kalteng-1</a>' in summary
    assert "<script" not in page.lower() and "http" not in page  # self-contained


def test_report_command(tmp_path, capsys):
    source, output = tmp_path / "tagged.jsonl", tmp_path / "report.html"
    doc = kalteng()
    doc.facts[1].warnings = []  # the command adds the document checks itself
    write_jsonl([doc], source)
    assert main(["report", str(source), "-o", str(output)]) == 0
    assert "coverage_over_100" in output.read_text(encoding="utf-8")
    assert "3 fact(s), 1 with warnings" in capsys.readouterr().out
