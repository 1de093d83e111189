"""Clip-level audio through pydub, with its traps closed (real WAV files)."""

from __future__ import annotations

import math
import wave
from array import array

import pytest

from audiobook.audio.assemble import room_tone
from audiobook.audio.clipaudio import BadClip, fit, from_pcm, join, level, read_clip

RATE = 22050


def tone(seconds: float, hz: float = 220.0, amplitude: float = 0.5, rate: int = RATE) -> bytes:
    n = int(seconds * rate)
    samples = array(
        "h", (int(amplitude * 32767 * math.sin(2 * math.pi * hz * i / rate)) for i in range(n))
    )
    return samples.tobytes()


def write_wav(path, pcm: bytes, rate: int = RATE, channels: int = 1) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)


def test_a_clip_reads_back_sample_for_sample(tmp_path):
    pcm = tone(0.5)
    write_wav(tmp_path / "a.wav", pcm)
    clip = read_clip(tmp_path / "a.wav")
    assert clip.raw_data == pcm and clip.frame_rate == RATE and clip.channels == 1


def test_a_truncated_clip_is_refused_though_pydub_would_read_it(tmp_path):
    write_wav(tmp_path / "a.wav", tone(0.5))
    data = (tmp_path / "a.wav").read_bytes()
    (tmp_path / "a.wav").write_bytes(data[:-1000])
    with pytest.raises(BadClip, match="truncated"):
        read_clip(tmp_path / "a.wav")


def test_stereo_and_garbage_are_refused(tmp_path):
    write_wav(tmp_path / "s.wav", tone(0.2) * 2, channels=2)
    with pytest.raises(BadClip, match="2-channel"):
        read_clip(tmp_path / "s.wav")
    (tmp_path / "g.wav").write_bytes(b"RIFF" + b"\x00" * 40)
    with pytest.raises(BadClip, match="not a readable WAV"):
        read_clip(tmp_path / "g.wav")


def test_fit_resamples_then_cuts_or_pads_to_the_exact_slot():
    clip = from_pcm(tone(1.0, rate=16000), 16000)
    longer = fit(clip, RATE, RATE + 500)
    assert longer.frame_rate == RATE and len(longer.raw_data) == 2 * (RATE + 500)
    assert longer.raw_data[-1000:] == b"\0" * 1000  # padding left for room tone
    shorter = fit(clip, RATE, 1000)
    assert len(shorter.raw_data) == 2000


def test_level_is_a_linear_gain_that_saturates():
    clip = from_pcm(tone(0.2, amplitude=0.5), RATE)
    assert abs(level(clip, 0.5).rms / clip.rms - 0.5) < 0.01
    loud = level(clip, 4.0)
    assert loud.max >= 32767 and loud.rms > 1.5 * clip.rms  # clipped at full scale, not wrapped


def test_join_puts_room_tone_between_clips_without_crossfade():
    a, b = from_pcm(tone(0.3), RATE), from_pcm(tone(0.4, hz=330), RATE)
    joined = join([a, b], 0.25, room_tone(int(RATE * 0.25) * 2))
    gap = int(RATE * 0.25) * 2
    assert len(joined.raw_data) == len(a.raw_data) + gap + len(b.raw_data)  # nothing overlaps
    middle = from_pcm(joined.raw_data[len(a.raw_data) : len(a.raw_data) + gap], RATE)
    assert 0 < middle.max < 50  # room tone: never digital zero, far below speech
    assert joined.raw_data.endswith(b.raw_data)
