"""The `catalogue` command: a shelf of books into an Audiobookshelf library.

The body gathers options, calls ``build_catalogue`` and shows its report; a run with a
failed book ends with one `Error:` line naming them (exit 1) after the table.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.catalogue.report import BookReport, CatalogueProgress


def catalogue(
    shelf: Annotated[
        Path,
        typer.Argument(
            help="Folder of books: a folder per book (text, chapter files or EPUB, book.toml, "
            "cast.toml), or an EPUB per book.",
            show_default=False,
        ),
    ],
    library: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="LIBRARY",
            help="Library folder: each book goes to Author/Series/Title/ in it, the report to "
            "LIBRARY/catalogue.json.",
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", help="mp3: a file per chapter; m4b: one file per book."),
    ] = "mp3",
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Speech worker processes (default: every core)."),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="Clip cache (default: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook).",
        ),
    ] = None,
    profile: Annotated[
        str,
        typer.Option(
            "--profile", help="acx: 44.1 kHz 192 kbps for delivery; compact: 22.05 kHz 64 kbps."
        ),
    ] = "acx",
    subtitles: Annotated[
        str | None,
        typer.Option("--subtitles", help="Also write subtitles beside each file: srt or vtt."),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check", help="Measure each built book and report what misses ACX."
        ),
    ] = True,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress, only the report.")
    ] = False,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine to use.")] = DEFAULT_ENGINE,
) -> None:
    """Build every book of SHELF into LIBRARY; a re-run builds only what changed."""
    from audiobook.build import BuildOptions
    from audiobook.catalogue.run import CatalogueOptions, build_catalogue
    from audiobook.errors import AudiobookError
    from audiobook.fsutil import require_tools

    require_tools("ffmpeg", "ffprobe")
    build = BuildOptions(
        outdir=library,
        format=fmt,
        cache_dir=cache_dir,
        engine=engine,
        profile=profile,
        subtitles=subtitles,
    )
    if jobs is not None:
        build.jobs = jobs
    options = CatalogueOptions(library, build, check)
    report = build_catalogue(shelf, options, None if quiet else _Lines())
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
