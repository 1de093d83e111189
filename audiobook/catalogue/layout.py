"""Where a book goes in the library: Audiobookshelf's folder layout.

Audiobookshelf reads a book's metadata from its folders: ``Author/Title/`` or
``Author/Series/Title/``, a series book's folder starting with ``Vol N - `` for its
place in the series. Each part is made a portable file name (no separators, no
leading dots, no reserved names), so metadata never steers a path out of the library.
"""

from __future__ import annotations

from pathlib import Path

from audiobook.fsutil import safe_stem

PART_LIMIT = 80  # characters per folder name: three levels stay far below any path limit


def book_folder(
    author: str, title: str, series: str | None = None, sequence: str | None = None
) -> Path:
    """The book's folder, relative to the library root."""
    author_part = _part(author, "Unknown")
    title_part = _part(title, "Untitled")
    if not series:
        return Path(author_part, title_part)
    if sequence:
        title_part = _part(f"Vol {sequence} - {title}", title_part)
    return Path(author_part, _part(series, "Series"), title_part)


def _part(text: str, default: str) -> str:
    return safe_stem(text, PART_LIMIT) or default
