import csv
import json
import re

from pipeline.cli import main
from pipeline.document import Document, Entity, Fact, write_jsonl
from pipeline.inputs import InputError
from pipeline.report.csv_table import COLUMNS, FactsCsvWriter, write_errors_csv, write_facts_csv
from pipeline.report.html import render_report

TEXT = ("PALANGKA RAYA - Cakupan UHC sampai dengan 1 November 2023 di Provinsi Kalimantan "
        "Tengah mencapai 98,12%.\nDi Kabupaten Murung Raya cakupan mencapai 118,09%, "
        "kata Agus Sumarno. Target nasional 98 persen.")


def _entity(eid: str, surface: str, label: str, norm, code=None) -> Entity:
    start = TEXT.index(surface)
    return Entity(eid, start, start + len(surface), label, norm, code=code)


def kalteng(doc_id: str = "kalteng-1", text: str = TEXT) -> Document:
    doc = Document(id=doc_id, text=text, meta={
        "source": "seeds/001.txt", "title": "Cakupan UHC Kalteng 98,12%",
        "url": "https://kalteng.example/berita/1", "published": "2023-11-28"}, entities=[
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
        "doc_id": "kalteng-1", "title": "Cakupan UHC Kalteng 98,12%",
        "url": "https://kalteng.example/berita/1", "published": "2023-11-28",
        "value": "98.12", "metric": "coverage", "target": "false",
        "segment": "", "region": "Kalimantan Tengah", "region_norm": "Kalimantan Tengah",
        "region_code": "62", "date": "2023-11-01",
        "sentence": "PALANGKA RAYA - Cakupan UHC sampai dengan 1 November 2023 di Provinsi "
                    "Kalimantan Tengah mencapai 98,12%.",
        "start": str(TEXT.index("98,12%")), "end": str(TEXT.index("98,12%") + 6),
        "officials": "", "score": "0.91", "warnings": "",
    }
    assert rows[1]["officials"] == "Agus Sumarno"  # named in the figure's sentence
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
    assert '<script>alert' not in page and "<b>id</b>" not in page
    assert page.count("<script") == 2  # the page's own: the chart's data and its code
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;id&lt;/b&gt;" in page
    assert "</mark>.</span>\n<span class=\"sent\"" in page  # the line break survives (pre-wrap)


def test_html_marks_entities_with_norm_tooltips_and_warnings():
    page = render_report([kalteng()])
    assert ('<mark class="region" title="REGION: Kabupaten Murung Raya (62.12)">Murung Raya'
            '<span class="tag">REGION</span></mark>') in page
    assert '<mark class="percent warned" title="PERCENT: 118.09\ncoverage_over_100:' in page
    assert '<tr class="warn" data-region="62.12"' in page and "<b>coverage_over_100</b>" in page
    summary = page[page.index('id="facts-table"'):page.index('id="officials"')]
    order = [summary.index(name) for name in  # province, its regency, then no code
             ("Kalimantan Tengah", "Kabupaten Murung Raya", "Indonesia")]
    assert order == sorted(order)
    sentence = TEXT.index("Di Kabupaten Murung Raya")  # the fact links to its sentence
    assert (f'<a class="fact-link" href="#doc-0-c{sentence}" title="Di Kabupaten Murung Raya'
            in summary)
    assert f'<span class="sent" id="doc-0-c{sentence}">Di ' in page
    # self-contained: no external script, style sheet, image or font; the one address is
    # the article's own url, as a link
    assert "src=" not in page and "<link" not in page and "url(" not in page
    assert page.count("http") == 2
    assert '<a href="https://kalteng.example/berita/1" rel="noreferrer">' in page


def _rows(page: str, table: str, end: str) -> list[str]:
    """The opening <tr> tags of a table's body."""
    return re.findall(r"<tr [^>]*>", page[page.index(f'id="{table}"'):page.index(end)])


def test_html_dataset_merges_a_rounding_the_facts_table_flags():
    """95.26 and 95 for one date are two values to the batch check (the facts table flags
    them), one observation to the dataset: its row carries no conflict."""
    other = kalteng("kalteng-2")
    other.entities[3].norm = 98.0  # a rounding of 98.12, same province and date
    page = render_report([kalteng(), other])
    facts = [tr for tr in _rows(page, "facts-table", 'id="officials"') if 'data-region="62"' in tr]
    assert len(facts) == 2 and all('data-warn="conflict"' in tr for tr in facts)
    dataset = [tr for tr in _rows(page, "dataset-table", 'id="facts"')
               if 'data-region="62"' in tr]
    assert len(dataset) == 1 and 'data-warn=""' in dataset[0] and "conflict" not in dataset[0]
    assert "3 observations (0 in conflict)" in page


def test_html_chart_keeps_whole_regions_within_its_limit_and_says_so(monkeypatch):
    import pipeline.report.html as html

    monkeypatch.setattr(html, "CHART_LIMIT", 1)
    page = render_report([kalteng()])  # one figure each for Kalteng and Murung Raya
    data = json.loads(re.search(r'id="chart-data">(.*?)</script>', page).group(1))
    assert data["regions"] == [["62", "Kalimantan Tengah"]] and len(data["obs"]) == 1
    assert ("The chart offers 1 region (1 region left out to keep it within 1 figures; the "
            "dataset table has every observation)") in page
    monkeypatch.setattr(html, "CHART_LIMIT", 20_000)
    assert "left out to keep it" not in render_report([kalteng()])


def test_report_command(tmp_path, capsys):
    source, output = tmp_path / "tagged.jsonl", tmp_path / "report.html"
    doc = kalteng()
    doc.facts[1].warnings = []  # the command adds the document checks itself
    write_jsonl([doc], source)
    assert main(["report", str(source), "-o", str(output)]) == 0
    assert "coverage_over_100" in output.read_text(encoding="utf-8")
    assert "1 document, 3 facts, 1 with warnings, 0 failed inputs" in capsys.readouterr().out


def test_csv_neutralises_formulas_in_text_cells_but_not_numbers(tmp_path):
    doc = kalteng()
    doc.id = "=HYPERLINK(\"http://x\")"
    doc.facts[0].segment = "+PBI"
    doc.facts[1].segment = "@SUM(A1)"
    doc.facts[2].segment = "-1+2"
    doc.entities[3].norm = -5.0  # a negative value stays a number
    path = tmp_path / "facts.csv"
    write_facts_csv([doc], path)
    rows = _read(path)
    assert rows[0]["doc_id"] == "'=HYPERLINK(\"http://x\")"
    assert [row["segment"] for row in rows] == ["'+PBI", "'@SUM(A1)", "'-1+2"]
    assert rows[0]["value"] == "-5.0" and rows[0]["score"] == "0.91"
    assert rows[0]["sentence"].startswith("PALANGKA RAYA")


def test_errors_csv_lists_failed_inputs_neutralised(tmp_path):
    path = tmp_path / "facts.errors.csv"
    count = write_errors_csv([InputError(None, "in/a.txt", "empty file"),
                              InputError("=1+1", "\tin/b.txt", "-binary")], path)
    assert count == 2
    with open(path, encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["id", "source", "error"],
                                            ["", "in/a.txt", "empty file"],
                                            ["'=1+1", "'\tin/b.txt", "'-binary"]]


def test_html_lists_failed_inputs_escaped():
    page = render_report([kalteng()], errors=[InputError("x", "in/<b>.txt", "empty file")])
    assert "Inputs that could not be tagged (1)" in page
    assert "in/&lt;b&gt;.txt" in page and "empty file" in page
    assert "1 article · 3 facts · 1 with warnings · 1 input not tagged" in page


def test_html_of_a_big_batch_shows_a_bounded_summary(monkeypatch):
    import pipeline.report.html as html

    monkeypatch.setattr(html, "FACTS_LIMIT", 4)
    batch = [kalteng(f"doc-{i}") for i in range(3)]
    small = render_report(batch, limit=3)
    assert small.count("<article") == 3 and "more than the" not in small
    big = render_report(iter(batch), limit=2)  # a one-shot iterator is read twice, too
    assert "<article" not in big
    assert "This batch has 3 articles, more than the 2 this report shows inline" in big
    assert "The table shows the first 4 of 9 facts" in big
    summary = big[big.index('id="facts-table"'):big.index('id="officials"')]
    assert summary.count("<tr") == 5 and 'href="#doc-' not in big
    assert html.REPORT_LIMIT == 500  # the limit the README states


def test_report_command_lists_error_records(tmp_path, capsys):
    source, output = tmp_path / "tagged.jsonl", tmp_path / "report.html"
    write_jsonl([kalteng()], source)
    with source.open("a", encoding="utf-8") as handle:
        handle.write('{"id": null, "source": "in/kosong.txt", "error": "empty file"}\n')
    assert main(["report", str(source), "-o", str(output)]) == 0
    page = output.read_text(encoding="utf-8")
    assert "in/kosong.txt" in page and "empty file" in page
    assert "1 document, 3 facts, 1 with warnings, 1 failed input" in capsys.readouterr().out


def test_report_command_refuses_bad_input_and_output(tmp_path, capsys):
    source = tmp_path / "tagged.jsonl"
    write_jsonl([kalteng()], source)
    assert main(["report", str(source), "-o", str(source)]) == 2
    assert "writing it would destroy it" in capsys.readouterr().err
    assert main(["report", str(source), "-o", str(tmp_path / "no" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "r.html")]) == 2
    assert f"{bad}:1: not JSON" in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
    assert main(["report", str(tmp_path / "hilang.jsonl"), "-o", str(tmp_path / "r.html")]) == 2
    assert "no such file" in capsys.readouterr().err
