"""Progress of a build: the library reports events to a sink; the CLI picks a renderer.

The library never prints: ``build_book`` calls the methods of whatever sink
it is given (``Progress`` itself does nothing). Renderers: ``RichProgress``
(bars, counts and time remaining on a terminal), ``PlainProgress`` (a line
per step when output is a pipe or a log file), and nothing with --quiet.
"""

from __future__ import annotations

import sys
import threading
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

    def encoding_total(self, seconds: float) -> None:
        """Seconds of audio the encoders will take in (what is kept is not counted)."""

    def encoded(self, seconds: float) -> None:
        """The encoders took ``seconds`` more of audio (called from encoder threads)."""

    def close(self) -> None:
        """The build ended (successfully or not)."""


class PlainProgress(Progress):
    """One line per step and per file, and a clip count every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, every: float = 10.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.total = self.done = 0
        self.last = 0.0
        self.audio_total = self.audio_done = self.encode_started = 0.0
        self.lock = threading.Lock()  # encoders report from their threads

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

    def encoding_total(self, seconds: float) -> None:
        self.audio_total, self.audio_done = seconds, 0.0
        self.encode_started = self.last = time.monotonic()
        if seconds > 0:
            self._line(f"encoding {_clock(seconds)} of audio")

    def encoded(self, seconds: float) -> None:
        with self.lock:
            self.audio_done += seconds
            now = time.monotonic()
            if now - self.last < self.every or self.audio_done >= self.audio_total:
                return
            self.last = now
            share = self.audio_done / self.audio_total
            left = (now - self.encode_started) * (1 - share) / share
            self._line(f"encoded {share:.0%}, about {_clock(left)} left")


class RichProgress(Progress):
    """Bars for clips and chapters with time remaining, on a terminal."""

    def __init__(self, console=None):
        from rich.progress import (
            BarColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import (
            Progress as Bars,
        )

        self.bars = Bars(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.clips = self.encoding = None
        self.clip_counts = [0, 0]
        self.audio = [0.0, 0.0]
        self.bars.start()

    def stage(self, name: str) -> None:
        self.bars.console.print(name)  # print, not log: no source location on screen

    def clips_total(self, total: int, cached: int) -> None:
        self.clip_counts = [cached, total]
        self.clips = self.bars.add_task(
            "clips", total=total, completed=cached, count=f"{cached}/{total}"
        )

    def clips_done(self, count: int) -> None:
        if self.clips is not None:
            self.clip_counts[0] += count
            done, total = self.clip_counts
            self.bars.update(self.clips, advance=count, count=f"{done}/{total}")

    def chapter_done(self, name: str, reused: bool) -> None:
        # Names above the bars as files are finished (a bar of file counts sat at 0 while
        # the encoders worked: the encoding bar below measures audio instead).
        self.bars.console.print(f"  {'kept ' if reused else 'wrote'} {name}", markup=False)

    def encoding_total(self, seconds: float) -> None:
        # In seconds of audio, so the time remaining follows the encoders, not file counts.
        if seconds > 0:
            self.audio = [0.0, seconds]
            self.encoding = self.bars.add_task(
                "encoding", total=seconds, count=f"0:00/{_clock(seconds)} of audio"
            )

    def encoded(self, seconds: float) -> None:
        if self.encoding is not None:
            self.audio[0] += seconds
            done, total = self.audio
            self.bars.update(
                self.encoding,
                advance=seconds,
                count=f"{_clock(min(done, total))}/{_clock(total)} of audio",
            )

    def close(self) -> None:
        self.bars.stop()


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02}:{rest % 60:02}" if hours else f"{rest // 60}:{rest % 60:02}"


def for_terminal(quiet: bool = False, stream: TextIO | None = None) -> Progress:
    """The renderer that suits where output goes."""
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    if stream.isatty():
        from rich.console import Console

        return RichProgress(Console(file=stream))
    return PlainProgress(stream)
