"""`jkn-ie evaluate --gold G (--pred P | --model M) [--json FILE]`: score extraction."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.document import Document, read_jsonl, validate_file
from pipeline.evaluate import evaluate, format_report


class _InputError(Exception):
    """An input the scorer cannot use; reported as a message with exit status 2."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help="score predictions against gold documents")
    parser.add_argument("--gold", required=True, type=Path, help="gold JSONL documents")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--pred", type=Path, help="predicted JSONL documents")
    source.add_argument("--model", type=Path, help="model folder: tag the gold texts, then score")
    parser.add_argument("--json", type=Path, help="also write the scores to this JSON file")
    parser.set_defaults(func=run)


def _read_valid(path: Path) -> list[Document]:
    if not path.is_file():
        raise _InputError(f"no such file: {path}")
    problems = validate_file(path)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  … and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise _InputError(f"{path} fails validation ({len(problems)} problem(s)); "
                          f"run `jkn-ie validate {path}`:\n{shown}{more}")
    return read_jsonl(path)


def _predict(model: Path, gold: list[Document]) -> list[Document]:
    if not model.exists():
        raise _InputError(f"no such model: {model}")
    from pipeline.api import load_extractor  # lazy: loading torch is slow and not always needed

    bare = [Document(id=doc.id, text=doc.text, meta=dict(doc.meta)) for doc in gold]
    return load_extractor(model).predict_batch(bare)


def run(args: argparse.Namespace) -> int:
    try:
        gold = _read_valid(args.gold)
        pred = _read_valid(args.pred) if args.pred else _predict(args.model, gold)
        try:
            result = evaluate(gold, pred)
        except ValueError as err:  # a prediction for another text: offsets mean nothing
            raise _InputError(str(err)) from err
    except _InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    source = f"predictions {args.pred}" if args.pred else f"model {args.model}"
    print(f"gold {args.gold}, {source}")
    print(format_report(result), end="")
    if args.json:
        result = {"gold": str(args.gold), "pred" if args.pred else "model":
                  str(args.pred or args.model), **result}
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"wrote {args.json}")
    return 0
