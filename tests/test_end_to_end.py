"""The whole tool from the command line, on the seed stories, with real espeak-ng and ffmpeg
(the script in this process; the build, real audio, as a program)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from audio_utils import median_pitch_hz, pcm, probe

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
MILA = SEEDS / "002_ae557fbbbf91644b.txt"
KAMILA = SEEDS / "000_eeeebb6e84d7bbbd.txt"


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def script(audiobook) -> dict:
    # In this process, with the real espeak-ng voice list (`script` speaks nothing).
    done = audiobook("script", SEEDS, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def chapter_of(script: dict, path: Path) -> dict:
    return next(c for c in script["chapters"] if Path(c["source"]).name == path.name)


def test_mila_story_has_exactly_the_five_lines(script):
    chapter = chapter_of(script, MILA)
    lines = [
        (s["speaker"], s["text"], s["language"])
        for s in chapter["segments"]
        if s["kind"] == "dialogue"
    ]
    assert [(who, lang) for who, _, lang in lines] == [
        ("Carlos", "en"),
        ("Sofia", "en"),
        ("Mila", "en"),
        ("Mila", "en"),
        ("Mila", "es"),
    ]
    texts = [t for _, t, _ in lines]
    assert texts[0].startswith("You killed it out there, mila")
    assert texts[1] == "How did you feel out there?"
    assert texts[2].startswith("I don't know")
    assert texts[3].startswith("It was like I was trying")
    assert texts[4] == "La vida es un viaje sin destino"


def test_untitled_files_are_numbered_in_book_order(script):
    assert [c["title"] for c in script["chapters"]] == ["Chapter 1", "Chapter 2"]


def test_kamila_story_is_all_narration(script):
    chapter = chapter_of(script, KAMILA)
    assert chapter["segments"]
    assert {s["kind"] for s in chapter["segments"]} == {"narration"}
    assert all(s["speaker"] is None for s in chapter["segments"])


@pytest.mark.parametrize("path", [MILA, KAMILA])
def test_segments_cover_the_source_in_order(script, path):
    text = path.read_text(encoding="utf-8")
    segments = chapter_of(script, path)["segments"]
    covered = [False] * len(text)
    last_end = 0
    for seg in segments:
        assert last_end <= seg["start"] < seg["end"] <= len(text)
        last_end = seg["end"]
        for i in range(seg["start"], seg["end"]):
            covered[i] = True
        if seg["kind"] == "dialogue":
            assert text[seg["start"] : seg["end"]] == seg["text"]
    uncovered = "".join(ch if not c else " " for ch, c in zip(text, covered, strict=False))
    assert not any(ch.isalnum() for ch in uncovered), uncovered.split()[:10]


def test_four_distinct_english_voices_and_a_spanish_one(script):
    segments = chapter_of(script, MILA)["segments"]
    voice = {}
    for seg in segments:
        key = seg["speaker"] or "narrator"
        if seg["language"] == "en":
            voice.setdefault(key, set()).add(seg["voice"])
    assert all(len(v) == 1 for v in voice.values())
    english = {k: next(iter(v)) for k, v in voice.items()}
    assert set(english) == {"narrator", "Carlos", "Sofia", "Mila"}
    assert len(set(english.values())) == 4
    spanish = [s for s in segments if s["language"] == "es"]
    assert spanish and spanish[0]["voice"] != english["Mila"]
    assert spanish[0]["voice"].split("+")[-1] == english["Mila"].split("+")[-1]


@pytest.mark.slow
def test_build_renders_a_chapter_file_per_story(tmp_path):
    out = tmp_path / "out"
    run("build", str(SEEDS), "-o", str(out), "--cache-dir", str(tmp_path / "cache"), "--quiet")
    manifest = json.loads((out / "manifest.json").read_text())
    chapters = manifest["chapters"] if isinstance(manifest, dict) else manifest
    assert len(chapters) == 2
    for entry in chapters:
        path = out / entry["file"]
        info = probe(path)
        stream = info["streams"][0]
        assert stream["codec_name"] == "mp3" and int(stream["sample_rate"]) == 44100
        assert stream["channels"] == 1
        assert abs(float(info["format"]["duration"]) - entry["duration"]) < 0.5
        last = 0
        for seg in entry["segments"]:
            assert last <= seg["start_ms"] < seg["end_ms"]
            last = seg["end_ms"]
        assert last / 1000 <= entry["duration"]
    mila = next(
        c
        for c in chapters
        if c["segments"] and any(s["speaker"] == "Carlos" for s in c["segments"])
    )
    path = out / mila["file"]

    def pitch_of(speaker: str) -> float:
        seg = next(s for s in mila["segments"] if s["speaker"] == speaker)
        return median_pitch_hz(pcm(path, seg["start_ms"], seg["end_ms"]))

    # Which voice spoke: Carlos (male) well below Sofia and Mila (female).
    assert pitch_of("Carlos") * 1.4 < min(pitch_of("Sofia"), pitch_of("Mila"))
