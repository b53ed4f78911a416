"""Normalisers: percent, date, region register, official full names, normalize_entities."""

import time

import pytest

from pipeline.document import Document, Entity
from pipeline.normalize import normalize_entities
from pipeline.normalize.dates import parse_date
from pipeline.normalize.officials import official_norms
from pipeline.normalize.percent import parse_percent
from pipeline.normalize.regions import RegionRef, RegionRegister, get_register


@pytest.mark.parametrize("mention, value", [
    ("85,61 persen", 85.61), ("99, 34%", 99.34), ("101, 00%", 101.0), ("98%", 98.0),
    ("15 persen", 15.0), ("1.234,5 persen", 1234.5), ("85.61%", 85.61), ("96.4%", 96.4),
    ("1.234 persen", 1234.0), ("5 Persen", 5.0), ("5 PERSEN", 5.0), ("5 per sen", 5.0),
    ("85,61Persen", 85.61), ("98 %", 98.0),
    ("lima persen", 5.0), ("seratus persen", 100.0), ("dua puluh lima persen", 25.0),
    ("tiga belas persen", 13.0), ("sebelas persen", 11.0), ("seratus dua puluh persen", 120.0),
    ("lima koma lima persen", 5.5),
])
def test_parse_percent(mention, value):
    assert parse_percent(mention) == value


@pytest.mark.parametrize("mention", ["persen", "abc persen", "85,61", "1.2.3%", "lima lima persen",
                                     "puluh persen", ""])
def test_parse_percent_unreadable(mention):
    assert parse_percent(mention) is None


@pytest.mark.parametrize("mention, iso", [
    ("27/11/2023", "2023-11-27"), ("19/5/2025", "2025-05-19"), ("18/08/2022", "2022-08-18"),
    ("21 Maret 2024", "2024-03-21"), ("November 1 2023", "2023-11-01"),
    ("1 Mei 2025", "2025-05-01"), ("September 2025", "2025-09"), ("2024", "2024"),
    ("1 April", "--04-01"), ("2020-2024", "2020/2024"), ("2020 – 2024", "2020/2024"),
    ("21 MARET 2024", "2024-03-21"), ("27-11-2023", "2023-11-27"), ("2023-11-27", "2023-11-27"),
    ("29 Februari 2024", "2024-02-29"), ("November 2023", "2023-11"),
    ("3 Jan 2024", "2024-01-03"), ("3 Feb. 2024", "2024-02-03"), ("Mar 2024", "2024-03"),
    ("4 Apr 2024", "2024-04-04"), ("5 Jun 2024", "2024-06-05"), ("6 Jul 2024", "2024-07-06"),
    ("7 Agu 2024", "2024-08-07"), ("7 Agt. 2024", "2024-08-07"), ("7 Ags 2024", "2024-08-07"),
    ("8 Sep 2024", "2024-09-08"), ("8 Sept. 2024", "2024-09-08"), ("9 Okt 2024", "2024-10-09"),
    ("10 Nov 2024", "2024-11-10"), ("11 Des 2024", "2024-12-11"), ("11 des 2024", "2024-12-11"),
    ("December 25, 2024", "2024-12-25"), ("May 2024", "2024-05"),
])
def test_parse_date(mention, iso):
    assert parse_date(mention) == iso


@pytest.mark.parametrize("mention", ["31/02/2024", "13/13/2024", "30 Februari 2024", "Maret",
                                     "hello", "2024-2020", "SM 2 2022", ""])
def test_parse_date_impossible_is_none(mention):
    assert parse_date(mention) is None


@pytest.fixture(scope="module")
def register() -> RegionRegister:
    return get_register()


def test_register_is_complete_and_cached(register):
    refs = [ref for ref in register.refs() if ref.code]
    assert len(refs) == len({ref.code for ref in refs}) == 552
    assert sum(ref.level == "province" for ref in refs) == 38
    assert sum(ref.level in ("regency", "city") for ref in refs) == 514
    assert get_register() is register


def test_register_loads_fast():
    started = time.perf_counter()
    RegionRegister()
    assert time.perf_counter() - started < 1.0  # about 0.35 s; generous for a busy machine


def _mentions(register, text):
    return [text[s:e] for s, e in register.find_mentions(text)]


def test_find_mentions_longest_first_and_name_only(register):
    text = ("Provinsi Kepulauan Riau dan Riau, Kabupaten Kotawaringin Barat, Kabupaten Banjar, "
            "Kabupaten Pulau Taliabu, Kota Palangka Raya.")
    assert _mentions(register, text) == ["Kepulauan Riau", "Riau", "Kotawaringin Barat",
                                         "Banjar", "Pulau Taliabu", "Palangka Raya"]


def test_find_mentions_boundaries(register):
    assert _mentions(register, "SEPUTAR KALTIM2 hari ago") == ["KALTIM"]
    assert _mentions(register, "PALANGKA RAYA, KALTENGTERKINI.CO.ID – x") == ["PALANGKA RAYA"]
    assert _mentions(register, "BANJAR,koranbanjar.net – Sumber: Rembangnews.com") == ["BANJAR"]
    assert _mentions(register, "kaltim.tribunnews.com dan www.kalteng.go.id") == []


def test_find_mentions_skips_non_regions(register):
    assert _mentions(register, "Kartu Indonesia Sehat dibagikan di Indonesia") == ["Indonesia"]
    assert _mentions(register, "Swiss Belhotel Borneo Samarinda") == ["Samarinda"]
    assert _mentions(register, "segmen PPU BU dan PPU PN di PPU") == ["PPU"]
    assert _mentions(register, "Wilayah Sumbagsel dan Sulutgomalut") == []


def test_find_mentions_needs_capitals(register):
    assert _mentions(register, "kaltim dan paser") == []
    assert _mentions(register, "KALTIM dan Paser") == ["KALTIM", "Paser"]
    assert _mentions(register, "Ppu dan PPU") == ["PPU"]  # capitals-only alias


def test_common_words_need_a_prefix(register):
    assert _mentions(register, "Batu bara dan Batang pohon") == []
    assert _mentions(register, "Kota Batu dan Kabupaten Batang") == ["Batu", "Batang"]


def _resolve(register, text, surface, nth=0):
    spans = register.find_mentions(text)
    picked = [s for s in spans if text[s[0]:s[1]] == surface][nth]
    return register.resolve(text, *picked, article_spans=spans)


@pytest.mark.parametrize("text, surface, name, code", [
    ("Sekda Kaltim", "Kaltim", "Kalimantan Timur", "64"),
    ("di Jakarta", "Jakarta", "DKI Jakarta", "31"),
    ("di DIY", "DIY", "DI Yogyakarta", "34"),
    ("potensi IKN", "IKN", "Ibu Kota Nusantara", None),
    ("seluruh Indonesia", "Indonesia", "Indonesia", None),
    ("Republik Indonesia", "Indonesia", "Indonesia", None),
    ("Kepala BPJS Cabang Medan", "Medan", "Kota Medan", "12.71"),
    ("BPJS Palangka Raya", "Palangka Raya", "Kota Palangka Raya", "62.71"),
    ("PALANGKA RAYA, KALTENGTERKINI", "PALANGKA RAYA", "Kota Palangka Raya", "62.71"),
    ("Palangkaraya", "Palangkaraya", "Kota Palangka Raya", "62.71"),
    ("Banjar Baru", "Banjar Baru", "Kota Banjarbaru", "63.72"),
    ("Pangkalpinang", "Pangkalpinang", "Kota Pangkal Pinang", "19.71"),
    ("Bau-Bau", "Bau-Bau", "Kota Baubau", "74.72"),
    ("Tidore", "Tidore", "Kota Tidore Kepulauan", "82.72"),
    ("PPU", "PPU", "Kabupaten Penajam Paser Utara", "64.09"),
    ("Kukar", "Kukar", "Kabupaten Kutai Kartanegara", "64.02"),
    ("HSS", "HSS", "Kabupaten Hulu Sungai Selatan", "63.06"),
    ("Jaksel", "Jaksel", "Kota Jakarta Selatan", "31.74"),
    ("Kabupaten Banjar", "Banjar", "Kabupaten Banjar", "63.03"),
    ("Kota Banjar", "Banjar", "Kota Banjar", "32.79"),
    ("Pemkab Bogor", "Bogor", "Kabupaten Bogor", "32.01"),
    ("Wali Kota Bogor", "Bogor", "Kota Bogor", "32.71"),
    ("Provinsi Jambi", "Jambi", "Jambi", "15"),
    ("Pemkot Jambi", "Jambi", "Kota Jambi", "15.71"),
    ("Pemerintah Kabupaten (Pemkab) Rembang", "Rembang", "Kabupaten Rembang", "33.17"),
])
def test_resolve(register, text, surface, name, code):
    assert _resolve(register, text, surface) == RegionRef(
        name, code, register.by_name(name).level)


def test_resolve_ambiguous_name_by_article_province(register):
    text = "Sekda Banjar di Banjarbaru, Kalimantan Selatan."
    assert _resolve(register, text, "Banjar").code == "63.03"


def test_resolve_ambiguous_name_by_most_mentions(register):
    text = "Banjar, Banjarbaru, Banjarmasin, Kalimantan Selatan, Kota Bogor"
    assert _resolve(register, text, "Banjar").code == "63.03"


def test_resolve_ambiguous_name_by_same_name_elsewhere(register):
    text = "Bupati Bogor hadir. Warga Bogor senang."
    assert _resolve(register, text, "Bogor", 1).code == "32.01"


def test_resolve_unresolved_gets_no_code(register):
    assert _resolve(register, "Warga Bogor senang.", "Bogor").code is None
    assert _resolve(register, "Di Jambi.", "Jambi") == RegionRef("Jambi", None, "province")
    mura = register.resolve("Mura", 0, 4)
    assert mura is not None and mura.code is None


def test_resolve_unknown_surface(register):
    assert register.resolve("Borneo", 0, 6) is None


def test_official_norms():
    text = "Sekda Sri. Sri Wahyuni hadir. Kepala dr. K. Hindro Kusumo. Tambah Hindro. Asmar."
    names = ["Sri", "Sri Wahyuni", "K. Hindro Kusumo", "Hindro", "Asmar"]
    spans = [(text.index(n), text.index(n) + len(n)) for n in names]
    spans[0] = (6, 9)
    assert official_norms(text, spans) == ["Sri Wahyuni", "Sri Wahyuni", "K. Hindro Kusumo",
                                           "K. Hindro Kusumo", "Asmar"]


def test_official_norms_ambiguous_short_form_is_none():
    text = "Sri Wahyuni dan Sri Mulyani; Sri"
    spans = [(0, 11), (16, 27), (29, 32)]
    assert official_norms(text, spans) == ["Sri Wahyuni", "Sri Mulyani", None]


def _entity(text, surface, label, eid, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Entity(id=eid, start=start, end=start + len(surface), label=label)


def test_normalize_entities():
    text = ("Sekda Kaltim Sri Wahyuni: 85,61 persen per 29 Februari 2024 di Banjar, Kalsel. "
            "Sekda Sri. Borneo. Bogor.")
    doc = Document(id="d", text=text, entities=[
        _entity(text, "Kaltim", "REGION", "T1"),
        _entity(text, "Sri Wahyuni", "OFFICIAL", "T2"),
        _entity(text, "85,61 persen", "PERCENT", "T3"),
        _entity(text, "29 Februari 2024", "DATE", "T4"),
        _entity(text, "Banjar", "REGION", "T5"),
        _entity(text, "Kalsel", "REGION", "T6"),
        _entity(text, "Sri", "OFFICIAL", "T7", nth=1),
        _entity(text, "Borneo", "REGION", "T8"),
        _entity(text, "Bogor", "REGION", "T9"),
    ])
    doc.entities[8].norm = "Kabupaten Bogor"  # a kept, hand-given norm
    normalize_entities(doc, keep=["T9"])
    got = {e.id: (e.norm, e.code) for e in doc.entities}
    assert got == {
        "T1": ("Kalimantan Timur", "64"), "T2": ("Sri Wahyuni", None), "T3": (85.61, None),
        "T4": ("2024-02-29", None), "T5": ("Kabupaten Banjar", "63.03"),
        "T6": ("Kalimantan Selatan", "63"), "T7": ("Sri Wahyuni", None),
        "T8": ("Borneo", None), "T9": ("Kabupaten Bogor", "32.01"),
    }


def test_districts_only_after_kecamatan(register):
    text = "Kecamatan Sepaku, Kabupaten Penajam Paser Utara; Kec. Cikarang Barat; warga Sepaku"
    spans = register.find_mentions(text)
    assert [text[s:e] for s, e in spans] == ["Sepaku", "Penajam Paser Utara", "Cikarang Barat"]
    refs = register.resolve_all(text, spans)
    assert (refs[0].name, refs[0].code, refs[0].level) == ("Kecamatan Sepaku", "64.09.04",
                                                           "district")
    assert refs[2].name == "Kecamatan Cikarang Barat"


def test_district_by_name_only_when_unique(register):
    assert register.by_name("Kecamatan Sepaku").code == "64.09.04"
    assert register.by_name("Kecamatan Martapura") is None  # in Kalsel and in Sumsel
