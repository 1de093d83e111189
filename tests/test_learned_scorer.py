"""The learned speaker scorer of bench/ (issue 10, part 6: evaluated, not switched on):
what its features see on short passages, its inference, and reproducible training."""

from __future__ import annotations

import json
from pathlib import Path

import learned_scorer as learned
import pytest
import train_scorer

from audiobook.speakers import attribution, roster
from audiobook.text import quotes

GATE = (
    'Anna and Robert stood at the gate.\n\n"It is late," Anna said quietly.\n\n"Not yet," '
    "Robert replied.\n\n"
)
FIRE = (
    "Mary and John sat by the fire. Mary was tired, and she said nothing. John spoke first."
    '\n\n"Cold night," he said.\n\n"Colder tomorrow," said John.\n\n"I know," she said.'
)
# (what the row shows, passage, hand-set weights, expected (speaker, rule) of each speech quote)
PASSAGES = [
    (
        "a model that agrees with the sieve changes nothing",
        GATE + '"Then when?"\n\n"Soon."',
        {"alt-before:odd-other": 2.0, "alt-before:even-self": 2.0, "alt-before:odd-self": -2.0},
        [
            ("Anna", "named-tag"),
            ("Robert", "named-tag"),
            ("Anna", "turn-taking"),
            ("Robert", "turn-taking"),
        ],
    ),
    (
        "the model's choice is rule 'learned'; the rest of the utterance follows it",
        GATE + '"Then when? I have waited all day.\n\n"Tell me."',
        {"spoke-1:strong": 3.0},
        [
            ("Anna", "named-tag"),
            ("Robert", "named-tag"),
            ("Robert", "learned"),
            ("Robert", "continuation"),
        ],
    ),
    (
        "alternation alone would give 'she said' to the man who just spoke",
        FIRE,
        {"spoke-1:strong": 2.0},
        [("John", "pronoun-tag"), ("John", "named-tag"), ("John", "learned")],
    ),
    (
        "a pronoun tag's gender outweighs alternation",
        FIRE,
        {"spoke-1:strong": 2.0, "gender-clash:pronoun": -4.0},
        [("John", "pronoun-tag"), ("John", "named-tag"), ("Mary", "pronoun-tag")],
    ),
]


def rescored(text: str, weights: dict[str, float]) -> list[tuple[str | None, str]]:
    found = quotes.find_quotes(text)
    book, said, runs = attribution.sieve_pass(text, found, roster.build_roster(text, found))
    model = train_scorer.model_of(weights)
    out, _ = learned.rescore(book, found, said, runs, model)
    return [(a.speaker, a.rule) for q, a in zip(found, out, strict=True) if q.is_speech]


@pytest.mark.parametrize("what,text,weights,expected", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_inference(what, text, weights, expected):
    assert rescored(text, weights) == expected


def test_features_see_both_people_and_who_spoke_when():
    text = GATE + '"Then when?"\n\n"Soon."'
    found = quotes.find_quotes(text)
    book, said, runs = attribution.sieve_pass(text, found, roster.build_roster(text, found))
    ctx = learned.context(book, found, said, runs)
    i = next(n for n, q in enumerate(found) if text[q.start : q.end] == "Then when?")
    assert set(learned.candidates(ctx, i)) == {"Anna", "Robert"}
    anna = learned.features(ctx, i, "Anna", None)
    robert = learned.features(ctx, i, "Robert", None)
    # Anna was tagged two turns back, Robert one: alternation says Anna, the sieve too.
    assert {"spoke-2:strong", "alt-before:odd-other", "proposed:turn-taking"} <= set(anna)
    assert {"spoke-1:strong", "alt-before:odd-self"} <= set(robert)
    assert "proposed:turn-taking" not in robert


BOOKS = [
    (
        GATE + '"Then when?"\n\n"Soon."\n\n"Why?" asked Anna.',
        ["Anna", "Robert", "Anna", "Robert", "Anna"],
    ),
    (
        'Mary and John sat by the fire.\n\n"Cold night," said John.\n\n"Colder tomorrow," '
        'Mary said.\n\n"Surely not."\n\n"Surely so."',
        ["John", "Mary", "John", "Mary"],
    ),
    (
        'Tom met Sarah on the road.\n\n"Good day," said Tom.\n\n"Good day to you," said '
        'Sarah.\n\n"Where to?"\n\n"The market," she said.',
        ["Tom", "Sarah", "Tom", "Sarah"],
    ),
    (
        'Peter waited for Lucy at the door.\n\n"You are late," Peter said.\n\n"The bus," '
        'said Lucy.\n\n"Again?"\n\n"Again."\n\n"Well," he said.',
        ["Peter", "Lucy", "Peter", "Lucy", "Peter"],
    ),
]


def _gold_folder(folder: Path) -> None:
    """Four tiny books with gold speakers, as LitBank's files are laid out."""
    folder.mkdir()
    for n, (text, speakers) in enumerate(BOOKS):
        speech = [q for q in quotes.find_quotes(text) if q.is_speech]
        assert len(speech) == len(speakers)
        gold = [
            {"start": q.start, "end": q.end, "speaker": who}
            for q, who in zip(speech, speakers, strict=True)
        ]
        (folder / f"{n}_book.txt").write_text(text, encoding="utf-8")
        (folder / f"{n}_book.gold.json").write_text(json.dumps(gold), encoding="utf-8")


def test_training_is_reproducible_and_the_weights_load(tmp_path, capsys):
    folder = tmp_path / "gold"
    _gold_folder(folder)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        assert train_scorer.main([str(folder), "--write", str(out)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "out of fold (2 folds by book)" in capsys.readouterr().out
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["weights"] and len(first.read_bytes()) < 8000
    model = learned.load(first)
    assert model.rules == frozenset(train_scorer.RULES)
    assert model.floor == data["floor"]
