"""The Ray engine (`jkn-ie tag --engine ray`): the same tagging spread over a Ray cluster.

A Ray Data pipeline: `ray.data.from_items` of the input records, `map_batches` over
`_RayTagger` — a callable class that loads the extractor once per Ray worker and calls the
same `predict_safely` as the local engine — and the results streamed back to the driver in
input order and appended to the output exactly as the local engine writes it (the same
lines, the same resume rule and output checks, the same csv/html rendering). Error records
ride along untouched, so their lines keep their place; huge documents go last, as in the
local engine, so they never hold back the others.

Ray is an optional extra: `pip install 'jkn-ie[ray]'` (or `'ray[data]==2.60.0'`).

Which cluster: by default a local Ray instance is started on this machine. To use an
existing cluster, pass `--ray-address ray://HEAD:10001` (or `auto` on a cluster node), or
set `RAY_ADDRESS`; both end up in `ray.init(address=...)`. The workers need this package
and the model: install the package on every node and give `--model` a path that exists on
every node (shared storage), or start the cluster with a runtime environment that ships
them. The input texts are held by the driver and Ray's object store while the job runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pipeline.document import Document
from pipeline.engine import (
    ExtractorFactory,
    Summary,
    finish,
    is_error_line,
    is_huge,
    open_output,
    output_line,
    predict_safely,
    prepare_output,
    skip_done,
)
from pipeline.inputs import InputError, Record


class RayUnavailable(RuntimeError):
    pass


def import_ray() -> Any:
    try:
        import ray
    except ImportError as err:
        raise RayUnavailable("the ray engine needs Ray: pip install 'ray[data]==2.60.0'") from err
    return ray


class _RayTagger:
    """Loaded once per Ray worker; tags a batch of serialised records into output lines."""

    def __init__(self, factory: ExtractorFactory) -> None:
        self.extractor = factory()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        records = [_from_item(item) for item in batch["record"]]
        docs = [r for r in records if isinstance(r, Document)]
        tagged = iter(predict_safely(self.extractor, docs))
        lines = [output_line(r if isinstance(r, InputError) else next(tagged)) for r in records]
        return {"line": lines}


def _to_item(record: Record) -> dict[str, str]:
    # One JSON string per row: Arrow cannot hold documents whose `meta` keys differ.
    return {"record": output_line(record)}


def _from_item(item: str) -> Record:
    data = json.loads(item)
    if is_error_line(data):
        return InputError(data["id"], data["source"], data["error"])
    return Document.from_dict(data)


def run(records: Iterable[Record], extractor_factory: ExtractorFactory, out_path: str | Path,
        fmt: str = "jsonl", batch_size: int = 8, workers: int = 1, resume: bool = False,
        address: str | None = None, inputs: Sequence[str | Path] | None = None,
        force: bool = False) -> Summary:
    """Tag every record on Ray and write one output line each, as `pipeline.engine.run` does
    (with the same output checks, made before Ray starts).

    `workers` is the number of Ray actors (each loads the extractor once); `address` is
    passed to `ray.init` (None: `RAY_ADDRESS`, else a new local instance).
    """
    plan = prepare_output(out_path, fmt, inputs, resume, force)
    ray = import_ray()
    handle = open_output(plan)
    summary = Summary()
    # Every record is materialised for `from_items` anyway, so huge documents are moved
    # last in memory (the local engine spools them because it streams).
    items: list[dict[str, str]] = []
    huge: list[dict[str, str]] = []
    for record in skip_done(records, plan.done, summary):
        (huge if is_huge(record) else items).append(_to_item(record))
    items += huge
    start = time.perf_counter()
    started_here = False
    with handle:
        if items:
            if not ray.is_initialized():
                ray.init(address=address)
                started_here = True
            ray.data.DataContext.get_current().execution_options.preserve_order = True
            dataset = ray.data.from_items(items).map_batches(
                _RayTagger, fn_constructor_args=(extractor_factory,), batch_size=batch_size,
                compute=ray.data.ActorPoolStrategy(size=max(1, workers)))
            for row in dataset.iter_rows():
                handle.write(row["line"])
                handle.flush()
                summary.add(_from_item(row["line"]))
    if started_here:
        ray.shutdown()
    summary.seconds = time.perf_counter() - start
    finish(plan.files, summary)
    return summary

