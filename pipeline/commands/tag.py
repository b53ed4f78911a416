"""`jkn-ie tag INPUT... -o OUT`: tag files, folders and JSONL into documents, a table, a report."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from pipeline import engine, engine_ray
from pipeline.engine import FORMATS
from pipeline.inputs import read_inputs


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tag", help="extract entities and facts from articles",
        description="Tag .txt files, .html pages, JSONL (id, text) and folders of them. Every "
                    "input gives one output line: its document, or an error line saying why "
                    "it could not be read.")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    parser.add_argument("-o", "--output", required=True, type=Path, help="output file")
    parser.add_argument("--model", default=None,
                        help="trained model folder, or 'rules' for the register-and-regex "
                             "tagger (default: the bundled model)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="output format (default: from the output's suffix, else jsonl)")
    parser.add_argument("--batch-size", type=int, default=8, help="documents per batch")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes (local engine) or Ray actors, each loading the model")
    parser.add_argument("--resume", action="store_true",
                        help="keep the documents already in the output and tag the rest")
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--ray-address", default=None,
                        help="Ray cluster to use (default: RAY_ADDRESS, else a local one)")
    parser.set_defaults(func=run)


def output_format(path: Path, requested: str | None) -> str:
    if requested is not None:
        return requested
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "jsonl"


def run(args: argparse.Namespace) -> int:
    from pipeline.api import load_extractor

    if args.batch_size < 1 or args.workers < 1:
        raise SystemExit("jkn-ie tag: --batch-size and --workers must be at least 1")
    factory = functools.partial(load_extractor, args.model)
    options = dict(fmt=output_format(args.output, args.format), batch_size=args.batch_size,
                   workers=args.workers, resume=args.resume)
    records = read_inputs(args.inputs)
    try:
        if args.engine == "ray":
            engine_ray.run(records, factory, args.output, address=args.ray_address, **options)
        else:
            engine.run(records, factory, args.output, **options)
    except (FileNotFoundError, engine_ray.RayUnavailable) as err:  # no model, no Ray, no folder
        print(f"jkn-ie tag: {err}", file=sys.stderr)
        return 2
    return 0
