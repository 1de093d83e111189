"""The pyttsx3 engine against real espeak-ng."""

import subprocess
import sys
import wave
from pathlib import Path

import pytest

from audiobook.audio.engines import engine_names, get_engine, pyttsx3_engine
from audiobook.audio.engines.pyttsx3_engine import MAX_PIECE, plausible_seconds
from audiobook.errors import EngineError
from audiobook.model import VoiceSettings
from audiobook.text.pieces import split_text


@pytest.fixture(scope="module")
def engine():
    return get_engine("pyttsx3")


def seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return w.getnframes() / w.getframerate()


def test_builtin_engine_registered_through_plugin_hook():
    assert "pyttsx3" in engine_names()


def test_unknown_engine_names_the_installed_ones():
    with pytest.raises(EngineError, match="installed engines: .*pyttsx3"):
        get_engine("no-such-engine")


def test_voice_ids_are_validated(engine):
    assert engine.is_valid_voice("en-us+f3")
    assert engine.is_valid_voice("es")
    assert not engine.is_valid_voice("en-us+nosuchvariant")
    assert not engine.is_valid_voice("xx-yy+f3")


def test_language_variant_keeps_the_variant(engine):
    assert engine.language_variant("en-us+f3", "es") == "es+f3"
    assert engine.language_variant("en-gb+m3", "en") == "en-gb+m3"
    assert engine.language_variant("en-us+f3", "zz") is None


def test_casting_pool_matches_gender_and_language(engine):
    female = engine.casting_pool("en", "female")
    male = engine.casting_pool("en", "male")
    assert len(set(female)) == len(female) >= 60
    assert not set(female) & set(male)
    voices = {v.id: v for v in engine.voices()}
    assert all(voices[v].gender == "female" and voices[v].language == "en" for v in female)


@pytest.mark.slow
def test_render_writes_plausible_wav(engine, tmp_path):
    text = "The quick brown fox jumps over the lazy dog."
    out = tmp_path / "a.wav"
    engine.render(text, VoiceSettings("en-us+f3"), out)
    low, high = plausible_seconds(text, 175)
    assert low <= seconds(out) <= high


@pytest.mark.slow
def test_rate_changes_duration(engine, tmp_path):
    text = "Every clip sets its own rate, so one clip never leaks into the next."
    engine.render(text, VoiceSettings("en-us+m3", rate=120), tmp_path / "slow.wav")
    engine.render(text, VoiceSettings("en-us+m3", rate=260), tmp_path / "fast.wav")
    assert seconds(tmp_path / "slow.wav") > 1.5 * seconds(tmp_path / "fast.wav")


@pytest.mark.slow
def test_clip_sounds_the_same_whatever_was_spoken_before(engine, tmp_path):
    # In one espeak process, English read after Spanish comes out ~13% slower;
    # the engine keeps each base voice in a process of its own. What remains is
    # espeak's pitch-flutter phase, a few samples in 50,000.
    text = "Determinism matters for the clip cache."
    engine.render(text, VoiceSettings("en-gb+m1"), tmp_path / "first.wav")
    engine.render(
        "La vida es un viaje sin destino.",
        VoiceSettings("es+f2", rate=250, pitch=90),
        tmp_path / "x.wav",
    )
    engine.render("Something else.", VoiceSettings("en-us+m3"), tmp_path / "y.wav")
    engine.render(text, VoiceSettings("en-gb+m1"), tmp_path / "again.wav")
    first, again = seconds(tmp_path / "first.wav"), seconds(tmp_path / "again.wav")
    assert abs(first - again) / first < 0.002


@pytest.mark.slow
def test_long_text_is_rendered_in_pieces(engine, tmp_path):
    text = "This sentence is part of a very long quote. " * 120  # ~5,300 characters
    assert all(len(p) <= 400 for p in split_text(text, MAX_PIECE))
    engine.render(text, VoiceSettings("en-us+f2"), tmp_path / "long.wav")
    low, high = plausible_seconds(text, 175)
    assert low <= seconds(tmp_path / "long.wav") <= high


@pytest.mark.slow
def test_markup_is_read_as_text(engine, tmp_path):
    engine.render(
        '<speak><prosody rate="x-slow">Hi</prosody></speak> [[h@l@U]]',
        VoiceSettings("en-us+m1"),
        tmp_path / "m.wav",
    )
    assert seconds(tmp_path / "m.wav") > 1.0  # the tags are spoken, not obeyed


def test_unknown_voice_says_how_to_list(engine, tmp_path):
    with pytest.raises(EngineError, match="audiobook voices"):
        engine.render("Hello.", VoiceSettings("en-us+nope"), tmp_path / "x.wav")


def test_nothing_to_speak_is_an_error(engine, tmp_path):
    with pytest.raises(EngineError, match="nothing to speak"):
        engine.render(" -- ... ", VoiceSettings("en-us+m1"), tmp_path / "x.wav")


def test_split_text_keeps_every_word():
    text = "One. Two three! " + "x" * 900 + " four? five"
    pieces = split_text(text, limit=100)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    assert all(len(p) <= 100 for p in pieces)


@pytest.mark.slow
@pytest.mark.parametrize("gender", ["female", "male"])
def test_casting_pool_voices_sound_their_gender(engine, tmp_path, gender):
    from audio_utils import median_pitch_hz, pcm

    text = "The quick brown fox jumps over the lazy dog, and then it runs away."
    variants = {v.split("+")[1] for v in engine.casting_pool("en", gender)}
    for variant in sorted(variants):
        out = tmp_path / f"{variant}.wav"
        engine.render(text, VoiceSettings(f"en-us+{variant}"), out)
        hz = median_pitch_hz(pcm(out))
        assert (hz > 160) if gender == "female" else (60 < hz < 130), (variant, hz)


def test_french_lines_get_a_voice_from_france(engine):
    assert engine.language_variant("en-us+f3", "fr") == "fr-fr+f3"


def test_a_worker_started_ahead_speaks_for_the_next_engine_and_the_same(tmp_path):
    """`warm` starts the speech worker during the front end; the engine that renders next
    (a fresh one, as the build makes) speaks through it, and the clip is the same bytes."""
    text = "The lamp glowed red for silver reasons."
    cold = get_engine("pyttsx3")
    cold.render(text, VoiceSettings("en-us+m3"), tmp_path / "cold.wav")
    cold.close()
    ahead = get_engine("pyttsx3")
    ahead.warm()
    started = [w.proc.pid for w in pyttsx3_engine._spare]
    assert len(started) == 1
    ahead.warm()  # one is enough
    assert [w.proc.pid for w in pyttsx3_engine._spare] == started
    renderer = get_engine("pyttsx3")
    renderer.render(text, VoiceSettings("en-us+m3"), tmp_path / "warm.wav")
    assert renderer.main._child.proc.pid == started[0] and not pyttsx3_engine._spare
    assert (tmp_path / "warm.wav").read_bytes() == (tmp_path / "cold.wav").read_bytes()
    worker = renderer.main._child.proc
    renderer.close()
    assert worker.wait(timeout=5) == 0  # told to stop with the engine that took it


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_workers_left_at_exit_are_stopped_and_waited_for():
    """A spare never taken and a worker closed without waiting both end with the process:
    gone (waited for, no zombie) by the time it has exited."""
    code = (
        "from audiobook.audio.engines import get_engine, pyttsx3_engine\n"
        "from audiobook.model import VoiceSettings\n"
        "import tempfile, pathlib\n"
        "used = get_engine('pyttsx3')\n"
        "out = pathlib.Path(tempfile.mkdtemp()) / 'a.wav'\n"
        "used.render('Good morning.', VoiceSettings('en-us+m3'), out)\n"
        "pids = [used.main._child.proc.pid]\n"
        "used.close()\n"
        "get_engine('pyttsx3').warm()\n"
        "pids.append(pyttsx3_engine._spare[0].proc.pid)\n"
        "print(*pids)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    pids = [int(p) for p in done.stdout.split()]
    assert len(pids) == 2
    assert not [p for p in pids if Path(f"/proc/{p}").exists()]
