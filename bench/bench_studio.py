"""The studio on a whole novel: how long opening it, fixing a line and hearing a line take.

    python bench/bench_studio.py NOVEL.txt

Measured side by side in one process, on a fresh cast file and clip cache:
  open           prepare the book (what `audiobook studio` does before serving)
  first fix      the first [lines] fix: writes the whole cast, prepares the book again
  fix in place   a fix to a speaker who has a voice: the cast file is written and only
                 that line's segments change (casting reads the book as attributed)
  fix, new name  a fix to a speaker the book never names: the cast grows, full prepare
  hear (cold)    a line rendered through the clip cache and encoded to MP3
  hear (cached)  the same line again: no synthesis, only the MP3 encode
The ratio `fix, new name / fix in place` is what the in-place path saves.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from audiobook.studio.session import Session


def timed(label: str, fn) -> float:
    start = time.monotonic()
    fn()
    seconds = time.monotonic() - start
    print(f"{label:<16}{seconds:7.2f} s", flush=True)
    return seconds


def main() -> None:
    book = Path(sys.argv[1])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        box: list[Session] = []
        timed(
            "open",
            lambda: box.append(
                Session([book], folder / "c.toml", folder / "out", cache_dir=folder / "cache")
            ),
        )
        session = box[0]
        lines = [s.line for c in session.script.chapters for s in c.segments if s.line]
        speaker = next(s.speaker for c in session.script.chapters for s in c.segments if s.speaker)
        timed("first fix", lambda: session.assign(lines[0], speaker))
        in_place = timed("fix in place", lambda: session.assign(lines[10], speaker))
        full = timed("fix, new name", lambda: session.assign(lines[20], "Someone New"))
        timed("hear (cold)", lambda: session.line_audio(lines[30]))
        timed("hear (cached)", lambda: session.line_audio(lines[30]))
        print(f"full prepare / in place: {full / in_place:.0f}x")
        session.close()


if __name__ == "__main__":
    main()
