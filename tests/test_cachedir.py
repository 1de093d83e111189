"""The cache folder: what `audiobook cache` shows, least-recently-used pruning, one AAC
piece per chapter."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from audiobook.audio.cache import ClipCache
from audiobook.audio.cachedir import parse_size, prune, usage
from audiobook.audio.engines import get_engine
from audiobook.audio.render import Job, render_jobs
from audiobook.errors import InputError
from audiobook.model import Clip, VoiceSettings

ROOT = Path(__file__).parent.parent
STORY = "Chapter 1\n\nThe rain fell all night.\n\nChapter 2\n\nIn the morning the road was dry.\n"


def test_parse_size():
    assert parse_size("500M") == 500 * 10**6 and parse_size("1.5GB") == 1_500_000_000
    assert parse_size("2048") == 2048
    with pytest.raises(InputError):
        parse_size("lots")


def test_cache_command_shows_size_and_hit_rate_then_prunes_and_clears(tmp_path, audiobook):
    story, cache = tmp_path / "story.txt", tmp_path / "cache"
    story.write_text(STORY, encoding="utf-8")
    build = ("build", story, "-o", tmp_path / "out", "--cache-dir", cache, "-q", "--engine", "fake")
    assert audiobook(*build).returncode == 0
    shown = audiobook("cache", "--cache-dir", cache).stdout
    assert f"Location:   {cache}" in shown
    clips = re.search(r"speech clips: +([\d.]+) MB +(\d+) files", shown)
    assert clips and float(clips.group(1)) > 0 and int(clips.group(2)) >= 2
    assert re.search(r"Last build: [Ss]tory \(.*\): 0% hit rate, 0 clips from the cache", shown)
    assert audiobook(*build).returncode == 0
    assert "100% hit rate" in audiobook("cache", "--cache-dir", cache).stdout

    pruned = audiobook("cache", "prune", "--cache-dir", cache, "--max-size", "1K")
    assert pruned.returncode == 0 and re.match(r"Removed [1-9]\d* entries", pruned.stdout)
    assert usage(cache).entries["clips"] == 0
    assert audiobook("cache", "clear", "--cache-dir", cache).returncode == 0
    assert usage(cache).total == 0
    bad = audiobook("cache", "prune", "--cache-dir", cache, "--max-size", "huge")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: size 'huge'")


def test_prune_removes_the_least_recently_used_first(tmp_path):
    cache = ClipCache(tmp_path, "fake", get_engine("fake").version())
    texts = ["The first line.", "The second line.", "The third line."]
    clips = [Clip(t, VoiceSettings("en-us+f3"), 0, i) for i, t in enumerate(texts)]
    jobs = [Job(cache.key(c), c.text, c.settings, f"line {i}") for i, c in enumerate(clips)]
    render_jobs(jobs, cache, "fake", 1)
    keys = [j.key for j in jobs]
    for key in (keys[1], keys[2], keys[0]):  # used in this order: keys[1] least recently
        time.sleep(0.01)
        assert cache.get(key) is not None
    sizes = [cache.clip_path(k).stat().st_size + 400 for k in keys]
    removed, _, _ = prune(tmp_path, sum(sizes) - sizes[1] // 2)
    assert removed == 1 and cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None and cache.get(keys[2]) is not None
    # what a build just used is never removed, whatever the cap
    removed, _, _ = prune(tmp_path, 0, keep={cache.clip_path(keys[0])})
    assert removed == 1 and cache.get(keys[0]) is not None
