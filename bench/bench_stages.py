"""Hostile inputs of the text stages, timed side by side with ordinary text of the same size.

    python bench/bench_stages.py [--repeat N]

Each case runs a stage on a pathological input (thousands of possessives inside
one open quote, 300 chapters, one 250,000-character paragraph, a 100,000-word
book) and on an ordinary text of about the same length, and prints both times
and their ratio. A ratio near 1 means the stage stays linear on that input; the
unit tests check only what the stages find (timing assertions in unit tests fail
on a loaded machine and pass on a slow algorithm with a fast one). Targets are
the seconds the old unit tests allowed, on an idle core.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiobook.model import Document  # noqa: E402
from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.text import chapters, quotes, segments  # noqa: E402

MILA = (ROOT / "tests" / "data" / "attribution" / "mila.txt").read_text(encoding="utf-8")
PLAIN = "The road went on past the hills, and the river ran beside it all day. "


def _like(text: str) -> str:
    """Ordinary prose of the same length: the baseline a hostile input is compared with."""
    return (PLAIN * (len(text) // len(PLAIN) + 1))[: len(text)]


def _quotes(text: str) -> None:
    quotes.find_quotes(text)


def _chapters(text: str) -> None:
    chapters.split_chapters(Document("book.txt", text))


def _segments(text: str) -> None:
    doc = Document("book.txt", text)
    found = quotes.find_quotes(text)
    for chapter in chapters.split_chapters(doc):
        segments.segment_chapter(doc, chapter, found, {})


def _attribution(text: str) -> None:
    found = quotes.find_quotes(text)
    attribution.attribute(text, found, roster.build_roster(text, found))


BODY = "It was a quiet morning in the valley, and nobody came to the door.\n\n"
CASES: list[tuple[str, Callable[[str], None], str, str, float]] = [
    (
        "quotes: possessives in an open quote",
        _quotes,
        "'Yes,' she said. 'The cats' beds" + " and the dogs' bowls" * 5000 + " are empty.'\n",
        "",
        2.0,
    ),
    (
        "quotes: 20,000 quotes",
        _quotes,
        '"Where are you going?" asked the man. He walked on, and she said, "Home," and smiled.\n\n'
        * 10000,
        "",
        5.0,
    ),
    (
        "chapters: 300 headings",
        _chapters,
        "".join(f"Chapter {n}\n\n{BODY * 20}\n" for n in range(1, 301)),
        "",
        1.0,
    ),
    (
        "segments: one 250,000-character paragraph",
        _segments,
        PLAIN * (250_000 // len(PLAIN)),
        "\n\n".join([PLAIN * 10] * (250_000 // (len(PLAIN) * 10))),
        5.0,
    ),
    (
        "attribution: a 100,000-word book",
        _attribution,
        "\n\n".join([MILA] * 120),
        "\n\n".join([MILA] * 12),  # a tenth of it: the ratio should be near 10
        5.0,
    ),
]


def _time(fn: Callable[[str], None], text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best counts")
    args = parser.parse_args()
    print(f"{'case':<44} {'hostile':>9} {'baseline':>9} {'ratio':>7} {'target':>8}")
    for name, fn, hostile, baseline, target in CASES:
        base_text = baseline or _like(hostile)
        hard = _time(fn, hostile, args.repeat)
        easy = _time(fn, base_text, args.repeat)
        flag = "" if hard <= target else "  over target"
        print(
            f"{name:<44} {hard:8.2f}s {easy:8.2f}s {hard / max(easy, 1e-6):6.1f}x "
            f"{target:6.1f}s{flag}"
        )


if __name__ == "__main__":
    main()
