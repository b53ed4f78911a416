"""`jkn-ie devset [--gold G] [--model M] [--json FILE] [--systems ...]`: every system on the
real dev set, in one run.

The dev set (40 real articles, `../shared/devset/`) is the project's only window on real
text, and the team reads its errors, so its scores are optimistic: the report says "dev set
(real, seen by the team)" so nobody quotes it as a held-out score. Each system gets the full
`evaluate` report, then one summary table puts them side by side. The ablations say
which learned part earns its keep: `no-learned-ner` swaps in the rule tagger,
`no-learned-relater` the rule relater, `learned-spans-added` lets the transformer add its
spans for every label where the rules found none, and `learned-relater-all-fields` lets the
relater's classifiers decide every field (no field left to the rules).

The gold file holds third-party texts and is git-ignored; it is assembled once per machine
(see `../shared/devset/README.md`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pipeline.api import DEFAULT_MODEL, Extractor, Relater, Tagger, load_extractor
from pipeline.document import Document, read_jsonl, validate_file
from pipeline.evaluate import evaluate, format_report, text_table

# Where ../shared/devset/README.md has the texts assembled, from the project root.
DEFAULT_GOLD = Path(".devset") / "devset.jsonl"
HEADER = "dev set (real, seen by the team)"
SYSTEMS: tuple[str, ...] = ("bundled", "rules", "no-learned-ner", "no-learned-relater",
                            "learned-spans-added", "learned-relater-all-fields")
SUMMARY_COLUMNS: tuple[str, ...] = ("NER micro", "REGION", "OFFICIAL", "PERCENT", "DATE",
                                    "facts", "facts+date")
ASSEMBLE_HINT = ("assemble it once per machine as ../shared/devset/README.md says: pull the "
                 "texts into .devset/raw/, then run, from the project root,\n"
                 "  python3 ../shared/devset/assemble.py .devset/raw .devset/devset.jsonl")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "devset", help="score every system on the real dev set (seen by the team)")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                        help="assembled dev-set gold JSONL (default: .devset/devset.jsonl)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL,
                        help="model folder (default: the bundled models/default)")
    parser.add_argument("--json", type=Path, help="also write every result to this JSON file")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS),
                        help="systems to score (default: all)")
    parser.set_defaults(func=run)


def build_systems(model: Path, names: Sequence[str]) -> dict[str, Callable[[], Extractor]]:
    """A lazy factory per system, so `--systems rules` never loads the learned model, and
    the learned tagger is loaded once when two systems share it."""
    from pipeline.ner.rules import RuleTagger
    from pipeline.relate import LearnedRelater, RuleRelater

    cache: dict[str, Extractor] = {}

    def bundled() -> Extractor:
        if "bundled" not in cache:
            cache["bundled"] = load_extractor(model)
        return cache["bundled"]

    def model_relater() -> Relater:
        return (LearnedRelater.load(model) if (model / "relation.json").is_file()
                else RuleRelater())

    def model_tagger() -> Tagger:
        return bundled().tagger

    def tagger_adding_every_label() -> Tagger:
        """The model's tagger with its learned spans added for every label, whatever the
        model's `added_labels` say: what the transformer would contribute."""
        from pipeline.ner.predict import NerTagger

        tagger = NerTagger(model)
        tagger.added_labels = frozenset(NerTagger.labels_of(tagger.labels))
        return tagger

    def relater_without_rule_fields() -> Relater:
        relater = model_relater()
        if isinstance(relater, LearnedRelater):
            relater = LearnedRelater(relater.models)
        return relater

    factories: dict[str, Callable[[], Extractor]] = {
        "bundled": bundled,
        "rules": lambda: load_extractor("rules"),
        "no-learned-ner": lambda: Extractor(RuleTagger(), model_relater()),
        "no-learned-relater": lambda: Extractor(model_tagger(), RuleRelater()),
        "learned-spans-added": lambda: Extractor(tagger_adding_every_label(), model_relater()),
        "learned-relater-all-fields": lambda: Extractor(model_tagger(),
                                                        relater_without_rule_fields()),
    }
    return {name: factories[name] for name in names}


def summary_row(result: dict[str, Any]) -> dict[str, float]:
    """The F1 scores quoted across systems: exact-span NER (micro and per label) and facts."""
    ent, facts = result["entities"], result["facts"]
    return {
        "NER micro": ent["micro"]["f1"],
        **{label: ent["labels"][label]["f1"] for label in ("REGION", "OFFICIAL", "PERCENT",
                                                           "DATE")},
        "facts": facts["without_date"]["f1"],
        "facts+date": facts["with_date"]["f1"],
    }


def format_summary(summary: dict[str, dict[str, float]]) -> str:
    """Rows are systems, columns the F1 scores of `summary_row`."""
    rows = [[name, *(row[col] for col in SUMMARY_COLUMNS)] for name, row in summary.items()]
    return text_table(["F1", *SUMMARY_COLUMNS], rows)


def run(args: argparse.Namespace) -> int:
    gold_path: Path = args.gold
    if not gold_path.is_file():
        print(f"error: no dev-set gold file {gold_path}; {ASSEMBLE_HINT}", file=sys.stderr)
        return 2
    problems = validate_file(gold_path)
    if problems:
        print(f"error: {gold_path} fails validation ({len(problems)} problem(s)); run "
              f"`jkn-ie validate {gold_path}`", file=sys.stderr)
        return 2
    if set(args.systems) - {"rules"} and not args.model.is_dir():
        print(f"error: no such model folder: {args.model}", file=sys.stderr)
        return 2
    gold = read_jsonl(gold_path)
    print(f"{HEADER}: {len(gold)} documents from {gold_path}, model {args.model}")
    data = score_systems(gold, gold_path, args.model, args.systems)
    for name, result in data["systems"].items():
        print(f"\n=== {name} — {HEADER} ===")
        print(format_report(result), end="")
    print(f"\n=== summary (F1) — {HEADER} ===")
    print(format_summary(data["summary"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def score_systems(gold: list[Document], gold_path: Path, model: Path,
                  names: Sequence[str] = SYSTEMS) -> dict[str, Any]:
    """Every named system's `evaluate` result on the gold texts, and the summary rows; the
    model card quotes exactly this, so the card and the command agree."""
    results: dict[str, dict[str, Any]] = {}
    for name, factory in build_systems(model, names).items():
        bare = [Document(id=doc.id, text=doc.text, meta=dict(doc.meta)) for doc in gold]
        results[name] = evaluate(gold, factory().predict_batch(bare))
    return {"note": HEADER, "gold": str(gold_path), "model": str(model),
            "documents": len(gold),
            "summary": {name: summary_row(result) for name, result in results.items()},
            "systems": results}
