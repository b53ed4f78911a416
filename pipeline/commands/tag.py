"""`jkn-ie tag INPUT... -o OUT`: tag files, folders and JSONL into documents, a table, a report."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from pipeline import engine, engine_ray
from pipeline.commands import output_format
from pipeline.engine import FORMATS, OutputError, OutputFiles
from pipeline.inputs import read_inputs

EXIT_STATUS = ("exit status: 0 every input tagged; 1 some inputs failed (each is an error "
               "line in the output and the first are named on stderr); 2 no input could be "
               "tagged (the output holds an error line for each), or a usage, model or output "
               "problem found before the run (nothing written)")
# An output's suffix → its format (no suffix: JSONL).
_SUFFIX_FORMATS = {"jsonl": "jsonl", "csv": "csv", "html": "html", "htm": "html", "": "jsonl"}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tag", help="extract entities and facts from articles",
        description="Tag .txt files, .html pages, JSONL (id, text) and folders of them. Every "
                    "input gives one output line: its document, or an error line saying why "
                    "it could not be read. OUT.manifest.json beside the output records the "
                    "inputs, for --resume.",
        epilog=EXIT_STATUS)
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="output file, outside the inputs; its suffix (.jsonl, .csv, "
                             ".html) gives the format")
    parser.add_argument("--model", default=None,
                        help="trained model folder, or 'rules' for the register-and-regex "
                             "tagger (default: the bundled model)")
    parser.add_argument("--format", type=str.lower, choices=FORMATS, default=None,
                        help="output format (default: from the output's suffix)")
    parser.add_argument("--batch-size", type=int, default=8, help="documents per batch")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes (local engine) or Ray actors, each loading the model")
    parser.add_argument("--resume", action="store_true",
                        help="keep the documents already in the output and tag the rest "
                             "(the output must come from the same inputs)")
    parser.add_argument("--force", action="store_true",
                        help="overwrite (or with --resume, continue) an existing output that "
                             "has no jkn-ie manifest beside it")
    parser.add_argument("--engine", choices=("local", "ray"), default="local",
                        help="'local': this machine, --workers processes (default); 'ray': "
                             "a Ray cluster (needs the ray extra)")
    parser.add_argument("--ray-address", default=None,
                        help="Ray cluster to use (default: RAY_ADDRESS, else a local one)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.batch_size < 1 or args.workers < 1:
        print("jkn-ie tag: --batch-size and --workers must be at least 1", file=sys.stderr)
        return 2
    from pipeline.api import load_extractor

    factory = functools.partial(load_extractor, args.model)
    written: list[Path] = []
    try:
        fmt = output_format(args.output, args.format, _SUFFIX_FORMATS)
        written = OutputFiles(args.output, fmt).written()
        options = dict(fmt=fmt, batch_size=args.batch_size, workers=args.workers,
                       resume=args.resume, inputs=args.inputs, force=args.force)
        records = read_inputs(args.inputs)
        if args.engine == "ray":
            summary = engine_ray.run(records, factory, args.output, address=args.ray_address,
                                     **options)
        else:
            summary = engine.run(records, factory, args.output, **options)
    except (OutputError, engine_ray.RayUnavailable, OSError) as err:
        message = str(err)  # an OSError names its file: e.g. a model file it may not read
        if isinstance(err, OSError) and isinstance(err.filename, str) \
                and Path(err.filename) in written:  # e.g. the disk filled up while writing
            message = f"cannot write {err.filename}: {err.strerror or err}"
        print(f"jkn-ie tag: {message}", file=sys.stderr)
        return 2
    return summary.exit_status()
