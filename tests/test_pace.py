"""Audiobook pace, measured on built audio with pauses; set per book, per character, per run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.errors import CastFileError
from audiobook.model import NARRATOR, Cast, CastEntry, Segment
from audiobook.speakers.castfile import cast_to_toml, load_cast_file
from audiobook.speakers.casting import DEFAULT_PACE, pace_rate, voice_settings

ROOT = Path(__file__).parent.parent

PROSE = """Chapter 1

The road ran down from the hill to the river, and the river ran on to the sea. In the
mornings the fog lay on the water and the boats went out slowly, one after another.

The old man who kept the ferry had done so for forty years. He knew every stone of the
bank and every turn of the current, and he spoke to the travellers about the weather.

"It will rain before noon," he said to the woman with the basket.

"Then I had better hurry," she answered, and she paid him and stepped onto the boat.

They crossed without another word. On the far side the market was already busy, and the
smell of bread and smoke drifted down to the landing where the gulls were waiting.
"""


def build(tmp: Path, *args: str) -> dict:
    book = tmp / "book.txt"
    book.write_text(PROSE, encoding="utf-8")
    out = tmp / f"out{len(list(tmp.iterdir()))}"
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(book), "-o", str(out), "-q"]
        + ["--cache-dir", str(tmp / "cache"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads((out / "manifest.json").read_text())


def words_per_minute(manifest: dict) -> float:
    words = sum(len(s["text"].split()) for c in manifest["chapters"] for s in c["segments"])
    # Pauses between clips count; the file's fixed head and tail room tone do not.
    minutes = sum(
        (c["segments"][-1]["end_ms"] - c["segments"][0]["start_ms"]) / 60000
        for c in manifest["chapters"]
    )
    return words / minutes


@pytest.mark.slow
def test_the_default_pace_is_an_audiobooks_and_pace_sets_it(tmp_path):
    default = words_per_minute(build(tmp_path))
    assert 145 <= default <= 172, default
    slow = words_per_minute(build(tmp_path, "--pace", "130"))
    assert slow < default - 10
    assert slow == pytest.approx(130, rel=0.12)


def test_a_characters_own_rate_beats_the_book_pace():
    cast = Cast(
        CastEntry(NARRATOR, "en-gb+m3"), {"Ann": CastEntry("Ann", "en-us+f3", rate=200)}, pace=140
    )
    line = Segment("dialogue", "Hi.", 0, 3, speaker="Ann")
    narration = Segment("narration", "She said.", 4, 13)
    assert voice_settings(cast, line).rate == 200
    assert voice_settings(cast, narration).rate == pace_rate(140) < pace_rate(DEFAULT_PACE)


def test_the_book_pace_in_a_cast_file(tmp_path):
    path = tmp_path / "cast.toml"
    path.write_text('[book]\npace = 150\n\n[narrator]\nvoice = "en-gb+m3"\n')
    cast = load_cast_file(path)
    assert cast.pace == 150
    assert "[book]\npace = 150" in cast_to_toml(cast)
    path.write_text("[book]\npace = 20\n")
    with pytest.raises(CastFileError, match="pace"):
        load_cast_file(path)
