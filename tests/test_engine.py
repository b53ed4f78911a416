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


def test_without_resume_a_previous_output_is_replaced(tmp_path):
    out = tmp_path / "out.jsonl"
    engine.run(docs(3), FirstWord, out, progress=False)
    engine.run(docs(2), FirstWord, out, progress=False)
    assert [x["id"] for x in lines(out)] == ["d000", "d001"]


def test_a_file_jkn_ie_did_not_write_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "old", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(engine.OutputError, match="not written by jkn-ie tag.*--force"):
        engine.run(docs(2), FirstWord, out, progress=False)
    assert [x["id"] for x in lines(out)] == ["old"]
    engine.run(docs(2), FirstWord, out, progress=False, force=True)
    assert [x["id"] for x in lines(out)] == ["d000", "d001"]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_model_that_cannot_load_leaves_the_output_alone(tmp_path, workers):
    out = tmp_path / "out.jsonl"
    engine.run(docs(1), FirstWord, out, progress=False)
    before = out.read_bytes()

    def broken():
        raise FileNotFoundError("models/none")

    with pytest.raises(FileNotFoundError):
        engine.run(docs(2), broken, out, progress=False, workers=workers)
    assert out.read_bytes() == before


def test_two_workers_write_the_same_output_as_one(tmp_path):
    inputs = [SEEDS, tmp_path / "hilang.txt"]
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    engine.run(read_inputs(inputs), RuleTagger, one, batch_size=2, progress=False)
    summary = engine.run(read_inputs(inputs), RuleTagger, two, batch_size=2, workers=2,
                         progress=False)
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")
    assert (summary.docs, summary.errors) == (5, 1)
    assert any(x.get("entities") for x in lines(one))


def test_csv_and_html_are_rendered_from_a_resumable_records_stream(tmp_path):
    records = [*read_inputs([SEEDS, tmp_path / "hilang.txt"])]
    for fmt in ("csv", "html"):
        out = tmp_path / f"facts.{fmt}"
        engine.run(records, RuleTagger, out, fmt=fmt, progress=False)
        stream = tmp_path / f"facts.{fmt}.records.jsonl"
        assert [x["id"] for x in lines(stream)] == [r.id for r in records]
        assert out.stat().st_size > 0
        assert not (tmp_path / f"facts.{fmt}.jsonl").exists()
    errors = (tmp_path / "facts.errors.csv").read_text(encoding="utf-8").splitlines()
    assert errors[0] == "id,source,error"
    assert errors[1].startswith(f"hilang,{tmp_path / 'hilang.txt'},")
    assert "hilang.txt" in (tmp_path / "facts.html").read_text(encoding="utf-8")


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
    done = subprocess.run([*command, "--resume"], stderr=subprocess.DEVNULL, check=False)
    assert done.returncode == 1  # kosong.txt is empty: one input failed
    ids = [x["id"] for x in lines(out)]
    assert sorted(ids) == sorted([f"{i:02}" for i in range(40)] + ["kosong"])
    assert len(ids) == len(set(ids))


class WatchOutput(FirstWord):
    """FirstWord that notes, for each huge document, how many lines the output holds when
    its turn comes."""

    def __init__(self, out: Path) -> None:
        super().__init__()
        self.out = out
        self.lines_before_huge: list[int] = []

    def predict_batch(self, docs: list[Document]) -> list[Document]:
        if any(len(d.text) > engine.HUGE_CHARS for d in docs):
            self.lines_before_huge.append(self.out.read_bytes().count(b"\n"))
        return super().predict_batch(docs)


@pytest.mark.parametrize("position", [0, 10, 69])
def test_a_huge_document_never_holds_back_the_others(tmp_path, monkeypatch, position):
    monkeypatch.setattr(engine, "HUGE_CHARS", 200)
    records: list = docs(70)
    records.insert(position, Document("huge", "Kaltim " + "kata " * 100))
    out = tmp_path / "out.jsonl"
    extractor = WatchOutput(out)
    summary = engine.run(records, lambda: extractor, out, batch_size=4, progress=False)
    assert extractor.lines_before_huge == [70]  # every short article was written first
    written = [x["id"] for x in lines(out)]
    assert written == [d.id for d in records if d.id != "huge"] + ["huge"]
    assert lines(out)[-1]["entities"]  # the huge document was tagged too
    assert summary.docs == 71


def test_huge_documents_go_last_and_resume_by_key(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "HUGE_CHARS", 200)
    records = [Document("big1", "Riau " + "kata " * 60), *docs(3),
               Document("big2", "Aceh " + "kata " * 60)]
    out = tmp_path / "out.jsonl"
    engine.run(records, FirstWord, out, progress=False)
    assert [x["id"] for x in lines(out)] == ["d000", "d001", "d002", "big1", "big2"]
    kept = out.read_text(encoding="utf-8").splitlines(keepends=True)[:4]
    out.write_text("".join(kept), encoding="utf-8")  # killed while tagging big2
    summary = engine.run(records, FirstWord, out, resume=True, progress=False)
    assert [x["id"] for x in lines(out)] == ["d000", "d001", "d002", "big1", "big2"]
    assert (summary.docs, summary.skipped) == (1, 4)


def test_nan_and_infinity_in_meta_are_written_as_null(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Kaltim satu", "meta": {"x": NaN, "y": [Infinity]},'
                      ' "skor": -Infinity}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    engine.run(read_inputs([source]), FirstWord, out, progress=False)
    text = out.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    data = json.loads(text, parse_constant=lambda name: pytest.fail(f"bare {name}"))
    assert data["meta"]["x"] is None and data["meta"]["y"] == [None]
    assert data["meta"]["skor"] is None


def test_the_version_of_a_package_that_was_never_installed_is_unknown(monkeypatch):
    import importlib.metadata

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert engine.package_version() == "unknown"


def test_summary_counts_read_as_english_and_failures_are_named(tmp_path, capsys):
    records = [Document("a", "Kaltim"), InputError("b", "in/b.txt", "empty file")]
    summary = engine.run(records, FirstWord, tmp_path / "out.jsonl", progress=False)
    err = capsys.readouterr().err
    assert err.startswith("1 document tagged, 1 error; 1 word in ")
    assert "could not tag 1 input:\n  in/b.txt: empty file" in err
    assert summary.exit_status() == 1


def test_a_batch_where_every_input_failed_exits_2_and_names_the_first_ones(tmp_path, capsys):
    records = [InputError(f"e{i}", f"in/e{i}.txt", "binary file") for i in range(12)]
    summary = engine.run(records, FirstWord, tmp_path / "out.jsonl", progress=False)
    err = capsys.readouterr().err
    assert summary.exit_status() == 2
    assert "could not tag 12 inputs:" in err
    assert "  in/e0.txt: binary file" in err and "  in/e9.txt: binary file" in err
    assert "in/e10.txt" not in err and "… and 2 more" in err
    assert "nothing was tagged" in err


def test_exit_status_counts_what_a_resumed_run_kept(tmp_path):
    out = tmp_path / "out.jsonl"
    records = [*docs(2), InputError(None, "in/x.txt", "empty file")]
    engine.run(records, FirstWord, out, progress=False)
    again = engine.run(records, FirstWord, out, resume=True, progress=False)
    assert (again.docs, again.skipped, again.skipped_errors) == (0, 3, 1)
    assert again.exit_status() == 1
    assert engine.run(docs(2), FirstWord, tmp_path / "ok.jsonl", progress=False
                      ).exit_status() == 0
