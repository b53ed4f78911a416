"""The facts table as CSV (UTF-8), one row per fact, for spreadsheets and dataframes.

A batch may hold millions of documents, so rows are streamed to a spool file while a
compact index of the figures is built; on close the spool is copied to the CSV with the
batch's cross-document warnings added. Memory grows with the distinct figures, not with
the documents.
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
from pipeline.plausibility import BatchIndex, add_warnings
from pipeline.report import FactRow, fact_rows

COLUMNS: tuple[str, ...] = (
    "doc_id", "value", "metric", "target", "segment", "region", "region_norm", "region_code",
    "date", "sentence", "score", "warnings",
)
WARNING_SEPARATOR = "; "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return WARNING_SEPARATOR.join(value)
    return str(value)


def csv_record(row: FactRow) -> list[str]:
    """The CSV cells of a row, in COLUMNS order."""
    return [_cell(getattr(row, column)) for column in COLUMNS]


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
