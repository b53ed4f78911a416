import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import engine
from pipeline.document import Document, Entity
from pipeline.inputs import InputError, read_inputs
from pipeline.ner.rules import RuleTagger

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class FirstWord:
    """Tags the first word of every document; fails on documents that contain BOOM."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def predict_batch(self, docs: list[Document]) -> list[Document]:
        self.batches.append([d.id for d in docs])
        if any("BOOM" in d.text for d in docs):
            raise ValueError("cannot tag BOOM")
        return [Document(d.id, d.text, d.meta, [Entity("T1", 0, len(d.text.split()[0]), "REGION",
                                                       "X")]) for d in docs]


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def docs(n: int, *, start: int = 0) -> list[Document]:
    # Lengths vary and are not in id order, so length-sorting is visible.
    return [Document(f"d{i:03}", "Kaltim " + "kata " * ((i * 7) % 11)) for i in range(start, n)]


def test_one_line_per_record_in_input_order_with_errors_in_place(tmp_path):
    records = [*docs(70)]
    for i in (0, 5, 64, 69):
        records.insert(i, InputError(f"e{i}", f"src{i}", "empty file"))
    out = tmp_path / "out.jsonl"
    summary = engine.run(records, FirstWord, out, batch_size=4, progress=False)
    written = lines(out)
    assert [x["id"] for x in written] == [r.id for r in records]
    assert all(x["entities"][0]["end"] == 6 for x in written if "error" not in x)
    assert (summary.docs, summary.errors, summary.skipped) == (70, 4, 0)
    assert summary.words == sum(len(r.text.split()) for r in records if isinstance(r, Document))


def test_batches_are_length_sorted_within_a_chunk(tmp_path):
    extractor = FirstWord()
    records = docs(engine.CHUNK_SIZE + 10)
    engine.run(records, lambda: extractor, tmp_path / "out.jsonl", batch_size=8, progress=False)
    length = {d.id: len(d.text) for d in records}
    order = [i for batch in extractor.batches for i in batch]
    first_chunk = order[:engine.CHUNK_SIZE]
    assert sorted(first_chunk) == [d.id for d in records[:engine.CHUNK_SIZE]]
    assert [length[i] for i in first_chunk] == sorted(length[i] for i in first_chunk)
    assert max(len(b) for b in extractor.batches) == 8


def test_a_document_the_extractor_fails_on_becomes_an_error_and_the_batch_goes_on(tmp_path):
    records = [Document("a", "Kaltim satu"), Document("b", "BOOM dua"), Document("c", "Riau")]
    out = tmp_path / "out.jsonl"
    summary = engine.run(records, FirstWord, out, batch_size=8, progress=False)
    written = lines(out)
    assert [x["id"] for x in written] == ["a", "b", "c"]
    assert written[1]["error"] == "extractor failed: ValueError('cannot tag BOOM')"
    assert "entities" in written[0] and "entities" in written[2]
    assert (summary.docs, summary.errors) == (2, 1)


def test_resume_skips_what_is_written_and_cuts_a_torn_last_line(tmp_path):
    records = docs(6)
    out = tmp_path / "out.jsonl"
    engine.run(records[:3], FirstWord, out, progress=False)
    with out.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "d003", "text": "Kalt')  # killed mid-line
    summary = engine.run(records, FirstWord, out, resume=True, progress=False)
    assert [x["id"] for x in lines(out)] == [d.id for d in records]
    assert (summary.docs, summary.skipped) == (3, 3)


def test_resume_keeps_an_error_that_shares_the_id_of_a_written_document(tmp_path):
    first = tmp_path / "a" / "berita.txt"
    second = tmp_path / "b" / "berita.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text("Kaltim mencapai 98 persen.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    engine.run(read_inputs([first]), FirstWord, out, progress=False)
    engine.run(read_inputs([first, second]), FirstWord, out, resume=True, progress=False)
    assert [(x["id"], "error" in x) for x in lines(out)] == [("berita", False), ("berita", True)]


def test_without_resume_the_output_is_replaced(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old", "text": "x"}\n', encoding="utf-8")
    engine.run(docs(2), FirstWord, out, progress=False)
    assert [x["id"] for x in lines(out)] == ["d000", "d001"]


def test_a_model_that_cannot_load_leaves_the_output_alone(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old", "text": "x"}\n', encoding="utf-8")

    def broken():
        raise FileNotFoundError("models/none")

    with pytest.raises(FileNotFoundError):
        engine.run(docs(2), broken, out, progress=False)
    assert [x["id"] for x in lines(out)] == ["old"]


def test_two_workers_write_the_same_output_as_one(tmp_path):
    inputs = [SEEDS, tmp_path / "hilang.txt"]
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    engine.run(read_inputs(inputs), RuleTagger, one, batch_size=2, progress=False)
    summary = engine.run(read_inputs(inputs), RuleTagger, two, batch_size=2, workers=2,
                         progress=False)
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert (summary.docs, summary.errors) == (5, 1)
    assert any(x.get("entities") for x in lines(one))


def test_csv_and_html_are_rendered_from_a_resumable_jsonl_sidecar(tmp_path):
    records = [*read_inputs([SEEDS])]
    for fmt in ("csv", "html"):
        out = tmp_path / f"facts.{fmt}"
        engine.run(records, RuleTagger, out, fmt=fmt, progress=False)
        sidecar = tmp_path / f"facts.{fmt}.jsonl"
        assert [x["id"] for x in lines(sidecar)] == [r.id for r in records]
        assert out.stat().st_size > 0


def test_tag_killed_mid_run_then_resumed_writes_every_input_once(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    article = (SEEDS / "000_4d62181232c53c6a.txt").read_text(encoding="utf-8")
    for i in range(40):
        (folder / f"{i:02}.txt").write_text(article * 12, encoding="utf-8")
    (folder / "kosong.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "pipeline.cli", "tag", str(folder), "-o", str(out),
               "--model", "rules", "--batch-size", "1"]
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (out.exists() and out.read_bytes().count(b"\n") >= 3):
        assert proc.poll() is None and time.monotonic() < deadline, "tag ended before the kill"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed_at = out.read_bytes().count(b"\n")
    assert killed_at < 41, "the run finished before it was killed: use longer inputs"
    subprocess.run([*command, "--resume"], check=True, stderr=subprocess.DEVNULL)
    ids = [x["id"] for x in lines(out)]
    assert sorted(ids) == sorted([f"{i:02}" for i in range(40)] + ["kosong"])
    assert len(ids) == len(set(ids))
