"""The model card states the measured leave-one-seed-out numbers and who won."""

import json
from pathlib import Path

from pipeline.loso import loso_table
from pipeline.ner.card import write_card
from pipeline.ner.config import load_config
from pipeline.ner.train import TrainResult

ROOT = Path(__file__).resolve().parent.parent


def _mean(micro: float, official: float) -> dict:
    return {"REGION": 0.9, "OFFICIAL": official, "PERCENT": 1.0, "DATE": 0.96, "micro": micro,
            "seqeval_micro": micro, "train_seconds": 10.0}


def test_card_names_the_winner_and_the_aims(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    loso = {"folds": ["seed-000"], "systems": {
        name: {"description": name, "folds": [], "mean": _mean(micro, official)}
        for name, micro, official in [("transformer", 0.95, 0.6),
                                      ("transformer+rules", 0.98, 0.9),
                                      ("transformer-no-register", 0.85, 0.8),
                                      ("spacy-cnn", 0.86, 0.5), ("rules", 0.99, 0.95)]}}
    loso_path = tmp_path / "loso.json"
    loso_path.write_text(json.dumps(loso))
    config = load_config(ROOT / "configs" / "default.toml", root=ROOT)
    write_card(tmp_path, config, TrainResult(tmp_path, 12.0, 49, 98, 800), loso_path)
    card = (tmp_path / "README.md").read_text()
    assert loso_table(loso) in card
    assert "**transformer+rules**, ahead of transformer by 0.030" in card
    assert "OFFICIAL: 0.900 (aim ≥ 0.85) — met" in card
    assert "DATE: 0.960 (aim ≥ 0.95) — met" in card
    assert "REGION: 0.900 (aim ≥ 0.93) — short by 0.030" in card
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["leave_one_seed_out"] == loso
    assert metrics["training"]["augmented_documents"] == 98
