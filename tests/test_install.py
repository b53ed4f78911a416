"""A wheel built from a clone carries the bundled model and tags from any folder.

The wheel is built offline (no build isolation, no index) from a copy of the files a clone
has, so the test neither writes build/ into the working tree nor reaches the network.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MODEL = REPO / "models" / "default"

TAG = """
import json, pipeline
from pipeline.api import DEFAULT_MODEL, load_extractor
from pipeline.document import Document
text = "Cakupan kepesertaan JKN di Kalimantan Timur mencapai 98,5 persen."
doc = load_extractor().predict_batch([Document(id="a", text=text)])[0]
print(json.dumps({"package": pipeline.__file__, "model": str(DEFAULT_MODEL),
                  "entities": [[doc.mention(e), e.label] for e in doc.entities]}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip wheel .` builds from a fresh copy of the project's files."""
    src = tmp_path_factory.mktemp("clone")
    for name in ("pyproject.toml", "MANIFEST.in", "README.md"):
        shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "pipeline", src / "pipeline", ignore=ignore)
    shutil.copytree(MODEL, src / "models" / "default", ignore=ignore)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-index",
                    "--no-build-isolation", "-q", "-w", str(out)], check=True, timeout=300)
    (built,) = out.glob("jkn_ie-*.whl")
    return built


def test_the_wheel_carries_every_module_and_the_bundled_model(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    model = {f"pipeline/_model/{f.name}" for f in MODEL.iterdir() if f.is_file()}
    assert {"pipeline/_model/model.safetensors", "pipeline/_model/tokenizer.json",
            "pipeline/_model/ner_meta.json", "pipeline/_model/README.md"} <= model
    assert model <= names
    # pyproject.toml lists the packages by hand (to map the model in): none may be missed.
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "pipeline").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules - names == set()


def test_the_installed_wheel_tags_from_another_folder(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--target", str(target), str(wheel)], check=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    run = subprocess.run([sys.executable, "-c", TAG], cwd=elsewhere, env=env, timeout=300,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(result["package"]).is_relative_to(target)  # not the checkout
    assert Path(result["model"]) == target / "pipeline" / "_model"
    assert ["98,5 persen", "PERCENT"] in result["entities"]


def test_the_readme_links_only_files_a_clone_has():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)[^)]*\)", readme)
    local = [t for t in targets if "://" not in t and not t.startswith("mailto:")]
    assert "annotations/README.md" in local
    assert [t for t in local if not (REPO / t).exists()] == []
