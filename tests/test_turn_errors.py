"""bench/turn_errors.py: a wrong untagged line is inherited from a wrong anchor, or the
turn rule's own when its anchors were right."""

from __future__ import annotations

import turn_errors
from goldbooks import write_book

# An invented kitchen scene. Its gold says Jane, not Mary, answers the tea question (a tag the
# rules read "wrong"), so the turn alternating from her is wrong by inheritance; later a
# third person, Jack, walks in untagged after two right turns: the turn rule's own error.
TEXT = (
    "Tom came into the kitchen, where Mary sat by the stove.\n\n"
    '"Is there any tea?" said Tom.\n\n'
    '"There is," said Mary.\n\n'
    '"Good."\n\n'
    '"Sugar?"\n\n'
    "Later that evening Tom and Mary sat by the fire.\n\n"
    '"Where is everyone?" asked Mary.\n\n'
    '"Out," said Tom.\n\n'
    '"Hello, all!"\n'
)
GOLD = [
    ("Is there any tea?", "Tom"),
    ("There is,", "Jane"),
    ("Good.", "Tom"),
    ("Sugar?", "Jane"),
    ("Where is everyone?", "Mary"),
    ("Out,", "Tom"),
    ("Hello, all!", "Jack"),
]


def test_a_wrong_tag_is_the_root_of_the_turn_after_it_and_a_newcomer_is_the_rules_own(
    tmp_path, capsys
):
    assert turn_errors.main([str(write_book(tmp_path, TEXT, GOLD)), "--show", "own"]) == 0
    out = capsys.readouterr().out
    assert "turn-taking: 3 quotes, 2 wrong: 1 inherited, 1 own" in out
    assert "inherited from named-tag" in out
    own = [line for line in out.splitlines() if line.startswith("--- ")]
    assert len(own) == 1
    assert "[third person: nobody named nearby] gold 'Jack', got 'Mary'" in own[0]


def test_roots_names_the_wrong_tag_once(tmp_path, capsys):
    assert turn_errors.main([str(write_book(tmp_path, TEXT, GOLD)), "--show", "roots"]) == 0
    roots = [line for line in capsys.readouterr().out.splitlines() if line.startswith("--- ")]
    assert roots == ["--- book root named-tag: gold 'Jane', got 'Mary'"]
