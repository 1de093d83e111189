"""The sieve's weak rules (pronoun tags, the fallback, action subjects): one table row per
rule, each a short invented passage with the speakers expected for its quotes."""

from __future__ import annotations

import pytest
from rosters import speakers

from audiobook.speakers import attribution, roster
from audiobook.text import quotes

# (rule under test, passage, expected speaker per speech quote; None is left unchecked)
PASSAGES = [
    (
        "a name before a past-tense verb is the subject, after an opening phrase too",
        "Harry and Tom sat by the fire of the inn.\n\n"
        '"We leave at dawn," said Harry.\n\n'
        '"Then we must sleep early," said Tom.\n\n'
        "Harry poked the fire. Before long Tom yawned and looked up at the clock.\n\n"
        '"I am tired," he said.\n',
        ["Harry", "Tom", "Tom"],
    ),
    (
        "the same for a woman: 'At the door Jane stopped' makes Jane the one 'she' means",
        "Mary and Jane walked home from the market.\n\n"
        '"It will rain," said Mary.\n\n'
        '"Then we must hurry," said Jane.\n\n'
        "Mary opened the gate. At the door Jane stopped and turned round.\n\n"
        '"I have lost my key," she said.\n',
        ["Mary", "Jane", "Jane"],
    ),
    (
        "a name after a verb stays its object ('Harry thanked Tom warmly')",
        "Harry and Tom sat by the fire of the inn.\n\n"
        '"We leave at dawn," said Harry.\n\n'
        '"Then we must sleep early," said Tom.\n\n'
        "Harry thanked Tom warmly for the supper.\n\n"
        '"Good night," he said.\n',
        ["Harry", "Tom", "Harry"],
    ),
]


@pytest.mark.parametrize("rule,text,expected", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_weak_rule(rule, text, expected):
    got = speakers(text)
    assert len(got) == len(expected), got
    for who, want in zip(got, expected, strict=True):
        if want is not None:
            assert who == want, (rule, got)


def rules(text: str) -> list[str]:
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    return [a.rule for q, a in zip(found, said, strict=True) if q.is_speech]


# A colon that announces a document or another person's words gives nobody the line by
# lead-in-subject (what decides it then is the other rules' guess).
NOT_LEAD_INS = [
    (
        "a letter read out is its writer's, not the reader's",
        "Peter and Anna sat by the stove.\n\n"
        '"Is there any news?" asked Peter.\n\n'
        '"None," said Anna.\n\n'
        "Anna handed Peter a letter from the town. Peter took it, and read:\n\n"
        '"Dear brother, I shall come on Sunday with the children."\n',
    ),
    (
        "a subordinate clause's subject, with a pronoun of the other sex as the main one",
        "Peter and Anna came into the kitchen late that night.\n\n"
        "While Anna placed the lamp on the table, he turned to the window:\n\n"
        '"It will snow before morning."\n',
    ),
]


@pytest.mark.parametrize("case,text", NOT_LEAD_INS, ids=[c for c, _ in NOT_LEAD_INS])
def test_not_a_lead_in_subject(case, text):
    assert "lead-in-subject" not in rules(text)
