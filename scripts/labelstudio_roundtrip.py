"""Round trip through a real Label Studio: the check that the config and the task format
work in the tool annotators use, not only in our own tests.

    python scripts/labelstudio_roundtrip.py [--label-studio PATH/TO/label-studio]

(`make labelstudio-check` installs Label Studio into its own venv and runs this.) It starts
Label Studio on 127.0.0.1 with a throw-away data folder, a user and an API token; creates
a project with configs/labelstudio.xml; imports the gold documents as annotated tasks and
the bundled model's output on seeds/ as predicted tasks through the HTTP API; opens a
predicted task's labeling page in headless Chromium when there is one (spans drawn, a
PERCENT's fact controls shown); submits one annotation (a corrected metric) and skips one
task as an annotator would; exports the
project; runs `jkn-ie import` on the export; checks that the gold comes back unchanged,
the correction arrives, the skipped task stays out, and the predictions come back as
tagged; and stops the server. Exit status 0 when every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = [ROOT / "annotations" / "seeds.jsonl", ROOT / "annotations" / "authored.jsonl"]
CONFIG = ROOT / "configs" / "labelstudio.xml"
USER, PASSWORD, TOKEN = "jkn-ie@example.com", "jkn-ie-check-1", "jknie0check0token0123456"


class CheckFailed(Exception):
    """A check that did not pass; the message says which and how."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabelStudio:
    """A Label Studio server for the length of a `with` block."""

    def __init__(self, executable: str, data_dir: Path, port: int) -> None:
        self.executable, self.data_dir, self.port = executable, data_dir, port
        self.url = f"http://127.0.0.1:{port}"
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LabelStudio:
        env = {**os.environ,
               "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir),
               "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
               "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
               "LABEL_STUDIO_USERNAME": USER, "LABEL_STUDIO_PASSWORD": PASSWORD,
               "LABEL_STUDIO_USER_TOKEN": TOKEN}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [self.executable, "start", "--no-browser", "--internal-host", "127.0.0.1",
                 "--port", str(self.port), "--data-dir", str(self.data_dir),
                 "--username", USER, "--password", PASSWORD, "--user-token", TOKEN,
                 "--enable-legacy-api-token"],  # the token above, for the HTTP API
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait(self, timeout: float) -> float:
        """Seconds until /health answers; raises CheckFailed when it never does."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process is not None and self.process.poll() is not None:
                raise CheckFailed(f"Label Studio exited ({self.process.returncode}); log:\n"
                                  + self.log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        return time.monotonic() - start
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        raise CheckFailed(f"Label Studio did not answer within {timeout:.0f} s")

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as err:
            raise CheckFailed(f"{method} {path}: HTTP {err.code}: "
                              f"{err.read().decode(errors='replace')[:2000]}") from err
        return json.loads(raw) if raw else None

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: only its children
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def jkn_ie(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def step(message: str) -> None:
    print(message, flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    step(f"  ok: {message}")


def _stripped(doc: dict[str, Any]) -> dict[str, Any]:
    """A tagged document without what gold does not carry (scores, warnings, fact codes)."""
    drop = {"score", "warnings", "region_code"}
    return {"id": doc["id"], "text": doc["text"],
            "entities": [{k: v for k, v in e.items() if k not in drop} for e in doc["entities"]],
            "facts": [{k: v for k, v in f.items() if k not in drop} for f in doc["facts"]]}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def browser_check(chromium: str | None, server: LabelStudio, project: int, task: int,
                  predicted: dict[str, Any], screenshot: Path) -> None:
    """The labeling page of one predicted task, as labelstudio_browser.py checks it."""
    if not chromium:
        step("   no Chromium: the labeling page is not checked (pass --chromium)")
        return
    from labelstudio_browser import BrowserCheckFailed, check_labeling_page

    result = predicted["predictions"][0]["result"]
    spans = [r for r in result if r.get("from_name") == "label"]
    metric = next(r["value"] for r in result if r.get("from_name") == "metric")
    region = next(r["value"]["text"] for r in spans if r["value"]["labels"] == ["REGION"])
    try:
        seen = check_labeling_page(chromium, server.url, USER, PASSWORD,
                                   f"/projects/{project}/data?task={task}", len(spans),
                                   (metric["text"], metric["choices"][0]), region, screenshot)
    except BrowserCheckFailed as err:
        raise CheckFailed(f"labeling page: {err}") from err
    for line in seen:
        step(f"  ok: {line}")


def run_check(executable: str, work: Path, timeout: float, chromium: str | None) -> None:
    gold_tasks, pred_tasks = work / "gold_tasks.json", work / "pred_tasks.json"
    tagged = work / "tagged.jsonl"
    step("1. jkn-ie: gold → annotated tasks; seeds/ tagged → predicted tasks")
    for args in (("export", "--format", "labelstudio", "--as-annotations",
                  *map(str, GOLD), "-o", str(gold_tasks)),
                 ("tag", "seeds/", "-o", str(tagged)),
                 ("export", "--format", "labelstudio", str(tagged), "-o", str(pred_tasks))):
        done = jkn_ie(*args)
        if done.returncode != 0:
            raise CheckFailed(f"jkn-ie {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        step(f"   {(done.stdout + done.stderr).strip().splitlines()[-1]}")

    data_dir = work / "labelstudio-data"
    data_dir.mkdir()
    with LabelStudio(executable, data_dir, free_port()) as server:
        seconds = server.wait(timeout)
        version = server.call("GET", "/api/version")
        step(f"2. Label Studio {version.get('release', version)} up on {server.url} "
             f"after {seconds:.0f} s")
        config = CONFIG.read_text(encoding="utf-8")
        server.call("POST", "/api/projects/validate", {"label_config": config})
        project = server.call("POST", "/api/projects",
                              {"title": "jkn-ie round trip", "label_config": config})
        expect(project.get("id") is not None,
               f"project {project.get('id')} created with {CONFIG.relative_to(ROOT)}, unedited")

        gold = json.loads(gold_tasks.read_text(encoding="utf-8"))
        predicted = json.loads(pred_tasks.read_text(encoding="utf-8"))
        pid = project["id"]
        done = server.call("POST", f"/api/projects/{pid}/import?return_task_ids=true",
                           gold + predicted)
        expect(done.get("task_count") == len(gold) + len(predicted)
               and done.get("annotation_count") == len(gold)
               and done.get("prediction_count") == len(predicted),
               f"imported {done.get('task_count')} tasks through the API "
               f"({done.get('annotation_count')} annotations, "
               f"{done.get('prediction_count')} predictions)")
        pred_ids = done["task_ids"][len(gold):]
        step("3. the labeling page of a predicted task in headless Chromium")
        browser_check(chromium, server, pid, pred_ids[0], predicted[0], work / "labeling.png")

        step("4. an annotator corrects one predicted task and skips another")
        result = json.loads(json.dumps(predicted[0]["predictions"][0]["result"]))
        metric = next(r for r in result if r.get("from_name") == "metric")
        corrected = "other" if metric["value"]["choices"] != ["other"] else "coverage"
        metric["value"]["choices"] = [corrected]
        metric.pop("score", None)
        server.call("POST", f"/api/tasks/{pred_ids[0]}/annotations",
                    {"result": result, "was_cancelled": False})
        server.call("POST", f"/api/tasks/{pred_ids[1]}/annotations",
                    {"result": [], "was_cancelled": True})

        step("5. export the project (JSON snapshot with full predictions)")
        snapshot = server.call("POST", f"/api/projects/{pid}/exports/", {
            "title": "round trip",
            "serialization_options": {"predictions": {"only_id": False}},
            "annotation_filter_options": {"usual": True, "ground_truth": True,
                                          "skipped": True}})
        for _ in range(120):
            state = server.call("GET", f"/api/projects/{pid}/exports/{snapshot['id']}")
            if state.get("status") == "completed":
                break
            if state.get("status") == "failed":
                raise CheckFailed(f"export failed: {state}")
            time.sleep(1)
        else:  # never completed: downloading now would check a partial or missing file
            raise CheckFailed(f"export not completed after 120 s: {state}")
        request = urllib.request.Request(
            f"{server.url}/api/projects/{pid}/exports/{snapshot['id']}/download?exportType=JSON",
            headers={"Authorization": f"Token {TOKEN}"})
        with urllib.request.urlopen(request, timeout=300) as answer:
            export = work / "export.json"
            export.write_bytes(answer.read())
        tasks = json.loads(export.read_text(encoding="utf-8"))
        expect(len(tasks) == len(gold) + len(predicted),
               f"exported {len(tasks)} tasks to {export.name}")
    step("   Label Studio stopped")

    step("6. jkn-ie import of the export")
    imported, everything = work / "gold.jsonl", work / "all.jsonl"
    done = jkn_ie("import", "--format", "labelstudio", str(export), "-o", str(imported))
    step(f"   {done.stdout.strip()}")
    expect(done.returncode == 0, "jkn-ie import: exit status 0, no task failed")
    got = {doc["id"]: doc for doc in read_jsonl(imported)}
    want = [doc for path in GOLD for doc in read_jsonl(path)]
    expect(all(got.get(doc["id"]) == doc for doc in want),
           f"all {len(want)} gold documents came back identical (entities, norms, codes, facts)")
    tagged_docs = read_jsonl(tagged)
    wanted = _stripped(tagged_docs[0])
    span = (metric["value"]["start"], metric["value"]["end"])
    percent = next(e["id"] for e in wanted["entities"] if (e["start"], e["end"]) == span)
    for fact in wanted["facts"]:
        if fact["percent"] == percent:
            fact["metric"] = corrected
    changed = got.get(tagged_docs[0]["id"])
    expect(changed is not None and _stripped(changed) == wanted,
           f"the annotator's correction arrived ({tagged_docs[0]['id']}: "
           f"{metric['value']['text']!r} → {corrected}, the rest as predicted)")
    expect(tagged_docs[1]["id"] not in got and f"{tagged_docs[1]['id']}): skipped" in
           done.stderr, f"the skipped task ({tagged_docs[1]['id']}) is named and left out")
    expect(len(got) == len(want) + 1,
           f"the {len(predicted) - 2} untouched predicted tasks are named and left out")

    done = jkn_ie("import", "--from-predictions", str(export), "-o", str(everything))
    step(f"   with --from-predictions: {done.stdout.strip()}")
    back = {doc["id"]: doc for doc in read_jsonl(everything)}
    untouched = tagged_docs[2:]
    expect(done.returncode == 0 and all(
        _stripped(back[doc["id"]]) == _stripped(doc) and back[doc["id"]]["meta"].get(
            "from_predictions") for doc in untouched),
        f"the {len(untouched)} untouched predicted tasks come back as tagged "
        "(entities, norms, facts; marked meta.from_predictions)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label-studio", default=os.environ.get("LABEL_STUDIO_BIN")
                        or shutil.which("label-studio"),
                        help="the label-studio executable (default: $LABEL_STUDIO_BIN, "
                             "else label-studio on PATH)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds to wait for the server to start")
    parser.add_argument("--chromium", default=shutil.which("chromium")
                        or shutil.which("chromium-browser") or shutil.which("google-chrome"),
                        help="headless Chromium for the labeling-page check (default: on PATH; "
                             "without one the check is left out and says so)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder (tasks, export, server log)")
    args = parser.parse_args(argv)
    if not args.label_studio:
        print("label-studio not found: pass --label-studio or `make labelstudio-check`",
              file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="jkn-ie-labelstudio-"))
    started = time.monotonic()
    try:
        run_check(args.label_studio, work, args.timeout, args.chromium)
    except CheckFailed as err:
        print(f"FAILED: {err}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"PASSED in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
