"""Quote conventions of real books, each as an invented passage with the quotes a reader
finds in it: dash dialogue with its tags inside the paragraph, ...
"""

from __future__ import annotations

import pytest

from audiobook.speakers import attribution, roster
from audiobook.text.quotes import find_quotes


def pieces(text: str) -> list[tuple[str, int]]:
    """Each speech quote's content and its utterance, numbered from 0 in order."""
    found = [q for q in find_quotes(text) if q.is_speech]
    order = list(dict.fromkeys(q.group for q in found))
    return [(text[q.start : q.end], order.index(q.group)) for q in found]


def speakers(text: str) -> list[tuple[str, str | None]]:
    found = find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    return [(text[q.start : q.end], a.speaker) for q, a in zip(found, said, strict=True)]


DASH_DIALOGUE = """Tall Fergus Doyle came up the ladder with a lantern.

{d}Wake up, Aidan! Wake up, you lazy scholar!

Aidan Rooney rolled over in the straw.

{d}Go away, Aidan said sleepily.

{d}The cheek of it! Fergus said, grinning. The cows are waiting, man!

{d}Is it raining?

{d}It is not.

{d}Then I said I would come, and I will come. Give me a minute, he said.

{d}Hurry, cried Fergus. Come on, Aidan said to himself, get up.
"""


@pytest.mark.parametrize("dash", ["\u2014", "--"])
def test_dash_dialogue_tags_inside_the_paragraph(dash):
    # Paragraphs opened by a dash (an em dash, or the "--" of plain-text editions) are
    # speech; a tag after the speech's comma, ! or ? ends it, and speech after the tag
    # goes on as the same utterance unless it has a tag of its own.
    text = DASH_DIALOGUE.format(d=dash)
    assert pieces(text) == [
        ("Wake up, Aidan! Wake up, you lazy scholar!", 0),
        ("Go away,", 1),
        ("The cheek of it!", 2),
        ("The cows are waiting, man!", 2),  # "said, grinning." is the tag's
        ("Is it raining?", 3),
        ("It is not.", 4),
        # "I said I would come" is speech: a tag ends at its verb, an adverb or "to whom".
        ("Then I said I would come, and I will come. Give me a minute,", 5),
        ("Hurry,", 6),
        ("Come on,", 7),  # its own tag: another utterance, another speaker
        ("get up.", 7),
    ]
    # Each tag names its speaker; the untagged lines between alternate.
    assert [who for _, who in speakers(text)] == [
        "Fergus", "Aidan", "Fergus", "Fergus", "Aidan", "Fergus", "Aidan", "Fergus", "Aidan",
        "Aidan",
    ]  # fmt: skip


def test_single_quotes_with_dropped_letters():
    # In a book quoted with single marks, a mark after a letter is an elision (comin',
    # cryin'., the lads') while the quote closes further on, after sentence punctuation, before
    # any new quote opens; 'a trifle'. closes where it stands since a new quote follows.
    text = (
        "'Where's the lads' dinner?' asked Mrs. Pell. 'It's gone one o'clock.'\n\n"
        "'I put it by the boys' beds,' said Nan, 'an' the dogs got it.'\n\n"
        "'Well, 'tis no use cryin'. He said to me, \"Keep it warm,\" and I never.'\n\n"
        "''Twas the same last week,' said Nan. 'I'm starvin'.'\n\n"
        "She called it 'a trifle'. Then she said, 'No, a great deal.'\n\n"
        "'Are you comin', Tom?' called Pell. 'We've the top field to do.'"
    )
    assert pieces(text) == [
        ("Where's the lads' dinner?", 0),
        ("It's gone one o'clock.", 1),
        ("I put it by the boys' beds,", 2),
        ("an' the dogs got it.", 2),
        ("Well, 'tis no use cryin'. He said to me, \"Keep it warm,\" and I never.", 3),
        ("'Twas the same last week,", 4),
        ("I'm starvin'.", 4),
        ("No, a great deal.", 5),
        ("Are you comin', Tom?", 6),
        ("We've the top field to do.", 6),
    ]
    assert "a trifle" in [text[q.start : q.end] for q in find_quotes(text)]
