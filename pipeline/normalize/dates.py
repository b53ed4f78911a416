"""Date mentions → ISO strings as precise as the text is.

`21 Maret 2024` → `2024-03-21`, `September 2025` → `2025-09`, `2024` → `2024`,
`1 April` → `--04-01` (year unstated), `2020-2024` → `2020/2024` (a range). Claiming more
precision than the text gives would invent facts, so nothing is filled in.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.normalize.months import ABBREVIATIONS, MONTHS

# Building blocks, also used by the rule tagger. Only an abbreviation takes a dot; longest
# first so `Sept` wins over `Sep`.
_FULL_MONTHS = sorted(set(MONTHS) - set(ABBREVIATIONS), key=len, reverse=True)
MONTH = (r"(?:(?:" + "|".join(_FULL_MONTHS) + r")\b|(?:"
         + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\b\.?)")
YEAR = r"(?:19|20)\d{2}"
DAY = r"(?:0?[1-9]|[12]\d|3[01])"
RANGE_DASH = r"\s?[-–—]\s?"
# Weekdays, as datelines and headlines capitalise them; they are never part of a DATE.
WEEKDAYS: tuple[str, ...] = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Jum'at", "Sabtu",
                             "Minggu", "Ahad")

_FORMS: list[re.Pattern[str]] = [re.compile(p, re.IGNORECASE) for p in (
    rf"(?P<y>{YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})",
    rf"(?P<d>\d{{1,2}})([/.-])(?P<m>\d{{1,2}})\2(?P<y>{YEAR})",
    rf"(?P<d>{DAY})\s+(?P<mn>{MONTH})\s*,?\s*(?P<y>{YEAR})",
    rf"(?P<mn>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})",
    rf"(?P<d>{DAY})\s+(?P<mn>{MONTH})",
    rf"(?P<d>{DAY})/(?P<m>\d{{1,2}})",
    rf"(?P<mn>{MONTH})\s*,?\s*(?P<y>{YEAR})",
    rf"(?P<y>{YEAR})(?:{RANGE_DASH}(?P<y2>{YEAR}))?",
)]


def parse_date(mention: str) -> str | None:
    """ISO form of a date mention, or None when it is not a possible calendar date."""
    text = mention.strip()
    for pattern in _FORMS:
        match = pattern.fullmatch(text)
        if match:
            return _iso(match.groupdict())
    return None


def _iso(parts: dict[str, str | None]) -> str | None:
    year = int(parts["y"]) if parts.get("y") else None
    if parts.get("y2"):
        return f"{year}/{parts['y2']}" if int(parts["y2"]) > year else None
    if parts.get("mn"):
        month = MONTHS[parts["mn"].rstrip(".").lower()]
    elif parts.get("m"):
        month = int(parts["m"])
    else:
        return str(year)
    if not parts.get("d"):
        return f"{year}-{month:02d}" if 1 <= month <= 12 else None
    day = int(parts["d"])
    try:
        # 2024 is a leap year, so a year-less 29 February is still possible.
        dt.date(year or 2024, month, day)
    except ValueError:
        return None
    return f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
