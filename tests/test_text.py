import random

import pytest

from pipeline.text import bio_tags, sentences, spans_from_bio, tokenize, windows

LABELS = ("REGION", "OFFICIAL", "PERCENT", "DATE")


def words_of(text: str) -> list[str]:
    return [text[s:e] for s, e in tokenize(text)]


def sentences_of(text: str) -> list[str]:
    return [text[s:e] for s, e in sentences(text)]


@pytest.mark.parametrize("text, words", [
    ("99, 34%", ["99", ",", "34", "%"]),
    ("KALTIM2", ["KALTIM", "2"]),
    ("27/11/2023", ["27", "/", "11", "/", "2023"]),
    ("85,61 Persen.", ["85", ",", "61", "Persen", "."]),
    ("Kab. Banjar", ["Kab", ".", "Banjar"]),
    ("“Ibu Kota”", ["“", "Ibu", "Kota", "”"]),
    ("a_b", ["a", "_", "b"]),
    ("  \n ", []),
])
def test_tokenize_boundaries(text, words):
    assert words_of(text) == words


def test_tokenize_gives_character_spans():
    assert tokenize("di Kaltim 5%") == [(0, 2), (3, 9), (10, 11), (11, 12)]


@pytest.mark.parametrize("text, expected", [
    ("Pemkab Kab. Banjar hadir. Lalu pulang.", ["Pemkab Kab. Banjar hadir.", "Lalu pulang."]),
    ("Kata dr. Budi di sana. Ia pulang.", ["Kata dr. Budi di sana.", "Ia pulang."]),
    ("Sekda K. Hindro Kusumo hadir.", ["Sekda K. Hindro Kusumo hadir."]),
    ("Judul\n\nIsi pertama  \n  Isi kedua", ["Judul", "Isi pertama", "Isi kedua"]),
    ("Capai 98 persen. Target 2024 tercapai? Ya! 5 daerah.",
     ["Capai 98 persen.", "Target 2024 tercapai?", "Ya!", "5 daerah."]),
    ("Naik 0.5 persen. dan seterusnya", ["Naik 0.5 persen. dan seterusnya"]),
    ("Katanya “Sudah.” Lalu pergi.", ["Katanya “Sudah.”", "Lalu pergi."]),
    ("", []),
    ("  \n  ", []),
])
def test_sentences(text, expected):
    assert sentences_of(text) == expected


def test_sentence_spans_are_stripped_and_inside_the_text():
    text = "  Satu dua.   Tiga empat.  "
    assert sentences(text) == [(2, 11), (14, 25)]


@pytest.fixture()
def article() -> str:
    return ("SEPUTAR KALTIM\nSekda Kab. Banjar, dr. Sri Wahyuni, menyebut cakupan 99, 34% "
            "per 27/11/2023. Angka ini naik. " + " ".join(["kata"] * 30) + ".\nSelesai.")


@pytest.mark.parametrize("max_words", [1, 3, 8, 20, 500])
def test_windows_hold_every_word_once_in_order_within_the_limit(article, max_words):
    result = windows(article, max_words)
    assert [w for window in result for w in window] == tokenize(article)
    assert all(0 < len(window) <= max_words for window in result)


def test_windows_keep_sentences_whole_when_they_fit():
    text = "Satu dua tiga. Empat lima enam. Tujuh delapan sembilan."
    assert [len(w) for w in windows(text, 8)] == [8, 4]
    assert [len(w) for w in windows(text, 4)] == [4, 4, 4]


def test_a_sentence_longer_than_the_window_is_cut_not_dropped():
    text = "Pendek. " + " ".join(f"w{i}" for i in range(10)) + " akhir. Lagi pendek."
    result = windows(text, 5)
    assert [w for window in result for w in window] == tokenize(text)
    assert max(len(w) for w in result) == 5


def test_windows_of_empty_text():
    assert windows("", 10) == []


def test_windows_keep_closing_quotes_and_brackets():
    text = "Katanya “Sudah 98 persen.” Lalu (pulang.) Kemudian selesai."
    assert [w for window in windows(text, 50) for w in window] == tokenize(text)


def test_bio_tags():
    text = "Di Kota Samarinda 99, 34% kata Sri"
    words = tokenize(text)
    entities = [(3, 17, "REGION"), (18, 25, "PERCENT"), (31, 34, "OFFICIAL")]
    assert bio_tags(words, entities) == [
        "O", "B-REGION", "I-REGION", "B-PERCENT", "I-PERCENT", "I-PERCENT", "I-PERCENT",
        "O", "B-OFFICIAL"]


def test_bio_tags_adjacent_spans_of_one_label_both_begin():
    words = tokenize("Sleman Bantul")
    assert bio_tags(words, [(0, 6, "REGION"), (7, 13, "REGION")]) == ["B-REGION", "B-REGION"]


@pytest.mark.parametrize("span", [(0, 5), (1, 6), (3, 7), (0, 8)])
def test_bio_tags_span_cutting_a_word_raises(span):
    words = tokenize("KALTIM2 hari")
    with pytest.raises(ValueError, match="does not align"):
        bio_tags(words, [(*span, "REGION")])


def test_spans_from_bio():
    words = tokenize("Di Kota Samarinda 85 persen")
    tags = ["O", "B-REGION", "I-REGION", "B-PERCENT", "I-PERCENT"]
    assert spans_from_bio(words, tags) == [(3, 17, "REGION"), (18, 27, "PERCENT")]


@pytest.mark.parametrize("tags, expected", [
    (["I-REGION", "I-REGION", "O"], [(0, 1, "REGION")]),
    (["O", "I-DATE", "O"], [(1, 1, "DATE")]),
    (["B-REGION", "I-DATE", "I-DATE"], [(0, 0, "REGION"), (1, 2, "DATE")]),
    (["B-REGION", "O", "I-REGION"], [(0, 0, "REGION"), (2, 2, "REGION")]),
    (["B-DATE", "B-DATE", "I-DATE"], [(0, 0, "DATE"), (1, 2, "DATE")]),
])
def test_spans_from_bio_repairs_an_i_that_continues_nothing(tags, expected):
    words = [(i * 2, i * 2 + 1) for i in range(3)]
    assert spans_from_bio(words, tags) == [
        (words[first][0], words[last][1], label) for first, last, label in expected]


def test_spans_from_bio_needs_one_tag_per_word():
    with pytest.raises(ValueError):
        spans_from_bio(tokenize("a b"), ["O"])


def random_spans(rng: random.Random, words: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Non-overlapping word-aligned spans covering random runs of words."""
    spans = []
    i = 0
    while i < len(words):
        if rng.random() < 0.4:
            last = min(len(words) - 1, i + rng.randrange(4))
            spans.append((words[i][0], words[last][1], rng.choice(LABELS)))
            i = last + 1
        else:
            i += rng.randrange(1, 3)
    return spans


def test_spans_bio_round_trip_on_random_spans():
    rng = random.Random(20240229)
    vocabulary = ["Kaltim", "85,61", "persen", "di", "27/11/2023", "Sri", ".", "KALTIM2", "%"]
    for _ in range(300):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randrange(1, 25)))
        words = tokenize(text)
        spans = random_spans(rng, words)
        tags = bio_tags(words, spans)
        assert len(tags) == len(words)
        assert spans_from_bio(words, tags) == spans
