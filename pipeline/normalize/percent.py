"""Percent mentions → float values.

Indonesian news writes `85,61 persen` (decimal comma, thousands dot) but also `96.42%`,
stray spaces (`99, 34%`) and number words (`lima persen`); all must give the same float
so that figures from different outlets compare.
"""

from __future__ import annotations

import re

UNIT = r"(?:%|per\s?sen\b)"
_MENTION = re.compile(rf"^\s*(?P<number>.*?)\s*{UNIT}\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d+(?:\s?[.,]\s?\d+)*$")

# Number words. The `se-` forms are written fused, so they are whole groups of their own.
UNITS: dict[str, int] = {
    "nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
    "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9,
}
GROUPS: dict[str, int] = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
# How a multiplier word turns the unit before it into a value: `tiga belas`, `dua puluh`.
MULTIPLIERS: dict[str, tuple[int, int]] = {"belas": (1, 10), "puluh": (10, 0), "ratus": (100, 0)}
DECIMAL_WORD = "koma"


def parse_percent(mention: str) -> float | None:
    """The value of a percent mention (`85,61 persen` → 85.61), or None when unreadable."""
    match = _MENTION.match(mention)
    if not match:
        return None
    number = match.group("number")
    if _DIGITS.match(number):
        return _parse_digits(number)
    return _parse_words(number.lower().split())


def _parse_digits(number: str) -> float | None:
    number = re.sub(r"\s", "", number)
    separators = re.findall(r"[.,]", number)
    if "," in separators:
        # Decimal comma: every dot before it groups thousands.
        whole, _, decimals = number.rpartition(",")
        if "," in whole:
            return None
        whole = whole.replace(".", "")
    elif separators and re.search(r"\.\d{1,2}$", number) and len(separators) == 1:
        whole, _, decimals = number.partition(".")
    else:
        if separators and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", number):
            return None
        whole, decimals = number.replace(".", ""), ""
    return float(f"{whole}.{decimals}" if decimals else whole)


def _parse_words(words: list[str]) -> float | None:
    if not words:
        return None
    if DECIMAL_WORD in words:
        cut = words.index(DECIMAL_WORD)
        whole = _integer_words(words[:cut])
        digits = [UNITS.get(w) for w in words[cut + 1:]]
        if whole is None or not digits or any(d is None or d > 9 for d in digits):
            return None
        return float(f"{whole}.{''.join(str(d) for d in digits)}")
    value = _integer_words(words)
    return None if value is None else float(value)


def _integer_words(words: list[str]) -> int | None:
    """`seratus dua puluh lima` → 125; None when the words are not a number."""
    if not words:
        return None
    total, pending = 0, None
    for word in words:
        if word in UNITS and pending is None:
            pending = UNITS[word]
        elif word in GROUPS and pending is None:
            total += GROUPS[word]
        elif word in MULTIPLIERS and pending is not None:
            factor, offset = MULTIPLIERS[word]
            total += pending * factor + offset
            pending = None
        else:
            return None
    return total + (pending or 0)
