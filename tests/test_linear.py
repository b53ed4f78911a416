"""The relation step's work grows linearly with the article's length.

Work is counted, not timed: the lines of `pipeline` code the relation step executes (a
comprehension over every mention of the document runs one line per mention), for an
article and for one eight times as long. Linear work gives a ratio near 8; a step that
compares every percent with every mention gives one far above it. Entities come from the
register-and-regex tagger, so no network model is loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import FrameType

import pytest

from pipeline.commands.bench import long_article
from pipeline.document import Document, read_jsonl
from pipeline.ner.rules import RuleTagger
from pipeline.plausibility import document_warnings
from pipeline.relate import LearnedRelater, RuleRelater

REPO = Path(__file__).resolve().parent.parent
PACKAGE = str(REPO / "pipeline")
SCALE = 8
# Linear work gives about SCALE (a little more: the longer article repeats names, dates
# and values more often); the quadratic step this guards against gave 2-4 times SCALE.
MAX_RATIO = 1.5 * SCALE


def article(words: int) -> Document:
    """One article of `words` words (the authored articles one after another), tagged."""
    text = long_article(read_jsonl(REPO / "annotations" / "authored.jsonl"), words)
    return RuleTagger().predict_batch([Document(id=f"long-{words}", text=text)])[0]


def lines_run(relater: RuleRelater | LearnedRelater, doc: Document) -> int:
    """Lines of `pipeline` code run to relate a tagged document and check its facts."""
    count = 0

    def local(frame: FrameType, event: str, arg: object):  # noqa: ANN202
        nonlocal count
        if event == "line":
            count += 1
        return local

    def on_call(frame: FrameType, event: str, arg: object):  # noqa: ANN202
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    sys.settrace(on_call)
    try:
        doc.facts = relater.relate(doc)
        document_warnings(doc)
    finally:
        sys.settrace(None)
    assert doc.facts
    return count


@pytest.fixture(scope="module")
def articles() -> tuple[Document, Document]:
    return article(750), article(SCALE * 750)


@pytest.mark.parametrize("name", ["rules", "learned"])
def test_relation_step_work_is_linear_in_article_length(name: str, articles) -> None:
    relater = (RuleRelater() if name == "rules"
               else LearnedRelater.load(REPO / "models" / "default"))
    short, long = articles
    ratio = lines_run(relater, long) / lines_run(relater, short)
    assert ratio < MAX_RATIO, f"{name}: {SCALE}x the words cost {ratio:.1f}x the work"


def test_far_mentions_are_ranked_as_one_by_one(articles) -> None:
    """The learned relater ranks far mentions by their shared features: each far mention's
    features must be the ones it has as a candidate, and the ranking the one-by-one one."""
    from pipeline.relate.features import DocFeatures
    from pipeline.relate.model import _rank, _Ranker

    relater = LearnedRelater.load(REPO / "models" / "default")
    features = DocFeatures(articles[1])
    far_regions, far_dates = features.far_regions(), features.far_dates()
    assert far_regions is not None and far_dates is not None
    regions = _Ranker(relater.models["region"], far_regions)
    dates = _Ranker(relater.models["date"], far_dates)
    checked = 0
    for i in range(0, len(features.ctx.percents), 7):
        layout = features.region_layout(i)
        view = features._region_view(i)
        boosted = {j for group in layout.boosts for j in far_regions.groups[group]}
        for lo, hi, variant in layout.runs:
            for j in range(lo, hi, 5):
                assert (far_regions.features(j, variant, j in boosted)
                        == features._region_candidate(i, view, j))
                checked += 1
        previous = features.ctx.dates[i % len(features.ctx.dates)].id
        layout = features.date_layout(i, previous)
        boosted = {j for group in layout.boosts for j in far_dates.groups[group]}
        for lo, hi, variant in layout.runs:
            for j in range(lo, hi, 5):
                assert (far_dates.features(j, variant, j in boosted)
                        == features._date_candidate(i, previous, j))
                checked += 1
        fast = regions._best_of_layout(features.region_layout(i))
        slow = _rank(relater.models["region"], features.regions(i))
        assert fast is not None and fast[0] == slow[0]
        assert fast[1] == pytest.approx(slow[1], rel=1e-9)  # the total is summed in runs
        fast = dates._best_of_layout(features.date_layout(i, previous))
        assert fast is not None
        assert fast[0] == _rank(relater.models["date"], features.dates(i, previous))[0]
    assert checked > 1000
