"""Where a build's heavy work runs: clip synthesis and chapter encoding.

One small interface, two implementations:

- ``LocalExecutor`` (the default): this machine. Clips are spoken in spawned worker
  processes (engines are neither fork- nor thread-safe), encodes run in threads that
  each drive an ffmpeg process.
- ``DaskExecutor`` (``--executor dask://HOST:PORT``, the ``cluster`` extra): the workers
  of a Dask distributed cluster. Tasks are plain functions of picklable arguments; a
  clip worker stores its clip straight into the content-addressed clip cache, which
  must be a path every worker reaches (a shared file system), so a finished clip serves
  every other worker and survives a lost scheduler. An encode returns its bytes to the
  client, which writes the output folder: that needs no shared storage at all.

Dask, not a pool of our own: it already reschedules the tasks of a worker that dies
(``distributed.scheduler.allowed-failures``), balances load across hosts, and has
deployments for SSH, Kubernetes and batch schedulers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import Executor as Pool
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from audiobook.errors import ClusterError, EngineError, InputError

SCHEME = "dask://"
# Each job is a speech worker and its espeak process: more than two per core only adds memory.
JOBS_PER_CORE = 2


def max_jobs() -> int:
    """The most local jobs worth running: two per core this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return JOBS_PER_CORE * (cores or 1)


CONNECT_SECONDS = 10.0  # reaching the scheduler, and waiting for its first worker


class Executor:
    """The interface the render and encode steps use; this machine by default."""

    name = "local"
    remote = False  # tasks run elsewhere: only picklable functions and shared paths

    def __init__(self, jobs: int) -> None:
        self.jobs = min(max(1, jobs), max_jobs())  # build_book warns when it caps

    @property
    def workers(self) -> int:
        """Tasks worth keeping in flight at once."""
        return self.jobs

    @contextlib.contextmanager
    def pool(
        self, initializer: Callable[..., None] | None = None, initargs: tuple = ()
    ) -> Iterator[Pool]:
        """Processes for CPU-bound tasks; ``initializer`` runs once in each (locally)."""
        import multiprocessing

        pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=initializer,
            initargs=initargs,
        )
        try:
            yield pool
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Turn the pool's own failures into errors a user can act on."""
        try:
            yield
        except BrokenProcessPool as exc:
            raise EngineError(
                "a speech worker process died (out of memory or killed); run the "
                "build again: finished clips are kept in the cache"
            ) from exc

    def to_file(
        self,
        fn: Callable[..., Any],
        task: Any,
        dest: Path,
        report: Callable[[float], object] | None = None,
    ) -> None:
        """``fn(task, dest, report)`` writes ``dest``, where the work belongs (here: this
        thread), and tells ``report`` how much work it did as it goes."""
        fn(task, dest, report)

    def to_files(
        self,
        fn: Callable[..., Any],
        task: Any,
        dests: list[Path],
        report: Callable[[float], object] | None = None,
    ) -> None:
        """``fn(task, dests, report)`` writes every path of ``dests``, as ``to_file``."""
        fn(task, dests, report)

    def threads(self, workers: int | None = None) -> ThreadPoolExecutor:
        """Threads of this process that wait on tasks (their work runs in ffmpeg or remotely)."""
        return ThreadPoolExecutor(max_workers=max(1, workers or self.workers))

    def close(self) -> None:
        """Release the executor's resources."""


LocalExecutor = Executor


def open_executor(spec: str | None, jobs: int) -> Executor:
    """``None`` or ``local``: this machine; ``dask://HOST:PORT``: a Dask scheduler."""
    if spec in (None, "", "local"):
        return Executor(jobs)
    assert spec is not None
    if spec.startswith(SCHEME) and len(spec) > len(SCHEME):
        return DaskExecutor(spec)
    raise InputError(f"unknown executor {spec!r}; use local or dask://HOST:PORT")


class DaskExecutor(Executor):
    remote = True

    def __init__(self, spec: str, timeout: float = CONNECT_SECONDS) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise ClusterError(
                f"--executor {spec} needs Dask: pip install 'audiobook[cluster]'"
            ) from exc
        self.name = spec
        self.address = "tcp://" + spec[len(SCHEME) :]
        _quiet_dask_logs()
        try:
            self.client = distributed.Client(
                self.address, timeout=timeout, set_as_default=False, name="audiobook"
            )
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot reach the Dask scheduler at {spec} ({exc}); start it with "
                "`dask scheduler` or check the address"
            ) from exc
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ClusterError(
                f"the Dask scheduler at {spec} has no workers; start some with "
                f"`dask worker {self.address}`"
            ) from exc

    @property
    def workers(self) -> int:
        with self._lost():
            return max(1, sum(self.client.nthreads().values()))

    @contextlib.contextmanager
    def pool(
        self, initializer: Callable[..., None] | None = None, initargs: tuple = ()
    ) -> Iterator[Pool]:
        # No initializer: tasks set up what they need in the worker on first use.
        pool = self.client.get_executor(pure=False)
        try:
            yield pool
        finally:
            with contextlib.suppress(Exception):
                pool.shutdown(wait=False)  # cancels what is left: nothing is waited for

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        from distributed import KilledWorker

        try:
            with self._lost():
                yield
        except KilledWorker as exc:
            raise EngineError(
                f"Dask workers died {_failures()} times on one task ({exc}); a worker "
                "without espeak-ng or ffmpeg, or short of memory? Finished clips are kept"
            ) from exc

    @contextlib.contextmanager
    def _lost(self) -> Iterator[None]:
        """A task cancelled behind our back, or a dead connection: the scheduler is gone."""
        try:
            yield
        except (CancelledError, OSError, TimeoutError) as exc:
            if isinstance(exc, CancelledError) or self.client.status != "running":
                raise ClusterError(
                    f"lost the Dask scheduler at {self.name}; finished clips are kept in the "
                    "cache: run the same command again once it is back"
                ) from exc
            raise

    def to_file(
        self,
        fn: Callable[..., Any],
        task: Any,
        dest: Path,
        report: Callable[[float], object] | None = None,
    ) -> None:
        with self._lost():
            future = self.client.submit(_bytes_of, fn, task, dest.name, pure=False)
            data, done = future.result()
        dest.write_bytes(data)  # dest is the caller's temporary: it renames it when whole
        if report is not None:
            report(done)  # a remote task's progress arrives when it ends

    def to_files(
        self,
        fn: Callable[..., Any],
        task: Any,
        dests: list[Path],
        report: Callable[[float], object] | None = None,
    ) -> None:
        with self._lost():
            names = [dest.name for dest in dests]
            future = self.client.submit(_bytes_of, fn, task, names, pure=False)
            datas, done = future.result()
        for dest, data in zip(dests, datas, strict=True):
            dest.write_bytes(data)
        if report is not None:
            report(done)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close(timeout=2)


def _quiet_dask_logs() -> None:
    """Dask logs reconnects and rescheduled tasks to stderr; a build reports what matters as
    errors, and the CLI promises one line per error. Its config sets levels per module."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "distributed"]
    for name in ["distributed", *names]:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _bytes_of(fn: Callable[..., Any], task: Any, name: str | list[str]) -> tuple[Any, float]:
    """On a worker: ``fn`` into private temporary files (one ``name``, or a list of them);
    their bytes (bytes, or a list of bytes) and the work reported."""
    done = [0.0]
    with tempfile.TemporaryDirectory(prefix="audiobook-") as folder:
        paths = [Path(folder, n) for n in name] if isinstance(name, list) else Path(folder, name)
        fn(task, paths, lambda amount: done.__setitem__(0, done[0] + amount))
        if isinstance(paths, list):
            return [path.read_bytes() for path in paths], done[0]
        return paths.read_bytes(), done[0]


def _failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures", 3)) + 1
