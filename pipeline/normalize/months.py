"""Month names (Indonesian and English, full and abbreviated), lower-cased, → month number.

Shared by the date normaliser and the rule tagger so both accept the same spellings.
"""

MONTHS: dict[str, int] = {
    # Indonesian
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5,
    "juni": 6, "juli": 7, "agustus": 8, "september": 9, "oktober": 10,
    "november": 11, "nopember": 11, "desember": 12,
    # English
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10, "december": 12,
}

# Abbreviations: only these take a trailing dot (`Jan.`); after a full name the dot ends the
# sentence (`Rabu 26 Juni.`) and stays outside the mention.
ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "oct": 10, "nov": 11, "nop": 11, "des": 12, "dec": 12,
}
MONTHS.update(ABBREVIATIONS)
