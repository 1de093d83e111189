"""Cast files: reading, the errors a person editing one will make, and writing one back."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from audiobook.audio.engines import get_engine
from audiobook.errors import CastFileError, OutputError
from audiobook.model import Cast, CastEntry
from audiobook.speakers.castfile import load_cast_file, write_cast_file

VOICES = Path(__file__).parent.parent / "voices"


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def write(tmp_path: Path, text: str, name: str = "cast.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_seed_cast_loads(engine):
    cast = load_cast_file(VOICES / "seeds.toml", engine)
    assert {"Mila Arias", "Sofia", "Carlos", "Kamila Cara"} <= set(cast.characters)
    mila = cast.characters["Mila Arias"]
    assert "Mila" in mila.aliases and mila.gender == "female"
    assert cast.characters["Carlos"].gender == "male"
    assert all(engine.is_valid_voice(e.voice) for e in cast.characters.values() if e.voice)
    assert cast.lexicon and Path(cast.lexicon).is_file()


def test_a_full_entry_is_read(tmp_path, engine):
    path = write(
        tmp_path,
        """
[narrator]
voice = "en-gb+m3"
rate = 160

[characters."Elizabeth Bennet"]
aliases = ["Elizabeth", "Lizzy", "Eliza"]
gender = "female"
voice = "en-us+f3"
pitch = 60

[characters.Darcy]
gender = "male"
""",
    )
    cast = load_cast_file(path, engine)
    assert cast.narrator.voice == "en-gb+m3" and cast.narrator.rate == 160
    lizzy = cast.characters["Elizabeth Bennet"]
    assert (lizzy.voice, lizzy.gender, lizzy.pitch) == ("en-us+f3", "female", 60)
    assert lizzy.aliases == ["Elizabeth", "Lizzy", "Eliza"]
    assert lizzy.from_file
    assert cast.characters["Darcy"].voice == ""  # to be chosen automatically


def line_number(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    assert found, message
    return int(found.group(1))


def test_malformed_toml_names_file_and_line(tmp_path, engine):
    path = write(
        tmp_path, '[narrator]\nvoice = "en-us+m1"\n\n[characters.Mila\ngender = "female"\n'
    )
    with pytest.raises(CastFileError) as err:
        load_cast_file(path, engine)
    message = str(err.value)
    assert str(path) in message and line_number(message) == 4
    assert "\n" not in message


@pytest.mark.parametrize(
    "body, key, line",
    [
        ('[characters.Mila]\ngender = "female"\ncolour = "red"\n', "colour", 3),
        ('[narrator]\nvoice = "en-us+m1"\nage = 40\n', "age", 3),
        ('voices = "x"\n', "voices", 1),
        ('[narator]\nvoice = "en-us+m1"\n', "narator", 1),
    ],
)
def test_an_unknown_key_is_named_with_its_line(tmp_path, engine, body, key, line):
    path = write(tmp_path, body)
    with pytest.raises(CastFileError) as err:
        load_cast_file(path, engine)
    message = str(err.value)
    assert str(path) in message and key in message and "unknown key" in message
    assert line_number(message) == line


@pytest.mark.parametrize(
    "body, key",
    [
        ('[characters.Mila]\naliases = "Mi"\n', "aliases"),
        ('[characters.Mila]\naliases = ["Mi", 3]\n', "aliases"),
        ('[characters.Mila]\ngender = "woman"\n', "gender"),
        ('[narrator]\ngender = "robot"\n', "gender"),
        ('[characters.Mila]\nrate = "fast"\n', "rate"),
        ("[characters.Mila]\npitch = 400\n", "pitch"),
        ("[narrator]\nvoice = 3\n", "voice"),
        ("characters = 3\n", "characters"),
        ('lexicon = "missing.toml"\n', "lexicon"),
    ],
)
def test_a_wrong_value_is_named(tmp_path, engine, body, key):
    path = write(tmp_path, body)
    with pytest.raises(CastFileError) as err:
        load_cast_file(path, engine)
    assert str(path) in str(err.value) and key in str(err.value)


def test_an_unknown_voice_says_how_to_list_the_valid_ones(tmp_path, engine):
    path = write(tmp_path, '[characters."Mila Arias"]\nvoice = "en-us+nobody"\n')
    with pytest.raises(CastFileError) as err:
        load_cast_file(path, engine)
    message = str(err.value)
    assert "en-us+nobody" in message and "audiobook voices" in message
    assert line_number(message) == 2


def test_a_missing_cast_file(tmp_path, engine):
    with pytest.raises(CastFileError, match="does not exist"):
        load_cast_file(tmp_path / "nope.toml", engine)


def test_the_lexicon_path_is_relative_to_the_cast_file(tmp_path, engine):
    (tmp_path / "sub").mkdir()
    shutil.copy(VOICES / "lexicon.toml", tmp_path / "sub" / "words.toml")
    path = write(tmp_path / "sub", 'lexicon = "words.toml"\n')
    cast = load_cast_file(path, engine)
    assert Path(cast.lexicon) == (tmp_path / "sub" / "words.toml").resolve()


def test_written_cast_reads_back_the_same(tmp_path, engine):
    (tmp_path / "lexicon.toml").write_text('[en]\nMila = "Mee-la"\n')
    cast = Cast(
        CastEntry("narrator", "en-gb+m3", rate=170),
        {
            "Mila Arias": CastEntry("Mila Arias", "en-us+f3", "female", ["Mila", "Miss Arias"]),
            'Zoë "Z" Ng': CastEntry('Zoë "Z" Ng', "en-us+f2", None, [], pitch=70),
            "Carlos": CastEntry("Carlos", "en-us+m1", "male"),
        },
        lexicon=str(tmp_path / "lexicon.toml"),
    )
    out = tmp_path / "out" / "cast.toml"
    out.parent.mkdir()
    write_cast_file(cast, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("#")  # the header explains the file
    assert 'lexicon = "../lexicon.toml"' in text
    back = load_cast_file(out, engine)
    assert back.narrator.voice == "en-gb+m3" and back.narrator.rate == 170
    assert list(back.characters) == list(cast.characters)
    for name, entry in cast.characters.items():
        got = back.characters[name]
        assert (got.voice, got.gender, got.aliases, got.rate, got.pitch) == (
            entry.voice,
            entry.gender,
            entry.aliases,
            entry.rate,
            entry.pitch,
        )
    assert Path(back.lexicon) == (tmp_path / "lexicon.toml").resolve()
    assert [p.name for p in out.parent.iterdir()] == ["cast.toml"]  # no temp file left


def test_writing_replaces_atomically(tmp_path):
    out = tmp_path / "cast.toml"
    out.write_text('# mine\n[narrator]\nvoice = "en-gb+m3"\n')
    inode_before = os.stat(out).st_ino
    write_cast_file(Cast(CastEntry("narrator", "en-us+m1")), out)
    assert out.read_text() == '# mine\n[narrator]\nvoice = "en-us+m1"\n'
    assert os.stat(out).st_ino != inode_before  # a new file renamed over the old one


def test_writing_over_a_file_that_is_no_cast_file_is_refused(tmp_path):
    out = tmp_path / "notes.toml"
    out.write_text("my notes, not TOML")
    with pytest.raises(CastFileError, match="invalid TOML"):
        write_cast_file(Cast(CastEntry("narrator", "en-us+m1")), out)
    assert out.read_text() == "my notes, not TOML"


def test_writing_into_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        write_cast_file(Cast(CastEntry("narrator", "en-us+m1")), tmp_path / "no" / "cast.toml")
