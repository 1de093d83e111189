"""Speech tags told with a noun or a participle instead of a finite speech verb (issue 10,
branch tags6): a table of invented passages per form, each with the speakers it must give."""

from __future__ import annotations

import pytest
from rosters import decided

from audiobook.speakers.tags import TagReader, compile_names

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
