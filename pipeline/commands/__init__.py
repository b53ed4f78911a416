"""Subcommands of `jkn-ie`, one module each (see `pipeline.cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.ner.config import Config, ConfigError, load_config


def config_or_none(path: Path) -> Config | None:
    """The validated training config, or None after printing why it cannot be used."""
    try:
        return load_config(path)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return None
