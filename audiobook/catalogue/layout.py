"""Where a book goes in the library: Audiobookshelf's folder layout.

Audiobookshelf reads a book's metadata from its folders: ``Author/Title/`` or
``Author/Series/Title/``, a series book's folder starting with ``Vol N - `` for its
place in the series. Each part is made a portable file name (no separators, no
leading dots, no reserved names), so metadata never steers a path out of the library.
"""

from __future__ import annotations

from pathlib import Path

from audiobook.catalogue.shelf import ShelfBook
from audiobook.fsutil import safe_stem

PART_LIMIT = 80  # characters per folder name: three levels stay far below any path limit


def book_folder(book: ShelfBook) -> Path:
    """The book's folder, relative to the library root."""
    author = _part(book.author, "Unknown")
    title = _part(book.title, "Untitled")
    if not book.series:
        return Path(author, title)
    series = _part(book.series, "Series")
    if book.sequence:
        title = _part(f"Vol {book.sequence} - {book.title}", title)
    return Path(author, series, title)


def _part(text: str, default: str) -> str:
    return safe_stem(text, PART_LIMIT) or default
