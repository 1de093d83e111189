"""A book always finishes: lines espeak says at unusual lengths are measured by what it will
say, tried once more, then kept with a warning naming chapter and line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import pytest

from audiobook.audio import render
from audiobook.audio.cache import ClipCache
from audiobook.audio.engines import get_engine, pyttsx3_engine
from audiobook.audio.render import Job, render_jobs
from audiobook.errors import BookWarning
from audiobook.model import VoiceSettings

ODD = """Chapter 1

The account number was 4929123456781234 and nothing else.

The commit was 3f9a2b7c1d0e8f6a5b4c3d2e1f0a9b8c7d6e5f4a, she said.

\u201c\u4f60\u597d\u4e16\u754c,\u201d said Li.

“今日は良い天気ですね、そうでしょう。” said Aiko.

He said Pneumonoultramicroscopicsilicovolcanoconiosis{tail} loudly.
""".replace("{tail}", "x" * 60)


@pytest.mark.slow  # real espeak-ng audio
def test_digits_hashes_cjk_and_long_words_all_become_audio(tmp_path):
    (tmp_path / "odd.txt").write_text(ODD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(tmp_path / "odd.txt")]
        + ["-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if line.startswith("Error")]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    rows = [r for c in manifest["chapters"] for r in c["segments"]]
    said = " ".join(r["text"] for r in rows)
    for piece in (
        "4929123456781234",
        "3f9a2b7c1d0e8f6a",
        "\u4f60\u597d",
        "\u4eca\u65e5",
        "Pneumono",
    ):
        assert piece in said
    assert all(r["end_ms"] > r["start_ms"] for r in rows)


@pytest.mark.slow  # real espeak-ng audio
def test_a_clip_implausible_every_time_is_kept_once_retried_and_warned_about(tmp_path, monkeypatch):
    calls = []
    real = pyttsx3_engine.plausible_seconds

    def never_plausible(text, rate):
        calls.append(text)
        low, high = real(text, rate)
        return high + 100, high + 200  # real audio, judged too short

    monkeypatch.setattr(pyttsx3_engine, "plausible_seconds", never_plausible)
    cache = ClipCache(tmp_path, "pyttsx3", get_engine().version())
    text = "She woke before the birds."
    job = Job("ab" * 20, text, VoiceSettings("en-us+f3"), "chapter 2 ('II'), book.txt line 7")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BookWarning)
        out = render_jobs([job], cache, "pyttsx3", 1)
    assert len(calls) == render.ATTEMPTS == 2  # tried once more before keeping it
    assert 0.5 < out[job.key].frames / out[job.key].rate < 5
    messages = [str(w.message) for w in caught if issubclass(w.category, BookWarning)]
    assert len(messages) == 1 and "chapter 2 ('II'), book.txt line 7" in messages[0]
    assert cache.get(job.key) is not None


@pytest.mark.parametrize(
    "text",
    [
        "I\n\nShe woke.\n\nII\n\nShe ate.\n",
        "I\nShe woke.\nII\nShe ate.\n",
        "I\n\nShe woke.\n\nII\n\nShe ate.\n\nIII\n\nShe slept.\n\nIV\n\nShe left.\n",
    ],
)
def test_very_short_chapters_under_roman_numerals_keep_their_text(tmp_path, text, audiobook):
    (tmp_path / "tiny.txt").write_text(text, encoding="utf-8")
    done = audiobook("script", tmp_path / "tiny.txt", "--json", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    said = " ".join(s["text"] for c in json.loads(done.stdout)["chapters"] for s in c["segments"])
    for sentence in [line for line in text.split("\n") if line.startswith("She")]:
        assert sentence in said, (sentence, said)
