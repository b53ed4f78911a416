"""`jkn-ie devset` on a tiny gold file built from the committed seeds (never dev texts)."""

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.commands.devset import SUMMARY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "annotations" / "seeds.jsonl"


def _tiny_gold(tmp_path: Path) -> Path:
    gold = tmp_path / "gold.jsonl"
    lines = SEEDS.read_text(encoding="utf-8").splitlines()[:2]
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return gold


def test_devset_scores_each_system_and_writes_json(tmp_path, capsys):
    out = tmp_path / "runs" / "devset.json"
    code = main(["devset", "--gold", str(_tiny_gold(tmp_path)), "--json", str(out),
                 "--systems", "rules", "no-learned-ner"])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("dev set (real, seen by the team)")
    assert "Entities (seqeval, strict IOB2)" in printed  # the full per-system report
    assert "Metric confusion" in printed

    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["summary"]) == ["rules", "no-learned-ner"]
    for row in data["summary"].values():
        assert list(row) == list(SUMMARY_COLUMNS)
        assert all(0.0 <= value <= 1.0 for value in row.values())
    assert data["summary"]["rules"]["NER micro"] > 0  # the rules find something in seeds
    for result in data["systems"].values():
        assert result["documents"]["scored"] == 2
    # the rule tagger is shared, so both systems find the same entities
    assert (data["systems"]["rules"]["entities"] ==
            data["systems"]["no-learned-ner"]["entities"])
    summary = printed.split("=== summary")[1].splitlines()
    assert [line.split()[0] for line in summary[3:5]] == ["rules", "no-learned-ner"]


def test_devset_without_gold_says_how_to_assemble_it(tmp_path, capsys):
    code = main(["devset", "--gold", str(tmp_path / "missing.jsonl"), "--systems", "rules"])
    assert code == 2
    err = capsys.readouterr().err
    assert "../shared/devset/README.md" in err
    assert "assemble.py" in err
