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
from dataclasses import dataclass, replace

from audiobook.audio.assemble import Block, Part
from audiobook.audio.cache import ClipAudio

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


# Sample rates AAC (MPEG-4 audio) encodes at; ffmpeg's own AAC encoder spends at most
# about 4.4 bits per mono sample (asked for 128 kbps at 22.05 kHz it writes 97), measured.
AAC_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
AAC_BITS_PER_SAMPLE = 4.4


def aac_profile(profile: Profile, working_rate: int) -> Profile:
    """The profile an M4B is encoded with: AAC at the voices' own rate when it is lower.

    espeak-ng and most Piper voices speak at 22,050 Hz: resampling that to 44.1 kHz
    adds no sound, only twice the samples to encode (AAC costs ~2.5x LAME per sample).
    The bit rate is the encoder's ceiling at that rate (96 kbps at 22.05 kHz), which
    is more bits per sample than 128 kbps at 44.1 kHz: on espeak speech the decoded
    AAC is 41.0 dB SNR against the mastered PCM, 42.8 dB for 128 kbps at 44.1 kHz.
    ACX takes MP3 only; an M4B is a listening copy, so its rate is not ACX's.
    """
    if working_rate not in AAC_RATES or working_rate >= profile.sample_rate:
        return profile
    ceiling = int(working_rate * AAC_BITS_PER_SAMPLE / 1000) // 8 * 8
    return replace(
        profile, sample_rate=working_rate, aac_bitrate_k=min(profile.aac_bitrate_k, ceiling)
    )


def get_profile(name: str) -> Profile:
    from audiobook.errors import InputError

    if name not in PROFILES:
        raise InputError(f"unknown profile {name!r}; use one of: {', '.join(PROFILES)}")
    return PROFILES[name]


def db(linear: float) -> float:
    return 20 * math.log10(max(linear, 1e-12))


def gain(decibels: float) -> float:
    return 10 ** (decibels / 20)


def voice_gains(
    clips: Iterable[tuple[str, ClipAudio]],
    previous: dict[str, float] | None = None,
    target_db: float = VOICE_TARGET_DB,
) -> dict[str, float]:
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


def part_rms(
    part: Part, audio: dict[str, ClipAudio], voice_of: dict[str, str], voices: dict[str, float]
) -> float:
    """The part's RMS (linear, pauses included) once voices are levelled, from clip statistics."""
    energy = 0.0
    for piece in part.pieces:
        if piece.key is not None:
            clip, g = audio[piece.key], voices.get(voice_of[piece.key], 1.0)
            energy += g * g * clip.sumsq * (piece.frames / clip.frames if clip.frames else 0)
    return math.sqrt(energy / part.frames) if part.frames else 0.0


def file_gain(rms: float, profile: Profile, previous: float | None = None) -> float:
    """The one gain that puts a file at the profile's RMS (held if it barely moved)."""
    if not rms:
        return 1.0
    wanted = gain(profile.rms_db) / rms
    if previous and abs(db(previous) - db(wanted)) <= HOLD_DB:
        return previous
    return round(wanted, 6)


@dataclass(frozen=True)
class Levels:
    """Per-clip gains to apply while streaming, and the encoder's gain after them."""

    clip_gains: dict[str, float]
    encoder_gain: float


def block_levels(
    part: Part,
    block: Block | None,
    voice_of: dict[str, str],
    voices: dict[str, float],
    audio: dict[str, ClipAudio],
    total: float,
) -> Levels:
    """Split voice gain x file gain (``total``) between the PCM stream and the encoder.

    The stream carries as much as fits under full scale (HEADROOM on the
    loudest peak), the encoder's float ``volume`` filter the rest, so no
    sample saturates before the limiter sees it.
    """
    pieces = part.pieces if block is None else part.pieces[block.first : block.last]
    keys = {p.key for p in pieces if p.key is not None}
    wanted = {k: voices.get(voice_of[k], 1.0) * total for k in keys}
    peak = max((audio[k].peak * g for k, g in wanted.items()), default=0.0)
    scale = min(1.0, HEADROOM / peak) if peak else 1.0
    return Levels({k: round(g * scale, 6) for k, g in wanted.items()}, round(1 / scale, 6))


def filter_chain(encoder_gain: float, profile: Profile) -> str:
    """ffmpeg audio filters: the rest of the gain, the limiter, the delivery rate."""
    limit = gain(profile.limit_db)
    return (
        f"volume={encoder_gain:.6f}:precision=float,"
        f"alimiter=limit={limit:.4f}:level=false:latency=1:attack=5:release=80,"
        f"aresample={profile.sample_rate}"
    )
