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

Checking cheaply first: the record also holds the WAV's size and modification time and a
checksum of the record itself. ``get`` checks those (a rewritten, truncated or swapped WAV
has another size or time; an edited record fails its own checksum) and trusts the audio
only then, without reading it; the samples' SHA-256 is checked when the audio is used
(``read_pcm``), and an entry failing there is removed so the next build renders it
again. A rebuild that encodes nothing reads no audio at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from audiobook.audio.cachedir import touch
from audiobook.audio.clipaudio import CHANNELS, RATES, WIDTH, BadClip, read_clip
from audiobook.errors import OutputError
from audiobook.fsutil import PARTIAL, remove_partials
from audiobook.model import Clip

VoiceStamp = Callable[[str], str]  # an engine's voice_stamp
FORMAT = 2  # bump when the stored audio or statistics change meaning


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


def clip_key(clip: Clip, engine: str, engine_version: str, voice_stamp: str = "") -> str:
    settings = clip.settings
    parts = [FORMAT, engine, engine_version, settings.voice, settings.rate, settings.pitch]
    parts.append(clip.text)
    if voice_stamp:  # only engines whose voices are files have one: other keys stay as they were
        parts.append(voice_stamp)
    blob = json.dumps(parts, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:40]


def audioop() -> ModuleType:
    """The C sample maths pydub uses too (audioop-lts from Python 3.13), without its warning."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import audioop as module
    return module


def _read_clip(path: Path) -> tuple[int, bytes]:
    """Rate and PCM of a stored clip: FLAC, or WAV in caches written before FLAC."""
    if path.suffix != ".flac":
        return _read_wav(path)
    from audiobook.audio import flac

    try:
        audio = flac.read(path)
    except flac.FlacError as exc:
        raise CacheFault(f"{path} is not a readable FLAC ({exc})") from exc
    if audio.channels != CHANNELS or not audio.pcm16:
        bits = "16-bit" if audio.pcm16 else "not 16-bit"
        raise CacheFault(f"{path} is {audio.channels}-channel {bits}, not mono 16-bit")
    if audio.rate not in RATES:
        raise CacheFault(f"{path} has an implausible sample rate {audio.rate}")
    if len(audio.pcm) != audio.frames * WIDTH:
        raise CacheFault(f"{path} is truncated")
    return audio.rate, audio.pcm


def _write_flac(path: Path, rate: int, pcm: bytes) -> None:
    """Losslessly compressed: half the bytes of the WAV (espeak speech, 16-bit mono).

    The strongest FLAC setting: on the Great Expectations clips 0.50 of the WAV's disk
    with the records (0.52 at the default), for ~40% more encoding time, which workers
    spend in parallel with speech.
    """
    from audiobook.audio import flac

    flac.write(path, rate, pcm, level=1.0)


def _read_wav(path: Path) -> tuple[int, bytes]:
    """Rate and PCM of a mono 16-bit WAV (read with pydub); CacheFault for anything else."""
    try:
        clip = read_clip(path)
    except BadClip as exc:
        raise CacheFault(str(exc)) from exc
    return clip.frame_rate, clip.raw_data


def measure_pcm(path: Path, rate: int, data: bytes) -> ClipAudio:
    frames = len(data) // WIDTH
    ops = audioop()
    rms = ops.rms(data, WIDTH) / 32768 if data else 0.0
    peak = ops.max(data, WIDTH) / 32768 if data else 0.0
    return ClipAudio(path, frames, rate, rms * rms * frames, peak, hashlib.sha256(data).hexdigest())


def measure_wav(path: Path) -> ClipAudio:
    """Read a stored clip (or a rendered WAV) and compute its level statistics and checksum."""
    rate, data = _read_clip(path)
    return measure_pcm(path, rate, data)


def read_pcm(clip: ClipAudio) -> bytes:
    """The clip's PCM, checked against its checksum; a damaged entry is removed."""
    try:
        rate, data = _read_clip(clip.path)
    except (CacheFault, OSError):
        rate, data = 0, b""
    if clip.sha256 and (rate != clip.rate or hashlib.sha256(data).hexdigest() != clip.sha256):
        for path in (clip.path.with_suffix(".json"), clip.path):
            with contextlib.suppress(OSError):
                path.unlink()  # the next build renders it again
        raise OutputError(
            f"cached clip {clip.path} is damaged or changed during the build; run the build "
            "again (the damaged clip will be rendered again)"
        )
    return data


def _finite(value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CacheFault(f"statistic {value!r} is not a number")
    if not (math.isfinite(value) and low <= value <= high):
        raise CacheFault(f"statistic {value!r} is out of range")
    return float(value)


def _record_sum(meta: dict) -> str:
    body = {k: v for k, v in meta.items() if k != "record_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _file_stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def check_record(key: str, meta: dict, wav: Path, st: os.stat_result | None = None) -> ClipAudio:
    """The clip ``meta`` describes, if the record is whole and ``wav`` is the file it was
    written with (size and time); the samples themselves are checked by ``read_pcm``."""
    if not isinstance(meta, dict) or meta.get("key") != key or meta.get("format") != FORMAT:
        raise CacheFault(f"{wav}: record is for another clip or cache format")
    if meta.get("record_sha256") != _record_sum(meta):
        raise CacheFault(f"{wav}: record was changed after it was written")
    frames = meta.get("frames")
    if not isinstance(frames, int) or isinstance(frames, bool) or frames <= 0:
        raise CacheFault(f"{wav}: bad frame count {frames!r}")
    sumsq = _finite(meta.get("sumsq"), 0.0, float(frames))
    peak = _finite(meta.get("peak"), 0.0, 1.0)
    rate = meta.get("rate")
    if not isinstance(rate, int) or rate not in RATES or not isinstance(meta.get("sha256"), str):
        raise CacheFault(f"{wav}: bad rate or checksum in its record")
    try:
        stamp = [st.st_size, st.st_mtime_ns] if st is not None else _file_stamp(wav)
        if meta.get("file") != stamp:
            raise CacheFault(f"{wav}: not the file its record was written with")
    except OSError as exc:
        raise CacheFault(f"{wav}: missing") from exc
    return ClipAudio(wav, frames, rate, sumsq, peak, meta["sha256"])


def _record(key: str, audio: ClipAudio, stamp: list[int]) -> dict:
    record = {
        "key": key,
        "format": FORMAT,
        "channels": CHANNELS,
        "width": WIDTH,
        "rate": audio.rate,
        "frames": audio.frames,
        "sumsq": audio.sumsq,
        "peak": audio.peak,
        "sha256": audio.sha256,
        "file": stamp,  # size and modification time of the WAV as stored
    }
    record["record_sha256"] = _record_sum(record)
    return record


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
    def __init__(
        self,
        root: Path,
        engine: str,
        engine_version: str,
        create: bool = True,
        voice_stamp: VoiceStamp | None = None,
    ) -> None:
        """``voice_stamp``: the engine's ``voice_stamp``, part of each clip's key."""
        self.root = root / "clips"
        self.engine = engine
        self.engine_version = engine_version
        self._voice_stamp = voice_stamp
        self._stamps: dict[str, str] = {}  # voice -> stamp, asked once per voice
        if create:  # a dry run only looks
            self.root.mkdir(parents=True, exist_ok=True)

    def contains(self, key: str) -> bool:
        """An entry is there (not verified: for estimates, not for use)."""
        return self.clip_path(key).is_file() or self.wav_path(key).is_file()

    def key(self, clip: Clip) -> str:
        return clip_key(clip, self.engine, self.engine_version, self.stamp(clip.settings.voice))

    def stamp(self, voice: str) -> str:
        if self._voice_stamp is None:
            return ""
        if voice not in self._stamps:
            self._stamps[voice] = self._voice_stamp(voice)
        return self._stamps[voice]

    def clip_path(self, key: str) -> Path:
        """Where the clip is stored (FLAC)."""
        return Path(self.clip_file(key))

    def clip_file(self, key: str) -> str:
        """``clip_path`` as a string: a rebuild checks thousands, and building a Path costs
        more than the ``stat``."""
        return f"{self.root}{os.sep}{key[:2]}{os.sep}{key}.flac"

    def wav_path(self, key: str) -> Path:
        """Where a cache from before FLAC stored the clip (still read)."""
        return self.root / key[:2] / f"{key}.wav"

    def get(self, key: str) -> ClipAudio | None:
        """The cached clip, verified against its record; None when missing or faulty."""
        wav = self.clip_path(key)
        try:
            meta = json.loads(wav.with_suffix(".json").read_bytes())
            try:
                st = wav.stat()
            except FileNotFoundError:  # a cache from before FLAC: the same record, a WAV
                wav = self.wav_path(key)
                st = wav.stat()
            if isinstance(meta, dict) and "record_sha256" not in meta:
                found = self._upgrade(key, meta, wav)
            else:
                found = check_record(key, meta, wav, st)
        except (OSError, ValueError, UnicodeDecodeError):  # CacheFault is a ValueError
            return None
        touch(wav, st)  # used: the last to go when the cache is pruned
        return found

    def _upgrade(self, key: str, meta: dict, wav: Path) -> ClipAudio:
        """An entry from before records checked themselves: verify its audio in full once,
        then write the record anew (so an existing cache is not rendered again)."""
        audio = measure_wav(wav)
        same = (audio.sha256, audio.frames, audio.rate) == (
            meta.get("sha256"),
            meta.get("frames"),
            meta.get("rate"),
        )
        if meta.get("key") != key or meta.get("format") != FORMAT or not same:
            raise CacheFault(f"{wav}: audio does not match its record")
        record = json.dumps(_record(key, audio, _file_stamp(wav)))
        meta_path = wav.with_suffix(".json")
        tmp = meta_path.with_name(f".{meta_path.name}{PARTIAL}{os.getpid()}")
        tmp.write_text(record, encoding="utf-8")
        os.replace(tmp, meta_path)
        return audio

    def store(self, key: str, rendered: Path) -> ClipAudio:
        """Store a finished WAV in the cache as FLAC (record first: the audio marks the entry
        whole). The rendered WAV is removed.

        Raises CacheFault when the rendered file is not usable audio (wrong format, no samples,
        digital silence): the caller renders it again.
        """
        rate, pcm = _read_wav(rendered)
        audio = measure_pcm(rendered, rate, pcm)
        if audio.frames <= 0 or audio.peak <= 0.0:
            raise CacheFault(f"{rendered} holds no sound")
        stored = self.clip_path(key)
        stored.parent.mkdir(parents=True, exist_ok=True)
        flac = stored.with_name(f".{stored.name}{PARTIAL}{os.getpid()}")
        _write_flac(flac, rate, pcm)
        meta = stored.with_suffix(".json")
        tmp = meta.with_name(f".{meta.name}{PARTIAL}{os.getpid()}")
        # os.replace keeps the size and time, so the record can name them before the move
        tmp.write_text(json.dumps(_record(key, audio, _file_stamp(flac))), encoding="utf-8")
        os.replace(tmp, meta)
        os.replace(flac, stored)
        for done in (rendered, self.wav_path(key)):  # the render, an older copy of the clip
            with contextlib.suppress(OSError):
                done.unlink()
        return ClipAudio(stored, audio.frames, audio.rate, audio.sumsq, audio.peak, audio.sha256)

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
