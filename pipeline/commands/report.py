"""`jkn-ie report INPUT.jsonl -o report.html`: the HTML report of tagged documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.document import read_jsonl
from pipeline.plausibility import document_warnings
from pipeline.report.html import write_html_report


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write the HTML report of tagged documents")
    parser.add_argument("input", type=Path, help="JSONL file of tagged (or gold) documents")
    parser.add_argument("-o", "--output", required=True, type=Path, help="HTML file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        docs = read_jsonl(args.input)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for doc in docs:  # a gold file, or an older tag output, may lack them
        document_warnings(doc)
    write_html_report(docs, args.output)
    facts = [fact for doc in docs for fact in doc.facts]
    warned = sum(1 for fact in facts if fact.warnings)
    print(f"wrote report of {len(docs)} document(s), {len(facts)} fact(s), "
          f"{warned} with warnings to {args.output}")
    return 0
