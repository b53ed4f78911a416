"""`jkn-ie report INPUT.jsonl -o report.html`: the HTML report of tagged documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.engine import OutputError, check_output
from pipeline.report import Records
from pipeline.report.html import REPORT_LIMIT, write_html_report


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write the HTML report of tagged documents",
        description="Write a self-contained HTML page of a `jkn-ie tag` output (or a gold "
                    "file), interactive and offline: a chart of coverage and activity over "
                    "time, the dataset, facts and officials tables (sortable, filterable), "
                    "the inputs that could not be tagged, and every article with its "
                    "entities marked and each fact's sentence linked. Above "
                    f"{REPORT_LIMIT} articles only the summary is shown. Exit status: 0 "
                    "written, 2 the input cannot be read or the output cannot be written.")
    parser.add_argument("input", type=Path,
                        help="JSONL file of tagged (or gold) documents, error lines allowed")
    parser.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.input.is_file():
        print(f"jkn-ie report: no such file: {args.input}", file=sys.stderr)
        return 2
    try:
        check_output(args.output, [args.input])
    except OutputError as err:
        print(f"jkn-ie report: {err}", file=sys.stderr)
        return 2
    records = Records(args.input, with_document_warnings=True)
    try:
        counts = write_html_report(records, args.output, errors=records.errors())
    except (OSError, ValueError) as err:  # unreadable, not JSONL, or not documents
        print(f"jkn-ie report: {err}", file=sys.stderr)
        return 2
    print(f"wrote report of {counts.line()} to {args.output}")
    return 0
