"""The `build` and `check` commands; cli/app.py registers them with ``app.command()``.

Bodies only gather options, call one library function and show its result.
Library errors propagate to cli.main, which prints the one `Error: ...` line.
"""

from __future__ import annotations

import sys

import typer

from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.cli import options
from audiobook.cli.options import GlobalFlags


def build(
    inputs: options.Inputs,
    outdir: options.BuildOutput,
    cast_file: options.Cast = None,
    fmt: options.FormatOption = options.Format.mp3,
    jobs: options.Jobs = None,
    cache_dir: options.CacheDir = None,
    profile: options.Profile = options.ProfileName.acx,
    subtitles: options.Subtitles = None,
    cover: options.Cover = None,
    title: options.Title = None,
    author: options.Author = None,
    encoding: options.Encoding = None,
    engine: options.Engine = DEFAULT_ENGINE,
    voices_dir: options.VoicesDir = None,
) -> None:
    """Render the book into chapter files (or one M4B) and OUTDIR/manifest.json."""
    from audiobook.build import BuildOptions, build_book
    from audiobook.cli.options import use_voices_dir
    from audiobook.fsutil import require_tools
    from audiobook.pipeline import prepare
    from audiobook.progress import for_terminal

    require_tools("ffmpeg", "ffprobe")  # before minutes of work, not after
    use_voices_dir(voices_dir)

    options = BuildOptions(
        outdir=outdir,
        format=fmt.value,
        cache_dir=cache_dir,
        engine=engine,
        profile=profile.value,
        subtitles=subtitles.value if subtitles else None,
        cover=cover,
        title=title,
        author=author,
    )
    if jobs is not None:
        options.jobs = jobs
    quiet = GlobalFlags.quiet
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


def check(outdir: options.Outdir) -> None:
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
