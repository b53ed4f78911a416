"""`jkn-ie dataset TAGGED.jsonl... -o OUT`: the analyst's dataset of a tagged batch.

One row per observation (see `pipeline.dataset` for the key, the restatement rule and the
conflicts), or with `--view latest` the latest measured value per region, metric and
segment. The format comes from OUT's suffix: `.csv`, `.parquet`, `.jsonl`.

`--bench N` times the command's own path (read a tagged JSONL, consolidate, write the CSV)
on N synthetic facts and on N/4, so the cost per fact can be seen to stay flat.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from pipeline.commands import output_format
from pipeline.dataset import Consolidator, Observation, latest, province_names
from pipeline.engine import OutputError, check_output, plural
from pipeline.report import Records
from pipeline.report.dataset_files import FORMATS, write_dataset

VIEWS = ("observations", "latest")
BENCH_LIMIT_S = 30.0  # the aim for 100,000 facts


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dataset", help="consolidate tagged facts into one row per observation",
        description="Consolidate the facts of `jkn-ie tag` outputs into observations keyed "
                    "by region, metric, target, segment and as-of date: restatements (the "
                    "same value, or a rounding of it) are one row with every source and a "
                    "mention count; different values for one key are kept and flagged "
                    "`conflict`. Exit status: 0 written, 2 an input cannot be read or the "
                    "output cannot be written.")
    parser.add_argument("inputs", nargs="*", type=Path, metavar="TAGGED.jsonl",
                        help="JSONL outputs of `jkn-ie tag` (error lines allowed)")
    parser.add_argument("-o", "--output", type=Path,
                        help="file to write: .csv, .parquet or .jsonl")
    parser.add_argument("--format", type=str.lower, choices=FORMATS, default=None,
                        help="output format (default: from the output's suffix)")
    parser.add_argument("--view", choices=VIEWS, default="observations",
                        help="'observations': every observation (default); 'latest': the "
                             "latest measured value per region, metric and segment")
    parser.add_argument("--bom", action="store_true",
                        help="CSV: start with a UTF-8 byte-order mark (Excel needs it to "
                             "read UTF-8)")
    parser.add_argument("--excel", action="store_true",
                        help="CSV for Excel: a byte-order mark, and Kemendagri codes written "
                             "as =\"62.10\" so Excel keeps them as text")
    parser.add_argument("--bench", type=int, metavar="N", default=None,
                        help="instead: time consolidating N synthetic facts (and N/4)")
    parser.set_defaults(func=run)


def _check(args: argparse.Namespace) -> str:
    """The output format, after checking inputs and output; raises OutputError."""
    if not args.inputs or args.output is None:
        raise OutputError("give tagged JSONL inputs and -o OUT (or --bench N)")
    fmt = output_format(args.output, args.format, {f: f for f in FORMATS})
    for path in args.inputs:
        if not path.is_file():
            raise OutputError(f"no such file: {path}")
    check_output(args.output, args.inputs)
    return fmt


def consolidate_files(paths: list[Path]) -> tuple[list[Observation], Consolidator, int, int]:
    """Observations of tagged JSONL files, the consolidator, documents read, error lines."""
    consolidator = Consolidator()
    docs = errors = 0
    for path in paths:
        records = Records(path, with_document_warnings=True)
        for doc in records:
            consolidator.add_document(doc)
            docs += 1
        errors += sum(1 for _ in records.errors())
    return consolidator.observations(), consolidator, docs, errors


def run(args: argparse.Namespace) -> int:
    if args.bench is not None:
        return bench(args.bench)
    try:
        fmt = _check(args)
    except OutputError as err:
        print(f"jkn-ie dataset: {err}", file=sys.stderr)
        return 2
    try:
        observations, consolidator, docs, errors = consolidate_files(args.inputs)
    except (OSError, ValueError) as err:  # unreadable, not JSONL, or not documents
        print(f"jkn-ie dataset: {err}", file=sys.stderr)
        return 2
    rows = latest(observations) if args.view == "latest" else observations
    try:
        write_dataset(rows, args.output, fmt, bom=args.bom, excel=args.excel)
    except OSError as err:
        print(f"jkn-ie dataset: cannot write {args.output}: {err.strerror or err}",
              file=sys.stderr)
        return 2
    conflicts = sum(obs.conflict for obs in observations)
    failed = f", {plural(errors, 'failed input')} skipped" if errors else ""
    what = "latest values" if args.view == "latest" else "observations"
    print(f"{plural(consolidator.facts, 'fact')} from {plural(docs, 'document')}{failed} → "
          f"{len(observations):,} observations ({conflicts:,} flagged conflict); wrote "
          f"{len(rows):,} {what} to {args.output}")
    return 0


def synthetic_batch(facts: int, path: Path, seed: int = 0) -> None:
    """A tagged JSONL of `facts` facts, five per article, with restatements, roundings,
    conflicts, undated figures and targets in the proportions of real news (roughly)."""
    rng = random.Random(seed)
    provinces = sorted(province_names())
    regions = [(f"{p}.{r:02d}", f"Kabupaten Uji {p}{r:02d}") for p in provinces
               for r in range(1, 16)]
    months = [f"{year}-{month:02d}-01" for year in (2023, 2024) for month in range(1, 13)]
    truth: dict[tuple, float] = {}
    with path.open("w", encoding="utf-8") as handle:
        for n in range(0, facts, 5):
            parts, entities, rows = [], [], []
            published = rng.choice(months)
            for i in range(min(5, facts - n)):
                code, name = rng.choice(regions)
                metric = rng.choice(("coverage", "activity"))
                date = rng.choice(months) if rng.random() < 0.8 else None
                target = rng.random() < 0.05
                value = truth.setdefault((code, metric, date, target),
                                         round(rng.uniform(60, 100), 2))
                roll = rng.random()
                if roll < 0.15:
                    value = float(round(value))
                elif roll < 0.25:
                    value = round(value + rng.uniform(-3, 3), 2)
                offset = sum(len(p) + 1 for p in parts)
                surface = f"{value:g}".replace(".", ",") + " persen"
                sentence = f"Cakupan di {name} mencapai {surface} per {date or 'kini'}."
                parts.append(sentence)
                r_start = offset + sentence.index(name)
                p_start = offset + sentence.index(surface)
                entities += [{"id": f"R{i}", "start": r_start, "end": r_start + len(name),
                              "label": "REGION", "norm": name, "code": code},
                             {"id": f"P{i}", "start": p_start, "end": p_start + len(surface),
                              "label": "PERCENT", "norm": value}]
                rows.append({"percent": f"P{i}", "metric": metric, "target": target,
                             "region": f"R{i}", "region_norm": name, "region_code": code,
                             "date": None, "segment": None})
                if date:
                    d_start = offset + sentence.index(date)
                    entities.append({"id": f"D{i}", "start": d_start,
                                     "end": d_start + len(date), "label": "DATE", "norm": date})
                    rows[-1]["date"] = f"D{i}"
            doc = {"id": f"bench-{n // 5}", "text": " ".join(parts),
                   "meta": {"title": f"Berita {n // 5}", "published": published},
                   "entities": entities, "facts": rows}
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _timed(facts: int, folder: Path) -> tuple[float, int, int]:
    """Seconds to read, consolidate and write the CSV of `facts` synthetic facts; the
    facts consolidated and the observations."""
    source, out = folder / f"bench-{facts}.jsonl", folder / f"bench-{facts}.csv"
    synthetic_batch(facts, source)
    began = time.perf_counter()
    observations, consolidator, _, _ = consolidate_files([source])
    write_dataset(observations, out, "csv")
    return time.perf_counter() - began, consolidator.facts, len(observations)


def bench(facts: int) -> int:
    if facts < 4:
        print("jkn-ie dataset: --bench needs at least 4 facts", file=sys.stderr)
        return 2
    province_names()  # the register lookup is loaded once, not timed
    with tempfile.TemporaryDirectory(prefix="jkn-dataset-bench-") as tmp:
        small = _timed(facts // 4, Path(tmp))
        large = _timed(facts, Path(tmp))
    for seconds, count, observations in (small, large):
        print(f"{count:>9,} facts → {observations:>7,} observations in {seconds:6.2f} s "
              f"({count / seconds:,.0f} facts/s)")
    ratio = (large[0] / large[1]) / (small[0] / small[1])
    verdict = "within" if large[0] < BENCH_LIMIT_S * facts / 100_000 else "OVER"
    print(f"time per fact at N over N/4: {ratio:.2f} (1.0 = linear); {verdict} the "
          f"{BENCH_LIMIT_S:g} s per 100,000 facts aim")
    return 0
