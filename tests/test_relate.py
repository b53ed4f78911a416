import copy
import json
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.evaluate import fact_tuple
from pipeline.markup import parse_markup
from pipeline.relate import LearnedRelater, RuleRelater, train_relater
from pipeline.relate.experiment import relation_loso, relation_table


def doc(body: str, doc_id: str = "t") -> Document:
    return parse_markup(f"---\nid: {doc_id}\n---\n{body}")


def tuples(document: Document, facts) -> list[tuple]:
    return sorted((fact_tuple(document, f, with_date=True) for f in facts), key=str)


def assert_rules_match_gold(document: Document) -> None:
    assert tuples(document, RuleRelater().relate(document)) == tuples(document, document.facts)


LIST = doc(
    "Cakupan UHC sampai dengan [[1 November 2023]]{DATE #d1} di [[Kalteng]]{REGION #r1} "
    "mencapai [[98,12%]]{PERCENT metric=coverage region=r1 date=d1}, yaitu "
    "[[Murung Raya]]{REGION #k1} ([[118,09%]]{PERCENT metric=coverage region=k1 date=d1}), "
    "[[Seruyan]]{REGION #k2} ([[105,17%]]{PERCENT metric=coverage region=k2 date=d1}).")
NATIONAL = doc(
    "Sekda [[Kaltim]]{REGION #r1} hadir.\n"
    "“Secara nasional, cakupan kita sudah [[98 persen]]{PERCENT metric=coverage "
    "region_norm=Indonesia},” katanya.")
TARGET = doc(
    "Pemprov [[Lampung]]{REGION #r1} menargetkan keaktifan peserta minimal "
    "[[80 persen]]{PERCENT metric=activity target=1 region=r1}.")
INACTIVE = doc(
    "Peserta yang aktif di wilayah [[Kaltim]]{REGION #r1} sampai [[29 Februari 2024]]{DATE #d1} "
    "ini sebesar [[85,61 persen]]{PERCENT metric=activity region=r1 date=d1} atau ada "
    "[[15 persen]]{PERCENT metric=inactive region=r1 date=d1} data peserta yang tercatat "
    "tetapi tidak aktif.")
SEVERAL = doc(
    "Per [[1 Juli 2024]]{DATE #d1}, [[Sleman]]{REGION #a} dan [[Bantul]]{REGION #b} sudah "
    "mencapai [[100 persen]]{PERCENT metric=coverage region=a,b date=d1}.")
PRESS = doc(
    "Kepala Cabang BPJS [[Palangka Raya]]{REGION} mengatakan cakupan di [[Kalteng]]{REGION #r1} "
    "mencapai [[98,12%]]{PERCENT metric=coverage region=r1}. Hal itu ia sampaikan di "
    "[[Palangka Raya]]{REGION}, Senin ([[27/11/2023]]{DATE}).")
SEGMENT = doc(
    "Keaktifan segmen PBPU di [[Sumut]]{REGION #r1} hanya [[41,3 persen]]{PERCENT "
    "metric=activity region=r1 segment=PBPU}, sedangkan segmen PBI APBN mencapai "
    "[[88,9 persen]]{PERCENT metric=activity region=r1 segment=\"PBI APBN\"}.")
RESPECTIVE = doc(
    "Kabupaten [[Kaur]]{REGION #a} dan [[Mukomuko]]{REGION #b} masing-masing baru "
    "[[91,2 persen]]{PERCENT metric=coverage region=a} dan "
    "[[93,65 persen]]{PERCENT metric=coverage region=b}.")
ALL = [LIST, NATIONAL, TARGET, INACTIVE, SEVERAL, PRESS, SEGMENT, RESPECTIVE]

# The classes of relation errors read off the real dev set, each in an invented sentence.
PAIRED_METRICS = doc(
    "Capaian [[Sinjai]]{REGION #a}: kepesertaan [[99,1 persen]]{PERCENT "
    "metric=coverage region=a} dan keaktifan [[81,5 persen]]{PERCENT metric=activity "
    "region=a}. Untuk [[Bulukumba]]{REGION #b}, kepesertaan [[98,7 persen]]{PERCENT "
    "metric=coverage region=b} dan keaktifan [[80,2 persen]]{PERCENT metric=activity "
    "region=b}.")
COMPLEMENT = doc(
    "Di [[Bantul]]{REGION #a}, [[7 persen]]{PERCENT metric=inactive region=a} peserta "
    "tercatat tidak aktif karena menunggak.")
SEGMENT_SHARES = doc(
    "Komposisi peserta di [[Gorontalo]]{REGION #a}: PBI APBN "
    "[[41 persen]]{PERCENT metric=other region=a segment=\"PBI APBN\"}, lalu PBPU "
    "[[13 persen]]{PERCENT metric=other region=a segment=PBPU}.")
ASPIRATION = doc(
    "Bupati [[Sinjai]]{REGION #a} berharap cakupan JKN warganya mencapai [[100 persen]]{PERCENT "
    "metric=coverage target=1 region=a}.")
BAR_WITH_LIST = doc(
    "Di [[Maluku]]{REGION #p}, dua kabupaten masih di bawah [[95 persen]]{PERCENT "
    "metric=coverage target=1 region=a,b}, yakni [[Kepulauan Aru]]{REGION #a} dan "
    "[[Seram Bagian Timur]]{REGION #b}.")
PROGRAMME_NAME = doc(
    "Program Jaminan Kesehatan Nasional di [[Kabupaten Bone]]{REGION #a} telah menjangkau "
    "[[96 persen]]{PERCENT metric=coverage region=a} penduduk.")
NATIONAL_BAR = doc(
    "Cakupan [[Subang]]{REGION #a} nyaris menyentuh target nasional [[98%]]{PERCENT "
    "metric=coverage target=1 region=a}.")
APPOSITION = doc(
    "Pemkab menargetkan cakupan Kabupaten [[Bone]]{REGION #a}, [[Sulawesi Selatan]]{REGION "
    "#b}, sebesar [[98 persen]]{PERCENT metric=coverage target=1 region=a}.")
PROVINCE_FIRST = doc(
    "Di [[Sulawesi Selatan]]{REGION #b}, Kabupaten [[Bone]]{REGION #a} mencatat cakupan "
    "[[97 persen]]{PERCENT metric=coverage region=a}.")
EVENT_PLACE = doc(
    "Cakupan kepesertaan [[Maluku Utara]]{REGION #p} sudah [[97 persen]]{PERCENT "
    "metric=coverage region=p}, kata Kepala Cabang di [[Ternate]]{REGION #m}, Jumat.")
CLASSES = [PAIRED_METRICS, COMPLEMENT, SEGMENT_SHARES, ASPIRATION, BAR_WITH_LIST,
           PROGRAMME_NAME, NATIONAL_BAR, APPOSITION, PROVINCE_FIRST]


@pytest.mark.parametrize("document", CLASSES, ids=[
    "kepesertaan_before_figure_beats_next_cue", "complement_after_figure", "segment_share",
    "aspiration_is_target", "bar_with_yakni_list", "programme_name_is_not_national",
    "national_bar_against_region", "region_then_its_province", "province_then_region"])
def test_rules_relate_dev_set_error_classes(document):
    assert_rules_match_gold(document)


def test_rules_skip_the_place_where_a_figure_was_announced():
    [fact] = RuleRelater().relate(EVENT_PLACE)
    assert fact.region_norm == "Maluku Utara"


@pytest.mark.parametrize("document", ALL, ids=["list", "national", "target", "inactive",
                                               "several", "press_date", "segment",
                                               "respective"])
def test_rules_relate_hand_made_documents_as_annotated(document):
    assert_rules_match_gold(document)


def test_rules_give_one_fact_per_region_of_a_shared_figure():
    facts = RuleRelater().relate(SEVERAL)
    assert [f.region_norm for f in facts] == ["Kabupaten Sleman", "Kabupaten Bantul"]
    assert len({(f.percent, f.metric, f.target, f.date) for f in facts}) == 1


def test_rules_never_take_the_press_conference_date():
    assert [f.date for f in RuleRelater().relate(PRESS)] == [None]


def test_rules_take_the_date_after_sampai():
    dates = {INACTIVE.entity(f.date).norm for f in RuleRelater().relate(INACTIVE)}
    assert dates == {"2024-02-29"}


def test_region_code_comes_from_the_entity_or_the_register():
    by_norm = {f.region_norm: f.region_code for f in RuleRelater().relate(LIST)}
    assert by_norm == {"Kalimantan Tengah": "62", "Kabupaten Murung Raya": "62.12",
                       "Kabupaten Seruyan": "62.07"}
    national = RuleRelater().relate(NATIONAL)[0]
    assert (national.region, national.region_norm) == (None, "Indonesia")


@pytest.fixture(scope="module")
def learned() -> LearnedRelater:
    return train_relater(ALL, seed=13)


def test_learned_relater_gives_every_percent_a_fact_with_a_score(learned):
    for document in ALL:
        facts = learned.relate(document)
        percents = {e.id for e in document.entities if e.label == "PERCENT"}
        assert {f.percent for f in facts} == percents
        assert all(0.0 <= f.score <= 1.0 for f in facts)
        assert all(f.region_code for f in facts if f.region_norm not in (None, "Indonesia"))


def test_learned_relater_fits_its_training_documents(learned):
    for document in ALL:
        assert tuples(document, learned.relate(document)) == tuples(document, document.facts)


def test_learned_relater_round_trips_through_json(learned, tmp_path: Path):
    path = learned.save(tmp_path)
    raw = path.read_bytes()
    assert not raw.startswith(b"\x80")  # a pickle starts with its protocol byte
    assert set(json.loads(raw)["models"]) == {"metric", "target", "segment", "region", "date"}
    loaded = LearnedRelater.load(tmp_path)
    for document in ALL:
        assert loaded.relate(document) == learned.relate(document)


def test_relate_leaves_the_document_unchanged(learned):
    before = copy.deepcopy(LIST)
    learned.relate(LIST)
    RuleRelater().relate(LIST)
    assert LIST == before


def test_relation_loso_holds_out_each_seed():
    seeds = [Document(f"seed-{i}", d.text, {}, d.entities, d.facts)
             for i, d in enumerate([TARGET, INACTIVE])]
    results = relation_loso(seeds + [LIST, SEVERAL, SEGMENT], log=lambda _line: None)
    assert results["folds"] == ["seed-0", "seed-1"]
    assert set(results["systems"]) == {"learned", "rules"}
    assert results["systems"]["rules"]["mean"]["without_date"]["f1"] == 1.0
    table = relation_table(results)
    assert table.splitlines()[2].startswith("| learned |")
