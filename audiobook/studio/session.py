"""What the studio knows and does, without any web: the book, its cast file, audio, builds.

One Session serves one book and one cast file. Every change is written to the
cast file at once (castedit: comments and layout kept, atomic), then the book is
brought up to date (in place for a line fix, else prepared again), so the page
always shows what `script` and `build` would do. Audio is made by studio.speech.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections import Counter
from pathlib import Path

from audiobook.errors import CastFileError, InputError
from audiobook.model import LOW_CONFIDENCE, NARRATOR, ChapterScript, Script, Segment, VoiceSettings
from audiobook.speakers.casting import speaker_rate
from audiobook.studio.speech import BuildState, Speech

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
        self._lock = threading.RLock()  # one change at a time; readers see whole states
        # The one place speech is made: lines, auditions and builds queue there.
        self.speech = Speech(self.engine_name, self.outdir, cache_dir)
        self._voices: list[tuple[str, str, str]] | None = None
        self.prepared = self._prepare()

    # -- the book --------------------------------------------------------------
    def _prepare(self):
        from audiobook.pipeline import prepare

        cast = self.cast_path if self.cast_path.exists() else None
        # No credits: the studio reviews the book's own lines, each found in its file.
        return prepare(self.inputs, cast, self.encoding, self.engine_name, credits=False)

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
    def _edit(self, change, refresh=None) -> None:
        """Write ``change`` to the cast file, then bring the book up to date.

        ``refresh`` updates the prepared book in place and returns True when it
        could (a fix that leaves the cast as it is); else the book is prepared again.
        """
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
            if fresh or refresh is None or not refresh():
                self.prepared = self._prepare()

    def assign(self, line: str, speaker: str | None) -> None:
        """Quotation ``line`` is spoken by ``speaker`` (None: as attributed again)."""
        segments = [seg for _, _, seg in self.segments_of(line)]
        if speaker is not None and not speaker.strip():
            raise InputError("name the speaker")
        wanted = speaker.strip() if speaker else None

        def refresh() -> bool:
            # Casting reads the book as attributed, so a fix never moves a voice: when
            # the speaker already has one, only these segments change (a novel is not
            # read again). What `prepare` would do, done to the one line.
            from audiobook.speakers.casting import assign_voices
            from audiobook.speakers.lines import OVERRIDE, resolve_speaker

            prepared = self.prepared
            if wanted is None or prepared.file_cast is None:
                return False
            who = resolve_speaker(wanted, prepared.file_cast, self.script.roster)
            entry = prepared.cast.narrator if who == NARRATOR else prepared.cast.characters.get(who)
            if entry is None or not entry.voice:
                return False  # a new speaker: the cast grows
            for seg in segments:
                seg.speaker, seg.rule, seg.confidence = who, OVERRIDE, 1.0
            assign_voices(self.script, prepared.cast, prepared.tts)
            prepared.file_cast.lines[line] = wanted
            return True

        self._edit(lambda doc: doc.set_line(line, wanted), refresh)

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
    def line_audio(self, line: str) -> bytes:
        """The quotation as the build will say it: an MP3, made through the clip cache."""
        with self._lock:
            chapter = self.script.chapters[self.segments_of(line)[0][0]]
            segs = [s for s in chapter.segments if s.line == line]
            mini = Script([ChapterScript(chapter.chapter, segs)], self.script.roster)
            cast, lexicon = self.prepared.cast, self.prepared.lexicon
        from audiobook.audio.clips import make_clips

        clips = [(c.text, c.settings) for c in make_clips(mini, cast, lexicon)]
        return self.speech.mp3(clips)

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
        rate = speaker_rate(self.prepared.cast, entry)  # as the built book will say it
        settings = VoiceSettings(voice or entry.voice, rate, entry.pitch)
        return self.speech.mp3([(spoken_text(text, language), settings)])

    @property
    def build(self) -> BuildState:
        return self.speech.build

    def start_build(self) -> bool:
        """Build the book as it is now; False when a build is already running."""
        return self.speech.start_build(self.prepared)

    def close(self) -> None:
        self.speech.close()
        if self.prepared.tts is not None:
            self.prepared.tts.close()


def is_unsure(seg: Segment) -> bool:
    return seg.kind == "dialogue" and seg.confidence is not None and seg.confidence < UNSURE
