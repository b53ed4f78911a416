"""A WordPiece tokenizer trained on the project's own text, for models trained from scratch.

No pretrained vocabulary is available offline, so one is learned from the training
articles plus every name in the region register: a regency the articles never mention
still splits into sensible pieces instead of [UNK].
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tokenizers import (
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
)
from transformers import PreTrainedTokenizerFast

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
# Every character a percentage, a date or a name can be written with gets its own piece.
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz%.,/-()'\"“”:;!?&"


def train_wordpiece(texts: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Lower-cased WordPiece (case reaches the model through the word-shape feature).

    The vocabulary is built here rather than by the `tokenizers` trainer, whose tie-breaks
    change from run to run: the special tokens, every single character seen (alone and as a
    `##` continuation), then whole words by falling frequency, ties in alphabetical order.
    A word outside the vocabulary falls back to its characters. Same texts, same vocabulary.
    """
    normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    counts: Counter[str] = Counter()
    for text in texts:
        words = pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(text))
        counts.update(word for word, _span in words)
    chars = sorted({c for word in counts for c in word} | set(_ALPHABET))
    vocab: dict[str, int] = {}
    for token in [*SPECIAL_TOKENS, *chars, *(f"##{c}" for c in chars)]:
        vocab.setdefault(token, len(vocab))
    for word, _count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if len(vocab) >= vocab_size:
            break
        vocab.setdefault(word, len(vocab))
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizer
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoders.WordPiece()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", mask_token="[MASK]", model_input_names=[
            "input_ids", "token_type_ids", "attention_mask"])
