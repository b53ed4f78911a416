"""The local batch engine: stream records through an extractor and append the results.

One output line per input record: the tagged document (ANNOTATION.md JSONL) or an error
line `{"id": ..., "source": ..., "error": reason}`. Lines are appended and flushed as soon
as they are ready, so a killed run loses at most the batches in flight, and `resume=True`
picks up where it stopped: the ids already written are skipped, and a torn last line is
cut off first. A record's resume key is its document id, or for an error line its source
(an error may carry the id of a document that was written, e.g. a duplicate), so a resumed
run ends with every input exactly once.

Order: records are written in input order, except that documents longer than `HUGE_CHARS`
are set aside (on a temporary spool file, not in memory) and tagged after all the others,
so one huge article never holds back the lines of the short ones. Within a chunk of
records, documents are batched by length (less padding for the transformer), and lines are
written as soon as every earlier record of the chunk is done. With `workers > 1`, batches
go to a pool of spawned processes, each loading the extractor once and using its share of
the CPU cores for torch.

Files (`OutputFiles`): for `jsonl` the output is the stream itself; for `csv` and `html`
the stream goes to `<out>.records.jsonl` (which is what `--resume` continues) and the table
or report is rendered from it at the end; `csv` also writes `<stem>.errors.csv`, one row
per input that could not be tagged. Beside every output, `<out>.manifest.json` records
that jkn-ie wrote it and from which inputs. `prepare_output` checks all of this before the
model loads and before anything is opened for writing: an output that is an input (or lies
in an input folder) is refused; an existing file without a jkn-ie manifest is not
overwritten unless `force`; `resume` needs a manifest from the same inputs and a stream
that is JSONL records.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from pipeline.document import Document, document_line
from pipeline.inputs import InputError, Record

FORMATS: tuple[str, ...] = ("jsonl", "csv", "html")
CHUNK_SIZE = 64
# Documents longer than this (about 15,000 words) are tagged after all the others, one per
# batch, so that their minutes of work never hold back the lines of short articles.
HUGE_CHARS = 100_000
# Failed inputs named on stderr at the end of a run (all of them are in the output).
FAILURES_SHOWN = 10
MANIFEST_WRITER = "jkn-ie tag"
MANIFEST_INPUTS = 1_000  # input paths listed in a manifest (all of them are in its hash)
PACKAGE = "jkn-ie"


class Extractor(Protocol):
    def predict_batch(self, docs: list[Document]) -> list[Document]: ...


ExtractorFactory = Callable[[], Extractor]


class OutputError(Exception):
    """An output that cannot or must not be written; raised before anything is written."""


def package_version() -> str:
    """The installed distribution's version; "unknown" when the package runs from a source
    tree that was never installed (the distribution's metadata is the only source of it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown"


def plural(n: int, noun: str) -> str:
    """`1 document`, `2 documents`: counts in messages read as English."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass
class Summary:
    docs: int = 0
    errors: int = 0
    skipped: int = 0  # already in the output (resume), documents and errors
    skipped_errors: int = 0  # of which error lines
    words: int = 0
    seconds: float = 0.0
    failures: list[InputError] = field(default_factory=list)  # the first FAILURES_SHOWN

    def add(self, record: Record) -> None:
        if isinstance(record, InputError):
            self.errors += 1
            if len(self.failures) < FAILURES_SHOWN:
                self.failures.append(record)
        else:
            self.docs += 1
            self.words += len(record.text.split())

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped:,} already in the output" if self.skipped else ""
        return (f"{plural(self.docs, 'document')} tagged, {plural(self.errors, 'error')}"
                f"{skipped}; {plural(self.words, 'word')} in {self.seconds:.1f} s "
                f"({rate:,.0f} words/s)")

    def failure_report(self, stream: Path) -> str:
        """The first failed inputs with their reasons, for stderr ("" when none failed)."""
        if not self.errors and self.exit_status() != 2:
            return ""
        lines = []
        if self.errors:
            lines.append(f"could not tag {plural(self.errors, 'input')}:")
            lines += [f"  {failure.source}: {failure.reason}" for failure in self.failures]
            if self.errors > len(self.failures):
                lines.append(f"  … and {self.errors - len(self.failures):,} more: every one "
                             f"is an error line in {stream}")
        if self.exit_status() == 2:
            lines.append("nothing was tagged: no input could be read as an article")
        return "\n".join(lines)

    def exit_status(self) -> int:
        """0: every input tagged; 1: some inputs failed; 2: no document at all."""
        if self.docs + self.skipped - self.skipped_errors == 0:
            return 2
        return 1 if self.errors or self.skipped_errors else 0


def is_error_line(data: dict[str, Any]) -> bool:
    """Whether an output line is an error record (an input that could not be tagged) rather
    than a document: the one test every reader of a tag output uses."""
    return "error" in data


def line_key(data: dict[str, Any]) -> str:
    """The resume key of an output line: its source for an error, else its document id."""
    return f"error:{data.get('source')}" if is_error_line(data) else f"doc:{data.get('id')}"


def record_key(record: Record) -> str:
    """The resume key of a record: the key its output line will have."""
    return line_key(record.to_dict() if isinstance(record, InputError) else {"id": record.id})


def output_line(record: Record) -> str:
    """One JSONL line: a document as `document_line` writes it (a NaN or infinity becomes
    null), or an error record (strings only, so always valid JSON)."""
    if isinstance(record, Document):
        return document_line(record)
    return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class OutputFiles:
    """Every file a run writes for one `-o` path."""

    out: Path
    fmt: str

    @property
    def stream(self) -> Path:
        """The resumable JSONL stream: the output itself, or `<out>.records.jsonl`."""
        return self.out if self.fmt == "jsonl" else self._beside(".records.jsonl")

    @property
    def manifest(self) -> Path:
        return self._beside(".manifest.json")

    @property
    def errors(self) -> Path | None:
        """The CSV of failed inputs, written with the csv format: `<stem>.errors.csv`."""
        return self.out.with_name(f"{self.out.stem}.errors.csv") if self.fmt == "csv" else None

    def written(self) -> list[Path]:
        """The output first, then its companions."""
        paths = [self.out, self.stream, self.errors, self.manifest]
        return list(dict.fromkeys(p for p in paths if p is not None))

    def _beside(self, suffix: str) -> Path:
        return self.out.with_name(self.out.name + suffix)


@dataclass
class OutputPlan:
    """What `prepare_output` found: the files, and for a resumed run what to keep."""

    files: OutputFiles
    manifest: dict[str, Any]
    resume: bool
    done: set[str] = field(default_factory=set)  # keys of the records already written
    keep_bytes: int = 0  # the stream's length up to its last complete line


def input_names(inputs: Iterable[str | Path]) -> list[str]:
    """The inputs as absolute paths, sorted and without repeats: the run's identity."""
    return sorted({os.path.abspath(p) for p in inputs})


def prepare_output(out_path: str | Path, fmt: str, inputs: Sequence[str | Path] | None = None,
                   resume: bool = False, force: bool = False) -> OutputPlan:
    """Check that the output can and may be written, and read what a resumed run keeps.

    Writes nothing, so it runs before the model loads: a bad `-o` costs no waiting and no
    file. Without `inputs` (an API call) the input checks are skipped.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    files = OutputFiles(Path(out_path), fmt)
    for path in files.written():
        check_writable(path)
    identity: dict[str, Any] = dict.fromkeys(("inputs_sha256", "inputs_count", "inputs"))
    if inputs is not None:
        _check_not_an_input(files.written(), inputs)
        names = input_names(inputs)
        identity = {"inputs_sha256": _digest(names), "inputs_count": len(names),
                    "inputs": names[:MANIFEST_INPUTS]}
    manifest = {"written_by": MANIFEST_WRITER, "version": package_version(),
                "output": files.out.name, "format": fmt, "stream": files.stream.name,
                **identity}
    previous = _read_manifest(files)
    plan = OutputPlan(files, manifest, resume)
    if resume and not force:
        _check_resumable(files, previous, manifest)
    if resume and files.stream.exists():
        plan.done, plan.keep_bytes = _written_keys(files.stream)
        return plan
    existing = [path for path in files.written() if path.exists()]
    if existing and previous is None and not force:
        raise OutputError(
            f"{existing[0]} exists and was not written by jkn-ie tag (there is no "
            f"{files.manifest.name} beside it): refusing to overwrite it. Choose another -o, "
            f"delete the file, or pass --force to overwrite it")
    return plan


def check_writable(path: Path) -> None:
    """Raise OutputError, naming the path and the way out, if a file cannot be written there."""
    if path.is_dir():
        raise OutputError(f"{path} is a folder: give a file name, e.g. -o {path / 'tagged.jsonl'}")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path} is not a regular file (a FIFO, socket or device): "
                          "choose a file name for -o")
    parent = path.absolute().parent
    if not parent.exists():
        raise OutputError(f"the output folder {parent} does not exist: create it "
                          f"(mkdir -p {parent}) or choose another -o")
    if not parent.is_dir():
        raise OutputError(f"{parent} is not a folder: choose another -o")
    if path.exists() and not os.access(path, os.W_OK):
        raise OutputError(f"{path} is read-only: make it writable or choose another -o")
    if not path.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"cannot create files in {parent} (no permission, or a read-only "
                          "file system): choose another -o")


def check_output(out: Path, inputs: Iterable[str | Path]) -> None:
    """Raise OutputError if `out` cannot be written, is one of `inputs` or lies in an input
    folder: every command that reads files and writes one checks this, before reading.

    The paths are compared resolved, so an output reached through a symbolic link, or one
    that does not exist yet inside a linked input folder, is caught too.
    """
    check_writable(out)
    _check_not_an_input([out], inputs)


def _check_not_an_input(outputs: Iterable[Path], inputs: Iterable[str | Path]) -> None:
    """An output that is an input, or lies in an input folder, would destroy or be re-read
    as input: refuse it. Each input is resolved once, however many outputs there are."""
    targets = [(path, _resolved(path)) for path in outputs]
    for given in inputs:
        source = Path(given)
        resolved = _resolved(source)
        if resolved is None or not source.exists():
            continue
        folder = source.is_dir()
        for path, target in targets:
            if target is None:
                continue
            if target == resolved or (path.exists() and os.path.samefile(path, source)):
                raise OutputError(f"{path} is an input ({given}): writing it would destroy "
                                  "it. Choose an output file outside the inputs")
            if folder and target.is_relative_to(resolved):
                raise OutputError(f"{path} is inside the input folder {given}: a run never "
                                  f"writes where it reads. Choose an output outside {given}")


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None


def _digest(names: list[str]) -> str:
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def _read_manifest(files: OutputFiles) -> dict[str, Any] | None:
    """The manifest beside the output, if jkn-ie wrote it for this output; else None."""
    try:
        data = json.loads(files.manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (isinstance(data, dict) and data.get("written_by") == MANIFEST_WRITER
            and data.get("output") == files.out.name):
        return data
    return None


def _check_resumable(files: OutputFiles, previous: dict[str, Any] | None,
                     manifest: dict[str, Any]) -> None:
    if previous is None and not files.stream.exists():
        return  # a first run: nothing to continue
    if previous is None:
        raise OutputError(
            f"cannot resume {files.stream}: it has no {files.manifest.name} beside it, so "
            "jkn-ie tag did not write it (or an older version did). Choose another -o, or "
            "pass --force to continue it anyway")
    if previous.get("format") != manifest["format"]:
        raise OutputError(
            f"cannot resume {files.out}: it was written as {previous.get('format')}, not "
            f"{manifest['format']}. Pass --format {previous.get('format')}, or drop --resume "
            "to start again")
    theirs, ours = previous.get("inputs_sha256"), manifest["inputs_sha256"]
    if theirs is not None and ours is not None and theirs != ours:
        raise OutputError(
            f"cannot resume {files.out}: it was written from other inputs (see "
            f"{files.manifest}). Resume with the same inputs, drop --resume to start again, "
            "or choose another -o")


def _written_keys(path: Path) -> tuple[set[str], int]:
    """Keys of the complete lines of a stream, and the length they take.

    Only a torn last line (no newline: the run was killed mid-write) is given up; any other
    line that is not a record means the file is not a jkn-ie stream, or is damaged, and
    resuming it is refused rather than cutting the file.
    """
    keys: set[str] = set()
    good_end = 0
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, 1):
            if not raw.endswith(b"\n"):
                break
            data = _record_data(raw)
            if data is None:
                raise OutputError(
                    f"cannot resume {path}: line {lineno} is not a jkn-ie record, so the file "
                    "is not a jkn-ie output or is damaged. Choose another -o, or drop "
                    "--resume to start again")
            keys.add(line_key(data))
            good_end += len(raw)
    return keys, good_end


def _record_data(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if isinstance(data, dict) and (is_error_line(data) or "id" in data and "text" in data):
        return data
    return None


def open_output(plan: OutputPlan) -> IO[str]:
    """Write the manifest, and open the stream: appended to when resuming, else replaced."""
    files = plan.files
    partial = files.manifest.with_name(files.manifest.name + ".tmp")
    partial.write_text(json.dumps(plan.manifest, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    partial.replace(files.manifest)
    if plan.resume and files.stream.exists():
        with files.stream.open("r+b") as handle:
            handle.truncate(plan.keep_bytes)
        return files.stream.open("a", encoding="utf-8")
    return files.stream.open("w", encoding="utf-8")


def render(files: OutputFiles) -> None:
    """Write the csv tables or html report of a finished stream."""
    from pipeline.report import Records

    records = Records(files.stream)
    if files.fmt == "csv":
        from pipeline.report.csv_table import write_errors_csv, write_facts_csv

        write_facts_csv(records, files.out)
        assert files.errors is not None
        write_errors_csv(records.errors(), files.errors)
    elif files.fmt == "html":
        from pipeline.report.html import write_html_report

        write_html_report(records, files.out, errors=records.errors())


def run(records: Iterable[Record], extractor_factory: ExtractorFactory, out_path: str | Path,
        fmt: str = "jsonl", batch_size: int = 8, workers: int = 1, resume: bool = False,
        progress: bool | None = None, inputs: Sequence[str | Path] | None = None,
        force: bool = False) -> Summary:
    """Tag every record and write one output line each; returns the counts (also on stderr).

    `inputs` are the paths the records come from: given, the output is checked not to be
    one of them and `resume` checks they are the ones the output was written from.
    `extractor_factory` is called once per process; with `workers > 1` it must be picklable
    (a module-level function or a `functools.partial` of one). Raises OutputError before
    loading anything when the output must not be written (see `prepare_output`).
    """
    plan = prepare_output(out_path, fmt, inputs, resume, force)
    # The model is loaded here before the output is touched, with workers too (a tagger
    # loads its network lazily, so this costs little), so a bad model fails without
    # emptying an existing output.
    extractor: Extractor | None = extractor_factory()
    if workers > 1:
        extractor = None  # each worker loads its own
    handle = open_output(plan)
    summary = Summary()
    todo = skip_done(records, plan.done, summary)
    start = time.perf_counter()
    with handle, _progress_bar(progress) as bar:
        for record in _tag(todo, extractor, extractor_factory, batch_size, workers):
            handle.write(output_line(record))
            handle.flush()
            summary.add(record)
            bar.update(1)
    summary.seconds = time.perf_counter() - start
    finish(plan.files, summary)
    return summary


def finish(files: OutputFiles, summary: Summary) -> None:
    """Render the csv or html output, and say on stderr what was done and what failed."""
    render(files)
    print(summary.line(), file=sys.stderr)
    failures = summary.failure_report(files.stream)
    if failures:
        print(failures, file=sys.stderr)


def skip_done(records: Iterable[Record], done: set[str], summary: Summary) -> Iterator[Record]:
    """The records not yet in the output; the others are counted as skipped."""
    for record in records:
        key = record_key(record)
        if key in done:
            summary.skipped += 1
            summary.skipped_errors += key.startswith("error:")
        else:
            yield record


def is_huge(record: Record) -> bool:
    return isinstance(record, Document) and len(record.text) > HUGE_CHARS


def huge_last(records: Iterable[Record]) -> Iterator[Record]:
    """The records in input order, except huge documents, which come after all the others.

    They wait on a temporary spool file, so a folder of many huge articles costs disk, not
    memory.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for record in records:
            if is_huge(record):
                spool.write(output_line(record))
            else:
                yield record
        spool.seek(0)
        for line in spool:
            yield Document.from_dict(json.loads(line))


def _progress_bar(enabled: bool | None) -> Any:
    from tqdm import tqdm

    return tqdm(unit="doc", disable=not (sys.stderr.isatty() if enabled is None else enabled))


@dataclass
class _Chunk:
    """Records of one chunk, filled in as their batches come back, written in order."""

    slots: list[Record | None]
    next_out: int = 0

    def ready(self) -> Iterator[Record]:
        while self.next_out < len(self.slots) and self.slots[self.next_out] is not None:
            record = self.slots[self.next_out]
            self.slots[self.next_out] = None  # written: let it go
            self.next_out += 1
            yield record


@dataclass
class _Batch:
    chunk: _Chunk
    positions: list[int]
    docs: list[Document] = field(default_factory=list)


def _tag(records: Iterable[Record], extractor: Extractor | None, factory: ExtractorFactory,
         batch_size: int, workers: int) -> Iterator[Record]:
    """The records, tagged, in input order but huge documents last: by `extractor` if given,
    else by a worker pool."""
    batches = _batches(huge_last(records), batch_size)
    for batch, results in _predict_all(batches, extractor, factory, workers):
        for position, result in zip(batch.positions, results, strict=True):
            batch.chunk.slots[position] = result
        yield from batch.chunk.ready()


def _batches(records: Iterable[Record], batch_size: int) -> Iterator[_Batch]:
    """Batches of length-sorted documents, chunk by chunk; errors ride in empty batches."""
    chunk_size = max(CHUNK_SIZE, batch_size)
    buffer: list[Record] = []
    for record in records:
        buffer.append(record)
        if len(buffer) == chunk_size:
            yield from _chunk_batches(buffer, batch_size)
            buffer = []
    if buffer:
        yield from _chunk_batches(buffer, batch_size)


def _chunk_batches(records: list[Record], batch_size: int) -> Iterator[_Batch]:
    chunk = _Chunk(slots=[r if isinstance(r, InputError) else None for r in records])
    doc_positions = [i for i, r in enumerate(records) if isinstance(r, Document)]
    if len(doc_positions) < len(records):
        yield _Batch(chunk, [])  # lets leading errors out before the first prediction
    doc_positions.sort(key=lambda i: len(records[i].text))
    # A huge document is a batch of its own: with workers, the huge ones spread over them.
    huge = [i for i in doc_positions if is_huge(records[i])]
    normal = doc_positions[:len(doc_positions) - len(huge)]
    groups = [normal[i:i + batch_size] for i in range(0, len(normal), batch_size)]
    for positions in [*groups, *([i] for i in huge)]:
        yield _Batch(chunk, positions, [records[p] for p in positions])


def predict_safely(extractor: Extractor, docs: list[Document]) -> list[Record]:
    """Tag a batch; a document the extractor fails on becomes an error record, not a crash.

    A failed batch is retried one document at a time, so only the culprit is lost.
    """
    if not docs:
        return []
    try:
        results = extractor.predict_batch(docs)
        if len(results) == len(docs):
            return list(results)
        problem = f"the extractor returned {len(results)} documents for {len(docs)}"
    except Exception as err:  # any failure of one document must not stop the batch
        problem = f"extractor failed: {err!r}"
    if len(docs) > 1:
        return [record for doc in docs for record in predict_safely(extractor, [doc])]
    return [InputError(docs[0].id, str(docs[0].meta.get("source", docs[0].id)), problem)]


def _predict_all(batches: Iterator[_Batch], extractor: Extractor | None,
                 factory: ExtractorFactory, workers: int) -> Iterator[tuple[_Batch, list[Record]]]:
    if extractor is not None:
        for batch in batches:
            yield batch, predict_safely(extractor, batch.docs)
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init_worker, initargs=(factory, threads)) as pool:
        # A bounded window of batches in flight: the input is never read ahead of the output.
        pending: deque[tuple[_Batch, Any]] = deque()
        for batch in batches:
            pending.append((batch, pool.apply_async(_predict_in_worker, (batch.docs,))))
            if len(pending) >= 2 * workers:
                done, result = pending.popleft()
                yield done, result.get()
        while pending:
            done, result = pending.popleft()
            yield done, result.get()


_worker_extractor: Extractor | None = None
_worker_error: BaseException | None = None


def _init_worker(factory: ExtractorFactory, threads: int) -> None:
    """Load the extractor once per worker; a failure is kept and raised on the first batch
    (an initializer that raises makes the pool respawn workers forever)."""
    global _worker_extractor, _worker_error
    try:
        _worker_extractor = factory()
    except Exception as err:  # re-raised in the parent by _predict_in_worker
        _worker_error = err
    if "torch" in sys.modules:  # loaded by a transformer model; the rules tagger needs none
        import torch

        torch.set_num_threads(threads)


def _predict_in_worker(docs: list[Document]) -> list[Record]:
    if _worker_error is not None:
        raise _worker_error
    assert _worker_extractor is not None
    return predict_safely(_worker_extractor, docs)
