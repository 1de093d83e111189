"""What the book is called and who wrote it: options, then book.toml, then the book itself.

``book.toml`` beside the manuscript (or in its folder) corrects what an EPUB's
metadata or a plain text's title page says; ``cast --write`` writes one for a
plain-text manuscript so there is a file to correct. The same facts make the
opening and closing credits, which the narrator reads before the first
chapter and after the last (as ACX asks), unless they are turned off.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

from audiobook.errors import InputError
from audiobook.model import BookInfo, ChapterScript, Segment, image_kind

NAME = "book.toml"
CREDITS = "credits"  # the `source` of credit segments: generated text, not the book's
_TEXT_FIELDS = ("title", "narrator", "language", "series", "description", "publisher", "date")


def find_book_toml(inputs: list[Path]) -> Path | None:
    for path in inputs[:1]:
        src = Path(path)
        if str(src) == "-":
            return None
        for folder in (src if src.is_dir() else src.parent, src.parent):
            candidate = folder / NAME
            if candidate.is_file():
                return candidate
    return None


def resolve(inputs: list[Path], found: BookInfo, overrides: BookInfo | None = None) -> BookInfo:
    """``found`` (from the book) corrected by book.toml, then by ``overrides`` (options)."""
    info = replace(found, authors=list(found.authors))
    path = find_book_toml(inputs)
    if path is not None:
        _apply(info, _load(path), path)
    if overrides is not None:
        for f in fields(BookInfo):
            value = getattr(overrides, f.name)
            if value:
                setattr(info, f.name, value)
    if not info.title:
        info.title = _default_title(inputs)
    return info


def _load(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path}: not valid TOML ({exc})") from None
    book = data.get("book", data)
    if not isinstance(book, dict):
        raise InputError(f"{path}: [book] must be a table")
    return book


_KEYS = (*_TEXT_FIELDS, "authors", "author", "series_index", "cover")


def _check_keys(data: dict, path: Path) -> None:
    """A misspelt key would be ignored silently and the tags would be wrong: refuse it."""
    import difflib

    for key, value in data.items():
        if key not in _KEYS:
            close = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(_KEYS)})"
            raise InputError(f"{path}: unknown key '{key}'{hint}")
        # TOML dates and numbers are fine for date and series_index; lists and tables are not.
        scalar = isinstance(value, str) or (
            key in ("date", "series_index") and not isinstance(value, (list, dict, bool))
        )
        if key in ("authors", "author"):
            scalar = isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(a, str) for a in value)
            )
        if not scalar:
            want = "a string or a list of strings" if key in ("authors", "author") else "a string"
            raise InputError(f"{path}: '{key}' must be {want}, not {type(value).__name__}")


def _apply(info: BookInfo, data: dict, path: Path) -> None:
    _check_keys(data, path)
    for key in _TEXT_FIELDS:
        if data.get(key) not in (None, ""):
            setattr(info, key, str(data[key]))
    authors = data.get("authors", data.get("author"))
    if isinstance(authors, str) and authors.strip():
        info.authors = [authors.strip()]
    elif isinstance(authors, list) and authors:
        info.authors = [a.strip() for a in authors if a.strip()]
    if data.get("series_index") not in (None, ""):
        info.series_index = str(data["series_index"])
    cover = data.get("cover")
    if isinstance(cover, str) and cover:
        image = path.parent / cover
        try:
            info.cover = image.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read cover {image} ({exc.strerror})") from None
        if not image_kind(info.cover):
            raise InputError(f"{path}: cover {image} is not a JPEG, PNG or SVG image")


def _default_title(inputs: list[Path]) -> str:
    """The words of the manuscript's file or folder name ("Audiobook" for an id or a hash)."""
    from audiobook.text.chapters import title_from_name

    if not inputs or str(inputs[0]) == "-":
        return "Audiobook"
    first = Path(inputs[0]).resolve()
    named = first.parent if len(inputs) > 1 else first
    return title_from_name(named.name, "") or "Audiobook"


def write_book_toml(inputs: list[Path], info: BookInfo) -> Path | None:
    """book.toml beside a plain-text manuscript, when there is none yet (never overwritten)."""
    import tomli_w

    if not inputs or str(inputs[0]) == "-" or find_book_toml(inputs) is not None:
        return None
    first = Path(inputs[0])
    folder = first if first.is_dir() else first.parent
    data: dict[str, object] = {"title": info.title or _default_title(inputs)}
    data["authors"] = list(info.authors)  # empty, to fill in: a placeholder would be read out
    data["narrator"] = info.narrator or ""
    for key in ("language", "series", "series_index", "publisher", "date", "description"):
        value = getattr(info, key)
        if value:
            data[key] = value
    text = (
        "# What the tags and the credits say about this book; correct it freely.\n"
        '# Also: series, series_index, publisher, date, description, cover = "cover.jpg".\n'
        + tomli_w.dumps({"book": data})
    )
    from audiobook.fsutil import atomic_write

    path = folder / NAME
    atomic_write(path, text, fix=f"make {folder} writable, or write {NAME} there yourself")
    return path


def credit_lines(info: BookInfo) -> tuple[str, str]:
    """The opening and the closing credit, as the narrator reads them."""
    title = info.title or "this book"
    by = f", written by {info.author}" if info.author else ""
    narrator = info.narrator or "a synthetic voice"
    return (
        f"{title}{by}, narrated by {narrator}.",
        f"The end. You have been listening to {title}{by}, narrated by {narrator}.",
    )


def add_credits(chapters: list[ChapterScript], info: BookInfo, language: str) -> None:
    """The opening credit before the first chapter, the closing one after the last."""
    opening, closing = credit_lines(info)
    first = Segment("narration", opening, 0, len(opening), language=language, boundary="chapter")
    first.source = f"{CREDITS}:opening"
    if chapters[0].segments:
        chapters[0].segments[0].boundary = "chapter"
    chapters[0].segments.insert(0, first)
    last = Segment("narration", closing, 0, len(closing), language=language, boundary="chapter")
    last.source = f"{CREDITS}:closing"
    chapters[-1].segments.append(last)
