"""`jkn-ie loso --config C`: leave-one-seed-out scores of every system, side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.ner.config import ConfigError, load_config


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from pipeline.loso import SYSTEMS

    parser = subparsers.add_parser(
        "loso", help="leave-one-seed-out estimate: train on the rest, score the held-out seed")
    parser.add_argument("--config", required=True, type=Path, help="TOML training config")
    parser.add_argument("--systems", nargs="+", choices=list(SYSTEMS), default=list(SYSTEMS))
    parser.add_argument("--json", type=Path, required=True, help="results file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from pipeline.loso import load_training_docs, loso_table, run_loso, save_results

    docs = load_training_docs(config.data.train)
    results = run_loso(config, docs, args.systems,
                       log=lambda line: print(line, file=sys.stderr, flush=True))
    save_results(results, args.json)
    print(loso_table(results))
    return 0
