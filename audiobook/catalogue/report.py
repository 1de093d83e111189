"""LIBRARY/catalogue.json: what each book of the last run became.

It is both the report a publisher reads (per book: where it went, chapters, duration,
warnings, or why it failed) and the state a re-run resumes from: a book whose files,
build settings and output folder are as recorded is kept without being read again.
It is rewritten (atomically) after every book, so an interrupted run loses nothing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from audiobook.fsutil import atomic_write

NAME = "catalogue.json"
VERSION = 1
BUILT, KEPT, FAILED = "built", "kept", "failed"


@dataclass
class BookReport:
    name: str  # the book's entry in the shelf
    status: str  # built | kept | failed
    title: str
    author: str
    folder: str | None = None  # relative to the library, "Author/Series/Title"
    series: str | None = None
    sequence: str | None = None
    chapters: int = 0
    files: int = 0
    audio_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    clips_rendered: int = 0
    clips_cached: int = 0
    build_seconds: float = 0.0
    fingerprint: str = ""  # of the book's files
    settings: str = ""  # of the build options and the engine's version


@dataclass
class CatalogueReport:
    shelf: str
    library: str
    books: list[BookReport] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the run
    executor: str = "local"

    def count(self, status: str) -> int:
        return sum(b.status == status for b in self.books)

    @property
    def failed(self) -> list[BookReport]:
        return [b for b in self.books if b.status == FAILED]

    @property
    def audio_seconds(self) -> float:
        return sum(b.audio_seconds for b in self.books if b.status != FAILED)


class CatalogueProgress:
    """Events of a catalogue run; the CLI shows them, the library never prints."""

    def book_started(self, index: int, total: int, name: str) -> None:
        """Book ``index`` (1-based) of ``total`` is being built."""

    def book_done(self, book: BookReport) -> None:
        """A book was built, kept or failed."""


def load(library: Path) -> dict[str, BookReport]:
    """The previous run's books by name; nothing when there is no readable report."""
    try:
        data = json.loads((library / NAME).read_text(encoding="utf-8"))
        rows = data["books"] if data.get("version") == VERSION else []
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    known = {f.name for f in fields(BookReport)}
    books = {}
    for row in rows:
        try:
            book = BookReport(**{k: v for k, v in row.items() if k in known})
        except (TypeError, AttributeError):
            continue
        books[book.name] = book
    return books


def save(library: Path, report: CatalogueReport) -> Path:
    data: dict[str, Any] = {"version": VERSION, **asdict(report)}
    data["totals"] = {
        "books": len(report.books),
        "built": report.count(BUILT),
        "kept": report.count(KEPT),
        "failed": report.count(FAILED),
        "audio_hours": round(report.audio_seconds / 3600, 3),
    }
    path = library / NAME
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path
