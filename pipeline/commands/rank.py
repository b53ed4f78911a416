"""`jkn-ie rank INPUT... -o queue.jsonl`: which articles to annotate next, and why."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.commands import config_or_none
from pipeline.document import Document, read_jsonl
from pipeline.engine import OutputError, check_output
from pipeline.inputs import read_inputs
from pipeline.rank import Ranked, rank, training_data

BATCH = 16


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "rank", help="order unannotated articles by how much the model would learn from them",
        description="Tag every input with the learned path (--model) and the rule path, and "
                    "write one JSON line per article, highest priority first: rank, id, "
                    "score, its terms and the reasons in words. score = span_uncertainty + "
                    "fact_uncertainty + disagreement + (unseen_regions + "
                    "unseen_title_words) / 2, each term in [0, 1]; pipeline/rank.py defines "
                    "them. Articles already in the training data are left out and named.",
        epilog="exit status: 0 every input ranked; 1 some inputs could not be read (named on "
               "stderr); 2 nothing ranked, or a usage, config, model or output problem")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="files or folders (.txt, .html, JSONL with id and text)")
    parser.add_argument("-o", "--output", required=True, type=Path,
                        help="JSONL queue to write")
    parser.add_argument("--model", default=None,
                        help="trained model folder for the learned path (default: bundled)")
    parser.add_argument("--config", type=Path, default=Path("configs/default.toml"),
                        help="training config whose data.train is what the model has seen "
                             "(default: configs/default.toml)")
    parser.set_defaults(func=run)


def _tag(docs: list[Document], model: str | None) -> tuple[list[Document], list[Document]]:
    from pipeline.api import load_extractor

    learned, rules = load_extractor(model), load_extractor("rules")
    out_l: list[Document] = []
    out_r: list[Document] = []
    for i in range(0, len(docs), BATCH):
        batch = docs[i:i + BATCH]
        out_l.extend(learned.predict_batch(batch))
        out_r.extend(rules.predict_batch(batch))
    return out_l, out_r


def run(args: argparse.Namespace) -> int:
    try:
        check_output(args.output, args.inputs)
    except OutputError as err:
        print(f"jkn-ie rank: {err}", file=sys.stderr)
        return 2
    config = config_or_none(args.config)
    if config is None:
        return 2
    seen = training_data(doc for path in config.data.train for doc in read_jsonl(path))
    docs: list[Document] = []
    failed = 0
    for record in read_inputs(args.inputs):
        if isinstance(record, Document):
            docs.append(record)
        else:
            failed += 1
            print(f"jkn-ie rank: {record.source}: {record.reason}", file=sys.stderr)
    if not docs:
        print("jkn-ie rank: no article to rank", file=sys.stderr)
        return 2
    try:
        learned, rules = _tag(docs, args.model)
    except (FileNotFoundError, OSError, ValueError) as err:
        print(f"jkn-ie rank: cannot load the model: {err}", file=sys.stderr)
        return 2
    ranked, known = rank(learned, rules, seen)
    for doc_id in known:
        print(f"jkn-ie rank: {doc_id}: already in the training data; not ranked",
              file=sys.stderr)
    write_queue(ranked, args.output)
    print(f"ranked {len(ranked)} article(s) into {args.output}"
          + (f"; {len(known)} already annotated" if known else "")
          + (f"; {failed} input(s) unreadable" if failed else ""))
    if not ranked:
        return 2
    return 1 if failed else 0


def write_queue(ranked: list[Ranked], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for i, row in enumerate(ranked, 1):
            handle.write(json.dumps(row.to_dict(i), ensure_ascii=False) + "\n")
