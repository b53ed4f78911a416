"""`jkn-ie export --format labelstudio TAGGED.jsonl... -o tasks.json`: tasks to correct."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pipeline.document import Document, validate_lines
from pipeline.engine import OutputError, check_output, is_error_line, package_version
from pipeline.labelstudio import document_to_task

FORMATS = ("labelstudio",)
EXIT_STATUS = ("exit status: 0 every document exported as it is; 1 some documents were left "
               "out or could not be expressed exactly (each is named on stderr; the others "
               "are written); 2 nothing exported, or an input or output problem")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="write tagged documents as annotation tasks (Label Studio)",
        description="Write one Label Studio task per document (data: text, id, meta) with the "
                    "model's entities and facts as predictions, with scores, for the labeling "
                    "config configs/labelstudio.xml. Import the file in the project's Import "
                    "dialog or through its API. Error lines of a `jkn-ie tag` output, and "
                    "documents whose id was already read, are named and left out.",
        epilog=EXIT_STATUS)
    parser.add_argument("inputs", nargs="+", type=Path, metavar="INPUT",
                        help="JSONL documents: a `jkn-ie tag` output, or gold")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="JSON file of tasks to write")
    parser.add_argument("--format", type=str.lower, choices=FORMATS, default="labelstudio",
                        help="annotation tool (default: labelstudio)")
    parser.add_argument("--as-annotations", action="store_true",
                        help="write the documents as finished annotations instead of "
                             "predictions (to review gold in Label Studio)")
    parser.set_defaults(func=run)


def read_documents(path: Path, seen: dict[str, str]) -> tuple[list[Document], list[str]]:
    """The documents of a JSONL file, and a note for each line that is not one (an error
    record of `jkn-ie tag`, a line that fails validation, or a document whose id is already
    in `seen`).

    Lines are validated one at a time, so the ids are checked here, across every input
    (`seen`: id → where it was first read): Label Studio would take both tasks, and the
    second would fail on import.
    """
    docs: list[Document] = []
    notes: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                data: Any = json.loads(line)
            except json.JSONDecodeError as err:
                notes.append(f"{where}: invalid JSON ({err.msg}); left out")
                continue
            if isinstance(data, dict) and is_error_line(data):  # the engine's own test
                notes.append(f"{where}: {data.get('id')!r} could not be tagged "
                             f"({data.get('error')}); left out")
                continue
            problems = validate_lines([line], str(path))
            if problems:
                notes.extend(f"{where}: {p.reason}; left out" for p in problems)
                continue
            if data["id"] in seen:
                notes.append(f"{where}: duplicate document id {data['id']!r} (first at "
                             f"{seen[data['id']]}); left out")
                continue
            seen[data["id"]] = where
            docs.append(Document.from_dict(data))
    return docs, notes


def run(args: argparse.Namespace) -> int:
    try:
        check_output(args.output, args.inputs)
        for path in args.inputs:
            if not path.is_file():
                raise OutputError(f"no such file: {path}")
    except OutputError as err:
        print(f"jkn-ie export: {err}", file=sys.stderr)
        return 2
    notes: list[str] = []
    tasks: list[dict[str, Any]] = []
    model_version = f"jkn-ie {package_version()}"
    seen: dict[str, str] = {}
    try:
        for path in args.inputs:
            docs, read_notes = read_documents(path, seen)
            notes.extend(read_notes)
            for doc in docs:
                task, problems = document_to_task(doc, args.as_annotations, model_version)
                notes.extend(f"{path}: {doc.id}: {p}" for p in problems)
                tasks.append(task)
    except (OSError, UnicodeDecodeError) as err:
        print(f"jkn-ie export: cannot read: {err}", file=sys.stderr)
        return 2
    for note in notes:
        print(note, file=sys.stderr)
    if not tasks:
        print("jkn-ie export: no documents to export", file=sys.stderr)
        return 2
    lines = ",\n".join(json.dumps(task, ensure_ascii=False) for task in tasks)
    args.output.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
    kind = "annotations" if args.as_annotations else "predictions"
    print(f"wrote {len(tasks)} task(s) with {kind} to {args.output}"
          + (f"; {len(notes)} note(s) on stderr" if notes else ""))
    return 1 if notes else 0
