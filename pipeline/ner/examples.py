"""Documents → word windows with tags and features → tokenised model inputs.

Training and prediction cut text the same way (whole sentences, at most `max_words`
words and `max_tokens` sub-tokens per window), so the model never sees at inference a
shape of input it was not trained on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from transformers import PreTrainedTokenizerBase

from pipeline.document import Document
from pipeline.ner.encoding import IGNORE, TAGS, align_to_subtokens, feature_ids
from pipeline.ner.rules import RuleTagger
from pipeline.text import Span, bio_tags, tokenize, windows


@dataclass
class Window:
    """A run of whole sentences of one document, as words."""

    doc_index: int
    spans: list[Span]
    words: list[str]
    features: list[int]
    tags: list[int] | None = None  # gold tag ids, for training


def document_windows(doc: Document, doc_index: int, max_words: int,
                     rules: RuleTagger | None, with_tags: bool,
                     mentions: list[tuple[int, int, str]] | None = None) -> list[Window]:
    """Split a document into windows; register features from `rules` (None: shape only)
    over the whole text, so a region named in one sentence is known in every window.
    `mentions`: the rule tagger's spans of this text, when the caller already has them."""
    text = doc.text
    all_spans = tokenize(text)
    rule_tags = rules.rule_features(text, all_spans, mentions) if rules else None
    tag_of_word = None
    if with_tags:
        gold = [(e.start, e.end, e.label) for e in doc.entities]
        tag_of_word = dict(zip(all_spans, bio_tags(all_spans, gold), strict=True))
    feature_of_word = dict(zip(all_spans, feature_ids([text[s:e] for s, e in all_spans],
                                                      rule_tags), strict=True))
    result = []
    for spans in windows(text, max_words):
        words = [text[s:e] for s, e in spans]
        tags = [TAGS.index(tag_of_word[s]) for s in spans] if tag_of_word else None
        result.append(Window(doc_index, spans, words, [feature_of_word[s] for s in spans], tags))
    return result


def fit_to_tokens(window: Window, tokenizer: PreTrainedTokenizerBase,
                  max_tokens: int) -> Iterator[Window]:
    """Yield the window, halved as often as needed until it fits `max_tokens` sub-tokens."""
    count = len(tokenizer(window.words, is_split_into_words=True)["input_ids"])
    if count <= max_tokens or len(window.words) == 1:
        yield window
        return
    half = len(window.words) // 2
    for part in (slice(0, half), slice(half, None)):
        yield from fit_to_tokens(
            Window(window.doc_index, window.spans[part], window.words[part],
                   window.features[part], window.tags[part] if window.tags else None),
            tokenizer, max_tokens)


def encode(windows_: list[Window], tokenizer: PreTrainedTokenizerBase, max_tokens: int
           ) -> tuple[dict[str, list[list[int]]], list[list[int | None]]]:
    """Model inputs for a list of windows — input_ids, attention_mask, token_type_ids (the
    word features) and, when the windows carry tags, labels on first sub-tokens — and the
    word index of every sub-token, for decoding."""
    batch = tokenizer([w.words for w in windows_], is_split_into_words=True,
                      truncation=True, max_length=max_tokens)
    features, labels, all_word_ids = [], [], []
    for i, window in enumerate(windows_):
        word_ids = batch.word_ids(i)
        all_word_ids.append(word_ids)
        features.append(align_to_subtokens(word_ids, window.features, first_only=False, fill=0))
        if window.tags is not None:
            labels.append(align_to_subtokens(word_ids, window.tags, first_only=True,
                                             fill=IGNORE))
    out = {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"],
           "token_type_ids": features}
    if labels:
        out["labels"] = labels
    return out, all_word_ids
