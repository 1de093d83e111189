"""What the studio knows and does, without any web: the book, its cast file, audio, builds.

One Session serves one book and one cast file. Every change is written to the
cast file at once (castedit: comments and layout kept, atomic), then the book is
prepared again, so the page always shows what `script` and `build` would do.
Speech is made in one place only: a single worker thread renders every line,
audition and build in turn (pyttsx3 and espeak are not thread-safe), through
the clip cache, so hearing a line twice costs nothing and a build reuses it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import threading
import wave
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError, CastFileError, InputError
from audiobook.model import LOW_CONFIDENCE, NARRATOR, ChapterScript, Script, Segment, VoiceSettings
from audiobook.progress import Progress

UNSURE = LOW_CONFIDENCE  # the same bar as `cast` and `script --explain` use
AUDITION_WORDS = 30


def _beside(inputs: list[Path], suffix: str) -> Path:
    first = Path(inputs[0])
    stem = first.name if first.is_dir() else first.stem
    return first.resolve().parent / f"{stem}{suffix}"


def default_cast_path(inputs: list[Path]) -> Path:
    """Where the studio keeps fixes when no --cast is given: beside the manuscript."""
    return _beside(inputs, ".cast.toml")


def default_book_outdir(inputs: list[Path]) -> Path:
    """Where the Build button writes when no --output is given: beside the manuscript."""
    return _beside(inputs, "-audiobook")


@contextlib.contextmanager
def studio_lock(cast_path: Path):
    """One studio per cast file: a second one would overwrite the first one's fixes."""
    lock = cast_path.with_name(f".{cast_path.name}.studio-lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(f"cannot use cast file {cast_path}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"another studio is already editing {cast_path}; use that one, or close it first"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock (also when the process dies)


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


class Session:
    def __init__(
        self,
        inputs: list[Path],
        cast_path: Path,
        outdir: Path,
        encoding: str | None = None,
        engine: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        from audiobook.audio.engines import DEFAULT_ENGINE

        self.inputs = [Path(p) for p in inputs]
        self.cast_path = Path(cast_path)
        self.outdir = Path(outdir)
        self.encoding = encoding
        self.engine_name = engine or DEFAULT_ENGINE
        self.cache_dir = cache_dir
        self.build = BuildState()
        self._lock = threading.RLock()  # one change at a time; readers see whole states
        # The one place speech is made: lines, auditions and builds queue here.
        self._speech = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studio-speech")
        self._cache: Any = None  # the ClipCache, made on first use
        self._voices: list[tuple[str, str, str]] | None = None
        self.prepared = self._prepare()

    # -- the book --------------------------------------------------------------
    def _prepare(self):
        from audiobook.pipeline import prepare

        cast = self.cast_path if self.cast_path.exists() else None
        return prepare(self.inputs, cast, self.encoding, self.engine_name)

    @property
    def script(self) -> Script:
        return self.prepared.script

    def chapters(self) -> list[dict]:
        out = []
        for i, chapter in enumerate(self.script.chapters):
            lines = [s for s in chapter.segments if s.kind == "dialogue"]
            out.append(
                {
                    "index": i,
                    "title": chapter.chapter.title,
                    "lines": len({s.line for s in lines}),
                    "unsure": len({s.line for s in lines if is_unsure(s)}),
                }
            )
        return out

    def chapter(self, index: int) -> ChapterScript:
        if not 0 <= index < len(self.script.chapters):
            raise InputError(f"there is no chapter {index + 1}")
        return self.script.chapters[index]

    def speakers(self) -> list[dict]:
        """The narrator and every character with a voice, most lines first."""
        lines: Counter[str] = Counter()
        for chapter in self.script.chapters:
            for seg in chapter.segments:
                if seg.kind == "dialogue" and seg.speaker:
                    lines[seg.speaker] += 1
        cast = self.prepared.cast
        roster = {c.name: c for c in self.script.roster.characters}
        out = [
            {
                "name": NARRATOR,
                "gender": cast.narrator.gender,
                "lines": lines[NARRATOR],
                "voice": cast.narrator.voice,
                "aliases": [],
            }
        ]
        for name, entry in sorted(cast.characters.items(), key=lambda kv: (-lines[kv[0]], kv[0])):
            if not entry.voice:
                continue  # found in the text but never speaks
            known = roster.get(name)
            out.append(
                {
                    "name": name,
                    "gender": entry.gender or (known.gender if known else None),
                    "lines": lines[name],
                    "voice": entry.voice,
                    "aliases": [a for a in entry.aliases if a != name],
                }
            )
        return out

    def segments_of(self, line: str) -> list[tuple[int, int, Segment]]:
        found = [
            (c, s, seg)
            for c, chapter in enumerate(self.script.chapters)
            for s, seg in enumerate(chapter.segments)
            if seg.line == line
        ]
        if not found:
            raise InputError(f"no line {line!r} in this book")
        return found

    def warnings(self) -> list[str]:
        from audiobook.speakers.castcheck import check_cast

        return list(self.prepared.warnings) + check_cast(self.prepared)

    def voices(self) -> list[tuple[str, str, str]]:
        """(id, label, gender) of the voices of every installed engine for the book's languages."""
        if self._voices is not None:
            return self._voices
        from audiobook.audio.engines import engine_names, get_engine

        languages = {self.script.main_language} | {
            s.language for c in self.script.chapters for s in c.segments
        }
        found: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for name in engine_names():
            try:
                engine = get_engine(name)
            except Exception:  # noqa: BLE001 - an engine that cannot start offers nothing
                continue
            try:
                for v in engine.voices():
                    if v.language in languages and v.id not in seen:
                        seen.add(v.id)
                        # Ids of other engines already read ENGINE:VOICE, as cast files write them.
                        found.append((v.id, f"{v.name} ({v.id})", v.gender or ""))
            finally:
                engine.close()
        self._voices = found
        return found

    # -- changes -----------------------------------------------------------------
    def _edit(self, change) -> None:
        from audiobook.speakers.castedit import CastDocument

        with self._lock:
            fresh = not self.cast_path.exists()
            document = CastDocument.open(self.cast_path, create=fresh)
            if fresh:
                # The first fix also pins today's voices, so no later fix moves them.
                from audiobook.speakers.casting import describe_cast

                rows = describe_cast(self.script, self.prepared.cast, self.prepared.tts)
                document.update_from(self.prepared.cast, {r.name: f"{r.lines} lines" for r in rows})
            change(document)
            document.save(self.prepared.tts)
            self.prepared = self._prepare()

    def assign(self, line: str, speaker: str | None) -> None:
        """Quotation ``line`` is spoken by ``speaker`` (None: as attributed again)."""
        self.segments_of(line)
        if speaker is not None and not speaker.strip():
            raise InputError("name the speaker")
        self._edit(lambda doc: doc.set_line(line, speaker.strip() if speaker else None))

    def merge(self, source: str, into: str) -> None:
        """Every line of ``source`` is ``into``'s: ``source`` becomes an alias."""
        if NARRATOR in (source, into):
            raise InputError("the narrator cannot be merged; reassign single lines instead")
        known = self.script.roster.get(source)
        aliases = tuple(known.aliases) if known else ()
        self._edit(lambda doc: doc.merge(source, into, aliases))

    def set_voice(self, name: str, voice: str) -> None:
        self._edit(lambda doc: doc.set_field(name, "voice", voice.strip() or None))

    def set_gender(self, name: str, gender: str | None) -> None:
        if gender not in (None, "", "female", "male"):
            raise InputError('gender is "female", "male" or empty')
        self._edit(lambda doc: doc.set_field(name, "gender", gender or None))

    def rename(self, old: str, new: str) -> None:
        if old == NARRATOR:
            raise InputError("the narrator keeps its name")
        self._edit(lambda doc: doc.rename(old, new))

    # -- audio -------------------------------------------------------------------
    def _clip_cache(self):
        from audiobook.audio.cache import ClipCache, default_cache_dir
        from audiobook.audio.engines import get_engine

        if self._cache is None:
            engine = get_engine(self.engine_name)
            try:
                version = engine.version()
            finally:
                engine.close()
            root = Path(self.cache_dir) if self.cache_dir else default_cache_dir()
            self._cache = ClipCache(root, self.engine_name, version)
        return self._cache

    def line_audio(self, line: str) -> bytes:
        """The quotation as the build will say it: an MP3, made through the clip cache."""
        with self._lock:
            chapter = self.script.chapters[self.segments_of(line)[0][0]]
            segs = [s for s in chapter.segments if s.line == line]
            mini = Script([ChapterScript(chapter.chapter, segs)], self.script.roster)
            cast, lexicon = self.prepared.cast, self.prepared.lexicon
        from audiobook.audio.clips import make_clips

        clips = [(c.text, c.settings) for c in make_clips(mini, cast, lexicon)]
        return self._speak(clips)

    def audition(self, name: str, voice: str) -> bytes:
        """``voice`` saying a few of ``name``'s own lines (a stock line when they have none)."""
        from audiobook.audio.preview import STOCK_LINE, clip_words, find_entry
        from audiobook.text.normalize import spoken_text

        with self._lock:
            entry = find_entry(self.prepared.cast, name)
            own = [
                s.text
                for c in self.script.chapters
                for s in c.segments
                if (s.speaker if s.kind == "dialogue" else NARRATOR) == entry.name
            ]
            engine = self.prepared.tts
            if voice and engine is not None and not engine.is_valid_voice(voice):
                raise CastFileError(f"unknown voice {voice!r}")
        text = clip_words(own, AUDITION_WORDS) or STOCK_LINE.format(name=entry.name)
        language = self.script.main_language
        settings = VoiceSettings(voice or entry.voice, entry.rate, entry.pitch)
        return self._speak([(spoken_text(text, language), settings)])

    def _speak(self, clips: list[tuple[str, VoiceSettings]]) -> bytes:
        future: Future[bytes] = self._speech.submit(self._render_mp3, clips)
        return future.result()

    def _render_mp3(self, clips: list[tuple[str, VoiceSettings]]) -> bytes:
        """In the speech thread: render what the cache lacks, join, encode."""
        from audiobook.audio.cache import read_pcm
        from audiobook.audio.clips import speakable
        from audiobook.audio.preview import to_mp3
        from audiobook.audio.render import Job, render_jobs
        from audiobook.model import Clip

        cache = self._clip_cache()
        keyed = []
        for text, settings in clips:
            clip = Clip(text, settings, 0, 0)
            if speakable(clip):
                keyed.append((cache.key(clip), clip))
        if not keyed:
            raise InputError("this line has no words to speak")
        audio = {key: hit for key, _ in keyed if (hit := cache.get(key)) is not None}
        jobs = {k: Job(k, c.text, c.settings, "the studio") for k, c in keyed if k not in audio}
        audio.update(render_jobs(list(jobs.values()), cache, self.engine_name, 1))
        rate = audio[keyed[0][0]].rate
        gap = b"\0\0" * int(rate * 0.25)
        pcm = gap.join(read_pcm(audio[key]) for key, _ in keyed)
        with tempfile.TemporaryDirectory(prefix="audiobook-studio-") as tmp:
            wav = Path(tmp) / "line.wav"
            with wave.open(str(wav), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(rate)
                out.writeframes(pcm)
            return to_mp3(shutil.which("ffmpeg") or "ffmpeg", wav)

    # -- build -------------------------------------------------------------------
    def start_build(self) -> bool:
        """Start a build in the speech thread; False when one is already running."""
        with self._lock:
            if self.build.running:
                return False
            self.build = BuildState(running=True, stage="starting")
            self._speech.submit(self._build, self.prepared, self.build)
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
        self.build.stop = True
        self._speech.shutdown(wait=True, cancel_futures=True)
        if self.prepared.tts is not None:
            self.prepared.tts.close()


def is_unsure(seg: Segment) -> bool:
    return seg.kind == "dialogue" and seg.confidence is not None and seg.confidence < UNSURE
