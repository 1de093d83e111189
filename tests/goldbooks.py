"""A gold set the bench scorers read, written from an invented passage: each quote's text
and its speaker, in order."""

from __future__ import annotations

import json
from pathlib import Path


def gold_spans(text: str, said: list[tuple[str, str]]) -> list[dict]:
    """The gold entries of (words as quoted, speaker) pairs, each found in the text."""
    out = []
    for words, speaker in said:
        start = text.index(words)
        out.append({"start": start, "end": start + len(words), "speaker": speaker})
    return out


def write_book(
    directory: Path, text: str, said: list[tuple[str, str]], cast: list[dict] | None = None
) -> Path:
    """book.txt with its book.gold.json (and book.characters.json for a cast) in directory."""
    (directory / "book.txt").write_text(text, encoding="utf-8")
    gold = json.dumps(gold_spans(text, said))
    (directory / "book.gold.json").write_text(gold, encoding="utf-8")
    if cast is not None:
        (directory / "book.characters.json").write_text(json.dumps(cast), encoding="utf-8")
    return directory / "book.txt"
