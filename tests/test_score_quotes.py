"""bench/score_quotes.py: each gold quote falls in one class (found, missed, not speech,
merged...), and found speech with no gold quote is spurious."""

from __future__ import annotations

import json

import score_quotes
from goldbooks import gold_spans

TEXT = (
    '"Tell us your name!" said the man. "Quick!"\n\n'
    "_Hekinah degul_, cried the crowd.\n\n"
    'He called it "a trifle" and left.\n\n'
    '"Fine," said the man.\n\n'
    '"Go home. Now," said Pip.\n'
)
GOLD = [
    ("Tell us your name!", "the man"),
    ("Quick!", "the man"),
    ("Hekinah degul", "the crowd"),  # in italics, not in quotation marks
    ("a trifle", "the man"),  # a scare quote to the finder
    ("Go home.", "Pip"),  # one found quote, two gold ones of two speakers
    ("Now,", "the man"),
]


def test_each_gold_quote_has_one_class_and_the_rest_is_spurious(tmp_path):
    book = score_quotes.score_book("book", TEXT, gold_spans(TEXT, GOLD))
    counts = {k: v for k, v in book.counts.items() if v}
    assert counts == {
        "gold": 6,
        "found": 2,
        "missed": 1,
        "not speech": 1,
        "merged": 2,
        "spurious": 1,  # "Fine,": speech the gold does not have, amid the gold's stretch
    }
    assert any(loss.startswith("missed:") and "Hekinah" in loss for loss in book.losses)


def test_a_folder_is_one_set_and_totals_print_alone(tmp_path, capsys):
    for name in ("a", "b"):
        start = TEXT.index("Quick!")
        gold = [{"start": start, "end": start + 6, "speaker": "the man"}]
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
        (tmp_path / f"{name}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    assert score_quotes.main([str(tmp_path), "--totals"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "TOTAL" in lines[1] and "gold    2" in lines[1]
