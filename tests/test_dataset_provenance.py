"""Document metadata (title, url, published) from every kind of input into every output."""

import csv
import json
from pathlib import Path

from pipeline.cli import main
from pipeline.inputs import published_date, read_inputs

ARTICLE = "Cakupan kepesertaan JKN di Kaltim mencapai 98,5 persen per 1 Maret 2024."


def test_published_dates_are_kept_as_iso_dates():
    assert [published_date(v) for v in (
        "2024-03-21", "2024-03-21T23:30:00+07:00", "2024-03-21 08:00:00", "21 Maret 2024",
        "21/03/2024", "2024-03", "2024")] == \
        ["2024-03-21"] * 5 + ["2024-03", "2024"]
    assert [published_date(v) for v in ("2024-02-30", "2024-13", "1 April", "2020-2024",
                                         "kemarin", 20240321, None)] == [None] * 7


def test_jsonl_metadata_is_normalised_and_bad_values_are_noted(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        {"id": "a", "text": ARTICLE, "url": " https://x.id/a ", "title": "Judul  satu",
         "published": "2024-03-21T10:00:00+07:00"},
        {"id": "b", "text": ARTICLE, "meta": {"title": "Dua", "published": "21 Maret 2024"}},
        {"id": "c", "text": ARTICLE, "title": ["x"], "published": "kemarin"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    a, b, c = read_inputs([path])
    assert (a.meta["url"], a.meta["title"], a.meta["published"]) == \
        ("https://x.id/a", "Judul satu", "2024-03-21")
    assert (b.meta["title"], b.meta["published"]) == ("Dua", "2024-03-21")
    assert "title" not in c.meta and "published" not in c.meta
    assert c.meta["published_raw"] == "kemarin"
    assert c.meta["warnings"] == ["title ['x'] is not a text; ignored",
                                  "published 'kemarin' is not a date; ignored"]


def test_text_and_html_files_take_their_title_from_the_first_line_or_the_page(tmp_path):
    (tmp_path / "berita.txt").write_text("\n\n  Judul  Berita \nIsi " + ARTICLE,
                                         encoding="utf-8")
    (tmp_path / "halaman.html").write_text(
        '<html><head><title>Judul Halaman | Situs</title>'
        '<link rel="canonical" href="https://situs.example/berita/1">'
        '<meta property="article:published_time" content="2024-03-02T08:00:00+08:00">'
        f"</head><body><article><h1>Judul</h1><p>{ARTICLE}</p></article></body></html>",
        encoding="utf-8")
    (tmp_path / "polos.html").write_text(f"<p>Baris pertama</p><p>{ARTICLE}</p>",
                                         encoding="utf-8")
    text, page, plain = read_inputs([tmp_path])  # in name order
    assert text.meta["title"] == "Judul Berita"
    assert (page.meta["title"], page.meta["url"], page.meta["published"]) == \
        ("Judul Halaman | Situs", "https://situs.example/berita/1", "2024-03-02")
    assert plain.meta["title"] == "Baris pertama" and "url" not in plain.meta


def test_metadata_reaches_the_jsonl_the_facts_csv_the_dataset_and_the_report(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "kaltim-1", "text": ARTICLE, "title": "Kaltim 98,5",
                                  "url": "https://kaltim.example/1",
                                  "published": "2024-03-02"}) + "\n", encoding="utf-8")
    tagged, facts = tmp_path / "out.jsonl", tmp_path / "facts.csv"
    assert main(["tag", str(source), "--model", "rules", "-o", str(tagged)]) == 0
    assert main(["tag", str(source), "--model", "rules", "-o", str(facts)]) == 0
    meta = json.loads(tagged.read_text(encoding="utf-8"))["meta"]
    assert (meta["title"], meta["url"], meta["published"]) == \
        ("Kaltim 98,5", "https://kaltim.example/1", "2024-03-02")
    with open(facts, encoding="utf-8", newline="") as handle:
        (fact,) = list(csv.DictReader(handle))
    assert (fact["title"], fact["url"], fact["published"]) == \
        ("Kaltim 98,5", "https://kaltim.example/1", "2024-03-02")
    assert ARTICLE[int(fact["start"]):int(fact["end"])] == "98,5 persen"

    dataset = tmp_path / "dataset.jsonl"
    assert main(["dataset", str(tagged), "-o", str(dataset)]) == 0
    (obs,) = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines()]
    assert obs["sources"][0] | {"sentence": None} == {
        "doc_id": "kaltim-1", "title": "Kaltim 98,5", "url": "https://kaltim.example/1",
        "published": "2024-03-02", "sentence": None, "start": int(fact["start"]),
        "end": int(fact["end"]), "sentence_start": 0, "value": 98.5, "officials": []}

    report = tmp_path / "report.html"
    assert main(["report", str(tagged), "-o", str(report)]) == 0
    page = report.read_text(encoding="utf-8")
    assert "<h3>Kaltim 98,5</h3>" in page and "published 2024-03-02" in page
    assert '<a href="https://kaltim.example/1" rel="noreferrer">' in page
    capsys.readouterr()


def test_a_url_that_is_not_http_is_shown_not_linked(tmp_path):
    from pipeline.document import Document
    from pipeline.report.html import render_report

    doc = Document("x", ARTICLE, meta={"url": "javascript:alert(1)", "title": "T"})
    page = render_report([doc])
    assert 'href="javascript' not in page and "javascript:alert(1)" in page


def test_readme_shows_the_dataset_section_and_the_screenshot():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "## Dataset" in readme and "docs/report.png" in readme
