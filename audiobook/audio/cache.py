"""Content-addressed clip cache.

A clip's key hashes everything that decides how it sounds: its text, voice
settings, the engine's name and version, and the cache format. The WAV sits
beside a small JSON with its level statistics, so loudness can be planned for
a whole book without reading every clip twice. Entries appear by
``os.replace`` only, so a killed build never leaves a broken one; a file that
does not parse anyway (disk trouble) is treated as missing and rendered again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import wave
from dataclasses import asdict, dataclass
from pathlib import Path

from audiobook.fsutil import PARTIAL, remove_partials
from audiobook.model import Clip

FORMAT = 1  # bump when the stored audio or statistics change meaning


@dataclass(frozen=True)
class ClipAudio:
    """A rendered clip and what mastering needs to know about its level."""

    path: Path
    frames: int
    rate: int
    sumsq: float  # sum of squared samples, full scale = 1.0
    peak: float  # largest absolute sample, full scale = 1.0


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "audiobook"


def clip_key(clip: Clip, engine: str, engine_version: str) -> str:
    settings = clip.settings
    blob = json.dumps(
        [FORMAT, engine, engine_version, settings.voice, settings.rate, settings.pitch, clip.text],
        ensure_ascii=False,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40]


def audioop():
    """The C sample maths pydub uses too (audioop-lts from Python 3.13), without its warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop as module
    return module


def measure_wav(path: Path) -> ClipAudio:
    """Read a mono 16-bit WAV and compute its level statistics."""
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path} is not mono 16-bit")
        rate, frames = w.getframerate(), w.getnframes()
        data = w.readframes(frames)
    ops = audioop()
    rms = ops.rms(data, 2) / 32768 if data else 0.0
    peak = ops.max(data, 2) / 32768 if data else 0.0
    return ClipAudio(path, frames, rate, rms * rms * frames, peak)


class ClipCache:
    def __init__(self, root: Path, engine: str, engine_version: str):
        self.root = root / "clips"
        self.engine = engine
        self.engine_version = engine_version
        self.root.mkdir(parents=True, exist_ok=True)

    def key(self, clip: Clip) -> str:
        return clip_key(clip, self.engine, self.engine_version)

    def wav_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> ClipAudio | None:
        """The cached clip, re-checked (stats present, WAV header parses and agrees)."""
        wav = self.wav_path(key)
        try:
            stats = json.loads(wav.with_suffix(".json").read_text())
            with wave.open(str(wav), "rb") as w:
                frames, rate = w.getnframes(), w.getframerate()
            if frames != stats["frames"] or rate != stats["rate"] or frames <= 0:
                return None
            if wav.stat().st_size < 44 + 2 * frames:
                return None
            return ClipAudio(wav, frames, rate, float(stats["sumsq"]), float(stats["peak"]))
        except (OSError, ValueError, KeyError, EOFError, wave.Error):
            return None

    def store(self, key: str, rendered: Path) -> ClipAudio:
        """Move a finished WAV into the cache (stats first: the WAV marks the entry whole)."""
        audio = measure_wav(rendered)
        wav = self.wav_path(key)
        wav.parent.mkdir(parents=True, exist_ok=True)
        stats = {k: v for k, v in asdict(audio).items() if k != "path"}
        meta = wav.with_suffix(".json")
        tmp = meta.with_name(f".{meta.name}{PARTIAL}{os.getpid()}")
        tmp.write_text(json.dumps(stats))
        os.replace(tmp, meta)
        os.replace(rendered, wav)
        return ClipAudio(wav, audio.frames, audio.rate, audio.sumsq, audio.peak)

    def scratch(self, key: str) -> Path:
        """Where a worker renders a clip before it is stored (same filesystem)."""
        folder = self.root / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f".{key}.wav{PARTIAL}{os.getpid()}"

    def clean(self) -> None:
        """Drop scratch files of renders that were killed."""
        for folder in self.root.iterdir():
            if folder.is_dir():
                with contextlib.suppress(OSError):
                    remove_partials(folder)
