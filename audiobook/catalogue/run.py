"""Build every book of a shelf into an Audiobookshelf library, one book at a time.

Each book is the ordinary pipeline (``prepare`` then ``build_book``) into its own
folder, so everything a single build promises holds per book: atomic files, the clip
cache, re-encoding only what changed. A book that fails is reported and the next one
starts; only a lost cluster (nothing else could be built either) or Ctrl-C stops the
run, with the report written up to the book in hand.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

from audiobook import __version__
from audiobook.build import BuildOptions, build_book, validate_options
from audiobook.catalogue import report as report_io
from audiobook.catalogue.layout import book_folder
from audiobook.catalogue.report import (
    BUILT,
    FAILED,
    KEPT,
    BookReport,
    CatalogueProgress,
    CatalogueReport,
)
from audiobook.catalogue.shelf import ShelfBook, discover
from audiobook.errors import AudiobookError, ClusterError, InputError
from audiobook.fsutil import build_lock, output_errors
from audiobook.progress import Progress
from audiobook.publish import manifest as manifest_io

COVERS = ("cover.jpg", "cover.jpeg", "cover.png")
UNKNOWN_AUTHOR = "Unknown"


@dataclass
class CatalogueOptions:
    library: Path
    # Every book is built with these (its own outdir, title, author and cover filled in).
    build: BuildOptions
    check: bool = True  # measure each built book against the profile's numbers


def build_catalogue(
    shelf: Path,
    options: CatalogueOptions,
    progress: CatalogueProgress | None = None,
    book_progress: Progress | None = None,
) -> CatalogueReport:
    """Build the shelf into ``options.library``; the report is also LIBRARY/catalogue.json."""
    started = time.monotonic()
    progress = progress or CatalogueProgress()
    validate_options(options.build)  # once, before any book, not as every book's failure
    books = discover(shelf)
    library = options.library
    with output_errors(library):
        library.mkdir(parents=True, exist_ok=True)
    executor = options.build.executor
    report = CatalogueReport(
        str(shelf), str(library), executor=executor.name if executor else "local"
    )
    with build_lock(library):
        old = report_io.load(library)
        settings = _settings(options)
        names = {book.name for book in books}
        # Folders already given to books still on the shelf: a new book may not take one.
        taken = {Path(r.folder): r.name for r in old.values() if r.folder and r.name in names}
        for index, book in enumerate(books, 1):
            progress.book_started(index, len(books), book.name)
            row = _one(book, taken, old.get(book.name), settings, options, book_progress)
            report.books.append(row)
            report.seconds = time.monotonic() - started
            report_io.save(library, report)
            progress.book_done(row)
    return report


def _one(book, taken, previous, settings, options, book_progress) -> BookReport:
    row = BookReport(book.name, FAILED, "", "", fingerprint=book.fingerprint, settings=settings)
    if book.error:
        row.error = book.error
        return row
    if _unchanged(previous, row, options.library):
        return replace(previous, status=KEPT, build_seconds=0.0)
    started = time.monotonic()
    try:
        _build(book, row, taken, options, book_progress)
        row.status = BUILT
    except ClusterError:
        raise  # every later book would fail the same way: stop with one error
    except AudiobookError as exc:
        row.error = str(exc) or type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - a bug met by one book must not stop the shelf
        row.error = f"unexpected {type(exc).__name__}: {exc} (a bug in audiobook; please report)"
    row.build_seconds = round(time.monotonic() - started, 3)
    return row


def _build(book: ShelfBook, row: BookReport, taken: dict[Path, str], options, progress) -> None:
    """Read the book, give it its folder (from what it says it is), build it there."""
    from audiobook.pipeline import prepare

    prepared = prepare(book.inputs, book.cast, None, options.build.engine)
    info = prepared.info
    row.title = info.title or book.name
    row.author = info.author or UNKNOWN_AUTHOR
    row.series, row.sequence = info.series, info.series_index
    folder = book_folder(row.author, row.title, row.series, row.sequence)
    if taken.setdefault(folder, book.name) != book.name:
        raise InputError(
            f"{taken[folder]} on the shelf already goes to {folder}; give this book another "
            "title or series in its book.toml"
        )
    row.folder = str(folder)
    row.warnings += list(prepared.warnings)
    if not info.authors:
        row.warnings.append("no author: the book names none; put authors in its book.toml")
    outdir = options.library / folder
    build = replace(options.build, outdir=outdir, cover=_cover(book) or options.build.cover)
    result = build_book(prepared, build, progress)
    row.chapters = len(prepared.script.chapters)
    row.files = len(result.files)
    row.audio_seconds = round(result.audio_seconds, 3)
    row.clips_rendered, row.clips_cached = result.cache_misses, result.cache_hits
    split = [f.name for f in result.files if "(part " in f.title]
    if split:
        row.warnings.append(f"long chapters split into parts: {', '.join(split)}")
    if options.check:
        from audiobook.publish.check import check_outdir

        for fail in check_outdir(outdir).failures:
            row.warnings.append(f"{fail.file}: {fail.metric} {fail.value} (limit {fail.limit})")


def _cover(book: ShelfBook) -> Path | None:
    """cover.jpg or cover.png in a book's folder (a lone EPUB carries its own)."""
    folder = book.inputs[0] if book.inputs[0].is_dir() else book.inputs[0].parent
    if folder.name != book.name:
        return None  # a lone file at the top of the shelf: the shelf's cover is no book's
    for name in COVERS:
        if (folder / name).is_file():
            return folder / name
    return None


def _unchanged(previous: BookReport | None, row: BookReport, library: Path) -> bool:
    """Same files (book.toml included), same settings, and its folder still holds the build."""
    return (
        previous is not None
        and previous.status in (BUILT, KEPT)
        and bool(previous.folder)
        and (previous.fingerprint, previous.settings) == (row.fingerprint, row.settings)
        and (library / str(previous.folder) / manifest_io.NAME).is_file()
    )


def _settings(options: CatalogueOptions) -> str:
    """What, besides its files, decides a book's output: options, code and engine versions."""
    from audiobook.audio.engines import get_engine
    from audiobook.build import ENCODING_VERSION

    build = options.build
    engine = get_engine(build.engine)
    try:
        version = engine.version()
    finally:
        engine.close()
    blob = json.dumps(
        [
            __version__,
            ENCODING_VERSION,
            build.engine,
            version,
            build.format,
            build.profile,
            build.subtitles,
            build.pauses,
            options.check,
        ],
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]
