"""The dataset's files: CSV for spreadsheets, Parquet and JSONL for dataframes and code.

All three hold the same rows (`pipeline.dataset.Observation`) and columns, `DATASET_COLUMNS`.
JSONL and Parquet keep the lists as lists and the sources as records (`sources`: document,
title, url, published, sentence, offsets, the value as stated, officials). A CSV cell holds
one value, so there the sources are spread over `source_*` columns whose cells list one
source per line, in the same order in every column; other lists are joined with `; `.

CSV for spreadsheets: UTF-8; text cells are quoted (LibreOffice's "format quoted field as
text" then keeps codes as text) and neutralised like the facts table (a formula-like start
gets a `'`); numbers are plain. `bom` adds a UTF-8 byte-order mark, without which Excel
reads UTF-8 as another code page. `excel` adds the mark and writes Kemendagri codes as
`="62.10"`, the one form Excel opens as text when double-clicked: otherwise `62.10` becomes
the number 62.1, another region's code. Dataframe users: read the CSV with the code columns
as strings, or use Parquet, whose columns are typed.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.dataset import Observation
from pipeline.report.csv_table import text_cell

FORMATS: tuple[str, ...] = ("csv", "parquet", "jsonl")
DATASET_COLUMNS: tuple[str, ...] = (
    "region_id", "region", "region_code", "province", "metric", "target", "segment", "date",
    "date_source", "published", "value", "values_stated", "mentions", "documents",
    "conflict", "conflict_values", "warnings", "officials", "sources",
)
SOURCE_COLUMNS: tuple[str, ...] = ("source_ids", "source_titles", "source_urls",
                                   "source_published", "source_offsets", "source_sentences")
CSV_COLUMNS: tuple[str, ...] = (*DATASET_COLUMNS[:-1], *SOURCE_COLUMNS)
LIST_SEPARATOR = "; "
_CODE = re.compile(r"\d{2}(?:\.\d{2}){0,2}(?:\.\d{4})?")


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _source_cells(obs: Observation) -> list[str]:
    sources = obs.sources
    offsets = [f"{s.start}-{s.end}" if s.start is not None else "" for s in sources]
    columns = ([s.doc_id for s in sources], [s.title for s in sources],
               [s.url for s in sources], [s.published for s in sources], offsets,
               [s.sentence for s in sources])
    return ["\n".join(_one_line(item) for item in column) for column in columns]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def csv_cells(obs: Observation, excel: bool = False) -> list[Any]:
    """One CSV row: numbers as numbers, everything else as neutralised text."""
    row: list[Any] = []
    for column in DATASET_COLUMNS[:-1]:
        value = getattr(obs, column)
        if column in ("value", "mentions", "documents"):
            row.append(_number(value))
        elif isinstance(value, bool):
            row.append("true" if value else "false")
        elif isinstance(value, list):
            row.append(text_cell(LIST_SEPARATOR.join(f"{v:g}" if isinstance(v, float)
                                                     else str(v) for v in value)))
        elif excel and column in ("region_id", "region_code") and value \
                and _CODE.fullmatch(value):
            row.append(f'="{value}"')  # a fixed shape, never article text
        else:
            row.append(text_cell(value))
    row.extend(text_cell(cell) for cell in _source_cells(obs))
    return row


def write_csv(observations: Sequence[Observation], path: str | Path, bom: bool = False,
              excel: bool = False) -> None:
    encoding = "utf-8-sig" if bom or excel else "utf-8"
    with open(path, "w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC)
        out.writerow(CSV_COLUMNS)
        for obs in observations:
            out.writerow(csv_cells(obs, excel))


def write_jsonl(observations: Sequence[Observation], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for obs in observations:
            handle.write(json.dumps(asdict(obs), ensure_ascii=False) + "\n")


def parquet_schema() -> Any:
    import pyarrow as pa

    source = pa.struct([
        ("doc_id", pa.string()), ("title", pa.string()), ("url", pa.string()),
        ("published", pa.string()), ("sentence", pa.string()), ("start", pa.int64()),
        ("end", pa.int64()), ("sentence_start", pa.int64()), ("value", pa.float64()),
        ("officials", pa.list_(pa.string())),
    ])
    types = {"target": pa.bool_(), "conflict": pa.bool_(), "value": pa.float64(),
             "values_stated": pa.list_(pa.float64()), "mentions": pa.int64(),
             "documents": pa.int64(), "conflict_values": pa.list_(pa.float64()),
             "warnings": pa.list_(pa.string()), "officials": pa.list_(pa.string()),
             "sources": pa.list_(source)}
    return pa.schema([(column, types.get(column, pa.string())) for column in DATASET_COLUMNS])


def write_parquet(observations: Sequence[Observation], path: str | Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([asdict(obs) for obs in observations],
                                 schema=parquet_schema())
    pq.write_table(table, path)


def write_dataset(observations: Sequence[Observation], path: str | Path, fmt: str,
                  bom: bool = False, excel: bool = False) -> None:
    """Write the rows in `fmt` (one of FORMATS)."""
    if fmt == "csv":
        write_csv(observations, path, bom=bom, excel=excel)
    elif fmt == "jsonl":
        write_jsonl(observations, path)
    elif fmt == "parquet":
        write_parquet(observations, path)
    else:
        raise ValueError(f"unknown dataset format {fmt!r} (expected {', '.join(FORMATS)})")
