"""The content-addressed clip cache: what its key covers, and that it re-checks entries."""

from __future__ import annotations

import json

import pytest

from audiobook.audio.cache import ClipCache, clip_key
from audiobook.audio.engines import get_engine
from audiobook.audio.render import Job, render_jobs
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


@pytest.fixture
def filled(tmp_path):
    version = get_engine().version()
    cache = ClipCache(tmp_path, "pyttsx3", version)
    key = cache.key(BASE)
    render_jobs([Job(key, BASE.text, BASE.settings, "line 1")], cache, "pyttsx3", 1)
    return cache, key


def test_a_stored_clip_is_found_with_its_statistics(filled):
    cache, key = filled
    hit = cache.get(key)
    assert hit is not None and hit.path.is_file()
    assert 0.5 < hit.frames / hit.rate < 4 and 0 < hit.peak <= 1


@pytest.mark.parametrize("damage", ["truncate", "drop_stats", "bad_stats"])
def test_a_damaged_entry_counts_as_missing(filled, damage):
    cache, key = filled
    wav = cache.wav_path(key)
    if damage == "truncate":
        wav.write_bytes(wav.read_bytes()[:1000])
    elif damage == "drop_stats":
        wav.with_suffix(".json").unlink()
    else:
        stats = json.loads(wav.with_suffix(".json").read_text())
        wav.with_suffix(".json").write_text(json.dumps({**stats, "frames": stats["frames"] + 7}))
    assert cache.get(key) is None
    rendered = render_jobs([Job(key, BASE.text, BASE.settings, "line 1")], cache, "pyttsx3", 1)
    assert cache.get(key) is not None and rendered[key].frames == cache.get(key).frames
