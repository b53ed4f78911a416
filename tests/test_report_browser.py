"""The HTML report as a browser shows it: headless Chromium renders a small batch, and the
DOM, the screenshot and the page's behaviour are checked — sorting and filtering change the
visible rows, the chart has its series, a fact link scrolls to its sentence.

Chromium is driven over the DevTools protocol on a pipe (`tests/devtools.py`), so the tests
need neither a driver binary nor a WebSocket library. They skip when Chromium is absent;
`.ci/run` installs it.
"""

import base64
import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from devtools import CHROMIUM, FLAGS, Browser

from pipeline.document import Document, Entity, Fact
from pipeline.plausibility import document_warnings
from pipeline.report.html import write_html_report

WIDTH, HEIGHT = 1280, 2000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs headless Chromium (Debian package `chromium`)")


def _doc(doc_id: str, text: str, entities: list[tuple[str, str, object, str | None]],
         facts: list[Fact], **meta: str) -> Document:
    """A document whose entities (id, surface, norm, code), listed in text order, are found
    in the text; the label comes from the id's first letter."""
    labels = {"R": "REGION", "P": "PERCENT", "D": "DATE", "O": "OFFICIAL"}
    doc = Document(id=doc_id, text=text, meta={"source": f"seeds/{doc_id}.txt", **meta})
    start = 0
    for eid, surface, norm, code in entities:
        start = text.index(surface, start)
        doc.entities.append(Entity(eid, start, start + len(surface), labels[eid[0]], norm,
                                   code=code))
        start += len(surface)
    doc.facts = facts
    return doc


FILLER = "\n\n".join("Paragraf pengisi tanpa angka, agar artikel cukup panjang untuk digulir."
                     for _ in range(40))


def _batch() -> list[Document]:
    kalteng = _doc(
        "seed-001",
        "BPJS : Cakupan Kepesertaan di Kalteng 98,12% dengan Keaktifan 70,95%\n\n"
        "Cakupan UHC sampai dengan 1 November 2023 di Provinsi Kalimantan Tengah mencapai "
        "98,12%. Kabupaten Murung Raya mencapai 118,09%, disusul Seruyan (105,17%).\n"
        "Hal itu disampaikan Kepala Cabang Agus Sumarno.",
        [("R1", "Kalteng", "Kalimantan Tengah", "62"), ("P1", "98,12%", 98.12, None),
         ("P2", "70,95%", 70.95, None), ("D1", "1 November 2023", "2023-11-01", None),
         ("R2", "Kalimantan Tengah", "Kalimantan Tengah", "62"),
         ("P3", "98,12%", 98.12, None), ("R3", "Murung Raya", "Kabupaten Murung Raya", "62.12"),
         ("P4", "118,09%", 118.09, None), ("R4", "Seruyan", "Kabupaten Seruyan", "62.07"),
         ("P5", "105,17%", 105.17, None), ("O1", "Agus Sumarno", "Agus Sumarno", None)],
        [Fact("P1", "coverage", False, "R1", "Kalimantan Tengah", "D1", region_code="62"),
         Fact("P2", "activity", False, "R1", "Kalimantan Tengah", "D1", region_code="62"),
         Fact("P3", "coverage", False, "R2", "Kalimantan Tengah", "D1", region_code="62"),
         Fact("P4", "coverage", False, "R3", "Kabupaten Murung Raya", "D1",
              region_code="62.12"),
         Fact("P5", "coverage", False, "R4", "Kabupaten Seruyan", "D1", region_code="62.07")],
        title="BPJS : Cakupan Kepesertaan di Kalteng 98,12%", published="2023-11-28")
    kaltim = _doc(
        "seed-000",
        "SEPUTAR KALTIM - Keaktifan peserta JKN di Kaltim mencapai 85,61 Persen "
        "per 29 Februari 2024, dari target 98%.",
        [("R1", "KALTIM", "Kalimantan Timur", "64"), ("R2", "Kaltim", "Kalimantan Timur", "64"),
         ("P1", "85,61 Persen", 85.61, None), ("D1", "29 Februari 2024", "2024-02-29", None),
         ("P2", "98%", 98.0, None)],
        [Fact("P1", "activity", False, "R2", "Kalimantan Timur", "D1", region_code="64"),
         Fact("P2", "coverage", True, "R2", "Kalimantan Timur", None, region_code="64")])
    later = _doc(  # a later Kalteng figure, far down a long article, and an undated one
        "kalteng-2024",
        f"Kalteng lagi\n\n{FILLER}\n\nPer 1 Maret 2024 cakupan di Kalimantan Tengah 99,1%, "
        "kata Sekda Nuryakin. Keaktifan kini 72 persen.",
        [("D1", "1 Maret 2024", "2024-03-01", None),
         ("R1", "Kalimantan Tengah", "Kalimantan Tengah", "62"), ("P1", "99,1%", 99.1, None),
         ("O1", "Nuryakin", "Nuryakin", None), ("P2", "72 persen", 72.0, None)],
        [Fact("P1", "coverage", False, "R1", "Kalimantan Tengah", "D1", region_code="62"),
         Fact("P2", "activity", False, "R1", "Kalimantan Tengah", None, region_code="62")],
        title="Kalteng lagi", published="2024-03-02")
    batch = [kalteng, kaltim, later]
    for doc in batch:
        document_warnings(doc)
    return batch


def _png_rows(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the (filtered) pixel rows of an 8-bit RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    width, height, depth, colour = header
    assert depth == 8 and colour in (2, 6)
    stride = 1 + width * (3 if colour == 2 else 4)
    raw = zlib.decompress(idat)
    return width, height, [raw[i * stride:(i + 1) * stride] for i in range(height)]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           *args], capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The report of `_batch()` open in one browser for all the behaviour tests."""
    folder = tmp_path_factory.mktemp("report")
    report = folder / "report.html"
    write_html_report(_batch(), report)
    browser = Browser(folder / "profile")
    browser.open(report.as_uri())
    yield browser
    browser.close()


VISIBLE = "(id => Array.from(document.getElementById(id).tBodies[0].rows)" \
          ".filter(r => !r.hidden).length)"


def _visible(page: Browser, table: str) -> int:
    return page.js(f"{VISIBLE}('{table}')")


def _set_filter(page: Browser, name: str, value: str) -> None:
    page.js(f"""(() => {{ const f = document.querySelector('form.filters [name="{name}"]');
        if (f.type === 'checkbox') f.checked = {json.dumps(value)} === '1';
        else f.value = {json.dumps(value)};
        f.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")


def _column(page: Browser, table: str, header: str) -> list[str]:
    """The visible cells of a column, in display order."""
    return page.js(f"""(() => {{ const t = document.getElementById('{table}');
        const i = Array.from(t.tHead.rows[0].cells).findIndex(c => c.textContent === '{header}');
        return Array.from(t.tBodies[0].rows).filter(r => !r.hidden)
            .map(r => r.cells[i].textContent.trim()); }})()""")


def test_report_renders_in_chromium(tmp_path):
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    write_html_report(_batch(), page)

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "Kabupaten Murung Raya" in dom and "118,09%" in dom and "98,12%" in dom
    assert "coverage 118.09% is above 100% (possibly double-counted data)" in dom
    assert '<tr class="warn" data-region="62.12"' in dom
    assert '<g class="series" data-metric="coverage"' in dom  # the script drew the chart

    _chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    width, height, rows = _png_rows(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(set(rows)) > 100  # text and tables drawn, not a blank page


def test_sorting_changes_the_order_of_the_rows(page):
    values = [float(v) for v in _column(page, "facts-table", "value")]
    page.js("document.querySelector('#facts-table th[data-type=num]').click()")
    ascending = [float(v) for v in _column(page, "facts-table", "value")]
    page.js("document.querySelector('#facts-table th[data-type=num]').click()")
    descending = [float(v) for v in _column(page, "facts-table", "value")]
    assert ascending == sorted(values) and descending == sorted(values, reverse=True)
    assert ascending != values  # the table was in region order, not value order
    page.js("document.querySelector('#dataset-table th').click()")  # by region name
    regions = _column(page, "dataset-table", "region")
    assert regions == sorted(regions, key=str.lower)


def test_filters_and_search_change_the_visible_rows(page):
    """Values are compared as sorted lists: the sorting test may have reordered the rows."""
    all_facts, all_obs = _visible(page, "facts-table"), _visible(page, "dataset-table")
    assert (all_facts, all_obs) == (9, 8)  # 98,12 % twice in seed-001: one observation
    _set_filter(page, "region", "62.12")
    assert (_visible(page, "facts-table"), _visible(page, "dataset-table")) == (1, 1)
    _set_filter(page, "region", "")
    _set_filter(page, "province", "Kalimantan Tengah")
    assert _visible(page, "dataset-table") == 6
    _set_filter(page, "province", "")
    _set_filter(page, "warning", "coverage_over_100")
    assert sorted(_column(page, "dataset-table", "value")) == ["105.17", "118.09"]
    _set_filter(page, "warning", "")
    _set_filter(page, "target", "true")
    assert _column(page, "facts-table", "value") == ["98"]
    _set_filter(page, "target", "")
    _set_filter(page, "from", "2024-01-01")  # the 2024 figures, the undated one by its date
    assert sorted(_column(page, "dataset-table", "value")) == ["72", "85.61", "99.1"]
    _set_filter(page, "to", "2024-02-29")
    assert _column(page, "dataset-table", "value") == ["85.61"]
    _set_filter(page, "from", "")
    _set_filter(page, "to", "")
    _set_filter(page, "latest", "1")  # Kalteng's 2023 coverage gives way to 2024's
    assert "98.12" not in _column(page, "dataset-table", "value")
    assert "99.1" in _column(page, "dataset-table", "value")
    _set_filter(page, "latest", "")
    page.js("""(() => { const s = document.querySelector('form.filters [name=search]');
        s.value = 'seruyan'; s.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    assert (_visible(page, "facts-table"), _visible(page, "dataset-table")) == (1, 1)
    assert page.js("document.querySelector('.count[data-for=facts-table]').textContent") \
        == "1 of 9 rows shown"
    page.js("document.querySelector('form.filters').reset()")
    page.js("new Promise(r => setTimeout(r, 50))")
    assert _visible(page, "facts-table") == all_facts


def test_the_chart_has_its_series_and_target_lines(page):
    def series(metric: str) -> tuple[int, int]:
        counts = page.js(f"""(() => {{ const g = document.querySelector(
            '#chart-svg g.series[data-metric={metric}]');
            return [g.querySelectorAll('circle').length, g.querySelectorAll('path').length];
            }})()""")
        return tuple(counts)

    page.js("""(() => { const s = document.getElementById('chart-region'); s.value = '62';
        s.dispatchEvent(new Event('change')); })()""")
    assert page.js("document.querySelectorAll('#chart-svg g.series').length") == 2
    assert series("coverage") == (2, 1)  # 2023-11-01 and 2024-03-01, joined by a line
    assert series("activity") == (2, 1)  # the undated one at its publication date, hollow
    assert page.js("document.querySelectorAll('#chart-svg circle[fill=\"#fff\"]').length") == 1
    page.js("""(() => { const s = document.getElementById('chart-region'); s.value = '64';
        s.dispatchEvent(new Event('change')); })()""")
    assert page.js("document.querySelectorAll('#chart-svg line.target').length") == 1
    assert series("activity") == (1, 0)


def test_a_fact_link_scrolls_to_its_sentence(page):
    page.js("window.scrollTo(0, 0)")
    href = page.js("""Array.from(document.querySelectorAll('#facts-table a.fact-link'))
        .map(a => a.getAttribute('href')).find(h => h.startsWith('#doc-2-'))""")
    page.js(f"document.querySelector('#facts-table a[href=\"{href}\"]').click()")
    page.js("new Promise(r => setTimeout(r, 200))")
    state = page.js(f"""(() => {{ const s = document.getElementById('{href[1:]}');
        const box = s.getBoundingClientRect();
        return {{scrolled: window.scrollY, top: box.top, bottom: box.bottom,
                 height: window.innerHeight, target: s.matches(':target'),
                 flash: s.classList.contains('flash'), text: s.textContent}}; }})()""")
    assert state["scrolled"] > 1000  # the article is far below the tables
    assert 0 <= state["top"] and state["bottom"] <= state["height"]
    assert state["target"] and state["flash"]
    assert "Kalimantan Tengah" in state["text"] and "99,1%" in state["text"]
    shot = base64.b64decode(page.send("Page.captureScreenshot", format="png")["data"])
    assert _png_rows(shot)[0] > 0


def test_a_link_to_a_merged_sentence_highlights_it(tmp_path):
    """A mark across a sentence end (`Budi. Santoso`) merges the two sentences into one
    span; the second one's anchor is an empty span inside it, and its link still
    highlights the whole sentence: flashed by the script, and by CSS (`:has(:target)`)."""
    doc = _doc("merged", "Cakupan mencapai 90% kata Budi. Santoso menyebut keaktifan 80%.",
               [("P1", "90%", 90.0, None), ("O1", "Budi. Santoso", "Budi Santoso", None),
                ("P2", "80%", 80.0, None)],
               [Fact("P1", "coverage", False, None, "Kota Uji", None),
                Fact("P2", "activity", False, None, "Kota Uji", None)])
    report = tmp_path / "merged.html"
    write_html_report([doc], report)
    browser = Browser(tmp_path / "profile")
    try:
        browser.open(report.as_uri())
        second = doc.text.index("Santoso menyebut")
        href = f"#doc-0-c{second}"
        state = browser.js(f"""(async () => {{
            const anchor = document.getElementById('{href[1:]}');
            const sentence = anchor.closest('.sent');
            document.querySelector('#facts-table a[href="{href}"]').click();
            await new Promise(r => setTimeout(r, 100));  // hashchange fires after the click
            const flashed = sentence.classList.contains('flash');
            sentence.classList.remove('flash');
            return {{empty: anchor.textContent === '' && !anchor.classList.contains('sent'),
                     flashed, text: sentence.textContent,
                     background: getComputedStyle(sentence).backgroundColor}}; }})()""")
    finally:
        browser.close()
    assert state["empty"] and state["flashed"]
    assert "90%" in state["text"] and "80%" in state["text"]
    assert state["background"] == "rgb(255, 243, 160)"  # #fff3a0, from :has(:target) alone
