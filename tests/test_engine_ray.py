import sys
from pathlib import Path

import pytest

from pipeline import engine, engine_ray
from pipeline.inputs import read_inputs
from pipeline.ner.rules import RuleTagger

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install 'jkn-ie[ray]'")
    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    yield
    ray.shutdown()


def test_ray_writes_the_same_lines_as_the_local_engine_and_resumes(tmp_path, local_ray):
    inputs = [SEEDS, tmp_path / "hilang.txt", SEEDS / "000_4d62181232c53c6a.txt"]
    local, on_ray = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    engine.run(read_inputs(inputs), RuleTagger, local, batch_size=2, progress=False)
    summary = engine_ray.run(read_inputs(inputs), RuleTagger, on_ray, batch_size=2)
    expected = local.read_text(encoding="utf-8")
    assert on_ray.read_text(encoding="utf-8") == expected
    assert (summary.docs, summary.errors) == (5, 2)

    kept = expected.splitlines(keepends=True)[:3]
    on_ray.write_text("".join(kept) + '{"id": "003_', encoding="utf-8")
    summary = engine_ray.run(read_inputs(inputs), RuleTagger, on_ray, batch_size=2, resume=True)
    assert on_ray.read_text(encoding="utf-8") == expected
    assert summary.skipped == 3


def test_without_ray_the_engine_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed
    with pytest.raises(RuntimeError, match=r"pip install 'ray\[data\]"):
        engine_ray.run(read_inputs([SEEDS]), RuleTagger, tmp_path / "out.jsonl")
