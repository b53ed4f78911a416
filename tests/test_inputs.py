import codecs
import json
import os
import signal
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from pipeline import inputs
from pipeline.document import Document
from pipeline.inputs import TITLE_CHARS, InputError, html_text, read_inputs

ARTICLE = "Cakupan kepesertaan JKN di Kaltim mencapai 98,5 persen."


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def only(records: list) -> Document | InputError:
    assert len(records) == 1, records
    return records[0]


def test_a_text_file_is_a_document_named_by_its_stem(tmp_path):
    doc = only(list(read_inputs([write(tmp_path / "berita.txt", ARTICLE + "\n")])))
    assert isinstance(doc, Document)
    assert (doc.id, doc.text) == ("berita", ARTICLE + "\n")
    assert doc.meta == {"source": str(tmp_path / "berita.txt"), "title": ARTICLE}


def test_a_folder_is_read_recursively_in_name_order_with_relative_ids(tmp_path):
    write(tmp_path / "b.txt", ARTICLE)
    write(tmp_path / "a" / "z.txt", ARTICLE)
    write(tmp_path / "a" / "b" / "y.html", f"<p>{ARTICLE}</p>")
    write(tmp_path / ".hidden.txt", ARTICLE)
    ids = [r.id for r in read_inputs([tmp_path])]
    assert ids == ["a/b/y", "a/z", "b"]


def test_line_breaks_are_read_as_text_mode_reads_them_and_a_bom_is_dropped(tmp_path):
    path = write(tmp_path / "crlf.txt", b"\xef\xbb\xbfJudul\r\nIsi\rAkhir")
    doc = only(list(read_inputs([path])))
    assert doc.text == "Judul\nIsi\nAkhir"
    assert "encoding" not in doc.meta


@pytest.mark.parametrize(("raw", "encoding", "text"), [
    ("“Kaltim” 98,5 persen – naik".encode("cp1252"), "cp1252", "“Kaltim” 98,5 persen – naik"),
    (b"Kaltim \x81 98,5 persen \xe9", "latin-1", "Kaltim \x81 98,5 persen é"),
])
def test_non_utf8_text_falls_back_to_cp1252_then_latin1_with_a_warning(tmp_path, raw, encoding,
                                                                       text):
    doc = only(list(read_inputs([write(tmp_path / "lama.txt", raw)])))
    assert doc.text == text
    assert doc.meta["encoding"] == encoding
    assert doc.meta["warnings"] == [f"not valid UTF-8; decoded as {encoding}"]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("kosong.txt", b"", "empty file"),
    ("spasi.txt", b"  \n\t\n", "empty file"),
    ("gambar.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
    ("acak.txt", bytes(range(1, 32)) * 20, "binary file (control characters)"),
    ("menu.html", b"<html><nav>Home</nav><script>x()</script></html>", "without visible text"),
])
def test_unusable_files_are_error_records(tmp_path, name, content, reason):
    path = write(tmp_path / name, content)
    error = only(list(read_inputs([path])))
    assert isinstance(error, InputError)
    assert (error.id, error.source) == (Path(name).stem, str(path))
    assert reason in error.reason


def test_unreadable_paths_are_error_records(tmp_path, monkeypatch):
    locked = write(tmp_path / "terkunci.txt", ARTICLE)
    (tmp_path / "kosong").mkdir()
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == "terkunci.txt":  # chmod cannot lock out root, who runs some CI
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    records = list(read_inputs([tmp_path / "hilang.txt", tmp_path / "hilang.jsonl", locked,
                                tmp_path / "kosong"]))
    assert [(r.id, r.reason) for r in records] == [
        ("hilang", "cannot read: No such file or directory"),
        ("hilang", "cannot read: No such file or directory"),
        ("terkunci", "cannot read: Permission denied"),
        (None, "folder holds no files"),
    ]


def test_a_folder_with_an_unsupported_file_says_so_and_goes_on(tmp_path):
    write(tmp_path / "foto.png", b"\x89PNG")
    write(tmp_path / "teks.txt", ARTICLE)
    records = list(read_inputs([tmp_path]))
    assert isinstance(records[0], InputError) and "unsupported file type" in records[0].reason
    assert isinstance(records[1], Document)


def test_html_keeps_the_article_paragraphs_and_drops_page_furniture(tmp_path):
    page = """<html><head><style>p{}</style><script>var a = 1;</script></head><body>
      <nav><a href="/">Beranda</a></nav><header>Koran Kaltim</header>
      <article><h1>Cakupan JKN   Kaltim</h1><p>Cakupan mencapai <b>98,5</b> persen.</p>
      <div>Kata Sekda<br>Sri Wahyuni.</div></article>
      <footer>Hak cipta</footer></body></html>"""
    doc = only(list(read_inputs([write(tmp_path / "halaman.htm", page)])))
    assert doc.text == ("Cakupan JKN Kaltim\n\nCakupan mencapai 98,5 persen.\n\nKata Sekda"
                        "\n\nSri Wahyuni.")
    tree = LexborHTMLParser("<body><p>Satu</p><p>Dua</p><footer>x</footer></body>")
    assert html_text(tree) == "Satu\n\nDua"


def test_a_page_is_parsed_once_and_a_folder_file_stat_ed_once(tmp_path, monkeypatch):
    page = write(tmp_path / "berita" / "halaman.html",
                 f"<title>Judul</title><header>Koran</header><p>{ARTICLE}</p>")
    parsed: list[str] = []
    stats: list[str] = []
    real_stat = os.stat

    def parser(html: str) -> LexborHTMLParser:
        parsed.append(html)
        return LexborHTMLParser(html)

    def counting_stat(path, *args, **kwargs):
        stats.append(os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(inputs, "LexborHTMLParser", parser)
    monkeypatch.setattr(os, "stat", counting_stat)
    doc = only(list(read_inputs([tmp_path / "berita"])))
    assert (doc.text, doc.meta["title"]) == (ARTICLE, "Judul")
    assert len(parsed) == 1
    assert stats.count(str(page)) == 1


def test_titles_are_cleaned_and_cut_once_whatever_their_source(tmp_path):
    long_title = "Kata " * TITLE_CHARS
    text = write(tmp_path / "a.txt", f" \n\t\n  Judul\t panjang  {long_title}\n{ARTICLE}")
    page = write(tmp_path / "b.html", f"<title>\n Judul \n halaman </title><p>{ARTICLE}</p>")
    blank = write(tmp_path / "c.html", f"<title>  </title><p>Baris  pertama</p><p>{ARTICLE}</p>")
    titles = [doc.meta["title"] for doc in read_inputs([text, page, blank])]
    assert titles[0] == f"Judul panjang {long_title}"[:TITLE_CHARS]
    assert titles[1:] == ["Judul halaman", "Baris pertama"]


def test_jsonl_lines_become_documents_with_the_other_keys_in_meta(tmp_path):
    lines = [
        {"id": "a1", "text": ARTICLE, "url": "https://x.id/1", "meta": {"site": "x"},
         "entities": [{"id": "T1"}], "facts": []},
        {"id": 7, "text": ARTICLE},
    ]
    path = write(tmp_path / "berita.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n")
    docs = list(read_inputs([path]))
    assert [(d.id, d.entities) for d in docs] == [("a1", []), ("7", [])]
    assert docs[0].meta == {"source": f"{path}:1", "site": "x", "url": "https://x.id/1"}


def test_bad_jsonl_lines_are_error_records_and_the_file_goes_on(tmp_path):
    lines = [b'{"id": "a", "text": "Satu."}', b'{"id": "b"}', b"{not json", b"[1, 2]",
             b'{"text": "Tanpa id."}', b'{"id": "c", "text": "  "}', b'{"id": "a", "text": "Dua."}',
             b'{"id": "d", "text": "\xff"}', b'{"id": "e", "text": "Tiga."}']
    path = write(tmp_path / "campur.jsonl", b"\n".join(lines))
    records = list(read_inputs([path]))
    assert [(r.id, r.reason if isinstance(r, InputError) else "ok") for r in records] == [
        ("a", "ok"),
        ("b", "no string `text`"),
        (None, "invalid JSON: Expecting property name enclosed in double quotes"),
        (None, "line is not a JSON object"),
        (None, "no string `id`"),
        ("c", "empty `text`"),
        ("a", "duplicate id 'a' (the first one is kept)"),
        (None, "line is not valid UTF-8"),
        ("e", "ok"),
    ]
    assert records[0].meta["source"] == f"{path}:1"
    assert [r.source for r in records[1:3]] == [f"{path}:2", f"{path}:3"]


def test_duplicate_ids_across_inputs_keep_the_first(tmp_path):
    first = write(tmp_path / "x" / "berita.txt", ARTICLE)
    second = write(tmp_path / "y" / "berita.txt", ARTICLE)
    records = list(read_inputs([first, second]))
    assert isinstance(records[0], Document)
    assert isinstance(records[1], InputError) and records[1].source == str(second)


def test_a_200000_word_article_is_read_whole(tmp_path):
    path = write(tmp_path / "panjang.txt", (ARTICLE + " ") * 25_000)
    doc = only(list(read_inputs([path])))
    assert len(doc.text.split()) == 200_000


def test_records_are_produced_lazily(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    records = read_inputs([tmp_path, tmp_path / "belum-ada.txt"])
    assert next(records).id == "a"
    write(tmp_path / "belum-ada.txt", ARTICLE)  # created after the first record was read
    assert isinstance(next(records), Document)



# --- symbolic links, FIFOs and devices ----------------------------------------------------

class Blocked(Exception):
    """Reading blocked; not an OSError, which the reader would turn into an error record."""


@pytest.fixture
def alarm():
    """Fail instead of hanging when reading blocks (opening a FIFO waits for a writer)."""
    def on_alarm(_signum, _frame):
        raise Blocked("reading the inputs blocked")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def summary(records: list) -> list[tuple[str | None, str, str]]:
    """(id, source, reason or "ok") per record."""
    return [(r.id, r.source, r.reason) if isinstance(r, InputError)
            else (r.id, r.meta["source"], "ok") for r in records]


def test_folder_links_are_followed_once_and_a_loop_is_one_error_record(tmp_path):
    folder = tmp_path / "in"
    write(folder / "sub" / "a.txt", ARTICLE)
    (folder / "sub" / "naik").symlink_to("..")  # back to a folder above it
    (folder / "diri").symlink_to("diri")  # a link to itself
    (folder / "salinan").symlink_to("sub")  # a second way into one folder, read first by name
    assert summary(list(read_inputs([folder]))) == [
        (None, str(folder / "diri"), "cannot read: Too many levels of symbolic links"),
        ("salinan/a", str(folder / "salinan" / "a.txt"), "ok"),
        (None, str(folder / "salinan" / "naik"),
         "symbolic link loop: links back to a folder above it; skipped"),
        (None, str(folder / "sub"), "links to a folder already read; skipped"),
    ]


def test_a_fifo_in_a_folder_or_given_directly_is_never_opened(tmp_path, alarm):
    write(tmp_path / "a.txt", ARTICLE)
    os.mkfifo(tmp_path / "pipa.txt")
    os.mkfifo(tmp_path / "pipa")
    records = list(read_inputs([tmp_path, tmp_path / "pipa.txt"]))
    fifo = "not a regular file (a FIFO); skipped"
    assert summary(records) == [
        ("a", str(tmp_path / "a.txt"), "ok"),
        ("pipa", str(tmp_path / "pipa"), fifo),
        ("pipa", str(tmp_path / "pipa.txt"), fifo),
        ("pipa", str(tmp_path / "pipa.txt"), fifo),
    ]


def test_a_device_given_as_an_input_is_not_read():
    error = only(list(read_inputs(["/dev/null"])))  # /dev/zero would read forever
    assert isinstance(error, InputError)
    assert error.reason == "not a regular file (a device); skipped"


# --- encodings and NUL bytes --------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_text_with_a_byte_order_mark_is_decoded(tmp_path, encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[encoding]
    raw = bom + f"“Kaltim”\r\n{ARTICLE}".encode(encoding)
    doc = only(list(read_inputs([write(tmp_path / "utf.txt", raw)])))
    assert isinstance(doc, Document)
    assert doc.text == f"“Kaltim”\n{ARTICLE}"
    assert doc.meta == {"source": str(tmp_path / "utf.txt"), "title": "“Kaltim”",
                        "encoding": encoding}


def test_a_few_nul_bytes_are_dropped_with_a_warning_not_the_article(tmp_path):
    raw = ARTICLE.encode() + b"\x00\n" + ARTICLE.encode() + b"\x00\x00"
    doc = only(list(read_inputs([write(tmp_path / "nul.txt", raw)])))
    assert isinstance(doc, Document)
    assert doc.text == f"{ARTICLE}\n{ARTICLE}"
    assert doc.meta["warnings"] == ["dropped 3 NUL character(s)"]
