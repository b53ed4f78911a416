"""The transformer tagger end to end on a tiny config: training, decoding, saving."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.document import Document, read_jsonl
from pipeline.ner.config import ConfigError, config_from_dict, load_config
from pipeline.ner.encoding import IGNORE, align_to_subtokens, feature_ids
from pipeline.ner.predict import NerTagger, merge_with_certain
from pipeline.ner.rules import RuleTagger
from pipeline.ner.train import train_ner

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    return read_jsonl(ROOT / "annotations" / "seeds.jsonl")[0]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory, seed_doc) -> Path:
    """A tiny model trained on one seed document only (an overfit check)."""
    config = load_config(ROOT / "configs" / "tiny.toml", root=ROOT)
    out = tmp_path_factory.mktemp("tiny")
    train_ner(config, [seed_doc], out)
    return out


def test_offline_environment():
    import os
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_tiny_model_overfits_its_document(tiny_model, seed_doc):
    tagged = NerTagger(tiny_model).predict_batch([Document(seed_doc.id, seed_doc.text)])[0]
    gold = {(e.start, e.end) for e in seed_doc.entities if e.label == "PERCENT"}
    found = {(e.start, e.end) for e in tagged.entities if e.label == "PERCENT"}
    assert gold == found
    assert all(0.0 <= e.score <= 1.0 and isinstance(e.score, float) for e in tagged.entities)
    percent_norms = sorted(e.norm for e in tagged.entities if e.label == "PERCENT")
    assert percent_norms == sorted(e.norm for e in seed_doc.entities if e.label == "PERCENT")


def test_learned_spans_alone_tag_the_training_document(tiny_model, seed_doc):
    """With no certain rule labels, the model itself must find the spans it was fit on."""
    tagger = NerTagger(tiny_model, certain_labels=[])
    tagged = tagger.predict_batch([Document(seed_doc.id, seed_doc.text)])[0]
    gold = {(e.start, e.end, e.label) for e in seed_doc.entities}
    found = {(e.start, e.end, e.label) for e in tagged.entities}
    assert len(gold & found) / len(gold) > 0.9


def test_save_load_round_trip_gives_identical_predictions(tiny_model, seed_doc, tmp_path):
    first = NerTagger(tiny_model)
    first.model.save_pretrained(tmp_path, safe_serialization=True)
    first.tokenizer.save_pretrained(tmp_path)
    (tmp_path / "ner_meta.json").write_text((tiny_model / "ner_meta.json").read_text())
    assert (tmp_path / "model.safetensors").is_file()
    assert not list(tmp_path.glob("*.bin")) and not list(tmp_path.glob("*.pt"))
    doc = Document(seed_doc.id, seed_doc.text)
    a = first.predict_batch([doc])[0].to_dict()
    b = NerTagger(tmp_path).predict_batch([doc])[0].to_dict()
    assert a == b


def test_long_article_is_windowed_not_truncated(tiny_model, seed_doc):
    text = "\n".join([seed_doc.text] * 6)
    tagged = NerTagger(tiny_model).predict_batch([Document("long", text)])[0]
    last_percent = max(e.end for e in seed_doc.entities if e.label == "PERCENT")
    tail = len(text) - len(seed_doc.text)
    assert any(e.label == "PERCENT" and e.end == tail + last_percent for e in tagged.entities)


def test_alignment_first_subtoken_carries_the_label():
    word_ids = [None, 0, 0, 1, 2, 2, 2, None]
    assert align_to_subtokens(word_ids, [5, 6, 7], first_only=True, fill=IGNORE) == [
        IGNORE, 5, IGNORE, 6, 7, IGNORE, IGNORE, IGNORE]
    assert align_to_subtokens(word_ids, [5, 6, 7], first_only=False, fill=0) == [
        0, 5, 5, 6, 7, 7, 7, 0]


def test_features_differ_by_shape_and_rule_tag():
    ids = feature_ids(["kaltim", "Kaltim", "KALTIM", "98"], ["O", "O", "O", "O"])
    assert len(set(ids)) == 4
    assert feature_ids(["Kaltim"], ["B-REGION"]) != feature_ids(["Kaltim"], ["O"])


def test_certain_regex_spans_win_and_are_reported():
    learned = [(0, 5, "DATE", 0.9), (10, 14, "REGION", 0.8), (20, 25, "PERCENT", 0.7)]
    certain = [(0, 7, "PERCENT", 1.0), (20, 25, "PERCENT", 1.0)]
    merged, overruled = merge_with_certain(learned, certain)
    assert merged == [(0, 7, "PERCENT", 1.0), (10, 14, "REGION", 0.8), (20, 25, "PERCENT", 1.0)]
    assert overruled == [(0, 5, "DATE", 0.9)]


def test_config_errors_name_the_key(tmp_path):
    with pytest.raises(ConfigError, match="data.train"):
        config_from_dict({"data": {"train": ["missing.jsonl"]}}, root=tmp_path)
    with pytest.raises(ConfigError, match="unknown keys: colour"):
        config_from_dict({"model": {"colour": "red"}}, root=ROOT)
    with pytest.raises(ConfigError, match="model.base"):
        config_from_dict({"model": {"base": "no/such/checkpoint"}}, root=ROOT)
    config = load_config(ROOT / "configs" / "default.toml", root=ROOT)
    assert replace(config.model, hidden_size=64).hidden_size == 64


def test_training_is_deterministic(tiny_model, seed_doc, tmp_path):
    config = load_config(ROOT / "configs" / "tiny.toml", root=ROOT)
    train_ner(config, [seed_doc], tmp_path)
    for name in ("model.safetensors", "tokenizer.json"):
        assert (tmp_path / name).read_bytes() == (tiny_model / name).read_bytes()


def test_a_learned_span_over_several_certain_spans_is_overruled_once():
    learned = [(0, 30, "OFFICIAL", 0.6), (40, 45, "DATE", 0.9)]
    certain = [(2, 5, "PERCENT", 1.0), (10, 14, "REGION", 1.0), (31, 35, "DATE", 1.0)]
    merged, overruled = merge_with_certain(learned, certain)
    assert overruled == [(0, 30, "OFFICIAL", 0.6)]
    assert merged == [*certain, (40, 45, "DATE", 0.9)]


def test_a_model_adding_no_spans_gives_the_rule_spans_without_loading_its_network(
        tiny_model, tmp_path):
    model = tmp_path / "model"
    shutil.copytree(tiny_model, model)
    meta = json.loads((model / "ner_meta.json").read_text(encoding="utf-8"))
    meta["added_labels"] = []
    meta["certain_labels"] = ["REGION", "OFFICIAL", "PERCENT", "DATE"]
    (model / "ner_meta.json").write_text(json.dumps(meta), encoding="utf-8")
    tagger = NerTagger(model)
    text = "Sekda Kaltim Sri Wahyuni: cakupan 98,5 persen per 1 Mei 2025."
    [doc] = tagger.predict_batch([Document("a", text)])
    assert "model" not in vars(tagger) and "tokenizer" not in vars(tagger)
    assert ([(e.start, e.end, e.label, e.norm) for e in doc.entities]
            == [(e.start, e.end, e.label, e.norm) for e in RuleTagger().tag(text)])
