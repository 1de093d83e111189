"""`audiobook check OUTDIR`: measure every audio file against the delivery numbers.

Everything is measured on the files as a listener's tools see them, with
ffprobe (format) and one ffmpeg pass per file (astats for RMS and peak;
silencedetect for the room tone at the head and the tail), then one decode
for the noise floor over the whole file: its quietest windows, and the
longest run of digital silence (see floor.py).
The profile comes from the manifest; without one, from the sample rate.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.audio.mastering import PROFILES, Profile
from audiobook.errors import InputError
from audiobook.ffmpeg import require_ffmpeg
from audiobook.publish import manifest
from audiobook.publish.floor import DIGITAL_ZERO_DB, measure_floor

AUDIO = (".mp3", ".m4b")
MAX_DIGITAL_SILENCE = 0.05  # seconds of digital zero anywhere: more is dead air, not room tone
SILENCE_DB = -50.0  # quieter than any speech sound, louder than the room tone
MIN_SILENCE = 0.15
M4B_MIN_RATE = 22050


@dataclass(frozen=True)
class Row:
    file: str
    metric: str
    value: str
    limit: str
    passed: bool


@dataclass
class CheckReport:
    folder: Path
    profile: str
    rows: list[Row] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(r.passed for r in self.rows)

    @property
    def failures(self) -> list[Row]:
        return [r for r in self.rows if not r.passed]


@dataclass(frozen=True)
class Measures:
    sample_rate: int
    channels: int
    bit_rate: int
    codec: str
    duration: float
    cbr: bool | None  # MP3 only: every frame at one bit rate
    rms_db: float
    peak_db: float
    noise_floor_db: float  # level of the quietest windows anywhere in the file
    head: float  # seconds of silence at the start
    tail: float
    digital_silence: float = 0.0  # seconds: the longest run of digital zero
    silences: int = 0  # runs of digital zero of 50 ms or more


def measure(path: Path) -> Measures:
    info = json.loads(
        _run(
            path,
            [
                "ffprobe",
                "-v",
                "error",
                "-show_format",
                "-show_streams",
                "-select_streams",
                "a:0",
                "-of",
                "json",
                str(path),
            ],
        ).stdout
    )
    streams = info.get("streams") or []
    if not streams:
        raise InputError(f"{path.name} has no audio stream; is it an audio file?")
    stream, fmt = streams[0], info.get("format", {})
    duration = float(fmt.get("duration") or stream.get("duration") or 0)
    log = _run(
        path,
        [
            "ffmpeg",
            "-hide_banner",
            "-nostats",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            f"silencedetect=n={SILENCE_DB}dB:d={MIN_SILENCE},astats=metadata=0",
            "-f",
            "null",
            "-",
        ],
    ).stderr
    overall = log[log.rfind("Overall") :] if "Overall" in log else log
    starts = [float(x) for x in re.findall(r"silence_start: (-?[\d.]+)", log)]
    ends = [float(x) for x in re.findall(r"silence_end: ([\d.]+)", log)]
    head = ends[0] if starts and starts[0] <= 0.05 and ends else 0.0
    tail = duration - starts[-1] if starts and len(starts) > len(ends) else 0.0
    if starts and len(starts) == len(ends) and ends[-1] >= duration - 0.25:
        tail = duration - starts[-1]  # ffmpeg closes a silence that runs to the end
    cbr = _mp3_cbr(path) if stream.get("codec_name") == "mp3" else None
    floor = measure_floor(path, int(stream.get("sample_rate") or 0) or 44100)
    return Measures(
        int(stream.get("sample_rate", 0)),
        int(stream.get("channels", 0)),
        int(stream.get("bit_rate") or fmt.get("bit_rate") or 0),
        stream.get("codec_name", "?"),
        duration,
        cbr,
        _stat(overall, "RMS level dB"),
        _stat(overall, "Peak level dB"),
        floor.floor_db,
        head,
        max(tail, 0.0),
        floor.longest_silence,
        floor.silences,
    )


def _run(path: Path, args: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        args, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise InputError(f"cannot read {path}: {last}; is it a complete audio file?")
    return done


def _stat(log: str, name: str) -> float:
    found = re.findall(rf"{re.escape(name)}: (-?inf|-?[\d.]+)", log)
    return float(found[-1]) if found else math.nan


def _mp3_cbr(path: Path) -> bool:
    """Constant bit rate: every MPEG frame of the file has the same bit rate."""
    from audiobook.publish.export import read_frames

    frames = read_frames(path)
    return frames.count > 0 and len(frames.bitrates) == 1


def _profile_for(folder: Path, files: list[Path]) -> Profile:
    name = manifest.load(folder).profile  # absent or unreadable: no profile
    return PROFILES.get(name, PROFILES["acx"])


def check_outdir(path: Path) -> CheckReport:
    """Every audio file of ``path`` measured; a row per (file, metric)."""
    require_ffmpeg()
    if not path.is_dir():
        raise InputError(f"{path} is not a folder; give the -o folder of a build")
    files = sorted(
        p for p in path.iterdir() if p.suffix.lower() in AUDIO and not p.name.startswith(".")
    )
    if not files:
        raise InputError(f"no .mp3 or .m4b files in {path}; build into it first")
    profile = _profile_for(path, files)
    report = CheckReport(path, profile.name)
    for file in files:
        # One unreadable file fails its own row; the others are still measured and shown.
        try:
            if not file.is_file():  # a FIFO would hang ffprobe, a folder cannot be measured
                raise InputError("not a regular file")
            report.rows.extend(rows_for(file, measure(file), profile))
        except InputError as exc:
            reason = str(exc).removeprefix(f"cannot read {file}: ")
            report.rows.append(Row(file.name, "readable", reason, "an audio file", False))
    return report


def rows_for(file: Path, m: Measures, profile: Profile) -> list[Row]:
    name = file.name
    lo, hi = profile.rms_range
    mp3 = file.suffix.lower() == ".mp3"
    # An M4B is AAC at the voices' own rate (22.05 kHz for espeak-ng), ACX's rate at most.
    low = profile.sample_rate if mp3 else min(M4B_MIN_RATE, profile.sample_rate)
    rows = [
        Row(
            name,
            "sample rate",
            f"{m.sample_rate} Hz",
            f"{profile.sample_rate} Hz"
            if low == profile.sample_rate
            else f"{low}-{profile.sample_rate} Hz",
            low <= m.sample_rate <= profile.sample_rate,
        ),
        Row(name, "channels", str(m.channels), "1 (mono)", m.channels == 1),
    ]
    if mp3:
        rows += [
            Row(
                name,
                "bit rate",
                f"{m.bit_rate // 1000} kbps{' CBR' if m.cbr else ''}",
                f"{profile.bitrate_k} kbps CBR",
                m.bit_rate == profile.bitrate_k * 1000 and bool(m.cbr),
            ),
            Row(
                name,
                "duration",
                f"{m.duration / 60:.1f} min",
                f"<= {profile.max_minutes:.0f} min",
                m.duration <= profile.max_minutes * 60,
            ),
        ]
    rows += [
        Row(name, "RMS", f"{m.rms_db:.1f} dB", f"{lo:.0f} to {hi:.0f} dB", lo <= m.rms_db <= hi),
        Row(
            name,
            "peak",
            f"{m.peak_db:.1f} dB",
            f"<= {profile.peak_db:.0f} dB",
            m.peak_db <= profile.peak_db,
        ),
        Row(
            name,
            "noise floor",
            "digital silence"
            if m.noise_floor_db <= DIGITAL_ZERO_DB
            else f"{m.noise_floor_db:.1f} dB",
            f"room tone <= {profile.noise_floor_db:.0f} dB",
            DIGITAL_ZERO_DB < m.noise_floor_db <= profile.noise_floor_db,
        ),
        Row(
            name,
            "digital silence",
            f"{m.digital_silence * 1000:.0f} ms longest, {m.silences} of 50+ ms",
            f"< {MAX_DIGITAL_SILENCE * 1000:.0f} ms",
            m.digital_silence < MAX_DIGITAL_SILENCE,
        ),
        Row(
            name,
            "head room tone",
            f"{m.head:.2f} s",
            f"{profile.head[0]}-{profile.head[1]} s",
            profile.head[0] <= m.head <= profile.head[1],
        ),
        Row(
            name,
            "tail room tone",
            f"{m.tail:.2f} s",
            f"{profile.tail[0]}-{profile.tail[1]} s",
            profile.tail[0] <= m.tail <= profile.tail[1],
        ),
    ]
    return rows
