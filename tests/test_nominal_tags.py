"""Speech tags told with a noun or a participle instead of a finite speech verb (issue 10,
branch tags6): a table of invented passages per form, each with the speakers it must give."""

from __future__ import annotations

import pytest
from rosters import decided

from audiobook.speakers.names import compile_names
from audiobook.speakers.tags import TagReader

# Three people talk, so plain alternation would give the tagged line to the wrong one.
_OPENING = """"Good day," said Tom Brown to Mary Lane and Mr. Grant.

"Good day," answered Mary.

"Will you walk with us, sir?" asked Tom.

"""

NOMINAL = [
    ('"With pleasure," was Mr. Grant\'s reply.', "Mr. Grant"),
    ('"With pleasure," was Mr. Grant\u2019s ready answer, "if the rain holds off."', "Mr. Grant"),
    ('"With pleasure," came the reply from Mr. Grant.', "Mr. Grant"),
    ('"With pleasure," was the answer of Mr. Grant.', "Mr. Grant"),
    ('"With pleasure," was all Mr. Grant said.', "Mr. Grant"),
    ('"With pleasure," was her reply.', "Mary"),  # the one woman
    ('Tom waited. Mr. Grant\'s answer was:\n\n"With pleasure."', "Mr. Grant"),
    ('Mr. Grant took his hat. His only reply was, "With pleasure."', "Mr. Grant"),
]


@pytest.mark.parametrize(("line", "speaker"), NOMINAL)
def test_a_noun_of_speech_names_the_speaker(line: str, speaker: str) -> None:
    said = decided(_OPENING + line + '\n\n"Then come," said Tom.')
    assert [s for s, _ in said[:4]] == ["Tom", "Mary", "Tom", speaker]
    assert said[3][1] in ("named-tag", "pronoun-tag")
    assert said[-1] == ("Tom", "named-tag")


def test_a_possessive_ending_in_s_takes_the_bare_apostrophe() -> None:
    reader = TagReader(compile_names(["Dantès", "Jones"]))
    for seg in (" was Dantès' reply;", " was Dantès\u2019 reply;", " was Jones' answer."):
        found = reader.after(seg)
        assert found is not None and found.kind == "name", seg
    assert reader.after(" was Jones's answer.").text == "Jones"


@pytest.mark.parametrize(
    "seg",
    [
        " was the reply.",  # nobody named: an untagged turn, as before
        " was the reply contained in his look;",
        " was the tranquil response;",
        " was a reply to nothing.",
    ],
)
def test_a_reply_of_nobody_named_is_no_tag(seg: str) -> None:
    assert TagReader(compile_names(["Mary"])).after(seg) is None


# --- A participle of a speech verb ends the lead-in: its clause's subject speaks.

_TALK = """"I am late," said Mr. Grant.

"Good evening," said Tom Brown to Mary Lane.

"Good evening," answered Mary.

"""

PARTICIPLE = [
    (  # the subject far before the participle, an object and a preposition's between
        "During all this, Mr. Grant, who had come in with the doctor, had shaken hands "
        'with Tom, merely saying, "The carriage is here."',
        "Mr. Grant",
    ),
    (  # a relative clause names the one who goes on to speak, not its object
        'Mary whispered a word to Mr. Grant, who approached Tom, saying: "We must go."',
        "Mr. Grant",
    ),
    (  # the participle's own addressee is no subject
        'Then Mr. Grant rose and took his hat, saying to Tom, "We must go."',
        "Mr. Grant",
    ),
    (  # a subject pronoun after an adverb
        'A minute afterwards she turned from the window, exclaiming, "The carriage!"',
        "Mary",
    ),
]


@pytest.mark.parametrize(("lead", "speaker"), PARTICIPLE)
def test_a_participle_before_the_quote_is_its_subjects_tag(lead: str, speaker: str) -> None:
    said = decided(_TALK + lead + '\n\n"So soon?" asked Tom.')
    assert said[3][0] == speaker
    assert said[3][1] in ("named-tag", "pronoun-tag")
    assert said[-1][0] in ("Tom", "Tom Brown")


def test_a_participle_not_of_speech_or_not_last_is_no_tag() -> None:
    reader = TagReader(compile_names(["Tom", "Mary"]))
    assert reader.before("Tom sat down, thinking hard,") is None
    assert reader.before("Mary, smiling at Tom, looked away;") is None
    # the participle closes the clause, its adverb after it
    found = reader.before("Mary looked at Tom, crying bitterly,")
    assert found is not None and found.text == "Mary"
