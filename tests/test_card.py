"""The model card quotes the dev-set report first, with its reading and the aims, then the
leave-one-seed-out tables."""

import json
from pathlib import Path

from pipeline.commands.devset import format_summary
from pipeline.loso import loso_table
from pipeline.ner.card import write_card
from pipeline.ner.config import load_config
from pipeline.ner.train import TrainResult

ROOT = Path(__file__).resolve().parent.parent


def _mean(micro: float, official: float) -> dict:
    return {"REGION": 0.9, "OFFICIAL": official, "PERCENT": 1.0, "DATE": 0.96, "micro": micro,
            "seqeval_micro": micro, "train_seconds": 10.0}


def _row(micro: float, official: float, facts: float, dated: float) -> dict:
    return {"NER micro": micro, "REGION": 0.97, "OFFICIAL": official, "PERCENT": 0.996,
            "DATE": 0.99, "facts": facts, "facts+date": dated}


def test_card_quotes_the_dev_set_then_loso(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    loso = {"folds": ["seed-000"], "note": "measured on an earlier model", "systems": {
        name: {"description": name, "folds": [], "mean": _mean(micro, official)}
        for name, micro, official in [("transformer+rules", 0.98, 0.9), ("rules", 0.99, 0.95)]}}
    loso_path = tmp_path / "loso.json"
    loso_path.write_text(json.dumps(loso))
    summary = {"bundled": _row(0.99, 0.99, 0.69, 0.59), "rules": _row(0.99, 0.99, 0.68, 0.58),
               "no-learned-relater": _row(0.99, 0.99, 0.68, 0.58),
               "learned-spans-added": _row(0.98, 0.95, 0.68, 0.58),
               "learned-relater-all-fields": _row(0.99, 0.99, 0.67, 0.53)}
    devset = {"note": "dev set (real, seen by the team)", "documents": 40, "summary": summary}
    config = load_config(ROOT / "configs" / "default.toml", root=ROOT)
    write_card(tmp_path, config, TrainResult(tmp_path, 12.0, 49, 98, 800), loso_path, devset)
    card = (tmp_path / "README.md").read_text()
    assert card.index("## Dev set (real, seen by the team)") < card.index("Leave-one-seed-out")
    assert format_summary(summary) in card
    assert loso_table(loso) in card
    assert "Provenance: measured on an earlier model" in card
    assert "so the bundled model adds none" in card
    assert "- facts: 0.690 (aim ≥ 0.85) — short by 0.160" in card
    assert "- OFFICIAL: 0.990 (aim ≥ 0.88) — met" in card
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["leave_one_seed_out"] == loso
    assert metrics["dev_set"]["summary"] == summary
    assert metrics["training"]["augmented_documents"] == 98


def test_card_says_when_the_dev_set_was_not_scored(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    config = load_config(ROOT / "configs" / "default.toml", root=ROOT)
    write_card(tmp_path, config, TrainResult(tmp_path, 12.0, 49, 98, 800), None, None)
    card = (tmp_path / "README.md").read_text()
    assert "Not scored when this card was written" in card
