"""Pronunciation lexicon: whole words, case-aware, per language."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import CastFileError
from audiobook.text.lexicon import Lexicon

SHIPPED = Path(__file__).parent.parent / "voices" / "lexicon.toml"


def load(tmp_path: Path, text: str) -> Lexicon:
    path = tmp_path / "lexicon.toml"
    path.write_text(text, encoding="utf-8")
    return Lexicon.load(path)


@pytest.fixture
def lexicon(tmp_path) -> Lexicon:
    return load(
        tmp_path,
        """
[en]
Hermione = "Her-my-oh-nee"
Mila = "Mee-la"
abuela = "ah-bweh-la"
"Mr. Darcy" = "Mister Darcy"
Darcy = "Dar-see"

[es]
"Sr." = "Señor"
""",
    )


def test_capitalised_entry_matches_that_word_only(lexicon):
    assert lexicon.apply("Hermione smiled.", "en") == "Her-my-oh-nee smiled."
    assert lexicon.apply("hermione and HERMIONE", "en") == "hermione and HERMIONE"


def test_whole_words_only(lexicon):
    assert (
        lexicon.apply("Kamila met Mila, Milan and Mila's friend.", "en")
        == "Kamila met Mee-la, Milan and Mee-la's friend."
    )


def test_lower_case_entry_matches_any_case_and_keeps_the_first_letter(lexicon):
    assert (
        lexicon.apply("her abuela. Abuela! abuelas", "en") == "her ah-bweh-la. Ah-bweh-la! abuelas"
    )


def test_longest_entry_wins(lexicon):
    assert lexicon.apply("Mr. Darcy and Darcy", "en") == "Mister Darcy and Dar-see"


def test_entries_apply_only_to_their_language(lexicon):
    assert lexicon.apply("Hermione", "es") == "Hermione"
    assert lexicon.apply("El Sr. Pérez", "es") == "El Señor Pérez"
    assert lexicon.apply("El Sr. Pérez", "en") == "El Sr. Pérez"
    assert lexicon.apply("Hermione", "EN-us") == "Her-my-oh-nee"  # a region tag falls back
    assert lexicon.apply("Hermione", "fr") == "Hermione"


def test_the_shipped_lexicon_loads_and_respells_seed_names():
    lexicon = Lexicon.load(SHIPPED)
    assert len(lexicon) > 0
    text = "Mila Arias and Kamila Cara"
    assert lexicon.apply(text, "en") != text


def test_malformed_lexicon_names_file_and_line(tmp_path):
    with pytest.raises(CastFileError) as err:
        load(tmp_path, '[en]\nHermione = "ok"\nSofía = "So-fee-a"\n')
    assert "lexicon.toml line 3" in str(err.value)


@pytest.mark.parametrize(
    "text, key",
    [
        ("[en]\nHermione = 3\n", "Hermione"),
        ('Hermione = "x"\n', "Hermione"),
        ('["not a language"]\nx = "y"\n', "not a language"),
    ],
)
def test_wrong_shapes_are_named(tmp_path, text, key):
    with pytest.raises(CastFileError) as err:
        load(tmp_path, text)
    assert key in str(err.value) and "lexicon.toml" in str(err.value)
