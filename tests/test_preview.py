"""Voice previews, rendered for real (espeak-ng, ffmpeg) and measured."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from audio_utils import median_pitch_hz, pcm, probe

from audiobook.audio.preview import PREVIEW_WORDS, clip_words, plan_previews, render_previews
from audiobook.audio.previewfiles import RECORD
from audiobook.errors import InputError, OutputError
from audiobook.pipeline import prepare, prepare_from_cast

ROOT = Path(__file__).parent.parent
MILA = ROOT / "seeds" / "002_ae557fbbbf91644b.txt"


@pytest.fixture(scope="module")
def prepared():
    return prepare([MILA])


@pytest.fixture(scope="module")
def rendered(prepared, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("previews")
    return {p.name: p for p in render_previews(prepared, out, None, prepared.tts)}


def seconds(path: Path) -> float:
    return float(probe(path)["format"]["duration"])


@pytest.mark.slow
def test_one_mp3_per_voice_including_the_spanish_one(rendered):
    assert {"narrator.mp3", "mila.mp3", "mila.es.mp3", "carlos.mp3", "sofia.mp3"} <= set(rendered)
    for path in rendered.values():
        stream = probe(path)["streams"][0]
        assert stream["codec_name"] == "mp3" and stream["channels"] == 1
        assert 0.5 < seconds(path) < 25
    parent = next(iter(rendered.values())).parent
    # no temp files; the record of what is ours to replace next time
    assert sorted(p.name for p in parent.iterdir()) == sorted([*rendered, RECORD])


@pytest.mark.slow
def test_the_previews_are_in_the_characters_voices(rendered):
    pitch = {name: median_pitch_hz(pcm(path)) for name, path in rendered.items()}
    assert pitch["carlos.mp3"] * 1.4 < min(pitch["mila.mp3"], pitch["sofia.mp3"])
    # The Spanish sample keeps Mila's variant, so her pitch range.
    assert pitch["mila.es.mp3"] > pitch["carlos.mp3"] * 1.4


def test_samples_speak_the_characters_own_first_lines(prepared):
    samples = {(s.name, s.language): s for s in plan_previews(prepared, engine=prepared.tts)}
    assert samples[("Mila", "en")].text.startswith("I don't know")
    assert samples[("Mila", "es")].text.rstrip(".") == "La vida es un viaje sin destino"
    assert samples[("Mila", "es")].settings.voice.startswith("es")
    assert samples[("narrator", "en")].text.startswith("Mila Arias stepped off the stage")
    assert len(samples[("narrator", "en")].text.split()) <= PREVIEW_WORDS


def test_a_character_without_lines_says_its_name(tmp_path):
    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[characters."Kamila Cara"]\ngender = "female"\nvoice = "en-us+f4"\n'
        '[characters."Mila Arias"]\naliases = ["Mila"]\ngender = "female"\n'
    )
    prepared = prepare([MILA], cast)
    samples = plan_previews(prepared, "Kamila Cara", engine=prepared.tts)
    assert len(samples) == 1 and "Kamila Cara" in samples[0].text


@pytest.mark.slow
def test_one_character_by_alias_any_case(prepared, tmp_path):
    paths = render_previews(prepared, tmp_path, "mila", prepared.tts)
    assert sorted(p.name for p in paths) == ["mila.es.mp3", "mila.mp3"]


def test_unknown_character_is_an_input_error(prepared, tmp_path):
    with pytest.raises(InputError, match="Gandalf"):
        render_previews(prepared, tmp_path, "Gandalf", prepared.tts)


@pytest.mark.slow
def test_any_text_through_the_lexicon_in_a_characters_voice(tmp_path):
    (tmp_path / "lexicon.toml").write_text(
        '[en]\nNASA = "the National Aeronautics and Space Administration"\n'
    )
    cast = tmp_path / "cast.toml"
    cast.write_text('lexicon = "lexicon.toml"\n[characters.Ann]\ngender = "female"\n')
    prepared = prepare_from_cast(cast)
    plain = render_previews(
        prepared, tmp_path / "a", "Ann", prepared.tts, text="I work at the agency."
    )
    respelled = render_previews(
        prepared, tmp_path / "b", "Ann", prepared.tts, text="I work at NASA."
    )
    assert [p.name for p in plain] == [p.name for p in respelled] == ["ann.mp3"]
    # "NASA" became six words: the line takes clearly longer to say.
    assert seconds(respelled[0]) > seconds(plain[0]) + 1.0


@pytest.mark.slow
def test_previews_replace_older_ones_and_never_a_users_file(prepared, tmp_path):
    (first,) = render_previews(prepared, tmp_path, "Carlos", prepared.tts)
    before = first.stat().st_mtime_ns
    (again,) = render_previews(prepared, tmp_path, "Carlos", prepared.tts)  # ours: replaced
    assert again == first and probe(again)["streams"][0]["codec_name"] == "mp3"
    assert again.stat().st_mtime_ns != before

    mine = tmp_path / "mine"
    mine.mkdir()
    own = mine / "carlos.mp3"  # the user's own file that has a preview's name
    own.write_bytes(b"my recording")
    with pytest.raises(OutputError, match="carlos.mp3 is not a preview this tool wrote"):
        render_previews(prepared, mine, None, prepared.tts)
    assert own.read_bytes() == b"my recording" and sorted(os.listdir(mine)) == ["carlos.mp3"]

    first.write_bytes(b"edited by hand")  # a preview of ours the user changed is theirs now
    with pytest.raises(OutputError, match="or was changed since"):
        render_previews(prepared, tmp_path, "Carlos", prepared.tts)
    assert first.read_bytes() == b"edited by hand"


def test_clip_words_stops_at_a_sentence_end():
    lines = ["One two three four five. Six seven eight nine ten.", "Eleven twelve thirteen."]
    text = clip_words(lines, 8)
    assert text == "One two three four five."
    assert clip_words(["Hello there"], 10) == "Hello there."
    # lines cut by their tags end in a comma or a dash: one stop, not ",."
    assert clip_words(["I don't know,", "Wait—", "Go on;"], 20) == "I don't know. Wait. Go on."
    long = " ".join(["word"] * 30)
    assert len(clip_words([long], 10).split()) == 10


def test_no_ffmpeg_is_an_error_before_anything_renders(prepared, tmp_path, monkeypatch):
    from audiobook.errors import ToolMissingError

    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ToolMissingError, match="ffmpeg"):
        render_previews(prepared, tmp_path / "out", None, prepared.tts)
    assert not (tmp_path / "out").exists()


def test_previews_render_through_any_engine_plugin(tmp_path):
    # The fake engine (conftest): the whole preview path, no espeak-ng needed.
    prepared = prepare([MILA], None, None, "fake")
    paths = render_previews(prepared, tmp_path, None, prepared.tts)
    assert {p.name for p in paths} == {s.file for s in plan_previews(prepared, engine=prepared.tts)}
    for path in paths:
        assert probe(path)["streams"][0]["codec_name"] == "mp3"
        assert 1.0 < seconds(path) < 60.0


def test_previews_of_a_book_whose_roster_names_someone_never_heard(tmp_path, audiobook):
    # The seeds name Kamila Cara but she never speaks: she has no voice, so no preview,
    # and the others' previews are made (this failed with "unknown voice ''").
    done = audiobook("preview", ROOT / "seeds", "-o", tmp_path, "--engine", "fake")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in tmp_path.iterdir()} == {
        RECORD,
        "narrator.mp3",
        "mila.mp3",
        "mila.es.mp3",
        "carlos.mp3",
        "sofia.mp3",
    }


def test_a_character_without_lines_or_voice_is_an_error_before_anything_is_written(
    tmp_path, audiobook
):
    cast = tmp_path / "cast.toml"
    cast.write_text('[characters."Kamila Cara"]\ngender = "female"\n')
    out = tmp_path / "previews"
    done = audiobook(
        "preview", MILA, "--cast", cast, "--character", "Kamila Cara", "-o", out, "--engine", "fake"
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ")
    assert "Kamila Cara" in done.stderr and "voice" in done.stderr
    assert not out.exists()
