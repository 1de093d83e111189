"""The content-addressed clip cache: what its key covers, and that it re-checks entries (on clips
of the fake engine: the cache stores whatever an engine wrote)."""

from __future__ import annotations

import json
import shutil
import wave

import pytest

from audiobook.audio.cache import CacheFault, ClipCache, clip_key, read_pcm
from audiobook.audio.engines import get_engine
from audiobook.audio.render import Job, render_jobs
from audiobook.errors import OutputError
from audiobook.model import Clip, VoiceSettings

BASE = Clip("Good morning to you all.", VoiceSettings("en-us+f3"), 0, 0)


def test_key_covers_text_voice_settings_and_engine():
    key = clip_key(BASE, "pyttsx3", "1")
    variants = [
        clip_key(Clip("Good morning to you.", BASE.settings, 0, 0), "pyttsx3", "1"),
        clip_key(Clip(BASE.text, VoiceSettings("en-us+f2"), 0, 0), "pyttsx3", "1"),
        clip_key(Clip(BASE.text, VoiceSettings("en-us+f3", rate=150), 0, 0), "pyttsx3", "1"),
        clip_key(Clip(BASE.text, VoiceSettings("en-us+f3", pitch=60), 0, 0), "pyttsx3", "1"),
        clip_key(BASE, "other", "1"),
        clip_key(BASE, "pyttsx3", "2"),
    ]
    assert len({key, *variants}) == len(variants) + 1
    # Where the clip sits in the book does not change how it sounds.
    assert clip_key(Clip(BASE.text, BASE.settings, 5, 9), "pyttsx3", "1") == key
    # A voice that is a file has a stamp (a model replaced under its id is another voice);
    # an engine without one keeps the keys of caches written before stamps.
    assert clip_key(BASE, "pyttsx3", "1", "") == key
    assert (
        len({key, clip_key(BASE, "pyttsx3", "1", "10:1"), clip_key(BASE, "pyttsx3", "1", "10:2")})
        == 3
    )


def test_a_cache_asks_each_voice_stamp_once(tmp_path):
    asked: list[str] = []

    def stamp(voice: str) -> str:
        asked.append(voice)
        return f"stamp of {voice}"

    cache = ClipCache(tmp_path, "pyttsx3", "1", voice_stamp=stamp)
    other = Clip("Another line.", VoiceSettings("en-us+m3"), 0, 1)
    keys = [cache.key(BASE), cache.key(other), cache.key(BASE)]
    assert asked == ["en-us+f3", "en-us+m3"]
    assert keys[0] == keys[2] == clip_key(BASE, "pyttsx3", "1", "stamp of en-us+f3")
    assert keys[1] == clip_key(other, "pyttsx3", "1", "stamp of en-us+m3")


@pytest.fixture
def filled(tmp_path):
    version = get_engine("fake").version()
    cache = ClipCache(tmp_path, "fake", version)
    key = cache.key(BASE)
    render_jobs([Job(key, BASE.text, BASE.settings, "line 1")], cache, "fake", 1)
    return cache, key


def test_a_stored_clip_is_found_with_its_statistics(filled):
    cache, key = filled
    hit = cache.get(key)
    assert hit is not None and hit.path.is_file()
    assert 0.5 < hit.frames / hit.rate < 4 and 0 < hit.peak <= 1


@pytest.mark.parametrize("damage", ["truncate", "drop_stats", "bad_stats"])
def test_a_damaged_entry_counts_as_missing(filled, damage):
    cache, key = filled
    wav = cache.clip_path(key)
    if damage == "truncate":
        wav.write_bytes(wav.read_bytes()[:1000])
    elif damage == "drop_stats":
        wav.with_suffix(".json").unlink()
    else:
        stats = json.loads(wav.with_suffix(".json").read_text())
        wav.with_suffix(".json").write_text(json.dumps({**stats, "frames": stats["frames"] + 7}))
    assert cache.get(key) is None
    rendered = render_jobs([Job(key, BASE.text, BASE.settings, "line 1")], cache, "fake", 1)
    assert cache.get(key) is not None and rendered[key].frames == cache.get(key).frames


OTHER = Clip("An entirely different sentence, somewhat longer.", VoiceSettings("en-us+f3"), 0, 0)


def _rewrite_wav(path, *, channels=1, rate=None, frames=None):
    """Write a stored clip again with another format or samples (same length where possible)."""
    import numpy
    import soundfile

    data, old_rate = soundfile.read(str(path), dtype="int16")
    pcm = data.tobytes()
    if frames is not None:
        pcm = frames(pcm)
    samples = numpy.frombuffer(pcm, dtype="<i2")
    if channels == 2:
        samples = numpy.stack([samples, samples], axis=1)
    soundfile.write(str(path), samples, rate or old_rate, format="FLAC", subtype="PCM_16")


def _flip_one_bit(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x04]) + data[middle + 1 :]


def _damage(cache, key, how):
    wav = cache.clip_path(key)
    meta = wav.with_suffix(".json")
    stats = json.loads(meta.read_text())
    if how == "zeroed pcm":
        _rewrite_wav(wav, frames=lambda d: bytes(len(d)))
    elif how == "one bit flipped":
        _rewrite_wav(wav, frames=_flip_one_bit)
    elif how in ("another clip's wav", "another clip's wav and record"):
        other = cache.key(OTHER)
        render_jobs([Job(other, OTHER.text, OTHER.settings, "line 2")], cache, "fake", 1)
        shutil.copyfile(cache.clip_path(other), wav)
        if how.endswith("record"):
            shutil.copyfile(cache.clip_path(other).with_suffix(".json"), meta)
    elif how == "stereo":
        _rewrite_wav(wav, channels=2)
    elif how == "wrong rate":
        _rewrite_wav(wav, rate=44100)
    elif how == "nan peak":
        meta.write_text(json.dumps({**stats, "peak": float("nan")}))
    elif how == "infinite energy":
        meta.write_text(json.dumps({**stats, "sumsq": float("inf")}))
    elif how == "stats of another level":
        meta.write_text(json.dumps({**stats, "peak": stats["peak"] / 2}))
    elif how == "record not an object":
        meta.write_text("[1, 2, 3]")
    elif how == "not utf-8 record":
        meta.write_bytes(b"\xff\xfe\x00garbage")


FAULTS = [
    "zeroed pcm",
    "one bit flipped",
    "another clip's wav",
    "another clip's wav and record",
    "stereo",
    "wrong rate",
    "nan peak",
    "infinite energy",
    "stats of another level",
    "record not an object",
    "not utf-8 record",
]


@pytest.mark.parametrize("how", FAULTS)
def test_a_faulty_entry_is_never_returned_and_is_rendered_again(filled, how):
    cache, key = filled
    good = cache.get(key)
    _damage(cache, key, how)
    assert cache.get(key) is None
    rendered = render_jobs([Job(key, BASE.text, BASE.settings, "line 1")], cache, "fake", 1)
    again = cache.get(key)
    assert again is not None and again.sha256 == good.sha256 == rendered[key].sha256
    assert (again.frames, again.rate, again.peak) == (good.frames, good.rate, good.peak)


def test_audio_changed_after_it_was_verified_is_not_encoded(filled):
    cache, key = filled
    hit = cache.get(key)
    assert read_pcm(hit)  # as verified: readable
    _rewrite_wav(cache.clip_path(key), frames=_flip_one_bit)
    with pytest.raises(OutputError, match="changed during the build"):
        read_pcm(hit)


def test_a_silent_render_is_not_stored(tmp_path):
    cache = ClipCache(tmp_path, "pyttsx3", "1")
    scratch = cache.scratch("ab" * 20)
    with wave.open(str(scratch), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(bytes(22050 * 2))
    with pytest.raises(CacheFault):
        cache.store("ab" * 20, scratch)
    assert cache.get("ab" * 20) is None


def test_damage_that_keeps_size_and_time_is_caught_when_the_audio_is_used(filled):
    # `get` trusts a record whose file has its recorded size and time (no audio read, so
    # a rebuild that encodes nothing is quick); the samples' checksum is checked on use,
    # and the damaged entry is removed so that the next build renders it again.
    import os

    cache, key = filled
    wav = cache.clip_path(key)
    before = wav.stat()
    wav.write_bytes(_flip_one_bit(wav.read_bytes()))  # bit rot: same size, in the audio
    os.utime(wav, ns=(before.st_atime_ns, before.st_mtime_ns))
    hit = cache.get(key)
    assert hit is not None
    with pytest.raises(OutputError, match="damaged"):
        read_pcm(hit)
    assert cache.get(key) is None and not wav.exists()


def test_an_entry_from_an_older_cache_is_checked_in_full_and_kept(filled):
    cache, key = filled
    meta = cache.clip_path(key).with_suffix(".json")
    old = {
        k: v for k, v in json.loads(meta.read_text()).items() if k not in ("file", "record_sha256")
    }
    meta.write_text(json.dumps(old))
    hit = cache.get(key)
    assert hit is not None and hit.sha256 == old["sha256"]
    assert "record_sha256" in json.loads(meta.read_text())  # upgraded in place
    meta.write_text(json.dumps(old))
    _rewrite_wav(cache.clip_path(key), frames=_flip_one_bit)
    assert cache.get(key) is None  # an old entry whose audio changed is not trusted


def test_clips_are_stored_as_flac_losslessly_in_about_half_the_bytes(filled):
    import hashlib

    cache, key = filled
    hit = cache.get(key)
    assert hit is not None and hit.path.suffix == ".flac" and not cache.wav_path(key).exists()
    pcm = read_pcm(hit)
    assert hashlib.sha256(pcm).hexdigest() == hit.sha256  # the rendered samples, exactly
    wav_bytes = 44 + len(pcm)
    assert hit.path.stat().st_size < 0.6 * wav_bytes


def test_a_rebuild_reads_clip_records_from_its_index_unless_the_clip_changed(
    tmp_path, make_book, build_options, monkeypatch
):
    import os

    from audiobook.build import build_book

    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path))
    asked: list[str] = []
    real = ClipCache.get
    monkeypatch.setattr(ClipCache, "get", lambda self, key: asked.append(key) or real(self, key))
    again = build_book(book, build_options(tmp_path))
    assert asked == [] and again.cache_hits == first.clips and again.cache_misses == 0
    # A clip file that is not the one indexed (another size or time) is looked up in the
    # cache itself, which no longer trusts it either: that clip is rendered again.
    clip = next((tmp_path / "cache" / "clips").rglob("*.flac"))
    st = clip.stat()
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    third = build_book(book, build_options(tmp_path))
    assert asked == [clip.stem] and third.cache_misses == 1
    assert all(f.reused for f in third.files)  # the same audio again: no file changes
