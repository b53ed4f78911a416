"""Subcommands of `jkn-ie`, one module each (see `pipeline.cli`)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from pipeline.ner.config import Config, ConfigError, load_config


def config_or_none(path: Path) -> Config | None:
    """The validated training config, or None after printing why it cannot be used."""
    try:
        return load_config(path)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return None


def output_format(path: Path, requested: str | None, suffixes: Mapping[str, str]) -> str:
    """The requested format, else the one the output's suffix names in `suffixes` (suffix
    without its dot → format); any other suffix is refused rather than guessed, so `-o
    x.xlsx` never silently writes something else."""
    from pipeline.engine import OutputError

    if requested is not None:
        return requested
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in suffixes:
        names = ", ".join(f".{s}" for s in suffixes if s)
        formats = ", ".join(dict.fromkeys(suffixes.values()))
        raise OutputError(f"cannot tell the format of {path} from its suffix: name it "
                          f"{names}, or pass --format ({formats})")
    return suffixes[suffix]
