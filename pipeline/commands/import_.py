"""`jkn-ie import --format labelstudio EXPORT.json -o gold.jsonl`: corrected tasks → gold.

The module is `import_` because `import` is a Python keyword; the subcommand is `import`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.document import write_jsonl
from pipeline.engine import OutputError, check_output
from pipeline.labelstudio import tasks_to_documents

FORMATS = ("labelstudio",)
EXIT_STATUS = ("exit status: 0 every completed task imported; 1 some tasks failed (each "
               "problem is named on stderr with its task; the good ones are written); 2 "
               "nothing imported, or an input or output problem")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="read annotated tasks (Label Studio export) back as gold documents",
        description="Read a Label Studio JSON export of a project using "
                    "configs/labelstudio.xml and write one gold document per completed task: "
                    "its latest annotation that was not cancelled. Norms the annotator did not "
                    "give come from the normalisers; every document is checked with the "
                    "validator. Tasks nobody annotated are listed and skipped. Export from "
                    "Label Studio with 'JSON' (the snapshot export with full predictions when "
                    "--from-predictions is used).",
        epilog=EXIT_STATUS)
    parser.add_argument("input", type=Path, metavar="EXPORT", help="Label Studio JSON export")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="JSONL file of gold documents to write")
    parser.add_argument("--format", type=str.lower, choices=FORMATS, default="labelstudio",
                        help="annotation tool (default: labelstudio)")
    parser.add_argument("--from-predictions", action="store_true",
                        help="for a task nobody annotated, take its latest prediction (marked "
                             "meta.from_predictions); never for a task whose annotations were "
                             "cancelled")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        check_output(args.output, [args.input])
        if not args.input.is_file():
            raise OutputError(f"no such file: {args.input}")
        tasks = json.loads(args.input.read_text(encoding="utf-8"))
    except OutputError as err:
        print(f"jkn-ie import: {err}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        print(f"jkn-ie import: cannot read {args.input} as JSON: {err}", file=sys.stderr)
        return 2
    if isinstance(tasks, dict):  # a single task
        tasks = [tasks]
    if not isinstance(tasks, list):
        print(f"jkn-ie import: {args.input} is not a list of tasks", file=sys.stderr)
        return 2
    outcomes = tasks_to_documents(tasks, args.from_predictions)
    failed = [o for o in outcomes if o.problems]
    skipped = [o for o in outcomes if o.skipped]
    docs = [o.document for o in outcomes if o.document is not None]
    for outcome in failed:
        for problem in outcome.problems:
            print(f"{args.input}: {outcome.name}: {problem}", file=sys.stderr)
    for outcome in skipped:
        print(f"{args.input}: {outcome.name}: skipped: {outcome.skipped}", file=sys.stderr)
    if docs:
        write_jsonl(docs, args.output)
    predicted = sum(o.from_predictions for o in outcomes if o.document is not None)
    print(f"{len(tasks)} task(s): {len(docs)} imported"
          + (f" ({predicted} from predictions)" if predicted else "")
          + f", {len(failed)} failed, {len(skipped)} skipped"
          + (f"; wrote {args.output}" if docs else "; nothing written"))
    if not docs:
        return 2
    return 1 if failed else 0
