"""Render clips in parallel worker processes, through the clip cache.

Each worker is a *spawned* process (never forked from a parent that may hold
threads or an engine) that creates its own engine on start and keeps it for
every clip it renders: engines are neither fork- nor thread-safe. Workers
ignore Ctrl-C; the parent stops handing out work and lets the clips in hand
finish into the cache, so an interrupted build resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import wave
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.cache import CacheFault, ClipAudio, ClipCache
from audiobook.errors import AudiobookError, EngineError
from audiobook.model import VoiceSettings

ATTEMPTS = 2  # a clip the engine fails once is tried again before giving up
BATCH_SECONDS_HINT = 8  # clips handed to a worker at once: fewer round trips, still balanced


@dataclass(frozen=True)
class Job:
    key: str
    text: str
    settings: VoiceSettings
    where: str  # "chapter 3 'Title', line 'It was the best…'", for the error message


_engine = None  # the worker's own engine, created in the worker

# Spawning a worker costs ~0.5 s (a fresh interpreter, imports, espeak set-up):
# more than rendering a few dozen clips here. An edited paragraph is a few clips.
IN_PROCESS_MAX = 24


def _init_worker(engine_name: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _engine
    from audiobook.audio.engines import get_engine

    _engine = get_engine(engine_name)


def _render_one(engine, text: str, settings: VoiceSettings, path: Path) -> str | None:
    """Render with retries; None on success, else the last error."""
    error = None
    for _ in range(ATTEMPTS):
        try:
            engine.render(text, settings, path)
            return None
        except AudiobookError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - an engine plugin's own failure
            error = f"{type(exc).__name__}: {exc}"
    return error


def _render_batch(batch: list[tuple[str, str, VoiceSettings, str]]) -> list[tuple[str, str | None]]:
    """In a worker: render each (key, text, settings, scratch path); report errors by key."""
    return [
        (key, _render_one(_engine, text, settings, Path(scratch)))
        for key, text, settings, scratch in batch
    ]


def render_jobs(
    jobs: Sequence[Job],
    cache: ClipCache,
    engine_name: str,
    workers: int,
    on_done: Callable[[int], None] | None = None,
) -> dict[str, ClipAudio]:
    """Render every job into the cache; return the rendered clips by key.

    ``on_done(n)`` is called as clips finish. A clip that fails every attempt
    raises EngineError naming its place in the book.
    """
    if not jobs:
        return {}
    # Clips of one voice side by side: a stable order, so batches and logs repeat.
    ordered = sorted(jobs, key=lambda j: (j.settings.voice.split("+")[0], j.settings.voice))
    by_key = {j.key: j for j in ordered}
    if workers <= 1 or len(ordered) <= IN_PROCESS_MAX:
        return _render_here(ordered, cache, engine_name, on_done)
    size = max(1, min(BATCH_SECONDS_HINT, len(ordered) // (workers * 4)))
    batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    out: dict[str, ClipAudio] = {}
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(batches)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(engine_name,),
    )
    pending: set[Future] = set()
    submitted: list[Future] = []

    def submit(batch: list[Job]) -> None:
        future = pool.submit(_render_batch, _payload(batch, cache))
        pending.add(future)
        submitted.append(future)

    try:
        queue = iter(batches)
        # A bounded window of work in flight: Ctrl-C then waits for little.
        with _sigint_ignored():  # workers start inside: they inherit the ignore from birth
            for batch in queue:
                submit(batch)
                if len(pending) >= workers * 2:
                    break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                finished = _collect(future.result(), by_key, cache, out)
                if on_done:
                    on_done(finished)
                nxt = next(queue, None)
                if nxt is not None:
                    submit(nxt)
    except BrokenProcessPool as exc:
        raise EngineError(
            "a speech worker process died (out of memory or killed); run the "
            "build again: finished clips are kept in the cache"
        ) from exc
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _keep_finished(submitted, cache, out)
    return out


@contextlib.contextmanager
def _sigint_ignored():
    """Ctrl-C during a spawned worker's start-up would print its traceback; keep it away."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to shield
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _keep_finished(futures: list[Future], cache: ClipCache, out: dict[str, ClipAudio]) -> None:
    """After a stop: store what workers finished anyway, drop their unfinished scratch."""
    for future in futures:
        if future.cancelled() or not future.done() or future.exception() is not None:
            continue
        for key, error in future.result():
            scratch = cache.scratch(key)
            if error is None and key not in out and scratch.exists():
                with contextlib.suppress(OSError, ValueError, EOFError, wave.Error):
                    out[key] = cache.store(key, scratch)
            with contextlib.suppress(OSError):
                scratch.unlink()


def _payload(batch: list[Job], cache: ClipCache) -> list[tuple[str, str, VoiceSettings, str]]:
    return [(j.key, j.text, j.settings, str(cache.scratch(j.key))) for j in batch]


def _collect(results, by_key: dict[str, Job], cache: ClipCache, out: dict[str, ClipAudio]) -> int:
    for key, error in results:
        scratch = cache.scratch(key)
        if error is not None:
            with contextlib.suppress(OSError):
                scratch.unlink()
            raise EngineError(f"could not render {by_key[key].where}: {error}")
        try:
            out[key] = cache.store(key, scratch)
        except CacheFault as exc:
            with contextlib.suppress(OSError):
                scratch.unlink()
            raise EngineError(f"could not render {by_key[key].where}: {exc}") from exc
    return len(results)


def _render_here(
    jobs: Sequence[Job], cache: ClipCache, engine_name: str, on_done: Callable[[int], None] | None
) -> dict[str, ClipAudio]:
    from audiobook.audio.engines import get_engine

    engine = get_engine(engine_name)
    out: dict[str, ClipAudio] = {}
    by_key = {j.key: j for j in jobs}
    try:
        for job in jobs:
            scratch = cache.scratch(job.key)
            error = _render_one(engine, job.text, job.settings, scratch)
            _collect([(job.key, error)], by_key, cache, out)
            if on_done:
                on_done(1)
    finally:
        engine.close()
    return out
