"""Render clips in parallel workers, through the clip cache.

Workers come from an executor (``audio/executor.py``): spawned processes of this
machine (never forked from a parent that may hold threads or an engine), or the
processes of a Dask cluster. Each worker thread creates its own engine on first use
and keeps it for every clip it renders: engines are neither fork- nor thread-safe.
A worker stores each clip it finishes straight into the content-addressed cache, so
a clip is kept whatever happens to the build afterwards. Local workers ignore Ctrl-C and
SIGTERM, and die with the build (audiobook/lifeline.py);
the parent stops handing out work and lets the clips in hand finish into the cache,
so an interrupted build resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.cache import CacheFault, ClipAudio, ClipCache
from audiobook.audio.executor import Executor
from audiobook.errors import AudiobookError, EngineError, ImplausibleClip, warn
from audiobook.lifeline import die_with_parent, ignore_stop_signals, stop_signals_blocked
from audiobook.model import VoiceSettings

ATTEMPTS = 2  # a clip the engine fails once is tried again before giving up
BATCH_SECONDS_HINT = 8  # clips handed to a worker at once: fewer round trips, still balanced


@dataclass(frozen=True)
class Job:
    key: str
    text: str
    settings: VoiceSettings
    where: str  # "chapter 3 'Title', line 'It was the best…'", for the error message


# Spawning a worker costs ~0.5 s (a fresh interpreter, imports, espeak set-up):
# more than rendering a few dozen clips here. An edited paragraph is a few clips.
IN_PROCESS_MAX = 24

_local = threading.local()  # a worker thread's own engines, by name


def _engine_for(name: str):
    engines = _local.__dict__.setdefault("engines", {})
    if name not in engines:
        from audiobook.audio.engines import get_engine

        engines[name] = get_engine(name)
    return engines[name]


def _init_worker(engine_name: str, parent: int) -> None:
    die_with_parent(parent)  # kill -9 of the build must not leave workers behind
    ignore_stop_signals()
    _engine_for(engine_name)  # the engine's start-up before the first clip, not during it


def _render_one(
    engine, text: str, settings: VoiceSettings, path: Path
) -> tuple[str | None, str | None]:
    """Render with retries: (None, None) on success, (error, None) when every attempt failed,
    (None, doubt) when the clip came out implausible every time and is kept anyway."""
    error = doubt = None
    for _ in range(ATTEMPTS):
        try:
            engine.render(text, settings, path)
            return None, None
        except ImplausibleClip as exc:
            doubt, error = str(exc), None
        except AudiobookError as exc:
            error = str(exc)
        except Exception as exc:  # noqa: BLE001 - an engine plugin's own failure
            error = f"{type(exc).__name__}: {exc}"
    if error is None and doubt is not None and path.exists():
        return None, doubt  # one odd line must not stop the book: kept, and the user told
    return error or doubt, None


Result = tuple[str, str | None, ClipAudio | None, str | None]  # key, error, clip, doubt


def _render_with(engine, cache: ClipCache, batch: list[tuple[str, str, VoiceSettings]]):
    """Render each (key, text, settings) and store it in the cache; report errors by key."""
    results: list[Result] = []
    for key, text, settings in batch:
        scratch = cache.scratch(key)
        (error, doubt), audio = _render_one(engine, text, settings, scratch), None
        if error is None:
            try:
                audio = cache.store(key, scratch)
            except CacheFault as exc:
                error = str(exc)
        if error is not None:
            with contextlib.suppress(OSError):
                scratch.unlink()
        results.append((key, error, audio, doubt))
    return results


def _render_batch(engine_name: str, cache: ClipCache, batch) -> list[Result]:
    """In a worker (a local process or a cluster's): the batch, with the worker's engine."""
    return _render_with(_engine_for(engine_name), cache, batch)


def render_jobs(
    jobs: Sequence[Job],
    cache: ClipCache,
    engine_name: str,
    workers: int | Executor,
    on_done: Callable[[int], None] | None = None,
) -> dict[str, ClipAudio]:
    """Render every job into the cache; return the rendered clips by key.

    ``workers`` is a number of local processes or an executor. ``on_done(n)`` is
    called as clips finish. A clip that fails every attempt raises EngineError
    naming its place in the book.
    """
    if not jobs:
        return {}
    executor = workers if isinstance(workers, Executor) else Executor(workers)
    # Clips of one voice side by side: a stable order, so batches and logs repeat.
    ordered = sorted(jobs, key=lambda j: (j.settings.voice.split("+")[0], j.settings.voice))
    by_key = {j.key: j for j in ordered}
    count = executor.workers
    if not executor.remote and (count <= 1 or len(ordered) <= IN_PROCESS_MAX):
        return _render_here(ordered, cache, engine_name, on_done)
    size = max(1, min(BATCH_SECONDS_HINT, len(ordered) // (count * 4)))
    batches = [ordered[i : i + size] for i in range(0, len(ordered), size)]
    out: dict[str, ClipAudio] = {}
    pending: set[Future] = set()
    with executor.errors(), executor.pool(_init_worker, (engine_name, os.getpid())) as pool:

        def submit(batch: list[Job]) -> None:
            payload = [(j.key, j.text, j.settings) for j in batch]
            pending.add(pool.submit(_render_batch, engine_name, cache, payload))

        try:
            queue = iter(batches)
            # A bounded window of work in flight: Ctrl-C then waits for little.
            with (
                stop_signals_blocked()
            ):  # local workers start inside: no signal kills them half-born
                for batch in queue:
                    submit(batch)
                    if len(pending) >= count * 2:
                        break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    finished = _collect(future.result(), by_key, out)
                    if on_done:
                        on_done(finished)
                    nxt = next(queue, None)
                    if nxt is not None:
                        submit(nxt)
        finally:
            for future in pending:
                future.cancel()
    return out


def _collect(results: list[Result], by_key: dict[str, Job], out: dict[str, ClipAudio]) -> int:
    for key, error, audio, doubt in results:
        if error is not None or audio is None:
            raise EngineError(f"could not render {by_key[key].where}: {error}")
        if doubt is not None:
            warn(f"{by_key[key].where}: kept a clip that sounds odd ({doubt}); listen to it")
        out[key] = audio
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
            _collect(_render_with(engine, cache, [(job.key, job.text, job.settings)]), by_key, out)
            if on_done:
                on_done(1)
    finally:
        engine.close()
    return out
