"""Input records for batch tagging: `.txt` files, `.html` pages, JSONL, and folders of them.

Every input becomes exactly one record — a `Document` to tag or an `InputError` saying why
it cannot be tagged — so one bad file never stops a batch and never disappears silently.
Records are produced lazily, one file or JSONL line at a time, so a folder or a JSONL file
of any size streams through in constant memory (only the ids seen so far are kept, to
reject duplicates).

Ids are stable: a file's id is its path relative to the folder given (or its stem when the
file is given directly), without the suffix, with `/` separators; a JSONL line's id is its
`id`. A second record with an id already seen is an error record, not a silent overwrite.

Text files are decoded as UTF-8 (a BOM is dropped); failing that as CP1252, then Latin-1
(which always succeeds). A fallback is recorded in `meta.encoding` and `meta.warnings`.
A UTF-16 or UTF-32 byte-order mark selects that encoding (recorded in `meta.encoding`).
A file is binary when more than a tenth of it is control characters or NULs; a few stray
NULs in a text are dropped, with a note in `meta.warnings`.

Only regular files are opened: a FIFO, socket or device would block or stream forever, so
it gets an error record instead. A folder is walked once: a symbolic link back to a folder
above it, or to a folder already read, is an error record, not a loop.
Line breaks are read as Python's text mode reads them (`\\r\\n` and `\\r` → `\\n`), the same
as the gold annotations, so a tagged file can be scored against them.

Provenance (`meta.title`, `meta.url`, `meta.published`) travels with every document into
every output, so each fact can be traced to the article that states it. A JSONL line may
carry them (top level or in `meta`); a `.txt` file's title is its first non-blank line; an
HTML page's is its `<title>`, with `url` from `<link rel="canonical">` or `og:url` and
`published` from `article:published_time` or `itemprop="datePublished"`. `published` is
kept as an ISO date (`2024-03-21`, or `2024-03` / `2024` when that is all it says; a
datetime keeps the calendar date it was written with): an analyst's time axis needs dates
that sort. A value that is not a date is moved to `meta.published_raw`, with a note in
`meta.warnings`, rather than passed on as if it were one.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from pipeline.document import Document, short
from pipeline.normalize.dates import parse_date

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
TITLE_CHARS = 300  # a title longer than this is cut: it is a first line, not a headline
JSONL_SUFFIXES = frozenset({".jsonl"})
FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# Control characters other than line breaks and tabs, and the share of them above which a
# decoded file is taken for binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.1
# Byte-order marks that name an encoding other than UTF-8; UTF-32 first, because the UTF-32-LE
# mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# HTML elements that never hold article text.
_HIDDEN_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "header", "aside",
                "form", "iframe", "svg", "button", "select")
# HTML elements that start a new paragraph.
_BLOCK_TAGS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "article",
    "section", "main", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption",
    "dd", "dt", "hr",
})


@dataclass(frozen=True)
class InputError:
    """An input that cannot be tagged; written to the output in place of its document."""

    id: str | None
    source: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "error": self.reason}


Record = Document | InputError


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Record]:
    """One record per input file, page or JSONL line under `paths`, in a stable order."""
    seen: set[str] = set()
    for path in paths:
        for record in _records_under(Path(path)):
            if isinstance(record, Document):
                if record.id in seen:
                    record = InputError(record.id, record.meta.get("source", str(path)),
                                        f"duplicate id {record.id!r} (the first one is kept)")
                seen.add(record.id)
            yield record


def _records_under(path: Path) -> Iterator[Record]:
    if path.is_dir():
        empty = True
        for file in _walk(path):
            empty = False
            if isinstance(file, InputError):
                yield file
                continue
            doc_id = _file_id(file, path)
            problem = _irregular(file)
            if problem is not None:
                yield InputError(doc_id, str(file), problem)
            elif file.suffix.lower() in FOLDER_SUFFIXES:
                yield from _records_in_file(file, doc_id)
            else:
                yield InputError(doc_id, str(file),
                                 "unsupported file type (expected .txt, .html, .htm or .jsonl)")
        if empty:
            yield InputError(None, str(path), "folder holds no files")
    else:
        problem = _irregular(path)
        if problem is not None:
            yield InputError(path.stem, str(path), problem)
        else:
            yield from _records_in_file(path, path.stem)


def _walk(root: Path) -> Iterator[Path | InputError]:
    """Files under a folder, recursively, sorted by name; hidden entries are skipped.

    Symbolic links are followed, but each folder (by device and inode) is read once, so a
    link back to a folder above it cannot loop and a second link to one folder cannot tag
    its files twice; each skipped link is one error record.
    """
    try:
        info = os.stat(root)
    except OSError as err:
        yield InputError(None, str(root), f"cannot read folder: {err.strerror or err}")
        return
    key = (info.st_dev, info.st_ino)
    yield from _walk_folder(root, (key,), {key})


def _walk_folder(folder: Path, ancestors: tuple[tuple[int, int], ...],
                 visited: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield InputError(None, str(folder), f"cannot read folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            info = entry.stat() if entry.is_dir() else None  # both follow symbolic links
        except OSError as err:  # e.g. a link to itself: "Too many levels of symbolic links"
            yield InputError(None, entry.path, f"cannot read: {err.strerror or err}")
            continue
        if info is None:
            yield Path(entry.path)
            continue
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            yield InputError(None, entry.path, "symbolic link loop: links back to a folder "
                                               "above it; skipped")
        elif key in visited:
            yield InputError(None, entry.path, "links to a folder already read; skipped")
        else:
            visited.add(key)
            yield from _walk_folder(Path(entry.path), (*ancestors, key), visited)


def _irregular(path: Path) -> str | None:
    """Why `path` must not be opened, or None for a regular file.

    Opening a FIFO blocks until something writes to it and a device may never end, so
    only regular files are read; the mode is checked with `os.stat`, before any `open`.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a folder" if stat.S_ISDIR(mode) else "a special file")
    return f"not a regular file ({kind}); skipped"


def _file_id(file: Path, root: Path) -> str:
    return file.relative_to(root).with_suffix("").as_posix()


def _records_in_file(path: Path, doc_id: str) -> Iterator[Record]:
    """The records of a file that `_irregular` has passed (it is checked once, by the caller,
    so a folder's files are not stat-ed twice)."""
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_records(path)
        return
    try:
        data = path.read_bytes()
    except OSError as err:
        yield InputError(doc_id, str(path), f"cannot read: {err.strerror or err}")
        return
    text, meta, problem = _decode(data)
    page: dict[str, Any] = {}
    if problem is None and path.suffix.lower() in HTML_SUFFIXES:
        tree = LexborHTMLParser(text)  # parsed once; html_meta first, html_text strips tags
        page = html_meta(tree)
        text = html_text(tree)
        problem = None if text.strip() else "HTML page without visible text"
    if problem is not None:
        yield InputError(doc_id, str(path), problem)
        return
    title = page.pop("title", None) or first_line(text)
    meta = {"source": str(path), **({"title": title} if title else {}), **page, **meta}
    yield Document(id=doc_id, text=text, meta=provenance(meta))


def _decode(data: bytes) -> tuple[str, dict[str, Any], str | None]:
    """(text, meta, problem): the decoded text, encoding notes, or why it is not text."""
    if not data.strip():
        return "", {}, "empty file"
    meta: dict[str, Any] = {}
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                continue
            meta = {"encoding": encoding}
            break
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            encoding = _fallback_encoding(data)
            text = data.decode(encoding)
            meta = {"encoding": encoding,
                    "warnings": [f"not valid UTF-8; decoded as {encoding}"]}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        what = "contains NUL bytes" if "\x00" in text else "control characters"
        return "", {}, f"binary file ({what}), not text"
    nuls = text.count("\x00")
    if nuls:  # a stray NUL (a bad copy, a broken export) should not cost the whole article
        text = text.replace("\x00", "")
        meta.setdefault("warnings", []).append(f"dropped {nuls} NUL character(s)")
    if not text.strip():
        return "", {}, "empty file"
    return text, meta, None


def _fallback_encoding(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def html_text(tree: LexborHTMLParser) -> str:
    """The visible text of a page's article, one paragraph per block, blank lines between.

    The `<article>` element is taken when there is one (else `<main>`, else the body), so
    menus and sidebars outside it do not reach the tagger. Hidden elements are stripped
    from `tree` itself (it is not copied): read anything else from it first.
    """
    tree.strip_tags(list(_HIDDEN_TAGS))
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    if root is None:
        return ""
    paragraphs: list[list[str]] = [[]]
    for node in root.traverse(include_text=True):
        if node.tag in _BLOCK_TAGS:
            paragraphs.append([])
        elif node.tag == "-text":
            paragraphs[-1].append(node.text_content or "")
    lines = (" ".join("".join(parts).split()) for parts in paragraphs)
    return "\n\n".join(line for line in lines if line)


_FIRST_LINE = re.compile(r"\S.*")  # from the first visible character to the line's end


def first_line(text: str) -> str | None:
    """The first non-blank line of a text, as its title; `provenance` cleans and cuts it.

    A search, not a split: the article's other lines are never copied.
    """
    match = _FIRST_LINE.search(text)
    return match.group() if match else None


_PAGE_META: tuple[tuple[str, str, str], ...] = (
    # (meta key, CSS selector, attribute), the first match of a key wins
    ("url", 'link[rel="canonical"]', "href"),
    ("url", 'meta[property="og:url"]', "content"),
    ("published", 'meta[property="article:published_time"]', "content"),
    ("published", '[itemprop="datePublished"]', "content"),
    ("published", '[itemprop="datePublished"]', "datetime"),
)


def html_meta(tree: LexborHTMLParser) -> dict[str, Any]:
    """A page's `title`, `url` and `published`, where its head states them (the title as
    written: `provenance` cleans it)."""
    meta: dict[str, Any] = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = title.text()
    for key, selector, attribute in _PAGE_META:
        if key not in meta:
            node = tree.css_first(selector)
            value = node.attributes.get(attribute) if node is not None else None
            if value and value.strip():
                meta[key] = value.strip()
    return meta


_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_ISO_PARTIAL = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def published_date(value: object) -> str | None:
    """The ISO date of a `published` value, or None when it is not a date.

    ISO 8601 dates and datetimes (the date as written: the calendar day printed on the
    article, whatever the time zone) and Indonesian forms (`21 Maret 2024`, `21/03/2024`)
    are read; a year-less date or a range is not a publication date.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    iso = match.group(1) if match else text if _ISO_PARTIAL.fullmatch(text) \
        else parse_date(text)
    if iso is None or not _ISO_PARTIAL.fullmatch(iso):
        return None
    try:  # the month and day must exist in the calendar
        dt.date.fromisoformat((iso + "-01-01")[:10] if len(iso) < 10 else iso)
    except ValueError:
        return None
    return iso


def provenance(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta` with `title` and `url` as non-empty strings and `published` as an ISO date;
    anything else is dropped with a note in `meta.warnings` (and a bad date kept as
    `published_raw`), so every writer can trust the three keys."""
    notes: list[str] = []
    for key in ("title", "url"):
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, str) and value.strip():
            meta[key] = " ".join(value.split())[:TITLE_CHARS] if key == "title" \
                else value.strip()
        else:
            del meta[key]
            notes.append(f"{key} {short(value, 40)} is not a text; ignored")
    if meta.get("published") is not None:
        iso = published_date(meta["published"])
        if iso is None:
            meta["published_raw"] = meta.pop("published")
            notes.append(f"published {short(meta['published_raw'], 40)} is not a date; "
                         "ignored")
        else:
            meta["published"] = iso
    if notes:
        warnings = meta.get("warnings")
        meta["warnings"] = [*(warnings if isinstance(warnings, list) else []), *notes]
    return meta


def _jsonl_records(path: Path) -> Iterator[Record]:
    try:
        handle = path.open("rb")
    except OSError as err:
        yield InputError(path.stem, str(path), f"cannot read: {err.strerror or err}")
        return
    with handle:
        for lineno, raw in enumerate(handle, 1):
            if raw.strip():
                yield _jsonl_record(raw, f"{path}:{lineno}")


def _jsonl_record(raw: bytes, source: str) -> Record:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return InputError(None, source, "line is not valid UTF-8")
    except json.JSONDecodeError as err:
        return InputError(None, source, f"invalid JSON: {err.msg}")
    if not isinstance(data, dict):
        return InputError(None, source, "line is not a JSON object")
    doc_id = data.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id:
        return InputError(None, source, "no string `id`")
    text = data.get("text")
    if not isinstance(text, str):
        return InputError(doc_id, source, "no string `text`")
    if not text.strip():
        return InputError(doc_id, source, "empty `text`")
    # Gold entities and facts are not inputs: the tagger fills them.
    extra = {k: v for k, v in data.items() if k not in ("id", "text", "meta", "entities", "facts")}
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    return Document(id=doc_id, text=text,
                    meta=provenance({"source": source, **meta, **extra}))
