from pipeline.document import Document, Entity, Fact
from pipeline.plausibility import BatchIndex, add_warnings, document_warnings, figures


def _doc(doc_id: str, *figures: dict) -> Document:
    """A document stating each figure (value, metric, region, date, target, segment)."""
    doc = Document(id=doc_id, text="")
    for i, fig in enumerate(figures):
        percent = Entity(f"P{i}", 0, 1, "PERCENT", fig["value"])
        doc.entities.append(percent)
        date = None
        if fig.get("date"):
            date = Entity(f"D{i}", 0, 1, "DATE", fig["date"])
            doc.entities.append(date)
        doc.facts.append(Fact(percent=percent.id, metric=fig.get("metric", "coverage"),
                              target=fig.get("target", False),
                              region_norm=fig.get("region", "Kalimantan Tengah"),
                              date=date.id if date else None, segment=fig.get("segment")))
    return doc


def batch_warnings(docs: list[Document]) -> None:
    """The cross-document checks as the report writers run them: index every figure of the
    batch, then add each figure's warnings to its fact."""
    found = [pair for doc in docs for pair in figures(doc)]
    index = BatchIndex()
    for _, fig in found:
        index.add(fig)
    for fact, fig in found:
        add_warnings(fact.warnings, index.warnings(fig))


def _codes(doc: Document) -> list[list[str]]:
    return [[w.split(":")[0] for w in fact.warnings] for fact in doc.facts]


def test_coverage_over_100_names_double_counting():
    doc = _doc("a", {"value": 118.09, "region": "Kabupaten Murung Raya"}, {"value": 100.0})
    document_warnings(doc)
    assert doc.facts[0].warnings == [
        "coverage_over_100: coverage 118.09% is above 100% (possibly double-counted data)"]
    assert doc.facts[1].warnings == []


def test_activity_and_inactive_over_100_but_not_other():
    doc = _doc("a", {"value": 101.5, "metric": "activity"},
               {"value": 120.0, "metric": "inactive"}, {"value": 250.0, "metric": "other"})
    document_warnings(doc)
    assert _codes(doc) == [["activity_over_100"], ["inactive_over_100"], []]


def test_targets_are_never_checked():
    doc = _doc("a", {"value": 105.0, "target": True},
               {"value": 99.0, "metric": "activity", "target": True},
               {"value": 98.0})
    other = _doc("b", {"value": 97.0, "target": True})
    document_warnings(doc)
    batch_warnings([doc, other])
    assert _codes(doc) == [[], [], []] and _codes(other) == [[]]


def test_activity_above_coverage_in_one_document():
    doc = _doc("a", {"value": 98.12, "date": "2023-11-01"},
               {"value": 99.5, "metric": "activity", "date": "2023-11-01"},
               {"value": 70.95, "metric": "activity", "date": "2023-11-01"})
    document_warnings(doc)
    assert doc.facts[1].warnings == [
        "activity_above_coverage: activity 99.5% is above coverage 98.12% "
        "for Kalimantan Tengah on 2023-11-01"]
    assert _codes(doc) == [[], ["activity_above_coverage"], []]


def test_activity_above_coverage_needs_same_region_date_and_segment():
    doc = _doc("a", {"value": 90.0, "date": "2023-11-01"},
               {"value": 95.0, "metric": "activity", "date": "2023-10-01"},
               {"value": 95.0, "metric": "activity", "date": "2023-11-01", "region": "Kalteng"},
               {"value": 95.0, "metric": "activity", "date": "2023-11-01", "segment": "PBPU"})
    document_warnings(doc)
    assert _codes(doc) == [[], [], [], []]


def test_region_key_ignores_case_and_prefix():
    doc = _doc("a", {"value": 90.0, "region": "Kabupaten Barito Utara"},
               {"value": 95.0, "metric": "activity", "region": "barito utara"})
    document_warnings(doc)
    assert _codes(doc) == [[], ["activity_above_coverage"]]


def test_activity_above_coverage_across_the_batch_needs_a_date():
    coverage = _doc("a", {"value": 98.12, "date": "2023-11-01"}, {"value": 90.0})
    activity = _doc("b", {"value": 99.0, "metric": "activity", "date": "2023-11-01"},
                    {"value": 95.0, "metric": "activity"})
    batch_warnings([coverage, activity])
    assert activity.facts[0].warnings == [
        "activity_above_coverage: activity 99% is above coverage 98.12% in a "
        "for Kalimantan Tengah on 2023-11-01"]
    assert _codes(activity)[1] == [] and _codes(coverage) == [[], []]


def test_conflict_across_the_batch():
    first = _doc("a", {"value": 98.12, "date": "2023-11-01"})
    second = _doc("b", {"value": 97.5, "date": "2023-11-01"})
    same = _doc("c", {"value": 98.12, "date": "2023-11-01"})
    batch_warnings([first, second, same])
    assert second.facts[0].warnings == [
        "conflict: coverage for Kalimantan Tengah on 2023-11-01 is also reported as 98.12% (a)"]
    assert first.facts[0].warnings == [
        "conflict: coverage for Kalimantan Tengah on 2023-11-01 is also reported as 97.5% (b)"]
    assert _codes(same) == [["conflict"]]


def test_no_conflict_across_metric_segment_date_or_undated():
    docs = [_doc("a", {"value": 98.12, "date": "2023-11-01"}, {"value": 60.0}),
            _doc("b", {"value": 97.0, "date": "2023-11-01", "metric": "other"},
                 {"value": 50.0, "date": "2023-11-01", "segment": "PBPU"},
                 {"value": 97.0, "date": "2023-12-01"}, {"value": 70.0})]
    batch_warnings(docs)
    assert [_codes(doc) for doc in docs] == [[[], []], [[], [], [], []]]


def test_checks_can_run_twice_without_repeating():
    docs = [_doc("a", {"value": 118.09, "date": "2023-11-01"}),
            _doc("b", {"value": 101.0, "date": "2023-11-01"})]
    for _ in range(2):
        for doc in docs:
            document_warnings(doc)
        batch_warnings(docs)
    assert _codes(docs[0]) == [["coverage_over_100", "conflict"]]
