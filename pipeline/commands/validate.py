"""`jkn-ie validate FILE...`: report every problem in annotation files."""

from __future__ import annotations

import argparse
import sys

from pipeline.document import validate_file


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate", help="check JSONL documents against the contract",
        description="Check JSONL documents (gold or tagged) against the data contract in "
                    "annotations/README.md and print every problem as FILE:LINE: reason. "
                    "A bad line (invalid JSON, bytes that are not UTF-8, a list where an id "
                    "belongs) is one problem; the other lines are still checked.",
        epilog="Exit status: 0 no problems, 1 at least one problem.")
    parser.add_argument("files", nargs="+", help="JSONL files of documents")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems = [p for path in args.files for p in validate_file(path)]
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(args.files)} file(s), {len(problems)} problem(s)")
    return 1 if problems else 0
