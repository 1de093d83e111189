"""A person the narration brings in by description just before a pronoun tag of theirs
speaks as that description, not as whoever of that gender was named last: one row per
case, each a short invented passage with the speaker and gender expected per quote."""

from __future__ import annotations

import pytest
import test_tag_referents as referents

PASSAGES = [
    (
        "a description opening the sentence before the line ('The first man who came in')",
        "Mary sat alone in the nursery. Captain Lennox had ridden away that morning.\n\n"
        "Later there were footsteps. The first man who came in was a large officer. He "
        "looked tired, but when he saw her he almost jumped back.\n\n"
        '"Barney!" he cried out. "There is a child here!"',
        [("the man", "male"), ("the man", "male")],
    ),
    (
        "a woman brought in by 'a', then 'She ...' up to the line",
        "Yegorushka followed Panteley to the door. Olga Ivanovna had stayed in the town.\n\n"
        "Yegorushka went into the hut. He was met by a lean hunchbacked old woman with a "
        "sharp chin. She stood holding a tallow candle in her hands.\n\n"
        '"What a storm God has sent us!" she said.',
        [("the old woman", "female")],
    ),
    (
        "...and she keeps the turns after it by the usual rules",
        "Yegorushka followed Panteley to the door. Olga Ivanovna had stayed in the town.\n\n"
        "Yegorushka went into the hut. He was met by a lean hunchbacked old woman with a "
        "sharp chin. She stood holding a tallow candle in her hands.\n\n"
        '"What a storm God has sent us!" she said.\n\n'
        '"Is it far to the river?" asked Yegorushka.\n\n'
        '"Not far," she said.',
        [("the old woman", "female"), ("Yegorushka", "male"), ("the old woman", "female")],
    ),
    (
        "a description the talk's own woman is called by is still her ('the young girl')",
        '"Mercédès," said Fernand, "you will not listen to me."\n\n'
        '"I have told you, Fernand," said Mercédès, "I love Edmond."\n\n'
        '"And if he is dead?" said Fernand.\n\n'
        "The young girl made a gesture of rage.\n\n"
        '"Then I shall die too," she said.',
        [*[("Fernand", None)] * 2, *[("Mercédès", "female")] * 2, ("Fernand", None)]
        + [("Mercédès", "female")],
    ),
    (
        "a named person in the sentences read is the pronoun's, not the description",
        'The old woman left the room. Anna came in and sat by the fire.\n\n"It is cold," she said.',
        [("Anna", "female")],
    ),
]


@pytest.mark.parametrize("rule,text,expected", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_newcomer(rule, text, expected):
    referents.test_tag_referent(rule, text, expected)  # the same check, row by row
