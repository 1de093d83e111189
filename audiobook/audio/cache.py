"""Content-addressed clip cache that verifies what it returns.

A clip's key hashes everything that decides how it sounds: its text, voice
settings, the engine's name and version, and the cache format. The WAV sits
beside a small JSON holding the key, the audio format, the level statistics
and a SHA-256 of the PCM. Entries appear by ``os.replace`` only, so a killed
build never leaves a broken one; and nothing on disk is trusted: ``get``
re-reads the audio and checks it against its record (key, channels, sample
width, rate, frame count, checksum, finite statistics that match the samples),
so zeroed or bit-flipped PCM, another clip's audio under this key, a stereo or
wrong-rate WAV or a NaN in the statistics count as missing and are rendered
again. The audio is checked once more as it is streamed into a chapter
(``read_pcm``), so a file changed during a build is never encoded silently.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import wave
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import OutputError
from audiobook.fsutil import PARTIAL, remove_partials
from audiobook.model import Clip

FORMAT = 2  # bump when the stored audio or statistics change meaning
CHANNELS, WIDTH = 1, 2  # every clip is mono 16-bit PCM
RATES = range(8000, 192001)  # a sample rate outside this is a damaged header
_STAT_TOLERANCE = 1e-6  # stored vs re-measured statistics (float round trip)


@dataclass(frozen=True)
class ClipAudio:
    """A rendered clip and what mastering needs to know about its level."""

    path: Path
    frames: int
    rate: int
    sumsq: float  # sum of squared samples, full scale = 1.0
    peak: float  # largest absolute sample, full scale = 1.0
    sha256: str = ""  # of the PCM frames; checked again when the audio is read


class CacheFault(ValueError):
    """A cache entry (or a file written for it) that is not what it claims to be."""


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


def _read_wav(path: Path) -> tuple[int, bytes]:
    """Rate and PCM of a mono 16-bit WAV; CacheFault for anything else or a short file."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.getnframes()
            if channels != CHANNELS or width != WIDTH:
                raise CacheFault(f"{path} is {channels}-channel {8 * width}-bit, not mono 16-bit")
            if rate not in RATES:
                raise CacheFault(f"{path} has an implausible sample rate {rate}")
            data = w.readframes(frames)
    except (EOFError, wave.Error) as exc:
        raise CacheFault(f"{path} is not a readable WAV ({exc})") from exc
    if len(data) != frames * WIDTH:
        raise CacheFault(f"{path} is truncated")
    return rate, data


def measure_pcm(path: Path, rate: int, data: bytes) -> ClipAudio:
    frames = len(data) // WIDTH
    ops = audioop()
    rms = ops.rms(data, WIDTH) / 32768 if data else 0.0
    peak = ops.max(data, WIDTH) / 32768 if data else 0.0
    return ClipAudio(path, frames, rate, rms * rms * frames, peak, hashlib.sha256(data).hexdigest())


def measure_wav(path: Path) -> ClipAudio:
    """Read a mono 16-bit WAV and compute its level statistics and checksum."""
    rate, data = _read_wav(path)
    return measure_pcm(path, rate, data)


def read_pcm(clip: ClipAudio) -> bytes:
    """The clip's PCM, checked against the checksum it was verified with."""
    rate, data = _read_wav(clip.path)
    if clip.sha256 and (rate != clip.rate or hashlib.sha256(data).hexdigest() != clip.sha256):
        raise OutputError(
            f"cached clip {clip.path} changed during the build; run the build again "
            "(the damaged clip will be rendered again)"
        )
    return data


def _finite(value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CacheFault(f"statistic {value!r} is not a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise CacheFault(f"statistic {value!r} is out of range")
    return float(value)


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _STAT_TOLERANCE * max(1.0, abs(a), abs(b))


def verify_entry(key: str, meta: dict, wav: Path) -> ClipAudio:
    """The clip at ``wav`` if it is exactly what ``meta`` (its record) says; else CacheFault."""
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("format") != FORMAT:
        raise CacheFault(f"{wav}: record is for another clip or cache format")
    frames = meta.get("frames")
    if not isinstance(frames, int) or isinstance(frames, bool) or frames <= 0:
        raise CacheFault(f"{wav}: bad frame count {frames!r}")
    sumsq = _finite(meta.get("sumsq"), 0.0, float(frames))
    peak = _finite(meta.get("peak"), 0.0, 1.0)
    rate, data = _read_wav(wav)
    measured = measure_pcm(wav, rate, data)
    if (
        measured.sha256 != meta.get("sha256")
        or measured.frames != frames
        or measured.rate != meta.get("rate")
    ):
        raise CacheFault(f"{wav}: audio does not match its checksum")
    if not (_close(measured.sumsq, sumsq) and _close(measured.peak, peak)):
        raise CacheFault(f"{wav}: statistics do not match the audio")
    return measured


def _record(key: str, audio: ClipAudio) -> dict:
    return {
        "key": key,
        "format": FORMAT,
        "channels": CHANNELS,
        "width": WIDTH,
        "rate": audio.rate,
        "frames": audio.frames,
        "sumsq": audio.sumsq,
        "peak": audio.peak,
        "sha256": audio.sha256,
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def seal(path: Path) -> None:
    """Record a finished cached file's size and checksum beside it (``NAME.json``)."""
    record = path.with_suffix(".json")
    tmp = record.with_name(f".{record.name}{PARTIAL}{os.getpid()}")
    tmp.write_text(json.dumps({"size": path.stat().st_size, "sha256": file_sha256(path)}))
    os.replace(tmp, record)


def sealed(path: Path) -> bool:
    """The file is exactly as :func:`seal` recorded it (not truncated, flipped or replaced)."""
    try:
        record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        return (
            isinstance(record, dict)
            and record.get("size") == path.stat().st_size
            and record.get("sha256") == file_sha256(path)
        )
    except (OSError, ValueError):
        return False


class ClipCache:
    def __init__(self, root: Path, engine: str, engine_version: str, create: bool = True):
        self.root = root / "clips"
        self.engine = engine
        self.engine_version = engine_version
        if create:  # a dry run only looks
            self.root.mkdir(parents=True, exist_ok=True)

    def contains(self, key: str) -> bool:
        """An entry is there (not verified: for estimates, not for use)."""
        return self.wav_path(key).is_file()

    def key(self, clip: Clip) -> str:
        return clip_key(clip, self.engine, self.engine_version)

    def wav_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> ClipAudio | None:
        """The cached clip, verified against its record; None when missing or faulty."""
        wav = self.wav_path(key)
        try:
            meta = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
            return verify_entry(key, meta, wav)
        except (OSError, ValueError, UnicodeDecodeError):  # CacheFault is a ValueError
            return None

    def store(self, key: str, rendered: Path) -> ClipAudio:
        """Move a finished WAV into the cache (record first: the WAV marks the entry whole).

        Raises CacheFault when the rendered file is not usable audio (wrong format, no samples,
        digital silence): the caller renders it again.
        """
        audio = measure_wav(rendered)
        if audio.frames <= 0 or audio.peak <= 0.0:
            raise CacheFault(f"{rendered} holds no sound")
        wav = self.wav_path(key)
        wav.parent.mkdir(parents=True, exist_ok=True)
        meta = wav.with_suffix(".json")
        tmp = meta.with_name(f".{meta.name}{PARTIAL}{os.getpid()}")
        tmp.write_text(json.dumps(_record(key, audio)), encoding="utf-8")
        os.replace(tmp, meta)
        os.replace(rendered, wav)
        return ClipAudio(wav, audio.frames, audio.rate, audio.sumsq, audio.peak, audio.sha256)

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
