"""Run the real `audiobook studio` command for tests: a subprocess on a free port."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent
_URL = re.compile(r"Studio at (http://127\.0\.0\.1:(\d+)/)")


class Studio:
    def __init__(self, book: Path, cast: Path, tmp: Path) -> None:
        self.book, self.cast, self.tmp = book, cast, tmp
        self.outdir = tmp / "out"
        self.stderr_path = tmp / f"studio-{time.monotonic_ns()}.log"
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.port = 0

    def command(self) -> list[str]:
        return [
            *(sys.executable, "-m", "audiobook", "studio", str(self.book)),
            *("--cast", str(self.cast), "--port", "0", "--no-browser"),
            *("--output", str(self.outdir), "--cache-dir", str(self.tmp / "cache")),
        ]

    def start(self, timeout: float = 90) -> Studio:
        self._err = open(self.stderr_path, "w+b")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._err,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = _URL.search(self.stderr())
            if found:
                self.url, self.port = found[1], int(found[2])
                return self
            if self.process.poll() is not None:
                raise AssertionError(f"studio exited: {self.stderr()}")
            time.sleep(0.1)
        raise AssertionError(f"studio did not start: {self.stderr()}")

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def interrupt(self, timeout: float = 30) -> int:
        """Ctrl-C, as a user stops it; the exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout)
        self._err.close()
        return code

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.interrupt()


def script_json(book: Path, cast: Path) -> list[dict]:
    """Dialogue segments of `audiobook script --json`, run as a user runs it."""
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "script", str(book), "--cast", str(cast), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr
    chapters = json.loads(done.stdout)["chapters"]
    return [s for c in chapters for s in c["segments"] if s["kind"] == "dialogue"]
