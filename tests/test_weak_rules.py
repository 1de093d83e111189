"""The sieve's weak rules (pronoun tags, the fallback, action subjects): one table row per
rule, each a short invented passage with the speakers expected for its quotes."""

from __future__ import annotations

import pytest
from rosters import speakers

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
