"""bench/score_devsets.py's cast probes: a cast of names only, and the quotes it loses."""

from __future__ import annotations

from pathlib import Path

import score_devsets
from goldbooks import write_book

TEXT = (
    "The man seized me by the chin.\n\n"
    '"Tell us your name!" said the man. "Quick!"\n\n'
    '"Pip, sir," said Pip.\n\n'
    '"Once more," said the man, staring at me.\n'
)


def _book(tmp_path: Path) -> Path:
    said = [
        ("Tell us your name!", "the man"),
        ("Quick!", "the man"),
        ("Pip, sir,", "Pip"),
        ("Once more,", "the man"),
    ]
    cast = [{"name": "Pip", "gender": "male"}, {"name": "the man", "gender": "male"}]
    return write_book(tmp_path, TEXT, said, cast)


def test_a_names_only_cast_loses_the_unlisted_speakers_lines_and_diff_cast_says_so(
    tmp_path, capsys
):
    book = _book(tmp_path)
    assert score_devsets.main([str(book), "--names-only", "--diff-cast"]) == 0
    out = capsys.readouterr().out
    lost = [line for line in out.splitlines() if "unlisted -> listed" in line]
    assert lost and all("gold 'the man', cast 'Pip'" in line for line in lost)
    assert "Tell us your name!" in lost[0]


def test_a_cast_listing_the_described_speaker_loses_nothing(tmp_path, capsys):
    book = _book(tmp_path)
    assert score_devsets.main([str(book), "--diff-cast"]) == 0
    out = capsys.readouterr().out
    assert "-> listed" not in out and " listed " not in out
    scores = {
        line.split("  ")[1].strip(): float(line.split()[-2])
        for line in out.splitlines()
        if line.startswith("  gold spans,")
    }
    assert scores["gold spans, cast"] >= scores["gold spans, no cast"]
