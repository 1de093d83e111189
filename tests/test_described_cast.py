"""Described speakers ("the old man", "the stranger") with and without a cast file: a cast
entry written as a character list writes it ("Old Man", "The Stranger") is the text's
"said the old man"; passages invented for these tests."""

from __future__ import annotations

from casts import listed
from rosters import speakers

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
    assert speakers(FIRESIDE, cast) == ["Tom", "Old Man", "The Stranger", "Mila"]


def test_a_cast_entry_with_another_article_is_the_described_speaker():
    cast = listed(
        ("Mila", "female", []),
        ("Tom", "male", []),
        ("an old man", "male", []),
        ("a stranger", None, []),
    )
    assert speakers(FIRESIDE, cast) == ["Tom", "an old man", "a stranger", "Mila"]


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
    assert speakers(FIRESIDE, cast) == ["Tom", "the old man", "the stranger", "Mila"]


def test_without_a_cast_the_described_speakers_are_their_own():
    assert speakers(FIRESIDE) == ["Tom", "the old man", "the stranger", "Mila"]


WALK = (
    "Tom left Mila at the inn and set out across the moor alone. "
    + "The road climbed between walls of grey stone, and the wind came over them cold. " * 20
    + "\n\nAt dusk he knocked at a hut. He was met by a bent old woman with a candle in her "
    'hand.\n\n"Come in out of the wind," said the old woman.\n\n"Thank you," said Tom.\n\n'
    '"Sit by the fire and get warm," the old woman said.'
)


def test_a_cast_of_names_keeps_a_described_speaker_of_her_own():
    """A user lists the people the book names; the old woman Tom meets far from anyone
    listed is still herself, not Mila."""
    cast = listed(("Tom", "male", []), ("Mila", "female", []))
    assert speakers(WALK, cast) == ["the old woman", "Tom", "the old woman"]
    assert speakers(WALK) == ["the old woman", "Tom", "the old woman"]


def test_a_cast_that_lists_described_people_takes_in_an_unlisted_one():
    """A cast listing 'the innkeeper' lists its unnamed people: another description is one
    of its people under another name, as before."""
    cast = listed(("Tom", "male", []), ("Mila", "female", []), ("the innkeeper", "male", []))
    assert "the old woman" not in speakers(WALK, cast)


BESIDE = (
    "John Marlow lay in the ditch where he had fallen, and his wife Anna stood over him.\n\n"
    '"Get up, John," said Anna.\n\n"I cannot," said the fallen man. "My leg is broken."\n\n'
    '"Then I will fetch the cart," said Anna.\n\n"Be quick," said the fallen man.'
)


def test_a_description_of_the_one_listed_person_in_view_is_that_person():
    """With a cast of names, "the fallen man" where John Marlow is the only man about is
    John Marlow."""
    cast = listed(("John Marlow", "male", ["John"]), ("Anna", "female", []))
    assert speakers(BESIDE, cast) == ["Anna", "John Marlow", "John Marlow", "Anna", "John Marlow"]
