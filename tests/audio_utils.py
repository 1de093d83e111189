"""Measure rendered audio the way a listener's tools would: ffprobe and PCM maths."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

RATE = 16000  # analysis rate; plenty for level and pitch


def probe(path: Path) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def pcm(path: Path, start_ms: float = 0, end_ms: float | None = None) -> np.ndarray:
    args = ["ffmpeg", "-v", "error", "-i", str(path), "-ss", f"{start_ms / 1000:.3f}"]
    if end_ms is not None:
        args += ["-t", f"{(end_ms - start_ms) / 1000:.3f}"]
    args += ["-f", "s16le", "-ac", "1", "-ar", str(RATE), "-"]
    raw = subprocess.run(args, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768.0


def span(samples: np.ndarray, start_ms: float, end_ms: float) -> np.ndarray:
    """A stretch of PCM decoded once with ``pcm(path)``: one ffmpeg run, not one per span."""
    return samples[max(0, int(start_ms * RATE / 1000)) : max(0, int(end_ms * RATE / 1000))]


def db(x: float) -> float:
    return 20 * np.log10(max(x, 1e-9))


def rms_db(samples: np.ndarray) -> float:
    return db(float(np.sqrt(np.mean(samples**2))))


def peak_db(samples: np.ndarray) -> float:
    return db(float(np.max(np.abs(samples))))


def median_pitch_hz(samples: np.ndarray) -> float:
    """Median fundamental frequency over voiced 40 ms frames (autocorrelation)."""
    frame, hop = int(0.04 * RATE), int(0.02 * RATE)
    lo, hi = RATE // 400, RATE // 60  # 60-400 Hz
    loud = np.sqrt(np.mean(samples**2)) * 0.5
    pitches = []
    for i in range(0, len(samples) - frame, hop):
        x = samples[i : i + frame]
        if np.sqrt(np.mean(x**2)) < loud:
            continue
        x = x - x.mean()
        ac = np.correlate(x, x, "full")[frame - 1 :]
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            pitches.append(RATE / lag)
    return float(np.median(pitches)) if pitches else 0.0
