"""Rebuilds through the command line: the options a build is given reach the book, and what
is remembered between builds is what a fresh build would compute (real espeak-ng, ffmpeg)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
STORY = (
    "Chapter 1\n\nThe rain fell all night on the roofs of the town.\n\n"
    '"Who is there?" asked Anna.\n\n'
    "Chapter 2\n\nIn the morning the road was dry and the sky was clear.\n"
)


def audiobook(*args) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def texts(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [s["text"] for c in manifest["chapters"] for s in c["segments"]]


@pytest.mark.slow
def test_build_options_reach_the_book_on_a_first_and_a_remembered_run(tmp_path):
    story, cache = tmp_path / "story.txt", tmp_path / "cache"
    story.write_text(STORY, encoding="utf-8")

    def build(out: str, *extra: str) -> tuple:
        return ("build", story, "-o", tmp_path / out, "--cache-dir", cache, "-q", *extra)

    credited, plain = build("a"), build("b", "--no-credits")
    titled = build("c", "--no-credits", "--title", "Rain", "--author", "Ann Lee")
    for args in (credited, plain, titled, plain):  # the last one from the remembered front end
        assert audiobook(*args).returncode == 0
    assert any("narrated by" in t for t in texts(tmp_path / "a"))
    for out in (tmp_path / "b", tmp_path / "c"):
        assert not any("narrated by" in t for t in texts(out))
    manifest = json.loads((tmp_path / "c" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["title"], manifest["author"]) == ("Rain", "Ann Lee")


def duration(path: Path) -> float:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


@pytest.mark.slow
def test_an_m4b_is_aac_at_the_voices_rate_and_as_long_and_loud_as_the_mp3s(tmp_path):
    import soundfile

    story, cache = tmp_path / "story.txt", tmp_path / "cache"
    story.write_text(STORY, encoding="utf-8")
    for fmt in ("mp3", "m4b"):
        args = ("build", story, "-o", tmp_path / fmt, "--cache-dir", cache, "-q", "--format", fmt)
        assert audiobook(*args).returncode == 0
    # The rate espeak-ng actually spoke at, read from a stored clip, not assumed.
    clip = next((cache / "clips").rglob("*.flac"))
    voices_rate = soundfile.info(str(clip)).samplerate
    book = next((tmp_path / "m4b").glob("*.m4b"))
    stream = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_streams", "-of", "json", book],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )["streams"][0]
    assert stream["codec_name"] == "aac" and int(stream["sample_rate"]) == voices_rate
    mp3s = sorted((tmp_path / "mp3").glob("*.mp3"))
    assert abs(duration(book) - sum(map(duration, mp3s))) < 0.1 * len(mp3s)
    # Loudness, peaks, room tone and joins measured on the M4B as on the MP3s.
    for fmt in ("mp3", "m4b"):
        checked = audiobook("check", tmp_path / fmt)
        assert checked.returncode == 0, checked.stdout


@pytest.mark.slow
def test_a_rebuild_with_nothing_to_do_writes_nothing(tmp_path):
    story, cache, out = tmp_path / "story.txt", tmp_path / "cache", tmp_path / "out"
    story.write_text(STORY, encoding="utf-8")
    args = ("build", story, "-o", out, "--cache-dir", cache, "-q")
    assert audiobook(*args).returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert audiobook(*args).returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before  # manifest too
    # An edit writes the journal and the new manifest as before, and the manifest reads back.
    story.write_text(STORY.replace("all night", "all the night"), encoding="utf-8")
    assert audiobook(*args).returncode == 0
    assert (out / "manifest.json").stat().st_mtime_ns != before["manifest.json"]
    assert any("all the night" in t for t in texts(out))
