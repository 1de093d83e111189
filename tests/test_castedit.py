"""Cast files edited in place (tomlkit): comments and layout kept, atomic, checked; warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audiobook.cli.app import main
from audiobook.errors import CastFileError
from audiobook.speakers.castedit import CastDocument
from audiobook.speakers.castfile import load_cast_file

BOOK = Path(__file__).parent / "data" / "studio" / "book.txt"

HAND_WRITTEN = """\
# My cast for the snow story.   Keep this comment!
[narrator]
voice = "en-gb+m3"   # the calm one

# the family
[characters.Anna]
gender = "female"
voice  = "en-us+f3"

[characters."the old man"]
gender = "male"   # grandfather, not yet named

[characters.Tom]
gender = "male"
"""


@pytest.fixture
def cast(tmp_path) -> Path:
    path = tmp_path / "cast.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    return path


def test_edits_keep_comments_order_and_layout(cast):
    doc = CastDocument.open(cast)
    doc.set_line("q-12345678", "Anna")
    doc.set_field("Tom", "voice", "en-us+m2")
    doc.save()
    text = cast.read_text(encoding="utf-8")
    # Everything the author wrote is still there, byte for byte, in its order.
    assert text.startswith(HAND_WRITTEN.split("[characters.Tom]")[0])
    assert 'voice  = "en-us+f3"' in text and "# the calm one" in text
    assert text.index("[characters.Tom]") < text.index("[lines]")
    loaded = load_cast_file(cast)
    assert loaded.lines == {"q-12345678": "Anna"} and loaded.characters["Tom"].voice == "en-us+m2"
    doc = CastDocument.open(cast)
    doc.set_line("q-12345678", None)
    doc.save()
    assert load_cast_file(cast).lines == {}


def test_merge_makes_the_names_aliases_and_moves_line_fixes(cast):
    doc = CastDocument.open(cast)
    doc.set_line("q-1", "the old man")
    doc.merge("the old man", "Joe", ["Grandpa"])
    doc.save()
    loaded = load_cast_file(cast)
    assert "the old man" not in loaded.characters
    joe = loaded.characters["Joe"]
    assert joe.aliases == ["the old man", "Grandpa"] and joe.gender == "male"
    assert loaded.lines == {"q-1": "Joe"}
    assert "# My cast for the snow story." in cast.read_text(encoding="utf-8")


def test_rename_keeps_the_place_and_the_old_name_as_alias(cast):
    doc = CastDocument.open(cast)
    doc.set_line("q-1", "Anna")
    doc.rename("Anna", "Anna Hale")
    doc.save()
    text = cast.read_text(encoding="utf-8")
    assert '# the family\n[characters."Anna Hale"]\ngender = "female"' in text
    loaded = load_cast_file(cast)
    assert list(loaded.characters)[0] == "Anna Hale"
    assert loaded.characters["Anna Hale"].aliases == ["Anna"]
    assert loaded.lines == {"q-1": "Anna Hale"}
    with pytest.raises(CastFileError, match="already a character"):
        CastDocument.open(cast).rename("Tom", "Anna Hale")


def test_an_edit_the_build_would_refuse_never_reaches_the_file(cast, tmp_path):
    from audiobook.audio.engines import get_engine

    doc = CastDocument.open(cast)
    doc.set_field("Tom", "voice", "xx-nonsense+f9")
    with pytest.raises(CastFileError, match="unknown voice"):
        doc.save(get_engine())
    assert cast.read_text(encoding="utf-8") == HAND_WRITTEN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cast.toml"]  # no temp file left


def test_cast_write_over_an_existing_file_updates_it_in_place(capsys, cast, tmp_path):
    book = shutil.copy(BOOK, tmp_path / "book.txt")
    code = main(["cast", str(book), "--cast", str(cast), "--write", str(cast)])
    capsys.readouterr()
    assert code == 0
    text = cast.read_text(encoding="utf-8")
    assert text.startswith("# My cast for the snow story.   Keep this comment!\n[narrator]\n")
    assert "# grandfather, not yet named" in text
    loaded = load_cast_file(cast)
    # The book's other speakers were added, each with a voice; the author's voices kept.
    assert {"Anna", "Tom", "the old man", "Joe", "Mr. Hale"} <= set(loaded.characters)
    assert loaded.characters["Anna"].voice == "en-us+f3"
    assert all(e.voice for e in loaded.characters.values())


def test_cast_warns_about_names_voices_and_aliases(capsys, tmp_path):
    book = shutil.copy(BOOK, tmp_path / "book.txt")
    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[characters.Anna]\ngender = "female"\nvoice = "en-us+m2"\n\n'
        '[characters.Tom]\naliases = ["Anna", "Tommy"]\nvoice = "en-us+m2"\n\n'
        "[characters.Zebedee]\n",
        encoding="utf-8",
    )
    code = main(["cast", str(book), "--cast", str(cast)])
    err = capsys.readouterr().err
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert any("'Zebedee' never occurs" in w for w in warnings)
    assert any("'Tommy' of 'Tom' never occurs" in w for w in warnings)
    assert any("'Anna' is female but voice 'en-us+m2' is a male voice" in w for w in warnings)
    assert any("share voice 'en-us+m2'" in w and "'Anna'" in w and "'Tom'" in w for w in warnings)
    assert any("alias 'Anna' of 'Tom' is the name of character 'Anna'" in w for w in warnings)
    assert len(warnings) == 5, warnings


def test_a_clean_cast_gives_no_warning(capsys, tmp_path):
    book = shutil.copy(BOOK, tmp_path / "book.txt")
    cast = tmp_path / "cast.toml"
    cast.write_text('[characters.Anna]\ngender = "female"\n', encoding="utf-8")
    assert main(["cast", str(book), "--cast", str(cast)]) == 0
    assert "Warning" not in capsys.readouterr().err
