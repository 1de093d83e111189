"""The `build` and `check` commands; cli/app.py registers them with ``app.command()``.

Bodies only gather options, call one library function and show its result.
Library errors propagate to cli.main, which prints the one `Error: ...` line.
"""

from __future__ import annotations

import sys

import typer

from audiobook import uptodate
from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.cli import options
from audiobook.cli.flags import GlobalFlags
from audiobook.cli.options import include_set
from audiobook.model import BookInfo


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
    dry_run: options.DryRun = False,
    force: options.Force = False,
    executor: options.ExecutorUrl = None,
    include: options.Include = "",
    credits: options.Credits = True,
    narrator: options.Narrator = None,
    pace: options.Pace = None,
) -> None:
    """Render the book into chapter files (or one M4B) and OUTDIR/manifest.json."""
    from audiobook import rxstore
    from audiobook.audio.cache import default_cache_dir

    # Before the modules that compile most patterns load; a dry run keeps nothing.
    with rxstore.kept(None if dry_run else (cache_dir or default_cache_dir()) / "frontend"):
        from audiobook.build import BuildOptions, validate_options
        from audiobook.cli.options import use_voices_dir
        from audiobook.make import make_book

        parts = include_set(include)
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
            force=force,
        )
        if jobs is not None:
            options.jobs = jobs
        # options and ffmpeg's encoders, before minutes of work (a dry run writes nothing)
        validate_options(options, remember=not dry_run)
        quiet = GlobalFlags.quiet
        if dry_run:
            from audiobook.estimate import estimate_build
            from audiobook.pipeline import prepare

            prepared = prepare(inputs, cast_file, encoding, engine, include=parts, credits=credits)
            estimate = estimate_build(prepared, options.format, options.profile, cache_dir, jobs)
            _print_estimate(estimate, outdir)
            return

        def show_progress():
            from audiobook.progress import for_terminal

            return for_terminal(quiet)

        result = make_book(
            inputs,
            options,
            cast_file=cast_file,
            encoding=encoding,
            include=parts,
            credits=credits,
            info=BookInfo(title=title, authors=[author] if author else [], narrator=narrator),
            pace=pace,
            executor=executor,
            progress=show_progress,
            on_warning=lambda warning: typer.echo(f"Warning: {warning}", err=True),
        )
    if not quiet:
        done = isinstance(result, uptodate.Unchanged)
        typer.echo(unchanged_summary(result) if done else summary(result), err=True)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def summary(result) -> str:
    """One line: what was written and kept (files, not chapters: an M4B is one file)."""
    files: dict[str, bool] = {}
    for f in result.files:
        files[f.name] = files.get(f.name, True) and f.reused
    wrote = sum(not kept for kept in files.values())
    kept = len(files) - wrote
    subs = len(result.subtitles)  # rewritten on every build that asks for them
    chapters = ""
    if len(files) == 1 and len(result.files) > 1:
        chapters = f" ({_count(len(result.files), 'chapter')})"
    if wrote or not (kept or subs):
        done = f"Wrote {_count(wrote, 'file')}{chapters}"
        done += f" and {_count(subs, 'subtitle file')}" if subs else ""
        done += f", kept {kept}" if kept else ""
    elif subs:
        done = f"Wrote {_count(subs, 'subtitle file')}, kept {_count(kept, 'file')}{chapters}"
    else:
        done = f"Nothing to write, kept {_count(kept, 'file')}{chapters}"
    return (
        f"{done}: {result.audio_seconds / 3600:.2f} h of audio in {result.seconds:.0f} s "
        f"({_count(result.cache_misses, 'clip')} rendered, {result.cache_hits} from the cache)"
        f" -> {result.outdir}"
    )


def unchanged_summary(same) -> str:
    """One line for a build that found nothing to do (uptodate.Unchanged)."""
    files = len(same.files)
    what = _count(same.chapters, "chapter") if files == same.chapters else _count(files, "file")
    if files == 1 and same.chapters > 1:
        what += f" ({_count(same.chapters, 'chapter')})"
    return (
        f"Nothing changed: {what} up to date, {same.audio_seconds / 3600:.2f} h of audio "
        f"({_count(same.clips, 'clip')}) -> {same.outdir}"
    )


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}"


def _print_estimate(estimate, outdir) -> None:
    """The plan on stdout, so it can be saved or piped; nothing is written."""
    echo = typer.echo
    echo(f"Dry run: nothing rendered, nothing written to {outdir}.")
    echo("")
    echo(f"{_count(len(estimate.chapters), 'chapter')}:")
    for n, ch in enumerate(estimate.chapters, 1):
        who = ", ".join(ch.speakers[:5]) + (" ..." if len(ch.speakers) > 5 else "")
        echo(
            f"  {n:>3}  {ch.title}  ({ch.source}; {ch.words:,} words, ~{_clock(ch.seconds)})"
            + (f"  {who}" if who else "")
        )
    echo("")
    echo(f"{_count(len(estimate.lines), 'speaker')} (segments each):")
    for name, count in estimate.lines.items():
        echo(f"  {name}: {count:,}")
    echo("")
    mb = estimate.bytes / 1e6
    echo(
        f"Estimated: {_clock(estimate.seconds)} of audio, {mb:,.1f} MB "
        f"({estimate.format}, {estimate.profile} profile, {estimate.bitrate_k} kbps); "
        f"build ~{_clock(estimate.build_seconds)} on {_count(estimate.jobs, 'core')} "
        f"({estimate.clips - estimate.cached:,} of {_count(estimate.clips, 'clip')} to render"
        + (f", {estimate.cached:,} in the cache)" if estimate.cached else ")")
    )
    for warning in estimate.warnings:
        typer.echo(f"Warning: {warning}", err=True)


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
