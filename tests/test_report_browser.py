"""The HTML report as a browser shows it: headless Chromium renders a small batch, and the
DOM and the screenshot are checked (the DOM for the figures, the PNG for a drawn page)."""

import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pipeline.document import Document, Entity, Fact
from pipeline.plausibility import document_warnings
from pipeline.report.html import write_html_report

CHROMIUM = Path("/usr/bin/chromium")
WIDTH, HEIGHT = 1280, 2000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs headless Chromium (Debian package `chromium`)")


def _doc(doc_id: str, text: str, entities: list[tuple[str, str, object, str | None]],
         facts: list[Fact]) -> Document:
    """A document whose entities (id, surface, norm, code), listed in text order, are found
    in the text; the label comes from the id's first letter."""
    labels = {"R": "REGION", "P": "PERCENT", "D": "DATE", "O": "OFFICIAL"}
    doc = Document(id=doc_id, text=text, meta={"source": f"seeds/{doc_id}.txt"})
    start = 0
    for eid, surface, norm, code in entities:
        start = text.index(surface, start)
        doc.entities.append(Entity(eid, start, start + len(surface), labels[eid[0]], norm,
                                   code=code))
        start += len(surface)
    doc.facts = facts
    return doc


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
         Fact("P5", "coverage", False, "R4", "Kabupaten Seruyan", "D1", region_code="62.07")])
    kaltim = _doc(
        "seed-000",
        "SEPUTAR KALTIM - Keaktifan peserta JKN di Kaltim mencapai 85,61 Persen "
        "per 29 Februari 2024, dari target 98%.",
        [("R1", "KALTIM", "Kalimantan Timur", "64"), ("R2", "Kaltim", "Kalimantan Timur", "64"),
         ("P1", "85,61 Persen", 85.61, None), ("D1", "29 Februari 2024", "2024-02-29", None),
         ("P2", "98%", 98.0, None)],
        [Fact("P1", "activity", False, "R2", "Kalimantan Timur", "D1", region_code="64"),
         Fact("P2", "coverage", True, "R2", "Kalimantan Timur", None, region_code="64")])
    batch = [kalteng, kaltim]
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
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True,
                          timeout=120, check=True)


def test_report_renders_in_chromium(tmp_path):
    page, shot = tmp_path / "report.html", tmp_path / "report.png"
    write_html_report(_batch(), page)

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    assert "Kabupaten Murung Raya" in dom and "118,09%" in dom and "98,12%" in dom
    assert "coverage 118.09% is above 100% (possibly double-counted data)" in dom
    assert '<tr class="warn">' in dom

    _chromium(tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    width, height, rows = _png_rows(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(set(rows)) > 100  # text and tables drawn, not a blank page
