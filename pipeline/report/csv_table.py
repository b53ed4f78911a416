"""The facts table as CSV (UTF-8), one row per fact, for spreadsheets and dataframes.
Each row carries its article's provenance (`title`, `url`, `published`), the percent's
character offsets (`start`, `end`) and the officials credited with it.

A batch may hold millions of documents, so rows are streamed to a spool file while a
compact index of the figures is built; on close the spool is copied to the CSV with the
batch's cross-document warnings added. Memory grows with the distinct figures, not with
the documents.

Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
tab or a carriage return) get a leading `'`, which spreadsheets show as plain text; the
numeric columns (`value`, `score`) are never touched, so `-5` stays a number. Articles are
untrusted input, and an analyst opens this file in Excel or LibreOffice.

`write_errors_csv` writes the inputs that could not be tagged (`id`, `source`, `error`),
the table `jkn-ie tag --format csv` puts beside the facts as `<stem>.errors.csv`.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.document import Document
from pipeline.inputs import InputError
from pipeline.plausibility import BatchIndex, add_warnings
from pipeline.report import FactRow, fact_rows

COLUMNS: tuple[str, ...] = (
    "doc_id", "value", "metric", "target", "segment", "region", "region_norm", "region_code",
    "date", "sentence", "score", "warnings",
    # added later, so at the end: readers of the first twelve columns keep working
    "title", "url", "published", "start", "end", "officials",
)
NUMERIC_COLUMNS = frozenset({"value", "score", "target", "start", "end"})
ERROR_COLUMNS: tuple[str, ...] = ("id", "source", "error")
WARNING_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return WARNING_SEPARATOR.join(value)
    return str(value)


def text_cell(value: Any) -> str:
    """A text cell a spreadsheet will not evaluate: a formula-like start gets a `'`."""
    cell = _cell(value)
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_record(row: FactRow) -> list[str]:
    """The CSV cells of a row, in COLUMNS order."""
    return [_cell(getattr(row, column)) if column in NUMERIC_COLUMNS
            else text_cell(getattr(row, column)) for column in COLUMNS]


class FactsCsvWriter:
    """Write documents one at a time with `write`; `close` writes the CSV file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.count = 0  # rows written
        self._index = BatchIndex()
        self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")

    def write(self, doc: Document) -> None:
        for row in fact_rows(doc):
            self._spool.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
            if row.figure is not None:
                self._index.add(row.figure)
            self.count += 1

    def close(self) -> None:
        self._spool.seek(0)
        with open(self.path, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(COLUMNS)
            for line in self._spool:
                row = FactRow(**json.loads(line))
                if row.figure is not None:
                    add_warnings(row.warnings, self._index.warnings(row.figure))
                out.writerow(csv_record(row))
        self._spool.close()

    def __enter__(self) -> FactsCsvWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:  # a failed batch leaves no half-written table behind
            self._spool.close()


def write_facts_csv(docs: Iterable[Document], path: str | Path) -> int:
    """Write the facts table of a stream of documents, with the batch's cross-document
    warnings; returns how many rows were written."""
    with FactsCsvWriter(path) as writer:
        for doc in docs:
            writer.write(doc)
    return writer.count


def write_errors_csv(errors: Iterable[InputError], path: str | Path) -> int:
    """Write one row per input that could not be tagged (the header alone when none);
    returns how many rows were written."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(ERROR_COLUMNS)
        for error in errors:
            out.writerow([text_cell(error.id), text_cell(error.source), text_cell(error.reason)])
            count += 1
    return count
