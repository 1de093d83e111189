"""A first-person narrator's gender from what the book says of them (their voice: see
tests/test_casting.py).

Passages written for these tests: each says (or does not say) what its "I" is.
"""

from __future__ import annotations

import pytest

from audiobook.speakers import roster
from audiobook.text import quotes

SHE_TELLS = (
    "I was a girl of twelve when we came to the mill, and I remember my mother crying at "
    "the gate. Years later I was a widow with a shop of my own, and I still thought of it.\n\n"
    '"You are late," said the miller.\n\n"I know," said I.\n\n"Sit down, miss, and eat."'
)
HE_TELLS = (
    "I had walked from the station in the rain, and my boots were full of it. The clerk "
    "looked up from his ledger when I came in.\n\n"
    '"A room for the night, sir?"\n\n"If you have one," said I.\n\n'
    '"There is one at the back, sir. Will your wife be joining you?"\n\n'
    '"No," I answered. My wife was in Leeds with her sister, and I was glad of it.'
)
NOBODY_SAYS = (
    "I saw the ship come in from the top of the hill, and I ran down to the quay.\n\n"
    '"She is early," said the harbourmaster.\n\n"Is she?" said I.\n\n"A day early."'
)
THIRD_PERSON = (
    "Mary was a girl of twelve when she came to the mill. Her husband was a miller.\n\n"
    '"You are late," said the miller.\n\n"I know," said Mary.'
)


def told(text: str):
    r = roster.build_roster(text, quotes.find_quotes(text), None)
    return r.first_person, r.narrator_gender


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "I was a girl ...", "I was a widow", and "miss" said to her after "said I".
        (SHE_TELLS, (True, "female")),
        # "sir" twice in the lines around "said I", and "my wife".
        (HE_TELLS, (True, "male")),
        # Nothing says what the narrator is: unknown (the narrator's default voice).
        (NOBODY_SAYS, (True, None)),
        # A girl and a husband in a third-person book say nothing of any narrator.
        (THIRD_PERSON, (False, None)),
    ],
    ids=["a-woman-says-so", "a-man-is-called-sir", "no-cue", "third-person"],
)
def test_what_the_book_says_its_narrator_is(text, expected):
    assert told(text) == expected


def test_one_cue_is_not_enough_and_a_split_vote_says_nothing():
    one = 'I was a boy then.\n\n"Come in," said the man.\n\n"Thank you," said I.'
    assert told(one) == (True, None)
    split = (
        "I was a girl in those days, and I was a girl who knew her mind. "
        "My wife and I laughed at that later, and my wife laughed most.\n\n"
        '"Well?" said I.'
    )
    assert told(split) == (True, None)  # two votes each way


def test_a_man_s_thing_is_not_what_the_narrator_is():
    # "I was a man's servant" says nothing of the narrator's sex, nor does "a stranger".
    text = (
        "I was a man's servant for ten years, and I was a stranger in the town.\n\n"
        '"Who are you?" said the baker.\n\n"Nobody," said I.'
    )
    assert told(text) == (True, None)
