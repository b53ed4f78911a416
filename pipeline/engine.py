"""The local batch engine: stream records through an extractor and append the results.

One output line per input record, in input order: the tagged document (ANNOTATION.md
JSONL) or an error line `{"id": ..., "source": ..., "error": reason}`. Lines are appended
and flushed as soon as they are ready, so a killed run loses at most the batches in flight,
and `resume=True` picks up where it stopped: the ids already written are skipped, and a
torn last line is cut off first. A record's resume key is its document id, or for an error
line its source (an error may carry the id of a document that was written, e.g. a
duplicate), so a resumed run ends with every input exactly once.

Within a chunk of records, documents are batched by length (less padding for the
transformer), and lines are written in input order as soon as every earlier record of the
chunk is done. With `workers > 1`, batches go to a pool of spawned processes, each loading
the extractor once and using its share of the CPU cores for torch.

For `csv` and `html` the JSONL stream goes to a sidecar `<out>.jsonl` (which is what
resumes) and the table or report is rendered from it at the end.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from pipeline.document import Document, document_line
from pipeline.inputs import InputError, Record

FORMATS: tuple[str, ...] = ("jsonl", "csv", "html")
CHUNK_SIZE = 64


class Extractor(Protocol):
    def predict_batch(self, docs: list[Document]) -> list[Document]: ...


ExtractorFactory = Callable[[], Extractor]


@dataclass
class Summary:
    docs: int = 0
    errors: int = 0
    skipped: int = 0
    words: int = 0
    seconds: float = 0.0

    def add(self, record: Record) -> None:
        if isinstance(record, InputError):
            self.errors += 1
        else:
            self.docs += 1
            self.words += len(record.text.split())

    def line(self) -> str:
        rate = self.words / self.seconds if self.seconds else 0.0
        skipped = f", {self.skipped} already in the output" if self.skipped else ""
        return (f"{self.docs} documents tagged, {self.errors} errors{skipped}; "
                f"{self.words} words in {self.seconds:.1f} s ({rate:,.0f} words/s)")


def line_key(data: dict[str, Any]) -> str:
    """The resume key of an output line: its source for an error, else its document id."""
    return f"error:{data.get('source')}" if "error" in data else f"doc:{data.get('id')}"


def record_key(record: Record) -> str:
    """The resume key of a record: the key its output line will have."""
    return line_key(record.to_dict() if isinstance(record, InputError) else {"id": record.id})


def output_line(record: Record) -> str:
    if isinstance(record, InputError):
        return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
    return document_line(record)


def stream_path(out_path: Path, fmt: str) -> Path:
    """Where the resumable JSONL stream goes: the output itself, or its `.jsonl` sidecar."""
    return out_path if fmt == "jsonl" else out_path.with_name(out_path.name + ".jsonl")


def open_stream(path: Path, resume: bool) -> tuple[IO[str], set[str]]:
    """The stream opened for appending, and the keys of the records already in it."""
    done = _written_keys(path) if resume and path.exists() else set()
    if resume:
        return path.open("a", encoding="utf-8"), done
    return path.open("w", encoding="utf-8"), done


def _written_keys(path: Path) -> set[str]:
    """Keys of the complete lines of an output; cuts the file after the last complete one."""
    keys: set[str] = set()
    good_end = 0
    with path.open("r+b") as handle:
        for raw in handle:
            if not raw.endswith(b"\n"):
                break
            try:
                data = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                break
            keys.add(line_key(data))
            good_end += len(raw)
        handle.truncate(good_end)
    return keys


def read_documents(path: Path) -> Iterator[Document]:
    """The documents of an output stream, skipping its error lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            if "error" not in data:
                yield Document.from_dict(data)


def render(fmt: str, stream: Path, out_path: Path) -> None:
    """Write the csv table or html report of a finished stream."""
    if fmt == "csv":
        from pipeline.report.csv_table import write_facts_csv

        write_facts_csv(read_documents(stream), out_path)
    elif fmt == "html":
        from pipeline.report.html import write_html_report

        write_html_report(list(read_documents(stream)), out_path)


def run(records: Iterable[Record], extractor_factory: ExtractorFactory, out_path: str | Path,
        fmt: str = "jsonl", batch_size: int = 8, workers: int = 1, resume: bool = False,
        progress: bool | None = None) -> Summary:
    """Tag every record and write one output line each; returns the counts (also on stderr).

    `extractor_factory` is called once per process; with `workers > 1` it must be picklable
    (a module-level function or a `functools.partial` of one).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    out_path = Path(out_path)
    # In-process, the model is loaded before the output is touched, so a bad model fails
    # without emptying an existing output.
    extractor = extractor_factory() if workers <= 1 else None
    stream = stream_path(out_path, fmt)
    handle, done = open_stream(stream, resume)
    summary = Summary()
    todo = skip_done(records, done, summary)
    start = time.perf_counter()
    with handle, _progress_bar(progress) as bar:
        for record in _tag(todo, extractor, extractor_factory, batch_size, workers):
            handle.write(output_line(record))
            handle.flush()
            summary.add(record)
            bar.update(1)
    summary.seconds = time.perf_counter() - start
    render(fmt, stream, out_path)
    print(summary.line(), file=sys.stderr)
    return summary


def skip_done(records: Iterable[Record], done: set[str], summary: Summary) -> Iterator[Record]:
    """The records not yet in the output; the others are counted as skipped."""
    for record in records:
        if record_key(record) in done:
            summary.skipped += 1
        else:
            yield record


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
    """The records, tagged, in input order: by `extractor` if given, else by a worker pool."""
    batches = _batches(records, batch_size)
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
    for i in range(0, len(doc_positions), batch_size):
        positions = doc_positions[i:i + batch_size]
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
