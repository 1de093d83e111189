"""The studio's one speaker: every line, audition and build is made here, in turn.

pyttsx3 and espeak are not thread-safe, so request threads never speak: they hand
clips to a single worker thread and wait. Clips go through the clip cache (a line
heard twice, or heard then built, is rendered once), and the last MP3s are kept in
memory, so hearing a line again costs nothing at all.
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError, InputError
from audiobook.model import VoiceSettings
from audiobook.progress import Progress

MP3_KEPT = 200  # lines and auditions kept encoded in memory (a few MB)
GAP_SECONDS = 0.25  # between the clips of one line heard in the studio


@dataclass
class BuildState:
    """What the page shows of the current (or last) build."""

    running: bool = False
    stage: str = ""
    clips_total: int = 0
    clips_cached: int = 0
    clips_done: int = 0
    files_total: int = 0
    files_done: int = 0
    files_written: list[str] = field(default_factory=list)
    files_kept: list[str] = field(default_factory=list)
    error: str | None = None
    summary: str = ""
    stop: bool = False  # set when the studio closes: the build stops at its next step


class _Stopped(AudiobookError):
    """The studio is closing: the build stops; finished clips stay in the cache."""


class _PageProgress(Progress):
    """Build events into the BuildState the page polls (and the place a build is stopped)."""

    def __init__(self, state: BuildState) -> None:
        self.state = state

    def _check(self) -> None:
        if self.state.stop:
            raise _Stopped("the studio was closed during the build; build again to finish")

    def stage(self, name: str) -> None:
        self._check()
        self.state.stage = name

    def clips_total(self, total: int, cached: int) -> None:
        self.state.clips_total, self.state.clips_cached = total, cached
        self.state.clips_done = cached

    def clips_done(self, count: int) -> None:
        self.state.clips_done += count
        self._check()

    def chapters_total(self, total: int) -> None:
        self.state.files_total = total

    def chapter_done(self, name: str, reused: bool) -> None:
        self.state.files_done += 1
        (self.state.files_kept if reused else self.state.files_written).append(name)
        self._check()


class Speech:
    def __init__(self, engine_name: str, outdir: Path, cache_dir: Path | None = None) -> None:
        self.engine_name = engine_name
        self.outdir = outdir
        self.cache_dir = cache_dir
        self.build = BuildState()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-speech")
        self._cache: Any = None  # the ClipCache, made on first use (in the speech thread)
        self._mp3: OrderedDict[tuple[str, ...], bytes] = OrderedDict()  # speech thread only

    def _clip_cache(self):
        from audiobook.audio.cache import ClipCache, default_cache_dir
        from audiobook.audio.engines import get_engine

        if self._cache is None:
            engine = get_engine(self.engine_name)
            try:
                version = engine.version()
            finally:
                engine.close()  # a voice's stamp is a look at its files: no open engine needed
            root = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
            self._cache = ClipCache(root, self.engine_name, version, voice_stamp=engine.voice_stamp)
        return self._cache

    def mp3(self, clips: list[tuple[str, VoiceSettings]]) -> bytes:
        """The clips spoken one after another, as an MP3 (waits for the speech thread)."""
        future: Future[bytes] = self._pool.submit(self._render_mp3, clips)
        return future.result()

    def _render_mp3(self, clips: list[tuple[str, VoiceSettings]]) -> bytes:
        """In the speech thread: render what the cache lacks, join, encode."""
        from audiobook.audio.assemble import room_tone
        from audiobook.audio.cache import read_pcm
        from audiobook.audio.clipaudio import from_pcm, join
        from audiobook.audio.clips import speakable
        from audiobook.audio.preview import to_mp3
        from audiobook.audio.render import Job, render_jobs
        from audiobook.ffmpeg import require_ffmpeg
        from audiobook.model import Clip

        cache = self._clip_cache()
        keyed = []
        for text, settings in clips:
            clip = Clip(text, settings, 0, 0)
            if speakable(clip):
                keyed.append((cache.key(clip), clip))
        if not keyed:
            raise InputError("this line has no words to speak")
        heard = tuple(key for key, _ in keyed)
        if heard in self._mp3:
            self._mp3.move_to_end(heard)
            return self._mp3[heard]
        audio = {key: hit for key, _ in keyed if (hit := cache.get(key)) is not None}
        jobs = {k: Job(k, c.text, c.settings, "the studio") for k, c in keyed if k not in audio}
        audio.update(render_jobs(list(jobs.values()), cache, self.engine_name, 1))
        # Through pydub: the clips joined by a quarter second of room tone, no crossfade.
        rate = audio[keyed[0][0]].rate
        line = join(
            [from_pcm(read_pcm(audio[key]), audio[key].rate) for key, _ in keyed],
            GAP_SECONDS,
            room_tone(int(rate * GAP_SECONDS) * 2),
        )
        with tempfile.TemporaryDirectory(prefix="audiobook-studio-") as tmp:
            wav = Path(tmp) / "line.wav"
            line.export(str(wav), format="wav")  # pydub writes WAV itself, no ffmpeg
            data = to_mp3(require_ffmpeg("mp3").ffmpeg, wav)
        self._mp3[heard] = data  # a line heard again is not even encoded again
        while len(self._mp3) > MP3_KEPT:
            self._mp3.popitem(last=False)
        return data

    # -- build -------------------------------------------------------------------
    def start_build(self, prepared) -> bool:
        """Build ``prepared`` in the speech thread; False when a build is already running."""
        with self._lock:
            if self.build.running:
                return False
            self.build = BuildState(running=True, stage="starting")
            self._pool.submit(self._build, prepared, self.build)
            return True

    def _build(self, prepared, state: BuildState) -> None:
        from audiobook.build import BuildOptions, build_book

        options = BuildOptions(outdir=self.outdir, engine=self.engine_name)
        if self.cache_dir:
            options.cache_dir = self.cache_dir
        try:
            result = build_book(prepared, options, _PageProgress(state))
            state.summary = (
                f"Wrote {len(state.files_written)} file(s), kept {len(state.files_kept)}; "
                f"{result.cache_misses} clips rendered, {result.cache_hits} from the cache "
                f"-> {result.outdir}"
            )
            state.stage = "done"
        except AudiobookError as exc:
            state.error = str(exc)
            state.stage = "failed"
        except Exception as exc:  # noqa: BLE001 - the page shows it instead of a dead thread
            state.error = f"unexpected {type(exc).__name__}: {exc}"
            state.stage = "failed"
        finally:
            state.running = False

    def close(self) -> None:
        """Stop a running build at its next step, and wait for the speech thread."""
        self.build.stop = True
        self._pool.shutdown(wait=True, cancel_futures=True)
