"""Progress of a build: the library reports events to a sink; the CLI picks a renderer.

The library never prints: ``build_book`` calls the methods of whatever sink
it is given (``Progress`` itself does nothing). Renderers: ``RichProgress``
(bars, counts and time remaining on a terminal), ``PlainProgress`` (a line
per step when output is a pipe or a log file), and nothing with --quiet.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """The events of a build; subclass and override what you want to show."""

    def stage(self, name: str) -> None:
        """A new step begins: "rendering", "encoding", "writing manifest"..."""

    def clips_total(self, total: int, cached: int) -> None:
        """How many clips the book has, and how many the cache already holds."""

    def clips_done(self, count: int) -> None:
        """``count`` more clips were rendered."""

    def chapters_total(self, total: int) -> None:
        """How many files will be written (or kept)."""

    def chapter_done(self, name: str, reused: bool) -> None:
        """A file was written (``reused``: it was already up to date)."""

    def close(self) -> None:
        """The build ended (successfully or not)."""


class PlainProgress(Progress):
    """One line per step and per file, and a clip count every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.total = self.done = 0
        self.last = 0.0

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def stage(self, name: str) -> None:
        self._line(f"{name}...")

    def clips_total(self, total: int, cached: int) -> None:
        self.total, self.done = total, cached
        self._line(f"{total} clips, {cached} from the cache, {total - cached} to render")

    def clips_done(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= self.every or self.done == self.total:
            self.last = now
            self._line(f"clips {self.done}/{self.total}")

    def chapter_done(self, name: str, reused: bool) -> None:
        self._line(f"{'kept' if reused else 'wrote'} {name}")


class RichProgress(Progress):
    """Bars for clips and chapters with time remaining, on a terminal."""

    def __init__(self, console=None):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as Bars,
        )

        self.bars = Bars(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.clips = self.chapters = None
        self.bars.start()

    def stage(self, name: str) -> None:
        self.bars.console.log(name)

    def clips_total(self, total: int, cached: int) -> None:
        self.clips = self.bars.add_task("clips", total=total, completed=cached)

    def clips_done(self, count: int) -> None:
        if self.clips is not None:
            self.bars.advance(self.clips, count)

    def chapters_total(self, total: int) -> None:
        self.chapters = self.bars.add_task("chapters", total=total)

    def chapter_done(self, name: str, reused: bool) -> None:
        if self.chapters is not None:
            self.bars.advance(self.chapters, 1)

    def close(self) -> None:
        self.bars.stop()


def for_terminal(quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """The renderer that suits where output goes."""
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    if stream.isatty():
        from rich.console import Console

        return RichProgress(Console(file=stream))
    return PlainProgress(stream)
