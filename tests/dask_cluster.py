"""A real Dask cluster for tests: a scheduler and worker processes on 127.0.0.1 only.

Started with Dask's own command-line entry points, each a process of its own, so a
test can kill a worker or the scheduler the way a machine would fail. Every wait is
bounded; ``stop`` ends exactly the processes it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

START_SECONDS = 60  # a loaded 2-core machine starts a scheduler in a few seconds


@dataclass
class Cluster:
    folder: Path
    scheduler: subprocess.Popen | None = None
    workers: list[subprocess.Popen] = field(default_factory=list)
    address: str = ""  # tcp://127.0.0.1:PORT

    @property
    def url(self) -> str:
        return "dask://" + self.address.removeprefix("tcp://")

    def start(self, workers: int = 2) -> Cluster:
        spec = self.folder / "scheduler.json"
        self.scheduler = self._spawn(
            "dask_scheduler",
            ["--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0"],
            spec,
            "scheduler",
        )
        deadline = time.monotonic() + START_SECONDS
        while not (spec.is_file() and spec.stat().st_size):
            self._alive_or_fail(deadline)
        self.address = json.loads(spec.read_text())["address"]
        for n in range(workers):
            self.workers.append(
                self._spawn(
                    "dask_worker",
                    ["--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"]
                    + ["--dashboard-address", "127.0.0.1:0", "--name", f"w{n}"]
                    + ["--death-timeout", "30"],
                    spec,
                    f"worker{n}",
                )
            )
        self.wait_for_workers(workers, deadline)
        return self

    def wait_for_workers(self, count: int, deadline: float) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_SECONDS) as client:
            client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))

    def kill(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, self.scheduler]:
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(proc)

    def _spawn(self, module: str, args: list[str], spec: Path, name: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(
            [sys.executable, "-m", f"distributed.cli.{module}", *args]
            + ["--scheduler-file", str(spec)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.folder,
        )

    def _alive_or_fail(self, deadline: float) -> None:
        assert self.scheduler is not None
        if self.scheduler.poll() is not None or time.monotonic() > deadline:
            log = (self.folder / "scheduler.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the Dask scheduler did not start:\n{log}")
        time.sleep(0.1)
