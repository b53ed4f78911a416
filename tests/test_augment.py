"""Mention replacement keeps documents valid and changes what it should."""

import json
import random
from pathlib import Path

from pipeline.document import read_jsonl, validate_lines
from pipeline.ner.augment import augment, region_pools, render_date, render_percent
from pipeline.normalize.dates import parse_date
from pipeline.normalize.percent import parse_percent

ROOT = Path(__file__).resolve().parent.parent


def test_rendered_forms_parse_back():
    rng = random.Random(1)
    for _ in range(300):
        value = round(rng.uniform(0, 130), 2)
        assert parse_percent(render_percent(value, rng)) == value
    for norm in ("2023-11-27", "2024-02", "2024", "--04-01", "2020/2024"):
        for _ in range(20):
            assert parse_date(render_date(norm, rng)) == norm


def test_augmented_copies_are_valid_and_seeded():
    docs = read_jsonl(ROOT / "annotations" / "seeds.jsonl")
    pools = region_pools()
    first = augment(docs, 1.0, pools, seed=7)
    again = augment(docs, 1.0, pools, seed=7)
    assert [d.to_dict() for d in first] == [d.to_dict() for d in again]
    assert len(first) == len(docs)
    lines = [json.dumps(d.to_dict()) for d in first]
    assert validate_lines(lines) == []
    for original, copy in zip(docs, first, strict=True):
        assert copy.text != original.text
        assert [e.label for e in copy.entities] == [e.label for e in original.entities]
        assert len(copy.facts) == len(original.facts)
        regions = {e.norm for e in copy.entities if e.label == "REGION"} - {"Indonesia"}
        assert regions != {e.norm for e in original.entities if e.label == "REGION"} - {
            "Indonesia"}


def test_pools_cover_the_register():
    pools = region_pools()
    assert len(pools.regencies) + len(pools.cities) == 514
    assert "Kaltim" in pools.provinces and "Kalimantan Timur" in pools.provinces
