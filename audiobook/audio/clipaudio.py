"""Clip-level audio through pydub's AudioSegment: read and check a clip, fit it to
its slot, level it, join a few clips for a preview.

A chapter is never one AudioSegment: pydub holds all of it in memory and ``+``
copies, so ``assemble.stream_part`` hands the encoder one fitted, levelled clip
at a time. The pydub traps are handled here, once:

- a WAV whose data chunk is shorter than its header says is read without a
  word by pydub: the length is checked against the header (a truncated clip);
- ``append`` crossfades 100 ms by default: joins concatenate with no crossfade;
- ``AudioSegment.silent`` is digital zero at 11025 Hz by default: gaps and
  padding are the build's room tone, at the clip's own rate.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

with warnings.catch_warnings():  # pydub warns at import when ffmpeg is not on PATH
    warnings.simplefilter("ignore")
    from pydub import AudioSegment
    from pydub.audio_segment import extract_wav_headers
    from pydub.exceptions import CouldntDecodeError

CHANNELS, WIDTH = 1, 2  # every clip is mono 16-bit PCM
RATES = range(8000, 192001)  # a sample rate outside this is a damaged header


class BadClip(ValueError):
    """A clip file that is not the mono 16-bit WAV it should be."""


def read_clip(path: Path) -> AudioSegment:
    """The clip at ``path``, checked: mono, 16-bit, a plausible rate, not truncated."""
    try:
        data = path.read_bytes()
        clip = AudioSegment(data=data)
        declared = extract_wav_headers(data)[-1].size
    except (CouldntDecodeError, IndexError, ValueError, EOFError) as exc:
        raise BadClip(f"{path} is not a readable WAV ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - struct.error and friends from a mangled header
        raise BadClip(f"{path} is not a readable WAV ({type(exc).__name__})") from exc
    if clip.channels != CHANNELS or clip.sample_width != WIDTH:
        raise BadClip(
            f"{path} is {clip.channels}-channel {8 * clip.sample_width}-bit, not mono 16-bit"
        )
    if clip.frame_rate not in RATES:
        raise BadClip(f"{path} has an implausible sample rate {clip.frame_rate}")
    if len(clip.raw_data) != declared:
        raise BadClip(f"{path} is truncated")
    return clip


def from_pcm(data: bytes, rate: int) -> AudioSegment:
    """Mono 16-bit PCM (already checked) as a segment."""
    return AudioSegment(data=data, sample_width=WIDTH, frame_rate=rate, channels=CHANNELS)


def fit(clip: AudioSegment, rate: int, frames: int) -> AudioSegment:
    """The clip at ``rate``, exactly ``frames`` long: cut, or padded at the end.

    The padding is digital zero here; ``assemble.fill_digital_silence`` turns
    every such run, and the engine's own, into room tone after levelling.
    """
    if clip.frame_rate != rate:
        clip = clip.set_frame_rate(rate)  # audioop.ratecv, as the encoder plan assumes
    size = frames * WIDTH
    data = clip.raw_data
    if len(data) == size:
        return clip
    return from_pcm(data[:size].ljust(size, b"\0"), rate)


def level(clip: AudioSegment, gain: float) -> AudioSegment:
    """The clip times a linear ``gain`` (samples saturate, never wrap)."""
    if gain == 1.0:
        return clip
    return clip.apply_gain(20 * math.log10(gain))


def join(clips: list[AudioSegment], gap_seconds: float, tone: bytes) -> AudioSegment:
    """Clips one after another with ``gap_seconds`` of room tone between, no crossfade.

    ``tone`` is room tone PCM at the clips' rate, at least as long as a gap.
    """
    if not clips:
        raise ValueError("nothing to join")
    rate = clips[0].frame_rate
    gap = from_pcm(tone[: int(rate * gap_seconds) * WIDTH], rate)
    out = clips[0]
    for clip in clips[1:]:
        out = out.append(gap, crossfade=0).append(clip.set_frame_rate(rate), crossfade=0)
    return out
