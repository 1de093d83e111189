"""audio/flac.py: libsndfile called without numpy writes the same FLAC bytes as soundfile and
reads back the same samples (a real espeak-ng clip); what it cannot read it says so."""

from __future__ import annotations

import subprocess

import numpy
import pytest
import soundfile

from audiobook.audio import flac
from audiobook.audio.cache import CacheFault, _read_clip


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> tuple[int, bytes]:
    wav = tmp_path_factory.mktemp("speech") / "speech.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-w", str(wav), "The lamp glowed red for silver reasons."],
        check=True,
    )
    data, rate = soundfile.read(str(wav), dtype="int16")
    return rate, data.tobytes()


@pytest.mark.parametrize("level", [1.0, 0.5, 0.0])
def test_written_as_soundfile_writes_it_and_read_back(tmp_path, speech, level):
    rate, pcm = speech
    ours, theirs = tmp_path / "ours.flac", tmp_path / "theirs.flac"
    samples = numpy.frombuffer(pcm, dtype="<i2")
    kw = {"format": "FLAC", "subtype": "PCM_16", "compression_level": level}
    soundfile.write(str(theirs), samples, rate, **kw)
    ours.write_bytes(b"x" * 10_000_000)  # an older, longer file in the way is replaced
    flac.write(ours, rate, pcm, level=level)
    assert ours.read_bytes() == theirs.read_bytes()
    audio = flac.read(ours)
    assert (audio.rate, audio.channels, audio.pcm16, audio.frames) == (rate, 1, True, len(pcm) // 2)
    assert audio.pcm == pcm


def test_what_it_cannot_read_is_a_cache_fault(tmp_path, speech):
    rate, pcm = speech
    stereo = tmp_path / "stereo.flac"
    samples = numpy.frombuffer(pcm, dtype="<i2")
    soundfile.write(str(stereo), numpy.stack([samples, samples], axis=1), rate, subtype="PCM_16")
    with pytest.raises(CacheFault, match="2-channel"):
        _read_clip(stereo)
    wide = tmp_path / "wide.flac"
    soundfile.write(str(wide), samples, rate, subtype="PCM_24")
    with pytest.raises(CacheFault, match="not 16-bit"):
        _read_clip(wide)
    junk = tmp_path / "junk.flac"
    junk.write_bytes(b"fLaC" + bytes(300))
    with pytest.raises(CacheFault, match="not a readable FLAC"):
        _read_clip(junk)
    cut = tmp_path / "cut.flac"
    flac.write(cut, rate, pcm)
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    with pytest.raises(CacheFault):
        _read_clip(cut)
