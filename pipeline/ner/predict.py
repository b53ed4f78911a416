"""Tag documents with a trained token classifier, in length-sorted batches.

Decoding: each word takes the tag of its first sub-token; tags become character spans
with `pipeline.text.spans_from_bio` (which repairs invalid IOB2 by a stated rule), so a
span never cuts a word. Rule-tagger spans of the model's `certain_labels` are never
overruled by a learned span: a learned span that clashes with one is replaced by the rule
span and the replacement is recorded in `meta["ner_overrules"]`.
"""

from __future__ import annotations

import functools
import json
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForTokenClassification, AutoTokenizer
from transformers.utils import logging as transformers_logging

from pipeline.document import Document, Entity
from pipeline.ner.config import MODEL_META
from pipeline.ner.encoding import first_subtoken_positions
from pipeline.ner.examples import Window, document_windows, encode, fit_to_tokens
from pipeline.ner.rules import RuleTagger
from pipeline.normalize import normalize_entities
from pipeline.text import spans_from_bio

# Labels whose regex matches are taken as certain by default: a learned span never
# silently replaces them. The model folder's ner_meta.json may name more.
CERTAIN_RULE_LABELS: tuple[str, ...] = ("PERCENT",)


class NerTagger:
    """A trained model folder (safetensors, tokenizer, ner_meta.json) ready to tag."""

    def __init__(self, model_dir: str | Path, batch_size: int = 32,
                 certain_labels: Sequence[str] | None = None) -> None:
        model_dir = Path(model_dir)
        meta_path = model_dir / MODEL_META
        if not meta_path.is_file():
            raise FileNotFoundError(f"{model_dir} is not a trained NER model (no {MODEL_META})")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        self.labels: list[str] = meta["labels"]
        self.register_features: bool = meta["register_features"]
        self.max_words: int = meta["max_words"]
        self.max_tokens: int = meta["max_tokens"]
        self.batch_size = batch_size
        self.certain_labels = frozenset(
            certain_labels if certain_labels is not None
            else meta.get("certain_labels", CERTAIN_RULE_LABELS))
        self.added_labels = frozenset(meta.get("added_labels", self.labels_of(self.labels)))
        self.model_dir = model_dir
        self.rules = RuleTagger()

    # The network is loaded on first use: a model that adds no label's spans never runs it,
    # so its weights cost neither load time nor memory.
    @functools.cached_property
    def tokenizer(self) -> Any:
        return AutoTokenizer.from_pretrained(self.model_dir, local_files_only=True)

    @functools.cached_property
    def model(self) -> Any:
        # Loaded once per command or worker; a "Loading weights" bar each time is noise.
        transformers_logging.disable_progress_bar()
        return AutoModelForTokenClassification.from_pretrained(
            self.model_dir, local_files_only=True, use_safetensors=True).eval()

    def predict_batch(self, docs: Sequence[Document]) -> list[Document]:
        """New documents (same id, text, meta) with entities, scores and norms."""
        mentions = [self.rules.spans(doc.text) for doc in docs]  # one rule pass per text
        rules = self.rules if self.register_features else None
        # A model that may add no label's spans leaves the rule spans as they are: its
        # forward pass would change nothing, so it is skipped.
        windows = [] if not self.added_labels else [
            piece
            for i, doc in enumerate(docs)
            for window in document_windows(doc, i, self.max_words, rules, with_tags=False,
                                           mentions=mentions[i])
            for piece in fit_to_tokens(window, self.tokenizer, self.max_tokens)
        ]
        tagged: list[list[tuple[tuple[int, int], str, float]]] = [[] for _ in docs]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].words))
        for first in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[first:first + self.batch_size]]
            for window, word_tags in zip(batch, self._tag_windows(batch), strict=True):
                tagged[window.doc_index].extend(
                    (span, tag, prob) for span, (tag, prob) in zip(window.spans, word_tags,
                                                                   strict=True))
        return [self._document(doc, sorted(words), found)
                for doc, words, found in zip(docs, tagged, mentions, strict=True)]

    @staticmethod
    def labels_of(tags: Sequence[str]) -> set[str]:
        """Entity labels of IOB2 tags (`B-REGION` → `REGION`)."""
        return {tag[2:] for tag in tags if tag != "O"}

    @torch.inference_mode()
    def _tag_windows(self, batch: list[Window]) -> list[list[tuple[str, float]]]:
        encoded, word_ids = encode(batch, self.tokenizer, self.max_tokens)
        padded = self.tokenizer.pad(encoded, return_tensors="pt")
        probs = torch.softmax(self.model(**padded).logits, dim=-1)
        best_prob, best = probs.max(dim=-1)
        out = []
        best, best_prob = best.tolist(), best_prob.tolist()
        for row, window in enumerate(batch):
            positions = first_subtoken_positions(word_ids[row])
            out.append([(self.labels[best[row][positions[i]]], best_prob[row][positions[i]])
                        for i in range(len(window.words))])
        return out

    def _document(self, doc: Document, words: list[tuple[tuple[int, int], str, float]],
                  mentions: list[tuple[int, int, str]]) -> Document:
        spans = spans_from_bio([w[0] for w in words], [w[1] for w in words])
        word_starts = [w[0][0] for w in words]
        learned = []
        for start, end, label in spans:
            first, last = bisect_left(word_starts, start), bisect_left(word_starts, end)
            probs = [w[2] for w in words[first:last]]
            score = sum(probs) / len(probs)
            if label in self.added_labels:
                learned.append((start, end, label, score))
        certain = [(s, e, label, 1.0) for s, e, label in mentions
                   if label in self.certain_labels]
        merged, overruled = merge_with_certain(learned, certain)
        out = Document(id=doc.id, text=doc.text, meta=dict(doc.meta))
        out.entities = [Entity(id=f"T{i + 1}", start=s, end=e, label=label, score=score)
                        for i, (s, e, label, score) in enumerate(merged)]
        if overruled:
            out.meta["ner_overrules"] = [
                f"{doc.text[s:e]!r} {label} replaced by a certain regex match"
                for s, e, label, _ in overruled]
        normalize_entities(out)
        return out


Scored = tuple[int, int, str, float]


def merge_with_certain(learned: list[Scored], certain: list[Scored]
                       ) -> tuple[list[Scored], list[Scored]]:
    """All certain spans, plus the learned spans that clash with none of them.

    Returns (merged spans sorted by start, learned spans that were overruled). A learned
    span identical to a certain one is not an overrule.
    """
    # Certain spans are sorted and never overlap, so their ends are sorted too and the
    # ones a learned span clashes with form one run: ending after it starts, starting
    # before it ends.
    starts, ends = [c[0] for c in certain], [c[1] for c in certain]
    kept, overruled = [], []
    for span in learned:
        hits = certain[bisect_right(ends, span[0]):bisect_left(starts, span[1])]
        if not hits:
            kept.append(span)
        elif not any(c[:3] == span[:3] for c in hits):
            overruled.append(span)
    merged = sorted(kept + certain, key=lambda s: s[0])
    return merged, overruled
