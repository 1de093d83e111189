"""A name found as a whole word, case aside, by the lowered copy: the same places as the
case-blind regular expression the cast readers mean. Invented text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from audiobook.text.words import WordFinder


def _by_regex(name: str, text: str) -> list[int]:
    return [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I)]


TEXT = (
    "The old woman came in. 'Who is the OLD WOMAN?' asked the old womanish clerk; "
    "the old\nwoman sat. Mme. Dubois, the old woman's friend, and the Old Woman again. "
    "Café au lait for the café's owner, the cafés.\n"
)


def test_the_same_places_as_the_case_blind_expression():
    words = WordFinder(TEXT)
    for name in ("the old woman", "old woman", "Mme. Dubois", "café", "Café", "clerk", "x"):
        assert list(words.starts(name)) == _by_regex(name, TEXT)
    # "the old woman's friend" too: an apostrophe is no letter.
    assert list(words.starts("the old woman")) == [0, 31, 109, 137]
    assert words.occurs("mme. dubois")
    assert not words.occurs("the old womanish man")


def test_letters_that_fold_otherwise_are_left_to_the_expression():
    # The Kelvin sign and the long s match k and s case-blind, though lower() keeps them.
    text = "The \u212aing spoke; the king ſat; Jeſſe came. İsmail and Ismail met."
    words = WordFinder(text)
    for name in ("the king", "king", "Jesse", "ismail", "sat"):
        assert list(words.starts(name)) == _by_regex(name, text)
    assert len(list(words.starts("the king"))) == 2


def test_a_name_that_overlaps_itself_is_found_as_the_expression_finds_it():
    text = "ha ha ha ha, said he"
    assert list(WordFinder(text).starts("ha ha")) == _by_regex("ha ha", text) == [0, 6]


@given(
    st.text(alphabet="abAB é\n'.-\u212a\u017f\u0130", max_size=40),
    st.text(alphabet="abAB é'.-", min_size=1, max_size=4),
)
def test_any_text_and_name(text, name):
    assert list(WordFinder(text).starts(name)) == _by_regex(name, text)
