import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.document import Document, read_jsonl, write_jsonl

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "annotations" / "seeds.jsonl"


def test_validate_accepts_the_committed_gold(capsys):
    assert main(["validate", str(SEEDS), str(ROOT / "annotations" / "authored.jsonl")]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == "2 file(s), 0 problem(s)"
    assert err == ""


def test_python_dash_m_pipeline_validate_seeds():
    done = subprocess.run([sys.executable, "-m", "pipeline", "validate", "annotations/seeds.jsonl"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "0 problem(s)" in done.stdout


def test_validate_reports_a_broken_offset_with_line_and_reason(tmp_path, capsys):
    lines = SEEDS.read_text(encoding="utf-8").splitlines()
    doc = json.loads(lines[2])
    doc["entities"][0]["end"] = len(doc["text"]) + 1
    lines[2] = json.dumps(doc, ensure_ascii=False)
    broken = tmp_path / "seeds.jsonl"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert main(["validate", str(broken)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{broken}:3: {doc['id']}: entity {doc['entities'][0]['id']}: offsets "
        f"{doc['entities'][0]['start']}-{len(doc['text']) + 1} outside the text "
        f"(length {len(doc['text'])})"]
    assert out.strip() == "1 file(s), 1 problem(s)"


def test_validate_counts_problems_across_files_and_a_missing_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n\n[]\n", encoding="utf-8")
    assert main(["validate", str(SEEDS), str(bad), str(tmp_path / "missing.jsonl")]) == 1
    out, err = capsys.readouterr()
    assert [line.split(": ")[0] for line in err.splitlines()] == [
        f"{bad}:1", f"{bad}:3", f"{tmp_path / 'missing.jsonl'}:0"]
    assert out.strip() == "3 file(s), 3 problem(s)"


def test_validate_needs_a_file():
    with pytest.raises(SystemExit):
        main(["validate"])


MARKUP = "---\nid: {id}\n---\nDi [[Kaltim]]{{REGION #r}} [[5 persen]]{{PERCENT metric=other " \
         "region=r}}\n"


def test_markup_builds_a_valid_jsonl(tmp_path, capsys):
    folder = tmp_path / "src"
    folder.mkdir()
    for name in ("b", "a"):
        (folder / f"{name}.txt").write_text(MARKUP.format(id=name), encoding="utf-8")
    out_path = tmp_path / "gold.jsonl"

    assert main(["markup", str(folder), "-o", str(out_path)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 2 document(s) to {out_path}"
    docs = read_jsonl(out_path)
    assert [d.id for d in docs] == ["a", "b"]
    assert docs[0].facts[0].region_norm == "Kalimantan Timur"
    assert main(["validate", str(out_path)]) == 0


def test_markup_error_exits_1_naming_the_file(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text(MARKUP.format(id="x").replace("metric=other ", ""), encoding="utf-8")
    out_path = tmp_path / "gold.jsonl"

    assert main(["markup", str(source), "-o", str(out_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {source}: ")
    assert "a PERCENT needs metric=" in err
    assert not out_path.exists()


def test_markup_needs_an_output(tmp_path):
    with pytest.raises(SystemExit):
        main(["markup", str(tmp_path)])


def test_version_comes_from_the_package_metadata(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"jkn-ie {version('jkn-ie')}"


# Options of other commands still without help text: remove an entry once it has some.
HELP_MISSING: set[tuple[str, str]] = set()


def test_every_subcommand_and_option_has_help_text():
    import argparse

    from pipeline.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert all(action.help for action in commands._choices_actions)
    missing = set()
    for name, command in commands.choices.items():
        for action in command._actions:
            if not action.help:
                missing.add((name, (action.option_strings or [action.dest])[-1]))
    assert missing <= HELP_MISSING
    tag = commands.choices["tag"]
    assert "exit status: 0" in tag.format_help()
    assert next(a for a in tag._actions if a.dest == "engine").help


def test_tag_with_a_transformer_prints_no_progress_bar(tmp_path):
    # The bundled model adds no learned spans and never loads its network, so a copy that
    # adds every label's spans makes the weights load.
    model = tmp_path / "model"
    shutil.copytree(ROOT / "models" / "default", model)
    meta = json.loads((model / "ner_meta.json").read_text(encoding="utf-8"))
    meta["added_labels"] = ["REGION", "OFFICIAL", "PERCENT", "DATE"]
    (model / "ner_meta.json").write_text(json.dumps(meta), encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Cakupan UHC di Kalimantan Tengah mencapai 98,12 persen.", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pipeline", "tag", str(article), "-o",
                           str(tmp_path / "out.jsonl"), "--model", str(model)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Loading weights" not in done.stderr
    assert done.stderr.startswith("1 document tagged, 0 errors; 8 words in ")


@pytest.mark.parametrize("command", ["report", "dataset", "export", "import", "rank"])
def test_no_command_writes_over_its_input_even_through_a_link(tmp_path, capsys, command):
    source = tmp_path / "in.jsonl"
    write_jsonl([Document("a", "Cakupan UHC Kaltim mencapai 98 persen.")], source)
    before = source.read_bytes()
    link = tmp_path / "out.jsonl"
    link.symlink_to(source)
    assert main([command, str(source), "-o", str(link)]) == 2
    assert f"{link} is an input ({source})" in capsys.readouterr().err
    assert source.read_bytes() == before


def test_rank_refuses_an_output_inside_its_input_folder_not_yet_written(tmp_path, capsys):
    folder = tmp_path / "berita"
    folder.mkdir()
    (folder / "a.txt").write_text("Cakupan UHC Kaltim mencapai 98 persen.", encoding="utf-8")
    alias = tmp_path / "tautan"
    alias.symlink_to(folder)  # the queue would be a new file in the folder being ranked
    assert main(["rank", str(folder), "-o", str(alias / "antrian.jsonl")]) == 2
    assert "inside the input folder" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["a.txt"]


def test_export_leaves_out_a_repeated_document_id_within_and_across_inputs(tmp_path, capsys):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_jsonl([Document("x", "Kaltim satu"), Document("y", "Riau dua"),
                 Document("x", "Aceh tiga")], first)
    write_jsonl([Document("y", "Bali empat"), Document("z", "Jambi lima")], second)
    out = tmp_path / "tasks.json"
    assert main(["export", str(first), str(second), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{first}:3: duplicate document id 'x' (first at {first}:1); left out" in err
    assert f"{second}:1: duplicate document id 'y' (first at {first}:2); left out" in err
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["data"]["id"], t["data"]["text"]) for t in tasks] == \
        [("x", "Kaltim satu"), ("y", "Riau dua"), ("z", "Jambi lima")]
