"""`jkn-ie loso --config C`: leave-one-seed-out scores of every system, side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.commands import config_or_none


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from pipeline.loso import TRAINED

    parser = subparsers.add_parser(
        "loso", help="leave-one-seed-out estimate: train on the rest, score the held-out seed")
    parser.add_argument("--config", required=True, type=Path, help="TOML training config")
    parser.add_argument("--systems", nargs="+", choices=list(TRAINED), default=list(TRAINED),
                        help="systems to compare (default: all)")
    parser.add_argument("--json", type=Path, required=True, help="results file to write")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_or_none(args.config)
    if config is None:
        return 2
    from pipeline.loso import (
        load_training_docs,
        loso_table,
        run_loso,
        save_results,
        tagged_documents,
    )

    docs = load_training_docs(config.data.train)
    from pipeline.relate.experiment import relation_loso, relation_table

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    results = run_loso(config, docs, args.systems, log=log)
    print("Entities, leave-one-seed-out (F1 averaged over folds)\n" + loso_table(results))
    results["relation"] = {"gold_entities": relation_loso(docs, seed=config.data.seed, log=log)}
    print("\nFacts from gold entities\n" + relation_table(results["relation"]["gold_entities"]))
    for system in ("transformer", "transformer+rules"):
        if system in results["systems"]:
            end_to_end = relation_loso(docs, ("learned",), seed=config.data.seed, log=log,
                                       tagged=tagged_documents(results, system))
            results["relation"][f"end_to_end:{system}"] = end_to_end
            print(f"\nFacts end to end ({system} entities)\n" + relation_table(end_to_end))
    save_results(results, args.json)
    return 0
