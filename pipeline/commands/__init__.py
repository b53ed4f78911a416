"""Subcommands of `jkn-ie`, one module each (see `pipeline.cli`)."""
