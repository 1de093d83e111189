"""The `catalogue` command: a shelf of books into an Audiobookshelf library.

The body gathers options, calls ``build_catalogue`` and shows its report; a run with a
failed book ends with one `Error:` line naming them (exit 1) after the table.
"""

from __future__ import annotations

import sys

import typer

from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.catalogue.report import BookReport, CatalogueProgress
from audiobook.cli import options
from audiobook.cli.flags import GlobalFlags


def catalogue(
    shelf: options.Shelf,
    library: options.LibraryOutput,
    fmt: options.FormatOption = options.Format.mp3,
    jobs: options.Jobs = None,
    cache_dir: options.CacheDir = None,
    profile: options.Profile = options.ProfileName.acx,
    subtitles: options.Subtitles = None,
    check: options.CheckBooks = True,
    engine: options.Engine = DEFAULT_ENGINE,
    executor: options.ExecutorUrl = None,
) -> None:
    """Build every book of SHELF into LIBRARY; a re-run builds only what changed."""
    from audiobook.audio.executor import open_executor
    from audiobook.build import BuildOptions
    from audiobook.catalogue.run import CatalogueOptions, build_catalogue
    from audiobook.errors import AudiobookError

    build = BuildOptions(
        outdir=library,
        format=fmt.value,
        cache_dir=cache_dir,
        engine=engine,
        profile=profile.value,
        subtitles=subtitles.value if subtitles else None,
    )
    if jobs is not None:
        build.jobs = jobs
    build.executor = open_executor(executor, build.jobs)
    try:
        report = build_catalogue(
            shelf, CatalogueOptions(library, build, check), None if GlobalFlags.quiet else _Lines()
        )
    finally:
        build.executor.close()
    _print(report.books)
    hours = report.audio_seconds / 3600
    typer.echo(
        f"{len(report.books)} book(s): {report.count('built')} built, {report.count('kept')} "
        f"kept, {report.count('failed')} failed; {hours:.2f} h of audio in "
        f"{report.seconds:.0f} s -> {library / 'catalogue.json'}",
        err=True,
    )
    if report.failed:
        names = ", ".join(b.name for b in report.failed)
        raise AudiobookError(
            f"{len(report.failed)} of {len(report.books)} book(s) failed ({names}); "
            f"the reasons are in the table above and in {library / 'catalogue.json'}"
        )


class _Lines(CatalogueProgress):
    def book_started(self, index: int, total: int, name: str) -> None:
        typer.echo(f"[{index}/{total}] {name}...", err=True)

    def book_done(self, book: BookReport) -> None:
        typer.echo(f"[{book.status}] {book.name}", err=True)


def _print(books: list[BookReport]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        "Book", "Status", "Folder", "Chapters", "Duration", "Notes", box=None, pad_edge=False
    )
    for book in books:
        minutes = f"{book.audio_seconds / 60:.1f} min" if book.status != "failed" else "-"
        notes = book.error or "; ".join(book.warnings)
        table.add_row(
            book.name, book.status, book.folder or "-", str(book.chapters), minutes, notes
        )
    width = None if sys.stdout.isatty() else 10_000
    Console(file=sys.stdout, width=width, highlight=False, soft_wrap=False).print(table)
