"""Pure functions between words and the model's sub-token sequences.

The model sees, for every sub-token, a feature id in `token_type_ids`: the word's shape
(lower, Capitalised, UPPER, digit/punctuation) combined with the register-and-regex
tagger's tag of the word. That is how register knowledge enters the network: a word the
Kemendagri register knows carries the REGION feature even when its name never occurred in
training, and the model learns when to trust it.
"""

from __future__ import annotations

from collections.abc import Sequence

LABELS: tuple[str, ...] = ("REGION", "OFFICIAL", "PERCENT", "DATE")
TAGS: tuple[str, ...] = ("O", *(f"{p}-{label}" for label in LABELS for p in "BI"))
RULE_TAGS: tuple[str, ...] = (*TAGS, "ROLE")
SHAPES = 4
NUM_FEATURES = len(RULE_TAGS) * SHAPES
IGNORE = -100  # label of sub-tokens the loss skips


def word_shape(word: str) -> int:
    """0 lower-case, 1 Capitalised, 2 UPPER-CASE, 3 digits or punctuation."""
    if not word[:1].isalpha():
        return 3
    if word.isupper() and len(word) > 1:
        return 2
    return 1 if word[0].isupper() else 0


def feature_ids(words: Sequence[str], rule_tags: Sequence[str] | None) -> list[int]:
    """One feature id per word; `rule_tags=None` gives shape-only features (no register)."""
    tags = rule_tags if rule_tags is not None else ["O"] * len(words)
    return [RULE_TAGS.index(tag) * SHAPES + word_shape(word) for word, tag in zip(words, tags,
                                                                               strict=True)]


def align_to_subtokens(word_ids: Sequence[int | None], word_values: Sequence[int],
                       first_only: bool, fill: int) -> list[int]:
    """Spread word-level values over sub-tokens.

    With `first_only`, the first sub-token of a word carries its value and the rest get
    `fill` (labels: -100, so the loss sees each word once); otherwise every sub-token of a
    word carries it (features). Special tokens (word id None) always get `fill`.
    """
    out: list[int] = []
    previous: int | None = None
    for word_id in word_ids:
        if word_id is None or (first_only and word_id == previous):
            out.append(fill)
        else:
            out.append(word_values[word_id])
        previous = word_id
    return out


def first_subtoken_positions(word_ids: Sequence[int | None]) -> dict[int, int]:
    """Word index → position of its first sub-token."""
    positions: dict[int, int] = {}
    for pos, word_id in enumerate(word_ids):
        if word_id is not None and word_id not in positions:
            positions[word_id] = pos
    return positions
