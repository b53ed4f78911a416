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
Line breaks are read as Python's text mode reads them (`\\r\\n` and `\\r` → `\\n`), the same
as the gold annotations, so a tagged file can be scored against them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from pipeline.document import Document

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl"})
FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

# Control characters other than line breaks and tabs, and the share of them above which a
# decoded file is taken for binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_SHARE = 0.1
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
        for file in _walk(path, path):
            empty = False
            if isinstance(file, InputError):
                yield file
            elif file.suffix.lower() in FOLDER_SUFFIXES:
                yield from _records_in_file(file, _file_id(file, path))
            else:
                yield InputError(_file_id(file, path), str(file),
                                 "unsupported file type (expected .txt, .html, .htm or .jsonl)")
        if empty:
            yield InputError(None, str(path), "folder holds no files")
    else:
        yield from _records_in_file(path, path.stem)


def _walk(folder: Path, root: Path) -> Iterator[Path | InputError]:
    """Files under a folder, recursively, sorted by name; hidden entries are skipped."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        yield InputError(None, str(folder), f"cannot read folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path), root)
        else:
            yield Path(entry.path)


def _file_id(file: Path, root: Path) -> str:
    return file.relative_to(root).with_suffix("").as_posix()


def _records_in_file(path: Path, doc_id: str) -> Iterator[Record]:
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _jsonl_records(path)
        return
    try:
        data = path.read_bytes()
    except OSError as err:
        yield InputError(doc_id, str(path), f"cannot read: {err.strerror or err}")
        return
    text, meta, problem = _decode(data)
    if problem is None and path.suffix.lower() in HTML_SUFFIXES:
        text = html_text(text)
        problem = None if text.strip() else "HTML page without visible text"
    if problem is not None:
        yield InputError(doc_id, str(path), problem)
    else:
        yield Document(id=doc_id, text=text, meta={"source": str(path), **meta})


def _decode(data: bytes) -> tuple[str, dict[str, Any], str | None]:
    """(text, meta, problem): the decoded text, encoding notes, or why it is not text."""
    if not data.strip():
        return "", {}, "empty file"
    if b"\x00" in data:
        return "", {}, "binary file (contains NUL bytes), not text"
    meta: dict[str, Any] = {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        encoding = _fallback_encoding(data)
        text = data.decode(encoding)
        meta = {"encoding": encoding,
                "warnings": [f"not valid UTF-8; decoded as {encoding}"]}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        return "", {}, "binary file (control characters), not text"
    if not text.strip():
        return "", {}, "empty file"
    return text, meta, None


def _fallback_encoding(data: bytes) -> str:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def html_text(html: str) -> str:
    """The visible text of a page's article, one paragraph per block, blank lines between.

    The `<article>` element is taken when there is one (else `<main>`, else the body), so
    menus and sidebars outside it do not reach the tagger.
    """
    tree = LexborHTMLParser(html)
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
    return Document(id=doc_id, text=text, meta={"source": source, **meta, **extra})
