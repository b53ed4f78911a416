import re
from pathlib import Path

import pytest

from pipeline.document import read_jsonl
from pipeline.markup import MarkupError, build_sources, parse_markup
from pipeline.normalize import get_register

ROOT = Path(__file__).resolve().parents[1]
PERCENTAGE = re.compile(r"\d+(?:[.,] ?\d+)?\s?(?:%|persen)", re.IGNORECASE)

BODY = (
    "[[KALTIM]]{REGION #r1}\n"
    "Sekda [[Sri]]{OFFICIAL norm=\"Sri Wahyuni\"} di [[Samarinda]]{REGION #r2} per "
    "[[1 Mei 2025]]{DATE #d1}: [[85,61 persen]]{PERCENT metric=activity region=r1 date=d1}.\n"
)


def markup(body: str = BODY, header: str = "id: doc-1\nsynthetic: true\noutlet: Warta") -> str:
    return f"---\n{header}\n---\n{body}"


def parse(body: str, path: str = "src/doc.txt"):
    return parse_markup(markup(body), path)


def test_text_is_the_body_with_markup_stripped():
    doc = parse_markup(markup(), "src/doc.txt")
    assert doc.id == "doc-1"
    assert doc.text == "KALTIM\nSekda Sri di Samarinda per 1 Mei 2025: 85,61 persen.\n"
    assert doc.meta == {"synthetic": True, "outlet": "Warta"}


def test_entities_get_offsets_sequential_ids_and_norms():
    doc = parse_markup(markup(), "src/doc.txt")
    assert [(e.id, e.label, doc.mention(e)) for e in doc.entities] == [
        ("T1", "REGION", "KALTIM"), ("T2", "OFFICIAL", "Sri"), ("T3", "REGION", "Samarinda"),
        ("T4", "DATE", "1 Mei 2025"), ("T5", "PERCENT", "85,61 persen")]
    assert [e.norm for e in doc.entities] == [
        "Kalimantan Timur", "Sri Wahyuni", "Kota Samarinda", "2025-05-01", 85.61]


def test_norm_overrides_and_dash_means_null():
    doc = parse("[[Kaltim]]{REGION norm=\"Kalimantan Barat\"} [[Hindro]]{OFFICIAL norm=-} "
                "[[5 %]]{PERCENT norm=7.5 metric=other}")
    assert [e.norm for e in doc.entities] == ["Kalimantan Barat", None, 7.5]


def test_percent_fact_links_region_date_and_takes_the_region_norm():
    doc = parse_markup(markup(), "src/doc.txt")
    assert [f.to_dict() for f in doc.facts] == [{
        "percent": "T5", "metric": "activity", "target": False, "region": "T1",
        "region_norm": "Kalimantan Timur", "date": "T4", "segment": None}]


def test_region_list_gives_one_fact_per_region_alike_otherwise():
    doc = parse("[[Sleman]]{REGION #a} dan [[Bantul]]{REGION #b} per [[2024]]{DATE #d} "
                "[[100%]]{PERCENT metric=coverage region=a,b date=d target=1 "
                "segment=\"PBI APBD\"}")
    assert [(f.region, f.region_norm) for f in doc.facts] == [
        ("T1", "Kabupaten Sleman"), ("T2", "Kabupaten Bantul")]
    assert {(f.percent, f.metric, f.target, f.date, f.segment) for f in doc.facts} == {
        ("T4", "coverage", True, "T3", "PBI APBD")}


def test_region_norm_without_region_and_region_norm_dash():
    doc = parse("[[Kaltim]]{REGION #r} [[98 persen]]{PERCENT metric=coverage "
                "region_norm=Indonesia} [[30%]]{PERCENT metric=other region=r region_norm=-} "
                "[[1%]]{PERCENT metric=other segment=-}")
    national, nulled, bare = doc.facts
    assert (national.region, national.region_norm) == (None, "Indonesia")
    assert (nulled.region, nulled.region_norm) == ("T1", None)
    assert (bare.region, bare.region_norm, bare.date, bare.segment) == (None, None, None, None)


def test_region_norm_does_not_hide_the_percent_value():
    # annotations/README.md says `region_norm=` once swallowed the PERCENT's own norm.
    doc = parse("[[98 persen]]{PERCENT metric=coverage target=1 region_norm=Indonesia}")
    assert doc.entities[0].norm == 98.0
    assert doc.facts[0].target is True


@pytest.mark.parametrize("value, target", [("1", True), ("true", True), ("yes", True),
                                           ("0", False), ("no", False)])
def test_target_values(value, target):
    assert parse(f"[[5%]]{{PERCENT metric=other target={value}}}").facts[0].target is target


def test_header_source_equal_to_the_text_is_accepted(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text("Di Kaltim 5%", encoding="utf-8")
    doc = parse_markup(markup("Di [[Kaltim]]{REGION} [[5%]]{PERCENT metric=other}",
                              f"id: s\nsource: {source}"), "src/s.txt")
    assert doc.text == "Di Kaltim 5%"
    assert doc.meta == {"source": str(source)}


@pytest.mark.parametrize("source, message", [
    ("Kaltim\n", "starts with a '---' header"),
    ("---\nid: x\nKaltim\n", "header block is not closed"),
    (markup("x", "source: a.txt"), "header needs an id"),
    (markup("[[Kaltim]]{PLACE}"), "needs a label"),
    (markup("[[Kaltim]]{}"), "needs a label"),
    (markup("[[Kaltim]]{REGION r1}"), "is not key=value or #id"),
    (markup("[[Kaltim]]{REGION metric=coverage}"), "unexpected attributes ['metric']"),
    (markup("[[5%]]{PERCENT metric=other colour=red}"), "unexpected attributes"),
    (markup("[[Kaltim]]{REGION norm=\"Kalimantan}"), "bad attributes"),
    (markup("[[5%]]{PERCENT region=r1}"), "a PERCENT needs metric="),
    (markup("[[5%]]{PERCENT metric=other region=r9}"), "region=r9 is not a REGION"),
    (markup("[[Kaltim]]{REGION #r1} [[5%]]{PERCENT metric=other region=r1,r2}"),
     "region=r2 is not a REGION"),
    (markup("[[2024]]{DATE #d} [[5%]]{PERCENT metric=other region=d}"),
     "region=d is not a REGION"),
    (markup("[[Kaltim]]{REGION #r} [[5%]]{PERCENT metric=other date=r}"),
     "date=r is not a DATE"),
    (markup("Di [[Kaltim]{REGION} sana"), "unclosed or malformed mention"),
    (markup("Di [[Kaltim sana"), "unclosed or malformed mention"),
    (markup("Di [[Kaltim]] sana"), "unclosed or malformed mention"),
])
def test_errors_raise_markup_error_naming_the_file(source, message):
    with pytest.raises(MarkupError) as err:
        parse_markup(source, "src/broken-17.txt")
    assert "src/broken-17.txt" in str(err.value)
    assert message in str(err.value)


def test_error_names_the_line_of_the_mention():
    with pytest.raises(MarkupError, match=r"src/x\.txt:8: mention needs a label"):
        parse_markup(markup("one\ntwo\n[[Kaltim]]{REG}"), "src/x.txt")


def test_source_mismatch_raises(tmp_path):
    source = tmp_path / "article.txt"
    source.write_text("Di Kaltim  5%", encoding="utf-8")
    text = markup("Di [[Kaltim]]{REGION} [[5%]]{PERCENT metric=other}", f"id: s\nsource: {source}")
    with pytest.raises(MarkupError, match=r"src/s\.txt: text differs from .* at character 10"):
        parse_markup(text, "src/s.txt")


def test_missing_source_raises(tmp_path):
    text = markup("x", f"id: s\nsource: {tmp_path / 'gone.txt'}")
    with pytest.raises(MarkupError, match=r"src/s\.txt: source .*gone\.txt does not exist"):
        parse_markup(text, "src/s.txt")


def test_non_numeric_percent_norm_raises_markup_error():
    with pytest.raises(MarkupError, match="src/doc.txt"):
        parse("[[lima persen]]{PERCENT norm=lima metric=other}")


def test_build_sources_takes_files_and_folders_in_order(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ("b", "a"):
        (folder / f"{name}.txt").write_text(markup("x", f"id: {name}"), encoding="utf-8")
    (folder / "notes.md").write_text("not a source", encoding="utf-8")
    single = tmp_path / "c.txt"
    single.write_text(markup("y", "id: c"), encoding="utf-8")
    assert [d.id for d in build_sources([single, folder])] == ["c", "a", "b"]


# --- the committed gold files --------------------------------------------------------------

@pytest.fixture()
def in_root(monkeypatch):
    # Seed headers name their source relative to the repository root.
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", ["seeds", "authored"])
def test_gold_jsonl_is_built_from_its_markup_sources(in_root, name):
    built = build_sources([Path("annotations/src") / name])
    committed = read_jsonl(Path("annotations") / f"{name}.jsonl")
    assert built
    assert [d.to_dict() for d in built] == [d.to_dict() for d in committed]


def seed_documents():
    return read_jsonl(ROOT / "annotations" / "seeds.jsonl")


def test_there_is_one_gold_document_per_seed_file():
    sources = sorted(d.meta["source"] for d in seed_documents())
    assert sources == sorted(f"seeds/{p.name}" for p in (ROOT / "seeds").glob("*.txt"))


@pytest.mark.parametrize("doc", seed_documents(), ids=lambda d: d.id)
def test_seed_text_is_its_file(doc):
    assert doc.text == (ROOT / doc.meta["source"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", seed_documents(), ids=lambda d: d.id)
def test_seed_holds_every_percentage(doc):
    spans = [(e.start, e.end) for e in doc.entities if e.label == "PERCENT"]
    missed = [m.group() for m in PERCENTAGE.finditer(doc.text)
              if not any(s <= m.start() and m.end() <= e for s, e in spans)]
    assert missed == []


@pytest.mark.parametrize("doc", seed_documents(), ids=lambda d: d.id)
def test_seed_percent_and_region_norms(doc):
    register = get_register()
    for ent in doc.entities:
        if ent.label == "PERCENT":
            assert isinstance(ent.norm, float), ent
        elif ent.label == "REGION":
            known = register.by_name(ent.norm) if isinstance(ent.norm, str) else None
            assert known is not None and known.name == ent.norm, ent
