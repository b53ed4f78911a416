"""The `jkn-ie` command line: one subcommand per module in `pipeline.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module defines `add_parser(subparsers)`, which registers its subcommand and sets
# `func(args) -> int` as the handler.
COMMANDS: tuple[str, ...] = ("validate", "markup", "train", "loso", "evaluate", "report",
                             "tag", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jkn-ie",
        description="Extract JKN / BPJS Kesehatan figures from Indonesian news, offline.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"pipeline.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
