"""What a one-paragraph rebuild loads: only what it uses (real espeak-ng and ffmpeg, the CLI
as a real process, the modules it imported read from its own sys.modules at exit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.audio.engines import PLUGINS_ENV

ROOT = Path(__file__).parent.parent
STORY = (
    "Chapter 1\n\nThe rain fell all night on the roofs of the town.\n\n"
    '"Who is there?" asked Anna.\n\n'
    "Chapter 2\n\nIn the morning the road was dry and the sky was clear.\n"
)
# The CLI run as `python -m audiobook` runs it, then the top-level packages it imported.
RUN_AND_LIST = (
    "import runpy, sys\n"
    "try:\n"
    "    runpy.run_module('audiobook', run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    "    print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
)


def build_listing(*args) -> tuple[subprocess.CompletedProcess, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + RUN_AND_LIST, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        # Without the tests' fake engine plugin, which imports numpy itself.
        env={k: v for k, v in os.environ.items() if k != PLUGINS_ENV}
        | {"PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr
    return done, set(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.slow
def test_an_edit_rebuild_loads_neither_numpy_nor_lingua(tmp_path):
    story, out, cache = tmp_path / "story.txt", tmp_path / "out", tmp_path / "cache"
    story.write_text(STORY, encoding="utf-8")
    build = ("build", story, "-o", out, "--cache-dir", cache, "-q")
    _, cold = build_listing(*build)
    story.write_text(STORY.replace("town.", "town. The lamp glowed red."), encoding="utf-8")
    _, edit = build_listing(*build)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    said = [s["text"] for c in manifest["chapters"] for s in c["segments"]]
    assert any("The lamp glowed red." in t for t in said)  # the edit was rendered and encoded
    assert "audiobook" in edit and "typer" in edit  # the listing is of a real build
    assert not edit & {"numpy", "soundfile", "lingua"}, edit & {"numpy", "soundfile", "lingua"}
