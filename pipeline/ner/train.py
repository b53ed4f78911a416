"""Fine-tune a token classifier (AutoModelForTokenClassification + Trainer) on gold documents.

With `model.base` naming a local checkpoint it is fine-tuned (its token-type embedding
resized to carry the word features); otherwise a small BERT is trained from scratch with
a WordPiece vocabulary learned from the training text and the region register.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch
from datasets import Dataset
from transformers import (
    AutoModelForTokenClassification,
    AutoTokenizer,
    BertConfig,
    BertForTokenClassification,
    DataCollatorForTokenClassification,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Trainer,
    TrainingArguments,
    set_seed,
)

from pipeline.document import Document
from pipeline.ner.augment import region_pools, with_augmented
from pipeline.ner.config import MODEL_META, Config
from pipeline.ner.encoding import NUM_FEATURES, TAGS
from pipeline.ner.examples import document_windows, encode, fit_to_tokens
from pipeline.ner.rules import RuleTagger
from pipeline.ner.vocab import train_wordpiece


@dataclass
class TrainResult:
    model_dir: Path
    seconds: float
    train_documents: int
    augmented_documents: int
    windows: int


def _build_model(config: Config, tokenizer: PreTrainedTokenizerBase) -> PreTrainedModel:
    id2label = dict(enumerate(TAGS))
    label2id = {tag: i for i, tag in id2label.items()}
    m = config.model
    if m.base:
        model = AutoModelForTokenClassification.from_pretrained(
            m.base, num_labels=len(TAGS), id2label=id2label, label2id=label2id,
            local_files_only=True)
        _resize_token_types(model, NUM_FEATURES)
        return model
    bert = BertConfig(
        vocab_size=len(tokenizer), hidden_size=m.hidden_size, num_hidden_layers=m.num_layers,
        num_attention_heads=m.num_heads, intermediate_size=m.intermediate_size,
        max_position_embeddings=512, type_vocab_size=NUM_FEATURES, num_labels=len(TAGS),
        id2label=id2label, label2id=label2id, hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1, pad_token_id=tokenizer.pad_token_id)
    return BertForTokenClassification(bert)


def _resize_token_types(model: PreTrainedModel, size: int) -> None:
    """Give a pretrained encoder one token-type row per word feature, each started from the
    mean of its pretrained rows, so fine-tuning begins where the checkpoint left off."""
    embeddings = model.base_model.embeddings
    old = embeddings.token_type_embeddings
    new = torch.nn.Embedding(size, old.embedding_dim)
    with torch.no_grad():
        new.weight[:] = old.weight.mean(dim=0, keepdim=True)
    embeddings.token_type_embeddings = new
    model.config.type_vocab_size = size


def _tokenizer(config: Config, docs: list[Document]) -> PreTrainedTokenizerBase:
    if config.model.base:
        return AutoTokenizer.from_pretrained(config.model.base, local_files_only=True)
    pools = region_pools()
    texts = [d.text for d in docs] + list(pools.provinces) + list(pools.regencies) \
        + list(pools.cities)
    return train_wordpiece(texts, config.model.vocab_size)


def train_ner(config: Config, docs: list[Document], out_dir: Path) -> TrainResult:
    """Train on `docs` (plus their augmented copies) and save the model to `out_dir`."""
    started = time.perf_counter()
    set_seed(config.train.seed)
    torch.set_num_threads(config.train.threads)
    all_docs = with_augmented(docs, config.data.augment_ratio, config.data.seed)
    tokenizer = _tokenizer(config, all_docs)
    rules = RuleTagger() if config.model.register_features else None
    windows = [
        piece
        for i, doc in enumerate(all_docs)
        for window in document_windows(doc, i, config.model.max_words, rules, with_tags=True)
        for piece in fit_to_tokens(window, tokenizer, config.model.max_tokens)
    ]
    dataset = Dataset.from_dict(encode(windows, tokenizer, config.model.max_tokens)[0])
    model = _build_model(config, tokenizer)
    logging.getLogger("transformers").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as scratch:
        args = TrainingArguments(
            output_dir=scratch, per_device_train_batch_size=config.train.batch_size,
            num_train_epochs=config.train.epochs, learning_rate=config.train.learning_rate,
            weight_decay=config.train.weight_decay, warmup_steps=_warmup(config, len(windows)),
            seed=config.train.seed, data_seed=config.train.seed, save_strategy="no",
            report_to=[], use_cpu=True, logging_strategy="no",
            disable_tqdm=not os.isatty(2), dataloader_num_workers=0)
        trainer = Trainer(model=model, args=args, train_dataset=dataset,
                          data_collator=DataCollatorForTokenClassification(tokenizer))
        trainer.train()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    meta = {"labels": list(TAGS), "register_features": config.model.register_features,
            "max_words": config.model.max_words, "max_tokens": config.model.max_tokens,
            "certain_labels": config.model.certain_labels,
            "added_labels": config.model.added_labels}
    (out_dir / MODEL_META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / "training_config.json").write_text(
        json.dumps(config.to_dict(), indent=2) + "\n", encoding="utf-8")
    return TrainResult(out_dir, time.perf_counter() - started, len(docs),
                       len(all_docs) - len(docs), len(windows))


def _warmup(config: Config, examples: int) -> int:
    steps = -(-examples // config.train.batch_size) * config.train.epochs
    return int(steps * config.train.warmup_ratio)
