"""The `build` and `check` commands; cli/app.py registers them with ``app.command()``.

Bodies only gather options, call one library function and show its result.
Library errors propagate to cli.main, which prints the one `Error: ...` line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from audiobook.audio.engines import DEFAULT_ENGINE


def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Manuscript: a .txt file, or a folder of .txt files read in name order.",
            show_default=False,
        ),
    ],
    outdir: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="OUTDIR",
            help="Folder for the chapter files and manifest.json "
            "(created if needed; existing files other than this tool's are left alone).",
        ),
    ],
    cast_file: Annotated[
        Path | None,
        typer.Option(
            "--cast", metavar="FILE", help="Cast file (TOML): characters, aliases, genders, voices."
        ),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="mp3: one file per chapter; m4b: one audiobook file with chapter marks.",
        ),
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
    cover: Annotated[
        Path | None,
        typer.Option(
            "--cover", metavar="IMAGE", help="Cover image (JPEG or PNG) embedded in every file."
        ),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="Book title for the tags (default: book.toml beside the text, else its name).",
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Author for the tags (default: book.toml beside the text)."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Show no progress, only errors.")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding", help="Text encoding of the input files when not UTF-8, e.g. cp1252."
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="Speech engine to use.")] = DEFAULT_ENGINE,
) -> None:
    """Render the book into chapter files (or one M4B) and OUTDIR/manifest.json."""
    from audiobook.build import BuildOptions, build_book
    from audiobook.fsutil import require_tools
    from audiobook.pipeline import prepare
    from audiobook.progress import for_terminal

    require_tools("ffmpeg", "ffprobe")  # before minutes of work, not after

    options = BuildOptions(
        outdir=outdir,
        format=fmt,
        cache_dir=cache_dir,
        engine=engine,
        profile=profile,
        subtitles=subtitles,
        cover=cover,
        title=title,
        author=author,
    )
    if jobs is not None:
        options.jobs = jobs
    progress = for_terminal(quiet)
    try:
        prepared = prepare(inputs, cast_file, encoding, engine)
        for warning in prepared.warnings:
            typer.echo(f"Warning: {warning}", err=True)
        result = build_book(prepared, options, progress)
    finally:
        progress.close()
    if not quiet:
        hours = result.audio_seconds / 3600
        kept = sum(f.reused for f in result.files)
        typer.echo(
            f"Wrote {len(result.files) - kept} file(s), kept {kept}, {hours:.2f} h of audio, "
            f"in {result.seconds:.0f} s ({result.cache_misses} clips rendered, "
            f"{result.cache_hits} from the cache) -> {result.outdir}",
            err=True,
        )


def check(
    outdir: Annotated[Path, typer.Argument(help="A build's output folder.", show_default=False)],
) -> None:
    """Measure every file against ACX numbers; exit non-zero on any failure."""
    from rich.console import Console
    from rich.table import Table

    from audiobook.publish.check import check_outdir

    report = check_outdir(outdir)
    table = Table(
        "File", "Metric", "Value", "Limit", "", box=None, header_style="bold", pad_edge=False
    )
    for row in report.rows:
        table.add_row(
            row.file,
            row.metric,
            row.value,
            row.limit,
            "[green]pass[/]" if row.passed else "[red]FAIL[/]",
        )
    console = Console(
        file=sys.stdout,
        width=None if sys.stdout.isatty() else 10_000,
        highlight=False,
        soft_wrap=False,
    )
    console.print(table)
    failed = report.failures
    files = len({r.file for r in report.rows})
    if failed:
        console.print(
            f"{len(failed)} check(s) failed in {len({r.file for r in failed})} of "
            f"{files} file(s) ({report.profile} profile)"
        )
        raise typer.Exit(1)
    console.print(
        f"All {len(report.rows)} checks passed in {files} file(s) ({report.profile} profile)"
    )
