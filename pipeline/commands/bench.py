"""`jkn-ie bench`: throughput and peak memory of tagging, end to end, per system.

A corpus of N articles is built by cycling the annotated documents, and each system tags it
through the same engine as `jkn-ie tag` (read → tag → relate → write JSONL). Each
measurement runs in a fresh Python process, so the peak memory (RSS high-water mark of the
process and its workers) belongs to that system alone and no model stays warm between runs.
Throughput excludes loading the model (shown apart) when the model is loaded in-process
(`--workers 1`); with more workers it includes starting them. Every file goes to a
temporary folder.

Rows: the bundled model, the register-and-regex tagger (`rules`), and spaCy's CNN NER
when `--spacy-model PATH` names a spaCy pipeline (with the same normalisers and relater).
Linear scaling is checked by tagging N and 4N articles: a throughput ratio near 1 means the
cost per article does not grow with the batch.

`--long` checks scaling in the other direction: one article of 10k, 50k and 200k words
(the annotated articles one after another, cut at the word count), each tagged alone in a
fresh process through the same engine, after an untimed 500-word article so that one-time
costs are left out, and timed in seconds and microseconds per word. Every stage is meant
to be linear in an article's length, so the largest per-word time should be within 1.5x of
the smallest.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pipeline
from pipeline.document import Document, read_jsonl
from pipeline.inputs import read_inputs

REPO = Path(pipeline.__file__).resolve().parent.parent
SCALE = 4
LONG_WORDS = (10_000, 50_000, 200_000)
LONG_FLAT = 1.5  # the largest per-word time of --long within this factor of the smallest


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure tagging throughput and peak memory")
    parser.add_argument("--docs", type=int, default=100, help="articles in the corpus (N)")
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per measurement, the median is shown (default: 3; 1 with "
                             "--long)")
    parser.add_argument("--model", default=None, help="model folder (default: the bundled one)")
    parser.add_argument("--spacy-model", type=Path, default=None,
                        help="a spaCy NER pipeline folder, measured as the CNN baseline")
    parser.add_argument("--batch-size", type=int, default=8,
                        help="documents per batch, as for `jkn-ie tag` (default: 8)")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes, as for `jkn-ie tag` (default: 1)")
    parser.add_argument("--annotations", type=Path, default=REPO / "annotations",
                        help="folder of annotated JSONL documents to build the corpus from")
    parser.add_argument("--long", action="store_true",
                        help="tag one long article of each --words size instead: seconds and "
                             "microseconds per word, which should stay flat")
    parser.add_argument("--words", type=int, nargs="+", default=list(LONG_WORDS),
                        metavar="N", help="article sizes for --long (default: %(default)s)")
    parser.set_defaults(func=run)


def measure(model: str | None, corpus: str, out: str, batch_size: int,
            workers: int, warmup: str | None = None) -> dict[str, Any]:
    """Tag a corpus once in this process; what `run` reads from each child process.
    `warmup`: a small corpus tagged first, untimed, so one-time costs (first calls, caches)
    are not counted against the corpus."""
    from pipeline import engine
    from pipeline.api import load_extractor

    factory = functools.partial(load_extractor, model)
    try:
        if warmup is not None:
            engine.run(read_inputs([warmup]), factory, Path(out).with_name("warmup.jsonl"),
                       batch_size=batch_size, workers=workers, progress=False)
    except Exception as err:  # a model that cannot be loaded skips its row
        return {"error": f"{type(err).__name__}: {err}"}
    start = time.perf_counter()
    try:
        summary = engine.run(read_inputs([corpus]), factory, out, batch_size=batch_size,
                             workers=workers, progress=False)
    except Exception as err:  # a model that cannot be loaded skips its row
        return {"error": f"{type(err).__name__}: {err}"}
    total = time.perf_counter() - start
    peak_kb = sum(resource.getrusage(who).ru_maxrss
                  for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"docs": summary.docs, "words": summary.words, "seconds": summary.seconds,
            "load_seconds": total - summary.seconds, "peak_mb": peak_kb / 1024}


def corpus_texts(annotations: Path) -> list[Document]:
    """The annotated documents (text only), or the seed articles when there are none."""
    docs = [doc for path in sorted(annotations.glob("*.jsonl")) for doc in read_jsonl(path)]
    if not docs:
        docs = [r for r in read_inputs([REPO / "seeds"]) if isinstance(r, Document)]
    if not docs:
        raise SystemExit(f"jkn-ie bench: no documents in {annotations} nor in seeds/")
    return docs


def long_article(docs: list[Document], words: int) -> str:
    """One article of exactly `words` words: the documents' texts one after another, as
    paragraphs, cut after the last word."""
    parts, count = [], 0
    for doc in itertools.cycle(docs):
        if count >= words:
            break
        parts.append(doc.text.strip())
        count += len(doc.text.split())
    text = "\n\n".join(parts)
    cut = next(itertools.islice(re.finditer(r"\S+", text), words - 1, None))
    return text[:cut.end()] + "\n"


def write_corpus(docs: list[Document], size: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for n, doc in zip(range(size), itertools.cycle(docs), strict=False):
            handle.write(json.dumps({"id": f"{doc.id}#{n}", "text": doc.text},
                                    ensure_ascii=False) + "\n")


def _measure_in_child(spec: dict[str, Any], workdir: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.run([sys.executable, "-m", "pipeline.commands.bench", json.dumps(spec)],
                          cwd=workdir, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _medians(results: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "words_s": statistics.median(r["words"] / r["seconds"] for r in results),
        "docs_s": statistics.median(r["docs"] / r["seconds"] for r in results),
        "load_s": statistics.median(r["load_seconds"] for r in results),
        "peak_mb": statistics.median(r["peak_mb"] for r in results),
    }


def _fresh_output(workdir: Path) -> str:
    """A path in a new folder, so no run finds an earlier run's output there."""
    return str(Path(tempfile.mkdtemp(prefix="out-", dir=workdir)) / "out.jsonl")


def run(args: argparse.Namespace) -> int:
    if args.runs is None:
        args.runs = 1 if args.long else 3
    if args.docs < 1 or args.runs < 1:
        raise SystemExit("jkn-ie bench: --docs and --runs must be at least 1")
    if args.long:
        return run_long(args)
    systems: list[tuple[str, str | None]] = [("bundled model", args.model), ("rules", "rules")]
    notes = []
    if args.spacy_model is not None and args.spacy_model.exists():
        systems.append(("spaCy CNN NER", str(args.spacy_model.resolve())))
    else:
        notes.append("spaCy CNN NER: skipped (no --spacy-model folder given)")
    docs = corpus_texts(args.annotations)
    rows = []
    with tempfile.TemporaryDirectory(prefix="jkn-ie-bench-") as tmp:
        workdir = Path(tmp)
        for size in (args.docs, SCALE * args.docs):
            write_corpus(docs, size, workdir / f"corpus-{size}.jsonl")
        for name, model in systems:
            measured: dict[int, list[dict[str, Any]]] = {}
            for size in (args.docs, SCALE * args.docs):
                spec = {"model": model, "batch_size": args.batch_size,
                        "workers": args.workers, "corpus": str(workdir / f"corpus-{size}.jsonl")}
                measured[size] = [_measure_in_child({**spec, "out": _fresh_output(workdir)},
                                                    workdir) for _ in range(args.runs)]
                failed = next((r["error"] for r in measured[size] if "error" in r), None)
                if failed:
                    notes.append(f"{name}: skipped ({failed})")
                    break
            else:
                small, large = _medians(measured[args.docs]), _medians(measured[SCALE * args.docs])
                rows.append((name, small, large["words_s"] / small["words_s"]))
    print(_table(rows, args))
    for note in notes:
        print(note)
    return 0


def run_long(args: argparse.Namespace) -> int:
    """`--long`: one article per size and system, each tagged alone in a fresh process."""
    sizes = sorted(set(args.words))
    if sizes[0] < 1:
        raise SystemExit("jkn-ie bench: --words must be at least 1")
    systems: list[tuple[str, str | None]] = (
        [("bundled model", None), ("rules", "rules")] if args.model is None
        else [(args.model, args.model)])
    docs = corpus_texts(args.annotations)
    notes: list[str] = []
    print(f"one article per size, tagged alone end to end (jkn-ie tag's engine, a fresh "
          f"process each), median of {args.runs} run(s), {os.cpu_count()} CPU cores")
    with tempfile.TemporaryDirectory(prefix="jkn-ie-bench-") as tmp:
        workdir = Path(tmp)
        for words in sizes:
            (workdir / f"article-{words}.txt").write_text(long_article(docs, words),
                                                          encoding="utf-8")
        warmup = workdir / "warmup.txt"
        warmup.write_text(long_article(docs, 500), encoding="utf-8")
        for name, model in systems:
            rows: list[tuple[int, float]] = []
            for words in sizes:
                spec = {"model": model, "batch_size": args.batch_size, "workers": 1,
                        "corpus": str(workdir / f"article-{words}.txt"), "warmup": str(warmup)}
                results = [_measure_in_child({**spec, "out": _fresh_output(workdir)}, workdir)
                           for _ in range(args.runs)]
                failed = next((r["error"] for r in results if "error" in r), None)
                if failed:
                    notes.append(f"{name}: skipped ({failed})")
                    break
                rows.append((results[0]["words"],
                             statistics.median(r["seconds"] for r in results)))
            if rows:
                print(_long_table(name, rows))
    for note in notes:
        print(note)
    return 0


def _long_table(name: str, rows: list[tuple[int, float]]) -> str:
    per_word = [1e6 * seconds / words for words, seconds in rows]
    lines = [f"{name}", f"{'words':>10}{'seconds':>10}{'µs/word':>10}"]
    lines += [f"{words:>10,}{seconds:>10.2f}{us:>10.1f}"
              for (words, seconds), us in zip(rows, per_word, strict=True)]
    ratio = max(per_word) / min(per_word) if min(per_word) > 0 else float("inf")
    verdict = "flat" if ratio <= LONG_FLAT else "NOT flat"
    lines.append(f"largest / smallest µs per word: {ratio:.2f} ({verdict}; target within "
                 f"{LONG_FLAT}x)")
    return "\n".join(lines)


def _table(rows: list[tuple[str, dict[str, float], float]], args: argparse.Namespace) -> str:
    head = (f"{args.docs} articles, median of {args.runs} runs, batch {args.batch_size}, "
            f"{args.workers} worker(s), {os.cpu_count()} CPU cores\n"
            f"{'system':<16}{'words/s':>10}{'articles/s':>12}{'peak MB':>10}{'load s':>8}"
            f"{f'x{SCALE} ratio':>10}")
    lines = [f"{name:<16}{m['words_s']:>10,.0f}{m['docs_s']:>12,.1f}{m['peak_mb']:>10,.0f}"
             f"{m['load_s']:>8.1f}{ratio:>10.2f}" for name, m, ratio in rows]
    return "\n".join([head, *lines])


if __name__ == "__main__":
    print(json.dumps(measure(**json.loads(sys.argv[1]))))
