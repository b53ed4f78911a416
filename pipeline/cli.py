"""The `jkn-ie` command line: one subcommand per module in `pipeline.commands`.

Exit status: 0 success, non-zero otherwise (2 for argparse's usage errors); `jkn-ie tag`
states its exact meaning in its --help: 0 all tagged, 1 some inputs failed, 2 nothing usable.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module defines `add_parser(subparsers)`, which registers its subcommand and sets
# `func(args) -> int` as the handler.
COMMANDS: tuple[str, ...] = ("validate", "markup", "train", "loso", "evaluate", "report",
                             "tag", "dataset", "bench", "devset", "export", "import", "rank")
# Subcommands whose module has another name (`import` is a Python keyword).
_MODULES: dict[str, str] = {"import": "import_"}


def build_parser() -> argparse.ArgumentParser:
    from pipeline.engine import package_version

    parser = argparse.ArgumentParser(
        prog="jkn-ie",
        description="Extract JKN / BPJS Kesehatan figures from Indonesian news, offline.",
        epilog="`jkn-ie COMMAND --help` describes each command.",
    )
    parser.add_argument("--version", action="version", version=f"jkn-ie {package_version()}",
                        help="show the version and exit")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = _MODULES.get(name, name)
        importlib.import_module(f"pipeline.commands.{module}").add_parser(subparsers)
    # A subcommand's --help opens with its one-line help when it has no description.
    for action in subparsers._choices_actions:
        command = subparsers.choices[action.dest]
        if command.description is None:
            command.description = action.help
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
