"""Builds through a real local Dask cluster: same bytes as local, faults survived or reported.

The cluster is a scheduler and two single-thread worker processes on 127.0.0.1
(tests/dask_cluster.py); the clip cache is a folder every worker reaches, as the
shared storage of a real cluster would be.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from dask_cluster import Cluster  # noqa: E402
from distributed import get_task_stream  # noqa: E402

from audiobook.audio.executor import DaskExecutor, open_executor  # noqa: E402
from audiobook.build import BuildOptions, build_book  # noqa: E402
from audiobook.errors import ClusterError  # noqa: E402
from audiobook.pipeline import prepare  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.processes]
SEEDS = Path(__file__).parent.parent / "seeds"
SHELF = Path(__file__).parent / "data" / "shelf"
TIMEOUT = 300  # seconds for any one build in a subprocess


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask")).start(workers=2)
    yield running
    running.stop()


@pytest.fixture
def own_cluster(tmp_path):
    """A cluster a test may break (kill a worker or the scheduler)."""
    running = Cluster(tmp_path / "dask")
    running.folder.mkdir()
    yield running.start(workers=2)
    running.stop()


@pytest.fixture(scope="module")
def local_seeds(tmp_path_factory) -> Path:
    """The seeds built on this machine alone: what every cluster build must equal."""
    out = tmp_path_factory.mktemp("local") / "out"
    cache = out.parent / "cache"
    build_book(prepare([SEEDS]), BuildOptions(outdir=out, cache_dir=cache, jobs=2))
    return out


def _same_output(a: Path, b: Path) -> None:
    files = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    assert files == sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    for name in files:
        if name == "manifest.json":
            assert _manifest(a / name) == _manifest(b / name)
        elif (a / name).is_file():
            assert (a / name).read_bytes() == (b / name).read_bytes(), name
        else:
            _same_output(a / name, b / name)


def _manifest(path: Path) -> dict:
    return _without_stat(json.loads(path.read_text()))


def _without_stat(data):
    """A file's size and mtime as written: the only thing allowed to differ."""
    if isinstance(data, dict):
        return {k: _without_stat(v) for k, v in data.items() if k != "stat"}
    if isinstance(data, list):
        return [_without_stat(v) for v in data]
    return data


def _task_names(stream) -> set[str]:
    return {str(t["key"]).split("-")[0] for t in stream.data}


def test_seeds_built_on_the_cluster_are_byte_identical_to_local(cluster, local_seeds, tmp_path):
    executor = open_executor(cluster.url, 1)
    try:
        assert executor.remote and executor.workers == 2
        with get_task_stream(executor.client) as stream:
            options = BuildOptions(tmp_path / "out", cache_dir=tmp_path / "cache")
            options.executor = executor
            result = build_book(prepare([SEEDS]), options)
    finally:
        executor.close()
    assert result.cache_misses > 0 and result.cache_hits == 0  # every clip came from a worker
    assert _task_names(stream) == {"_render_batch", "_bytes_of"}
    assert len({t["worker"] for t in stream.data}) == 2  # both workers took a share
    _same_output(local_seeds, tmp_path / "out")


def test_catalogue_through_the_cluster_equals_the_local_catalogue(cluster, tmp_path):
    shelf = tmp_path / "shelf"
    shutil.copytree(SHELF, shelf)
    runs = {}
    for where in ("local", cluster.url):
        library = tmp_path / ("lib-local" if where == "local" else "lib-dask")
        run = subprocess.run(
            [sys.executable, "-m", "audiobook", "catalogue", str(shelf), "-o", str(library)]
            + ["--cache-dir", str(library) + "-cache", "--executor", where, "-q", "-j", "2"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert run.returncode == 0, run.stderr
        runs[where] = library
    _same_library(runs["local"], runs[cluster.url])
    report = json.loads((runs[cluster.url] / "catalogue.json").read_text())
    assert report["executor"] == cluster.url and report["totals"]["built"] == 4


def _same_library(a: Path, b: Path) -> None:
    for path in sorted(a.rglob("*")):
        rel = path.relative_to(a)
        if path.is_dir() or path.name.startswith(".") or rel.name == "catalogue.json":
            continue
        if path.name == "manifest.json":
            assert _manifest(path) == _manifest(b / rel)
        else:
            assert path.read_bytes() == (b / rel).read_bytes(), rel


def test_a_worker_killed_mid_build_is_retried_elsewhere(own_cluster, local_seeds, tmp_path):
    executor = open_executor(own_cluster.url, 1)
    assert isinstance(executor, DaskExecutor)
    victim = own_cluster.workers[0]
    killed = threading.Event()

    def kill_when_busy():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed.is_set():
            busy = {w for w, tasks in executor.client.processing().items() if tasks}
            if len(busy) == 2:  # both workers hold a task: the victim dies mid-task
                own_cluster.kill(victim)
                killed.set()
                return
            time.sleep(0.02)

    watcher = threading.Thread(target=kill_when_busy, daemon=True)
    try:
        options = BuildOptions(tmp_path / "out", cache_dir=tmp_path / "cache")
        options.executor = executor
        watcher.start()
        build_book(prepare([SEEDS]), options)
        watcher.join(timeout=5)
        assert killed.is_set(), "the build ended before a worker could be killed"
        assert len(executor.client.nthreads()) == 1  # the scheduler saw it go
    finally:
        killed.set()
        executor.close()
    _same_output(local_seeds, tmp_path / "out")


def test_a_lost_scheduler_is_one_error_and_finished_clips_stay(own_cluster, tmp_path):
    cache = tmp_path / "cache"
    book = Path(__file__).parent / "data" / "manuscript" / "great_expectations_opening.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "audiobook", "build", str(book), "-o", str(tmp_path / "out")]
        + ["--cache-dir", str(cache), "--executor", own_cluster.url, "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not list(cache.glob("clips/*/*.json")) and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        assert own_cluster.scheduler is not None
        own_cluster.kill(own_cluster.scheduler)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: lost the Dask scheduler"), stderr
    assert list(cache.glob("clips/*/*.json"))  # what the workers finished is in the cache
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at dask://127"):
        DaskExecutor(f"dask://127.0.0.1:{port}", timeout=1)
    # How soon it gives up against the timeout asked for: bench/bench_unreachable.py.
