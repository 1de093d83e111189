"""Signals and children, on real builds: SIGTERM stops like Ctrl-C, kill -9 leaves no worker
behind, --jobs is capped by the cores. Linux (/proc) only, like the tool's PDEATHSIG."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiobook.audio.executor import max_jobs

pytestmark = [
    pytest.mark.processes,
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc"),
]

LONG = "\n\n".join(
    f"Paragraph {n} tells how the wagon went on past the {n} grey hills." for n in range(80)
)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] != "Z":  # a zombie is already dead, only not yet reaped
                tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    still = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if state[state.rindex(")") + 2] != "Z":
            still.add(pid)
    return still


def start_build(tmp_path: Path, *extra) -> tuple[subprocess.Popen, list]:
    (tmp_path / "long.txt").write_text(LONG)
    args = [
        sys.executable,
        "-m",
        "audiobook",
        "build",
        tmp_path / "long.txt",
        "-o",
        tmp_path / "out",
        "--cache-dir",
        tmp_path / "cache",
        "--quiet",
        *extra,
    ]
    args = list(map(str, args))
    proc = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return proc, args


def wait_for_workers(proc: subprocess.Popen, tmp_path: Path, workers: int) -> set[int]:
    """Descendants once ``workers`` speech workers run and some clips are cached."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        found = descendants(proc.pid)
        cached = len(list((tmp_path / "cache").rglob("*.flac")))
        if len(found) >= 2 * workers and cached >= 3:
            return found
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the build never started its workers")


@pytest.fixture
def reaper():
    """Whatever a failing test leaves running is killed (by its own session id)."""
    started: list[subprocess.Popen] = []
    yield started
    for proc in started:
        for pid in descendants(proc.pid) | {proc.pid}:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def test_kill_9_of_the_build_leaves_no_worker_running(tmp_path, reaper):
    proc, _ = start_build(tmp_path, "--jobs", "2")
    reaper.append(proc)
    family = wait_for_workers(proc, tmp_path, 2)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
    proc.wait(timeout=10)
    assert gone_within(family, 10) == set()


@pytest.mark.parametrize("target", ["main process", "process group"])
def test_sigterm_stops_like_ctrl_c_with_an_error_line(tmp_path, reaper, target):
    proc, args = start_build(tmp_path, "--jobs", "2")
    reaper.append(proc)
    family = wait_for_workers(proc, tmp_path, 2)
    if target == "main process":
        os.kill(proc.pid, signal.SIGTERM)  # `kill PID`
    else:
        os.killpg(proc.pid, signal.SIGTERM)  # systemd stop, CI cancel
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "SIGTERM" in lines[0], err
    assert gone_within(family, 10) == set()
    out = tmp_path / "out"
    assert not [p for p in out.iterdir() if ".partial-" in p.name or p.suffix == ".mp3"]
    resumed = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert (out / manifest["chapters"][0]["file"]).is_file()


def test_jobs_beyond_the_cores_are_capped_with_a_warning(tmp_path, reaper):
    proc, _ = start_build(tmp_path, "--jobs", "48")
    reaper.append(proc)
    most = 0
    while proc.poll() is None:
        most = max(most, len(descendants(proc.pid)))
        time.sleep(0.05)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"Warning: --jobs 48 is more than this machine can use; using {max_jobs()}" in err
    # A worker, its espeak process and the clip it is forking, plus an encoder or two.
    assert 0 < most <= 3 * max_jobs() + 2, most
