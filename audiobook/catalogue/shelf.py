"""Find the books on a shelf: one entry of SHELF per book.

A book is either a folder (its manuscript: one text or Markdown file, several chapter
files, or an EPUB; an optional ``book.toml`` with title, authors, series and series_index;
an optional cast file ``cast.toml``), or a single manuscript file lying in SHELF itself (an
EPUB, a text or a Markdown file). Hidden entries and files of other kinds are ignored, so
a README beside the books does no harm. What a book is called is decided when it is read
(EPUB metadata corrected by book.toml, see text/bookinfo.py), not here.

Each book also gets a fingerprint of every file it is made of: a re-run of the catalogue
builds again only the books whose fingerprint (or the build options) changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError

# What can be a book on its own at the top of the shelf; the reader decides what it can read.
BOOK_FILES = (".txt", ".md", ".epub")
CAST_NAME = "cast.toml"


@dataclass
class ShelfBook:
    name: str  # the entry's name in SHELF: the book's id in the report
    inputs: list[Path]  # what the manuscript reader is given
    cast: Path | None
    fingerprint: str = ""  # of every file the book is made of
    error: str | None = None  # why it cannot be built, found before building


def discover(shelf: Path) -> list[ShelfBook]:
    """Every book of ``shelf`` in name order. A book that cannot be described (no
    manuscript, two EPUBs) is still listed, with its ``error``: only a missing or empty
    shelf fails the whole run."""
    if not shelf.is_dir():
        raise InputError(f"{shelf} is not a folder: give the folder that holds the books")
    entries = sorted(
        (p for p in shelf.iterdir() if not p.name.startswith(".")), key=lambda p: p.name
    )
    found = [p for p in entries if p.is_dir() or p.suffix.lower() in BOOK_FILES]
    if not found:
        raise InputError(
            f"no books in {shelf}: put each book in a folder of its own "
            "(text or EPUB, book.toml, cast.toml) or an EPUB file directly in it"
        )
    books = []
    for entry in found:
        try:
            books.append(describe(entry))
        except InputError as exc:
            books.append(ShelfBook(entry.name, [entry], None, error=str(exc)))
    return books


def describe(entry: Path) -> ShelfBook:
    """One shelf entry as a book: its inputs, cast file and fingerprint."""
    if entry.is_dir():
        inputs = _folder_inputs(entry)
        cast = entry / CAST_NAME if (entry / CAST_NAME).is_file() else None
        files = sorted(p for p in entry.rglob("*") if p.is_file() and not _hidden(p, entry))
    else:
        inputs, cast, files = [entry], None, [entry]
    return ShelfBook(entry.name, inputs, cast, _fingerprint(entry, files))


def _folder_inputs(folder: Path) -> list[Path]:
    """An EPUB alone in the folder is the book; otherwise the folder's text files are."""
    books = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    epubs = [p for p in books if p.suffix.lower() == ".epub"]
    texts = [p for p in books if p.suffix.lower() in (".txt", ".md")]
    if len(epubs) > 1:
        raise InputError(f"{folder} holds {len(epubs)} EPUBs: keep one book per folder")
    if epubs and texts:
        raise InputError(f"{folder} holds an EPUB and text files: keep one manuscript per book")
    if epubs:
        return epubs
    if not texts:
        raise InputError(f"{folder} has no manuscript: put the book's .txt files or EPUB in it")
    return [folder]  # the reader takes the folder's chapter files in name order


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _fingerprint(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    base = root if root.is_dir() else root.parent
    for path in files:
        digest.update(str(path.relative_to(base)).encode("utf-8") + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()[:32]
