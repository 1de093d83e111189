"""Title forms in the roster: a title after "of" is the name's, a wife's title with and
without her given name is one woman, and a saint's name is a place unless it speaks.
Passages invented for the rule."""

from __future__ import annotations

import pytest
from rosters import build, who

VOICE_OF = (
    "Nora stood at the door of the parlour and listened.\n\n"
    '"It is a fine match," said a voice, which Nora knew to be that of Mrs. Gibson, a '
    "lady who had known the family for years.\n\n"
    "The house of Mr. Verloc stood at the corner. Nora went in, and Mr. Verloc nodded."
)


def test_a_title_after_of_stays_with_its_name():
    r = build(VOICE_OF)
    gibson = who(r, "Mrs. Gibson")
    assert gibson is not None and gibson.gender == "female"
    assert who(r, "Gibson") in (None, gibson)  # no bare "Gibson" of unknown gender
    verloc = who(r, "Mr. Verloc")
    assert verloc is not None and verloc.gender == "male"
    assert who(r, "Verloc") in (None, verloc)


WIDOW = (
    "The house of Mrs. Almira Todd stood above the harbour, and the summer people came to "
    "her for herbs.\n\n"
    '"You look tired," said Mrs. Todd. "Sit down, dear."\n\n'
    "Mrs. Todd went out to the garden. She came back with a bunch of thyme.\n\n"
    '"There," said Mrs. Todd, and she laughed.'
)


def test_a_wifes_title_with_and_without_her_given_name_is_one_woman():
    r = build(WIDOW)
    todd = who(r, "Mrs. Todd")
    assert todd is not None
    assert who(r, "Mrs. Almira Todd") is todd


SISTERS = (
    "Miss Pinkerton kept the school, and Miss Jemima Pinkerton kept its accounts.\n\n"
    '"Write the letter," said Miss Pinkerton.\n\n'
    '"Yes, sister," said Miss Jemima Pinkerton, and she wrote it.'
)


def test_two_misses_of_one_surname_stay_two_sisters():
    r = build(SISTERS)
    elder, younger = who(r, "Miss Pinkerton"), who(r, "Miss Jemima Pinkerton")
    assert elder is not None and younger is not None and elder is not younger


@pytest.mark.parametrize(
    "text",
    [
        "He had been to the fair of St. Petersburg, and Anna wrote to him there.\n\n"
        '"Come home," said Anna.',
        "The bells of St. James rang. Anna walked past St. James and went home.\n\n"
        '"Late again," said Anna.',
    ],
)
def test_a_saints_name_that_never_speaks_is_no_character(text):
    r = build(text)
    assert who(r, "Anna") is not None
    assert not any(c.name.startswith("St.") for c in r.characters), r.characters


def test_a_saints_name_that_speaks_is_a_character():
    text = (
        "St. John came into the room and sat down by the fire.\n\n"
        '"You will come to India with me," said St. John.\n\n'
        '"I will not," said Jane.'
    )
    r = build(text)
    assert who(r, "St. John") is not None
