"""`jkn-ie tag -o`: what may be written, checked before the model loads.

Each command names a model folder that does not exist: a check that passes would go on to
load it and fail with "model folder … does not exist", so the messages below prove the
check came first and nothing was loaded or written.
"""

import json
import os
from pathlib import Path

import pytest

from pipeline import engine
from pipeline.cli import main

NO_MODEL = "/nonexistent/model"


def tag(*args: object, model: str = NO_MODEL) -> int:
    return main(["tag", *map(str, args), "--model", model])


def tagged(capsys, *args: object) -> None:
    """Run a successful tag with the rules tagger and forget what it printed."""
    assert tag(*args, model="rules") == 0
    capsys.readouterr()


def article(path: Path, text: str = "Cakupan UHC Kaltim mencapai 98 persen.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refused(capsys, *words: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("jkn-ie tag: "), err
    assert "does not exist" not in err or "output folder" in err, "the model was loaded first"
    for word in words:
        assert word in err, err
    return err


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Kaltim 98 persen."}\n', encoding="utf-8")
    before = source.read_bytes()
    assert tag(source, "-o", source) == 2
    refused(capsys, f"{source} is an input", "destroy")
    assert source.read_bytes() == before
    assert not (tmp_path / "in.jsonl.manifest.json").exists()


def test_an_output_inside_an_input_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "berita"
    article(folder / "a.txt")
    kept = article(folder / "b.jsonl", '{"id": "b", "text": "Riau 90 persen."}\n')
    assert tag(folder, "-o", kept) == 2
    refused(capsys, f"{kept} is inside the input folder {folder}")
    link = tmp_path / "tautan"
    link.symlink_to(folder)  # the same folder by another name
    assert tag(folder, "-o", link / "out.jsonl") == 2
    refused(capsys, "inside the input folder", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "b.jsonl"]
    assert kept.read_text(encoding="utf-8") == '{"id": "b", "text": "Riau 90 persen."}\n'


def test_an_existing_file_jkn_ie_did_not_write_is_kept_unless_forced(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    mine = tmp_path / "notes.html"
    mine.write_text("<p>my notes</p>", encoding="utf-8")
    assert tag(source, "-o", mine) == 2
    refused(capsys, f"{mine} exists and was not written by jkn-ie tag", "--force")
    assert mine.read_text(encoding="utf-8") == "<p>my notes</p>"
    tagged(capsys, source, "-o", mine, "--force")
    assert "JKN facts report" in mine.read_text(encoding="utf-8")
    assert tag(source, "-o", mine, model="rules") == 0  # now jkn-ie's own: replaced freely


def test_resume_refuses_an_output_that_is_not_jsonl(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    out = tmp_path / "out.jsonl"
    tagged(capsys, source, "-o", out)
    out.write_text("catatan saya\nbaris kedua\n", encoding="utf-8")  # replaced by hand
    assert tag(source, "-o", out, "--resume") == 2
    refused(capsys, "cannot resume", "line 1 is not a jkn-ie record")
    assert out.read_text(encoding="utf-8") == "catatan saya\nbaris kedua\n"


def test_resume_refuses_an_output_without_a_manifest_unless_forced(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "x", "text": "lain"}\n', encoding="utf-8")
    assert tag(source, "-o", out, "--resume") == 2
    refused(capsys, "cannot resume", "out.jsonl.manifest.json")
    tagged(capsys, source, "-o", out, "--resume", "--force")
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["x", "a"]


def test_resume_refuses_an_output_of_other_inputs(tmp_path, capsys):
    first, second = article(tmp_path / "a" / "a.txt"), article(tmp_path / "b" / "b.txt")
    out = tmp_path / "out.jsonl"
    tagged(capsys, first.parent, "-o", out)
    before = out.read_bytes()
    assert tag(second.parent, "-o", out, "--resume") == 2
    refused(capsys, "cannot resume", "other inputs", "out.jsonl.manifest.json")
    assert out.read_bytes() == before
    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"] == [str(first.parent)]
    assert manifest["written_by"] == "jkn-ie tag" and manifest["format"] == "jsonl"
    # The same inputs, spelt another way, resume.
    tagged(capsys, f"{first.parent}/", "-o", out, "--resume")
    assert out.read_bytes() == before


def test_a_missing_output_folder_is_named_before_the_model_loads(tmp_path, capsys):
    source = article(tmp_path / "a.txt")
    assert tag(source, "-o", tmp_path / "hilang" / "out.jsonl") == 2
    refused(capsys, f"the output folder {tmp_path / 'hilang'} does not exist", "mkdir -p")


def test_a_folder_as_output_is_named_before_the_model_loads(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    (tmp_path / "out").mkdir()
    assert tag(source, "-o", tmp_path / "out") == 2
    refused(capsys, f"{tmp_path / 'out'} is a folder", "give a file name")


def test_a_read_only_output_folder_is_named_before_the_model_loads(tmp_path, capsys,
                                                                    monkeypatch):
    source = article(tmp_path / "in" / "a.txt")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: play a read-only file system
        access = os.access
        monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != locked
                            and access(path, mode))
    assert tag(source, "-o", locked / "out.jsonl") == 2
    refused(capsys, f"cannot create files in {locked}", "choose another -o")
    assert not list(locked.iterdir())


def test_format_is_case_insensitive_and_an_unknown_suffix_is_refused(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    tagged(capsys, source, "-o", tmp_path / "facts.txt", "--format", "CSV")
    assert (tmp_path / "facts.txt").read_text(encoding="utf-8").startswith("doc_id,value,")
    capsys.readouterr()
    assert tag(source, "-o", tmp_path / "x.xlsx") == 2
    refused(capsys, "x.xlsx", ".jsonl", ".csv", ".html", "--format")
    assert not (tmp_path / "x.xlsx").exists()


def test_resume_refuses_another_format(tmp_path, capsys):
    source = article(tmp_path / "in" / "a.txt")
    out = tmp_path / "out.csv"
    tagged(capsys, source, "-o", out, "--format", "jsonl")
    assert tag(source, "-o", out, "--resume") == 2
    refused(capsys, "cannot resume", "written as jsonl", "--format jsonl")


def test_prepare_output_writes_nothing(tmp_path):
    source = article(tmp_path / "in" / "a.txt")
    plan = engine.prepare_output(tmp_path / "facts.csv", "csv", [source])
    assert plan.files.written() == [tmp_path / "facts.csv", tmp_path / "facts.csv.records.jsonl",
                                    tmp_path / "facts.errors.csv",
                                    tmp_path / "facts.csv.manifest.json"]
    assert (plan.manifest["inputs_count"], plan.manifest["inputs"]) == (1, [str(source)])
    assert len(plan.manifest["inputs_sha256"]) == 64
    unnamed = engine.prepare_output(tmp_path / "api.jsonl", "jsonl")  # an API call: no inputs
    assert [unnamed.manifest[key] for key in ("inputs_sha256", "inputs_count", "inputs")] == \
        [None, None, None]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_model_file_that_cannot_be_read_is_named_not_called_a_write_failure(tmp_path, capsys,
                                                                               monkeypatch):
    import pipeline.api

    def unreadable(model: str | None) -> None:
        raise PermissionError(13, "Permission denied", "/models/x/model.safetensors")

    monkeypatch.setattr(pipeline.api, "load_extractor", unreadable)
    assert tag(article(tmp_path / "a.txt"), "-o", tmp_path / "out.jsonl") == 2
    assert capsys.readouterr().err == \
        "jkn-ie tag: [Errno 13] Permission denied: '/models/x/model.safetensors'\n"


def test_an_output_that_cannot_be_written_is_named(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out.jsonl"

    def disk_full(plan: engine.OutputPlan) -> None:
        raise OSError(28, "No space left on device", str(out))

    monkeypatch.setattr(engine, "open_output", disk_full)
    assert tag(article(tmp_path / "a.txt"), "-o", out, model="rules") == 2
    assert capsys.readouterr().err == f"jkn-ie tag: cannot write {out}: No space left on device\n"


@pytest.mark.parametrize("fmt", ["csv", "html"])
def test_every_input_failed_exits_2_naming_the_files(tmp_path, capsys, fmt):
    empty = article(tmp_path / "in" / "kosong.txt", "")
    assert tag(empty, "-o", tmp_path / f"out.{fmt}", model="rules") == 2
    err = capsys.readouterr().err
    assert "0 documents tagged, 1 error" in err
    assert f"{empty}: empty file" in err and "nothing was tagged" in err
