"""The default engine: pyttsx3 driving libespeak-ng.

pyttsx3 2.99 has traps this module (and its worker) work around:
- its espeak driver polls a synthesis thread with 10 ms sleeps and appends
  audio to one bytes object: the worker calls the same libespeak-ng functions
  through pyttsx3's own binding in synchronous mode instead (~6x faster);
  very long text is still spoken in pieces of at most MAX_PIECE characters;
- espeak's state persists between utterances: every clip is spoken by a
  fresh fork of the worker (see pyttsx3_worker), so a clip is the same
  whatever was rendered before it;
- a clip may still come out empty or truncated: every clip is checked
  (exists, parses, duration plausible for its text);
- it is neither fork- nor thread-safe once speaking: it only ever runs in a
  child process of its own (see _VoiceWorker), which forks before speaking.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import subprocess
import sys
import wave
from functools import cache
from pathlib import Path

from audiobook.audio.engines import hookimpl
from audiobook.audio.engines.base import Engine
from audiobook.audio.engines.espeak_catalog import (
    FEMALE_VARIANTS,
    MALE_VARIANTS,
    PREFERRED_BASES,
    base_voices,
    espeak_version,
    split_id,
    variant_family,
    variant_pitch_hz,
    variants,
)
from audiobook.errors import EngineError, ImplausibleClip
from audiobook.lifeline import stop_signals_blocked
from audiobook.model import Gender, VoiceInfo, VoiceSettings
from audiobook.text.pieces import split_text

DEFAULT_RATE = 175  # words per minute
DEFAULT_PITCH = 50
SAMPLE_RATE = 22050  # what the espeak driver writes
MAX_PIECE = 400  # characters per utterance; see the module docstring
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@hookimpl
def register_engines(register):
    register(Pyttsx3Engine)


_TOKEN = re.compile(r"\w+")
# Compiled on first use, not when the CLI loads the engine: the large ranges cost ~3 ms.
_CJK = r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"


def spoken_units(text: str) -> tuple[int, int]:
    """Fewest and most words espeak may say for ``text``: measured by what it will say.

    A word of letters is a word (a very long one a few); a run of digits may be read digit by
    digit, a mix of letters and digits (a hash) character by character, and each CJK
    character is a syllable or, in a voice without that script, a spoken character name.
    """
    fewest = most = 0
    for token in _TOKEN.findall(text):
        cjk = len(re.findall(_CJK, token))
        rest = len(token) - cjk
        fewest += 1
        if cjk:
            most += cjk * 3 + (rest + 3) // 4
        elif any(ch.isdigit() for ch in token):
            most += len(token)  # digits, or letters and digits spelled one by one
        else:
            most += max(1, (len(token) + 3) // 4)  # about a syllable per four letters
    return max(1, fewest), max(1, most)


def plausible_seconds(text: str, rate: int) -> tuple[float, float]:
    """Bounds on how long espeak takes to say ``text`` at ``rate`` wpm."""
    fewest, most = spoken_units(text)
    word = 60.0 / rate
    return fewest * word * 0.25, most * word * 4.0 + 1.5


class Pyttsx3Engine(Engine):
    name = "pyttsx3"
    # About 1.7 semitones apart: with the variants' own pitches a fine grid to spread a cast on.
    pitch_steps = (50, 40, 60, 30, 70, 78)

    def __init__(self) -> None:
        self._child: _VoiceWorker | None = None

    def check(self) -> None:
        base_voices()  # raises ToolMissingError with the apt-get hint
        try:
            import pyttsx3  # noqa: F401
        except ImportError as exc:  # pragma: no cover - a dependency
            raise EngineError(f"pyttsx3 is not installed ({exc}); run `make setup`") from exc

    def version(self) -> str:
        from importlib.metadata import version

        return f"pyttsx3 {version('pyttsx3')}; {espeak_version()}"

    def voices(self) -> list[VoiceInfo]:
        out = []
        for base in base_voices().values():
            pools: tuple[tuple[tuple[str, ...], Gender], ...] = (
                (FEMALE_VARIANTS, "female"),
                (MALE_VARIANTS, "male"),
            )
            for pool, gender in pools:
                for v in pool:
                    if v in variants():
                        out.append(
                            VoiceInfo(
                                f"{base.tag}+{v}",
                                f"{base.name}, {variants()[v].name}",
                                base.language,
                                gender,
                            )
                        )
        return out

    def supported_languages(self) -> set[str]:
        return {b.language for b in base_voices().values()}

    def casting_pool(self, language: str, gender: Gender | None) -> list[str]:
        bases = [b for b in PREFERRED_BASES.get(language, ()) if b in base_voices()]
        bases += [t for t, b in base_voices().items() if b.language == language and t not in bases]
        pool = FEMALE_VARIANTS if gender == "female" else MALE_VARIANTS
        if gender is None and len(bases) > 1:
            # The narrator (no gender) starts on the second accent, so it
            # never shares an accent with the first characters cast.
            bases = bases[1:] + bases[:1]
        return [f"{b}+{v}" for b in bases for v in pool if v in variants()]

    def language_variant(self, voice: str, language: str) -> str | None:
        base, variant = split_id(voice)
        if base in base_voices() and base_voices()[base].language == language:
            return voice
        targets = [b for b in PREFERRED_BASES.get(language, ()) if b in base_voices()]
        targets += [t for t, b in base_voices().items() if b.language == language]
        if not targets:
            return None
        return f"{targets[0]}+{variant}" if variant else targets[0]

    def sample_rate(self, voice: str) -> int | None:
        return SAMPLE_RATE

    def pitch_hz(self, voice: str, pitch: int | None) -> float | None:
        return variant_pitch_hz(split_id(voice)[1], DEFAULT_PITCH if pitch is None else pitch)

    def family(self, voice: str) -> str:
        return f"espeak:{variant_family(split_id(voice)[1])}"

    def is_valid_voice(self, voice: str) -> bool:
        base, variant = split_id(voice)
        return base in base_voices() and (variant is None or variant in variants())

    def _espeak_name(self, voice: str) -> str:
        base, variant = split_id(voice)
        if not self.is_valid_voice(voice):
            raise EngineError(f"unknown voice {voice!r}; list valid ones with `audiobook voices`")
        ident = base_voices()[base].identifier
        return f"{ident}+{variant}" if variant else ident

    def warm(self) -> None:
        if self._child is None and not _spare:
            _spare.append(_VoiceWorker())  # if never taken, it goes at this process's exit
            _at_exit_once()

    def _worker(self) -> _VoiceWorker:
        # One child per engine is enough: it never speaks itself, it forks a
        # fresh speaker per clip, so no voice ever inherits another's state.
        if self._child is None or not self._child.alive():
            self._child = _take_spare() or _VoiceWorker()
        return self._child

    def render(self, text: str, settings: VoiceSettings, path: Path) -> None:
        text = _CONTROL.sub(" ", text).strip()
        if not re.search(r"\w", text):
            raise EngineError(f"nothing to speak in {text[:40]!r}")
        name = self._espeak_name(settings.voice)
        rate = settings.rate or DEFAULT_RATE
        pitch = DEFAULT_PITCH if settings.pitch is None else settings.pitch
        self._worker().render(split_text(text, MAX_PIECE), name, rate, pitch, path)
        with wave.open(str(path), "rb") as w:
            seconds = w.getnframes() / w.getframerate()
        low, high = plausible_seconds(text, rate)
        if not low <= seconds <= high:
            raise ImplausibleClip(
                f"it lasts {seconds:.2f} s where {low:.2f}-{high:.2f} s was expected"
            )

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None


# A worker started ahead (``warm``), while the front end runs: the first engine of this
# process to speak takes it. It holds no voice or engine state of its own (every request
# names its voice and is spoken by a fresh fork), so any engine may adopt it.
_spare: list[_VoiceWorker] = []


def _take_spare() -> _VoiceWorker | None:
    while _spare:
        worker = _spare.pop()
        if worker.alive():
            return worker
        worker.close()
    return None


class _VoiceWorker:
    """A child process speaking through pyttsx3, fed JSON lines on stdin.

    A plain subprocess rather than multiprocessing: engines live inside
    daemonic pool workers, which may not start multiprocessing children.
    """

    def __init__(self) -> None:
        # The file, not `-m audiobook.audio.engines.pyttsx3_worker`: -m would import the
        # engines package first (pluggy, the model), ~0.05 s of CPU a start for nothing the
        # worker uses. -P keeps this folder (base.py...) off its sys.path; the folder this
        # audiobook package was imported from goes first on it, as -m's current folder did.
        worker = Path(__file__).with_name("pyttsx3_worker.py")
        root = str(worker.parents[3])
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        with stop_signals_blocked():  # it ignores them itself once started
            self.proc = subprocess.Popen(
                [sys.executable, "-P", str(worker), str(os.getpid())],
                env={**os.environ, "PYTHONPATH": path},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                bufsize=1,
            )
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None and stdout is not None  # both opened as pipes above
        self.stdin, self.stdout = stdin, stdout

    def alive(self) -> bool:
        return self.proc.poll() is None

    def render(self, pieces: list[str], name: str, rate: int, pitch: int, path: Path) -> None:
        request = {"pieces": pieces, "voice": name, "rate": rate, "pitch": pitch, "path": str(path)}
        try:
            self.stdin.write(json.dumps(request) + "\n")
            self.stdin.flush()
            reply = json.loads(self.stdout.readline() or '{"error": "espeak worker died"}')
        except (BrokenPipeError, ValueError) as exc:
            reply = {"error": f"espeak worker failed: {exc}"}
        if "error" in reply:
            self.close()
            raise EngineError(reply["error"])

    def close(self) -> None:
        """End of input: the worker exits by itself, while this process goes on (a build
        has its chapters to encode); it is waited for at this process's exit."""
        if self.alive():
            self.stdin.close()
            # Those stopped before are reaped now if done: a long-lived process (the studio)
            # closes an engine per preview and keeps no zombies.
            _exiting[:] = [proc for proc in _exiting if proc.poll() is None]
            _exiting.append(self.proc)
            _at_exit_once()


_exiting: list[subprocess.Popen] = []  # workers told to stop, not yet waited for


@cache
def _at_exit_once() -> None:
    atexit.register(_at_exit)


def _at_exit() -> None:
    """Spare workers never taken are told to stop; every worker told to stop is waited for."""
    while _spare:
        _spare.pop().close()
    while _exiting:
        proc = _exiting.pop()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
