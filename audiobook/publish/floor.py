"""The noise floor over a whole file: its quietest windows, and any digital silence.

ACX wants room tone under every pause, never dead air: a floor that drops from
room tone to digital zero between words sounds gated, and reviewers flag it. So
the floor is measured everywhere, not only in the head: the file is decoded once
and streamed in windows; the floor is the level of its quietest windows, and the
longest run of digital silence (samples within one step of zero) is reported too.
"""

from __future__ import annotations

import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.assemble import DIGITAL_SILENCE as SILENT
from audiobook.audio.cache import audioop
from audiobook.errors import InputError

WINDOW = 0.05  # seconds: long enough to hold a pause, short enough to find a gap
QUIETEST = 0.01  # the floor is the level under which this share of windows lie
DIGITAL_ZERO_DB = -120.0  # what a window of pure digital silence is reported as


@dataclass(frozen=True)
class Floor:
    floor_db: float  # level of the quietest windows (DIGITAL_ZERO_DB if digital silence)
    longest_silence: float  # seconds: the longest run of digital silence anywhere
    silences: int  # runs of digital silence of 50 ms or more


def measure_floor(path: Path, rate: int = 22050, min_silence: float = 0.05) -> Floor:
    """Decode ``path`` (mono, at ``rate``) and measure its floor and its digital silences."""
    ops = audioop()
    window = max(1, int(rate * WINDOW)) * 2  # bytes
    proc = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:a:0"]
        + ["-ac", "1", "-ar", str(rate), "-f", "s16le", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    levels: list[float] = []
    run = longest = 0  # samples of digital silence: the current run, the longest
    count = 0
    pending = b""
    while True:
        data = proc.stdout.read(window * 200)
        if not data:
            break
        data = pending + data
        usable = len(data) - len(data) % window
        block, pending = data[:usable], data[usable:]
        for i in range(0, usable, window):
            rms = ops.rms(block[i : i + window], 2)
            levels.append(20 * math.log10(rms / 32768) if rms else DIGITAL_ZERO_DB)
        run, longest, count = _silent_runs(block, run, longest, count, int(min_silence * rate))
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise InputError(f"cannot decode {path}: {err.decode(errors='replace').strip()[-200:]}")
    if run >= int(min_silence * rate):
        count += 1
    longest = max(longest, run)
    if not levels:
        return Floor(DIGITAL_ZERO_DB, 0.0, 0)
    levels.sort()
    floor = levels[min(len(levels) - 1, int(len(levels) * QUIETEST))]
    return Floor(round(floor, 1), longest / rate, count)


def _silent_runs(
    block: bytes, run: int, longest: int, count: int, min_samples: int
) -> tuple[int, int, int]:
    """Carry runs of digital silence through ``block``: (current run, longest, how many long)."""
    pos = 0  # samples of the block before the current run's end
    for match in SILENT.finditer(block):
        start, end = match.start() + match.start() % 2, match.end() - match.end() % 2
        if start >= end:
            continue
        if start // 2 == pos and run:  # the run carried in goes on from the block's start
            run += (end - start) // 2
        else:
            if run >= min_samples:
                count += 1
            longest, run = max(longest, run), (end - start) // 2
        pos = end // 2
    if pos != len(block) // 2:  # the block ends in sound: the run is over
        if run >= min_samples:
            count += 1
        longest, run = max(longest, run), 0
    return run, longest, count
