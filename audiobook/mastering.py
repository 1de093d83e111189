"""Loudness plan and delivery profiles (ACX numbers).

Levels are matched in two steps, never per clip: every *voice* gets one
gain that brings its average loudness (over all its clips in the book) to a
common level, so characters sound equally loud; then every *file* gets one
gain that puts its RMS (pauses included, as ACX measures it) at the target.
Both are computed from the clip statistics in the cache, before any audio
is streamed, so mastering costs no extra pass. A look-ahead limiter in the
encoder catches the few peaks the gain would push over the ceiling.

A voice gain that moved less than ``HOLD_DB`` since the last build is kept
as it was: editing one paragraph then leaves every other chapter's audio,
and so its file, untouched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .assemble import Part
from .cache import ClipAudio

HOLD_DB = 0.5
VOICE_TARGET_DB = -18.0  # speech loudness every voice is brought to
HEADROOM = 0.97  # largest sample sent to the encoder, so int16 never saturates


@dataclass(frozen=True)
class Profile:
    name: str
    sample_rate: int
    bitrate_k: int
    rms_db: float = -19.0  # the limiter takes ~1 dB back: lands near -20, mid -23..-18
    rms_range: tuple[float, float] = (-23.0, -18.0)
    peak_db: float = -3.0  # ceiling checked on the file
    limit_db: float = -4.5  # limiter ceiling: room for resampling and MP3 overshoot
    noise_floor_db: float = -60.0
    head: tuple[float, float] = (0.5, 1.0)
    tail: tuple[float, float] = (1.0, 5.0)
    max_minutes: float = 120.0
    aac_bitrate_k: int = 128


PROFILES = {
    "acx": Profile("acx", 44100, 192),
    "compact": Profile("compact", 22050, 64, aac_bitrate_k=48),
}


def get_profile(name: str) -> Profile:
    from .errors import InputError

    if name not in PROFILES:
        raise InputError(f"unknown profile {name!r}; use one of: {', '.join(PROFILES)}")
    return PROFILES[name]


def db(linear: float) -> float:
    return 20 * math.log10(max(linear, 1e-12))


def gain(decibels: float) -> float:
    return 10 ** (decibels / 20)


def voice_gains(clips: Iterable[tuple[str, ClipAudio]], previous: dict[str, float] | None = None,
                target_db: float = VOICE_TARGET_DB) -> dict[str, float]:
    """One linear gain per voice: its clips' average RMS brought to ``target_db``.

    ``clips`` pairs a voice label with each clip it spoke (each clip once).
    """
    energy: dict[str, float] = {}
    frames: dict[str, int] = {}
    for voice, clip in clips:
        energy[voice] = energy.get(voice, 0.0) + clip.sumsq
        frames[voice] = frames.get(voice, 0) + clip.frames
    out = {}
    for voice, total in energy.items():
        level = db(math.sqrt(total / frames[voice])) if frames[voice] else target_db
        wanted = target_db - level
        held = (previous or {}).get(voice)
        if held is not None and abs(db(held) - wanted) <= HOLD_DB:
            out[voice] = held
        else:
            out[voice] = round(gain(wanted), 6)
    return out


@dataclass(frozen=True)
class PartLevels:
    """Per-clip gains to apply while streaming, and the encoder's gain after them."""

    clip_gains: dict[str, float]
    encoder_gain: float
    predicted_rms_db: float


def part_levels(part: Part, audio: dict[str, ClipAudio], voice_of: dict[str, str],
                voices: dict[str, float], profile: Profile) -> PartLevels:
    """Gains that put the part's RMS at the profile's target.

    The RMS is predicted from clip statistics: sum of gain² × energy over the
    part's length. The part's gain is split between the PCM stream (as much as
    fits under full scale) and the encoder's float ``volume`` filter (the rest).
    """
    energy, peak = 0.0, 0.0
    for piece in part.pieces:
        if piece.key is None:
            continue
        clip, g = audio[piece.key], voices.get(voice_of[piece.key], 1.0)
        energy += g * g * clip.sumsq * (piece.frames / clip.frames if clip.frames else 0)
        peak = max(peak, g * clip.peak)
    rms = math.sqrt(energy / part.frames) if part.frames and energy else 0.0
    file_gain = gain(profile.rms_db) / rms if rms else 1.0
    # The stream carries the voice gains scaled so the loudest peak sits at HEADROOM.
    stream_scale = HEADROOM / peak if peak else 1.0
    stream_scale = min(stream_scale, file_gain)
    clip_gains = {p.key: voices.get(voice_of[p.key], 1.0) * stream_scale
                  for p in part.pieces if p.key is not None}
    return PartLevels(clip_gains, file_gain / stream_scale, db(rms * file_gain) if rms else -120.0)


def filter_chain(encoder_gain: float, profile: Profile) -> str:
    """ffmpeg audio filters: the rest of the gain, the limiter, the delivery rate."""
    limit = gain(profile.limit_db)
    return (f"volume={encoder_gain:.6f}:precision=float,"
            f"alimiter=limit={limit:.4f}:level=false:latency=1:attack=5:release=80,"
            f"aresample={profile.sample_rate}")
