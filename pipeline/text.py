"""Words, sentences, windows and BIO tags: the pure alignment functions between
character spans and the token sequences the models and seqeval see.

A regex tokenizer is used instead of spaCy's: it is an order of magnitude faster, and its
one rule — a word is a run of digits, a run of letters, or one other character — puts a
boundary everywhere a span can start or end (`99, 34%` → `99` `,` `34` `%`, `KALTIM2` →
`KALTIM` `2`), so gold spans always align with words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

Span = tuple[int, int]

_WORD = re.compile(r"\d+|[^\W\d_]+|\S")
# A sentence ends at a line break, or at . ! ? (and closing quotes/brackets) followed by
# space and something that can start a sentence.
_SENTENCE_END = re.compile(r"\n+|(?<=[.!?])(?P<close>[\"”’)]*)[ \t]+(?=[\"“‘(]?[A-Z0-9])")
# Words after which a full stop does not end a sentence (titles, `Kab.`, `Prov.`, initials).
_ABBREVIATIONS = frozenset(
    "kab prov kec kel kota dr drg ir h hj hm kh prof no nomor jl st sdr bpk ny tn dll dsb "
    "si sh se mm mkes kes kep sos sp pd ag ak ssi skm amd mt ms msi mph mh mba phd dkk".split()
)


def tokenize(text: str) -> list[Span]:
    """Character spans of the words of a text."""
    return [m.span() for m in _WORD.finditer(text)]


def sentences(text: str) -> list[Span]:
    """Character spans of the sentences of a text (stripped, never empty)."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        # Closing quotes and brackets belong to the sentence they close.
        end = match.start() + len(match.group("close") or "")
        if not match.group().startswith("\n"):
            word = _word_before_stop(text, start, end)
            if word and (word.lower() in _ABBREVIATIONS or len(word) == 1):
                continue
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    return [_strip(text, s, e) for s, e in spans if text[s:e].strip()]


def _word_before_stop(text: str, start: int, end: int) -> str | None:
    r"""The letters right before the full stop that ends text[start:end] but for
    non-word characters (`Kab` of `… Kab. `), else None: what `([^\W\d_]+)\.\W*$` finds
    there, read back from `end` so a sentence with many stops is not read once per stop."""
    stop = end  # the non-word characters at the end start here; the stop must open them
    while stop > start and not (text[stop - 1].isalnum() or text[stop - 1] == "_"):
        stop -= 1
    if stop == end or text[stop] != ".":
        return None
    first = stop
    while first > start and text[first - 1].isalnum() and not text[first - 1].isdecimal():
        first -= 1
    return text[first:stop] if first < stop else None


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def windows(text: str, max_words: int) -> list[list[Span]]:
    """Word spans grouped into windows of whole sentences of at most `max_words` words.

    Long articles are windowed, never truncated: a sentence longer than the window is
    cut at word boundaries into several windows, so every word is in exactly one.
    """
    result: list[list[Span]] = []
    current: list[Span] = []
    for s_start, s_end in sentences(text):
        words = [(s_start + a, s_start + b) for a, b in tokenize(text[s_start:s_end])]
        for i in range(0, len(words), max_words) if len(words) > max_words else [0]:
            piece = words[i:i + max_words]
            if current and len(current) + len(piece) > max_words:
                result.append(current)
                current = []
            current = current + piece
    if current:
        result.append(current)
    return result


def bio_tags(words: Sequence[Span], entities: Iterable[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of words given (start, end, label) spans; a word inside a span is tagged,
    the first word of a span gets B-. Spans that cut a word raise ValueError."""
    tags = ["O"] * len(words)
    starts = {s: i for i, (s, _) in enumerate(words)}
    ends = {e: i for i, (_, e) in enumerate(words)}
    for start, end, label in entities:
        if start not in starts or end not in ends:
            raise ValueError(f"span {start}-{end} ({label}) does not align with word boundaries")
        first, last = starts[start], ends[end]
        tags[first] = f"B-{label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{label}"
    return tags


def spans_from_bio(words: Sequence[Span], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) spans from IOB2 tags.

    Repair rule for invalid sequences: an `I-X` that does not continue an `X` span starts
    a new `X` span (as if it were `B-X`), so no predicted word is silently dropped.
    """
    spans: list[tuple[int, int, str]] = []
    open_label: str | None = None
    for (start, end), tag in zip(words, tags, strict=True):
        prefix, _, label = tag.partition("-")
        if prefix == "I" and open_label == label:
            spans[-1] = (spans[-1][0], end, label)
        elif prefix in ("B", "I"):
            spans.append((start, end, label))
            open_label = label
        else:
            open_label = None
    return spans
