"""The studio's library half (no web): fixes written to the cast file, the book kept in step."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from audiobook.cli.show import script_json
from audiobook.errors import InputError
from audiobook.pipeline import prepare
from audiobook.studio.session import Session, default_cast_path

BOOK = Path(__file__).parent / "data" / "studio" / "book.txt"


@pytest.fixture
def session(tmp_path):
    book = Path(shutil.copy(BOOK, tmp_path / "book.txt"))
    opened = Session([book], default_cast_path([book]), tmp_path / "out", cache_dir=tmp_path / "c")
    yield opened
    opened.close()


def line_of(session: Session, start: str) -> str:
    found = [
        s.line for c in session.script.chapters for s in c.segments if s.text.startswith(start)
    ]
    assert found and found[0]
    return found[0]


def test_the_cast_file_goes_beside_the_book_and_pins_the_voices(session, tmp_path):
    assert session.cast_path == tmp_path / "book.cast.toml" and not session.cast_path.exists()
    voices = {e.name: e.voice for e in session.prepared.cast.characters.values() if e.voice}
    session.assign(line_of(session, "Grandpa,"), "Anna")
    written = tomllib.loads(session.cast_path.read_text(encoding="utf-8"))
    assert {n: c["voice"] for n, c in written["characters"].items() if "voice" in c} == voices


def test_a_fix_in_place_equals_preparing_the_book_again(session):
    session.assign(line_of(session, "He is late"), "Tom")  # the first fix writes the cast
    line = line_of(session, "There is not much")
    session.assign(line, "Joe")  # Joe has a voice: only this line changes, in place
    fresh = prepare(session.inputs, session.cast_path)
    assert script_json(session.script) == script_json(fresh.script)
    rows = [s for c in session.script.chapters for s in c.segments if s.line == line]
    assert {(s.speaker, s.rule, s.confidence) for s in rows} == {("Joe", "override", 1.0)}


def test_undo_a_new_speaker_rename_and_gender(session):
    line = line_of(session, "There is not much")
    session.assign(line, "Martha")  # a speaker the book never names gets a voice
    assert session.prepared.cast.characters["Martha"].voice
    session.rename("Martha", "Martha Hale")
    data = tomllib.loads(session.cast_path.read_text(encoding="utf-8"))
    assert data["lines"][line] == "Martha Hale"
    assert data["characters"]["Martha Hale"]["aliases"] == ["Martha"]
    session.set_gender("Martha Hale", "female")
    assert session.prepared.cast.characters["Martha Hale"].gender == "female"
    session.assign(line, None)  # back to the attribution
    rows = [s for c in session.script.chapters for s in c.segments if s.line == line]
    assert {s.speaker for s in rows} == {"Mr. Hale"} and rows[0].rule != "override"
    with pytest.raises(InputError, match="no line"):
        session.assign("q-00000000", "Anna")
    with pytest.raises(InputError, match="narrator"):
        session.merge("narrator", "Anna")
