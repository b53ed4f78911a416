"""`jkn-ie markup SRC... -o OUT`: build gold JSONL from annotation markup sources."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.document import write_jsonl
from pipeline.markup import MarkupError, build_sources


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("markup", help="build gold JSONL from markup sources")
    parser.add_argument("sources", nargs="+", type=Path, help="markup files or folders of them")
    parser.add_argument("-o", "--output", required=True, type=Path, help="JSONL file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        docs = build_sources(args.sources)
    except MarkupError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    count = write_jsonl(docs, args.output)
    print(f"wrote {count} document(s) to {args.output}")
    return 0
