"""The round trip through a real Label Studio (scripts/labelstudio_roundtrip.py), when one is
installed: `LABEL_STUDIO_BIN`, or `label-studio` on PATH (`make labelstudio-check` makes
one). Skipped otherwise, as in CI: the package is big and starting it takes a minute."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABEL_STUDIO = os.environ.get("LABEL_STUDIO_BIN") or shutil.which("label-studio")


@pytest.mark.skipif(not LABEL_STUDIO, reason="Label Studio is not installed "
                                             "(set LABEL_STUDIO_BIN or run make labelstudio-check)")
def test_round_trip_through_a_real_label_studio():
    done = subprocess.run([sys.executable, "scripts/labelstudio_roundtrip.py",
                           "--label-studio", str(LABEL_STUDIO)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASSED" in done.stdout
