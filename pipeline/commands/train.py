"""`jkn-ie train --config C`: train the NER model on every annotated document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.commands import config_or_none


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train a model from annotated documents")
    parser.add_argument("--config", required=True, type=Path, help="TOML training config")
    parser.add_argument("--output", type=Path,
                        help="model folder to write (default: models/<model.name>)")
    parser.add_argument("--system", choices=("transformer", "spacy-cnn"), default="transformer",
                        help="spacy-cnn trains the spaCy baseline on the same data instead")
    parser.add_argument("--loso", type=Path,
                        help="leave-one-seed-out results (from `jkn-ie loso`) for the card")
    parser.add_argument("--devset", type=Path,
                        help="assembled dev-set gold (.devset/devset.jsonl): score the new "
                             "model and its ablations on it for the card (skipped, with a "
                             "note, when the file is absent)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_or_none(args.config)
    if config is None:
        return 2
    from pipeline.loso import load_training_docs
    from pipeline.ner.card import write_card
    from pipeline.ner.train import train_ner
    from pipeline.relate import train_relater

    docs = load_training_docs(config.data.train)
    out_dir = args.output or Path("models") / config.model.name
    print(f"training {args.system} on {len(docs)} documents from "
          f"{', '.join(config.data.train)}", file=sys.stderr)
    if args.system == "spacy-cnn":
        from pipeline.ner.augment import with_augmented
        from pipeline.ner.spacy_baseline import train_spacy

        seconds = train_spacy(with_augmented(docs, config.data.augment_ratio, config.data.seed),
                              out_dir, config.train.epochs, config.train.seed)
        print(f"wrote {out_dir} in {seconds:.0f}s")
        return 0
    result = train_ner(config, docs, out_dir)
    train_relater(docs, seed=config.data.seed,
                  rule_fields=frozenset(config.model.relation_rule_fields)).save(out_dir)
    write_card(out_dir, config, result, args.loso, _devset_scores(args.devset, out_dir))
    print(f"wrote {out_dir} in {result.seconds:.0f}s "
          f"({result.train_documents} documents + {result.augmented_documents} augmented, "
          f"{result.windows} windows)")
    return 0


def _devset_scores(gold_path: Path | None, model: Path) -> dict | None:
    """The dev-set report of the new model, or None (the card then says it was not run)."""
    if gold_path is None:
        return None
    if not gold_path.is_file():
        print(f"note: no dev-set gold at {gold_path}; the card has no dev-set section",
              file=sys.stderr)
        return None
    from pipeline.commands.devset import score_systems
    from pipeline.document import read_jsonl

    return score_systems(read_jsonl(gold_path), gold_path, model)
