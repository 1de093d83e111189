"""Described speakers ("the old man", "the stranger") with and without a cast file: a cast
entry written as a character list writes it ("Old Man", "The Stranger") is the text's
"said the old man"; passages invented for these tests."""

from __future__ import annotations

from casts import listed

from audiobook.model import Cast
from audiobook.speakers import attribution, roster
from audiobook.text import quotes


def who(text: str, cast: Cast | None = None) -> list[str | None]:
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found, cast))
    return [a.speaker for q, a in zip(found, said, strict=True) if q.is_speech]


FIRESIDE = (
    "Mila and Tom sat by the fire with an old man they had met on the road. A stranger came "
    'in out of the rain and stood dripping at the door.\n\n"Shut the door," said Tom.\n\n'
    '"Who are you?" said the old man.\n\n"Nobody you know," said the stranger.\n\n'
    '"Then sit down and be warm," said Mila.'
)


def test_a_cast_entry_without_its_article_is_the_described_speaker():
    cast = listed(
        ("Mila", "female", []),
        ("Tom", "male", []),
        ("Old Man", "male", []),
        ("The Stranger", None, []),
    )
    assert who(FIRESIDE, cast) == ["Tom", "Old Man", "The Stranger", "Mila"]


def test_a_cast_entry_with_another_article_is_the_described_speaker():
    cast = listed(
        ("Mila", "female", []),
        ("Tom", "male", []),
        ("an old man", "male", []),
        ("a stranger", None, []),
    )
    assert who(FIRESIDE, cast) == ["Tom", "an old man", "a stranger", "Mila"]


def test_the_entry_spelled_as_the_text_spells_it_comes_first():
    """A cast listing both "an old man" and "the old man" (two people, as a gold list may
    keep them) gives "said the old man" to "the old man"."""
    cast = listed(
        ("Mila", "female", []),
        ("Tom", "male", []),
        ("an old man", "male", []),
        ("the old man", "male", []),
        ("the stranger", None, []),
    )
    assert who(FIRESIDE, cast) == ["Tom", "the old man", "the stranger", "Mila"]


def test_without_a_cast_the_described_speakers_are_their_own():
    assert who(FIRESIDE) == ["Tom", "the old man", "the stranger", "Mila"]
