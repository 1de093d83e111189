"""Chapter files against the ACX numbers, measured independently of `check`, and their tags."""

from __future__ import annotations

import json

import pytest
from audio_utils import pcm, peak_db, probe, rms_db

from audiobook.build import build_book


@pytest.fixture(scope="module")
def acx(tmp_path_factory, make_book, build_options, covers):
    tmp = tmp_path_factory.mktemp("export")
    cover = covers["jpg"]
    result = build_book(make_book(tmp), build_options(tmp, cover=cover))
    return result, cover


def test_every_file_is_44k_mono_192k_constant_bit_rate(acx):
    result, _ = acx
    for f in result.files:
        info = probe(result.outdir / f.name)
        stream = info["streams"][0]
        assert stream["codec_name"] == "mp3" and int(stream["sample_rate"]) == 44100
        assert stream["channels"] == 1 and int(stream["bit_rate"]) == 192000
        size = (result.outdir / f.name).stat().st_size
        seconds = float(info["format"]["duration"])
        assert abs(size * 8 / seconds - 192000) / 192000 < 0.05  # constant: size follows time


def test_levels_are_within_acx(acx):
    result, _ = acx
    for f in result.files:
        samples = pcm(result.outdir / f.name)
        assert -23 <= rms_db(samples) <= -18
        assert peak_db(samples) <= -3
        head, tail = samples[: int(0.5 * 16000)], samples[-16000:]
        assert rms_db(head) < -60 and rms_db(tail) < -60  # room tone, no speech


def test_voices_sound_equally_loud(acx):
    result, _ = acx
    manifest = json.loads(result.manifest.read_text())
    by_voice: dict[str, list[float]] = {}
    for entry in manifest["chapters"]:
        path = result.outdir / entry["file"]
        for seg in entry["segments"]:
            if seg["end_ms"] - seg["start_ms"] > 800:
                level = rms_db(pcm(path, seg["start_ms"], seg["end_ms"]))
                by_voice.setdefault(seg["voice"], []).append(level)
    means = [sum(v) / len(v) for v in by_voice.values()]
    assert len(means) == 3 and max(means) - min(means) < 3.0


def test_cover_is_embedded(acx):
    from mutagen.id3 import ID3

    result, cover = acx
    apic = ID3(result.outdir / result.files[0].name).getall("APIC")
    assert apic and apic[0].data == cover.read_bytes() and apic[0].mime == "image/jpeg"


def test_a_cover_that_is_not_an_image_is_refused(tmp_path, make_book, build_options):
    from audiobook.errors import InputError

    bad = tmp_path / "cover.jpg"
    bad.write_text("not an image")
    with pytest.raises(InputError, match="not a JPEG or PNG"):
        build_book(make_book(tmp_path), build_options(tmp_path, cover=bad))
