"""How the commands show their results: the contract's JSON, the script, the cast, messages.

Kept apart from the commands so that `app.py` reads as the list of commands and the one
error boundary; the studio reuses `script_json` for the same JSON the CLI prints.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from audiobook.cli.flags import GlobalFlags
from audiobook.model import LOW_CONFIDENCE, NARRATOR


def script_json(script) -> dict[str, Any]:
    """`script --json` exactly as the contract states it.

    Offsets index the file named by the chapter's `source`, so a chapter that
    runs over several files of an EPUB is one entry per file (same title), and
    the generated credits, which are in no file, are left out.
    """
    from audiobook.text.bookinfo import CREDITS

    chapters = []
    for chapter_script in script.chapters:
        chapter = chapter_script.chapter
        entry: dict[str, Any] | None = None
        for seg in chapter_script.segments:
            source = seg.source or chapter.source
            if source.startswith(f"{CREDITS}:"):
                continue
            if entry is None or entry["source"] != source:
                entry = {"title": chapter.title, "source": source, "segments": []}
                chapters.append(entry)
            row = {
                "kind": seg.kind,
                "text": seg.text,
                "start": seg.start,
                "end": seg.end,
                "speaker": seg.speaker,
                "language": seg.language,
                "voice": seg.voice,
                "line": seg.line if seg.kind == "dialogue" else None,
                "confidence": seg.confidence if seg.kind == "dialogue" else None,
                "rule": seg.rule if seg.kind == "dialogue" else None,
            }
            entry["segments"].append(row)
    return {"chapters": chapters}


def print_script(script, explain: bool) -> None:
    # Plain lines, not a rich table: a novel has tens of thousands of rows.
    names = [len(c.name) for c in script.roster.characters] or [8]
    width = min(max(names + [9]), 24)
    for skipped in script.skipped:
        words = " ".join(skipped.title.split())[:60]
        typer.echo(
            f"-- skipped {skipped.kind} matter ({skipped.reason}): {words}  "
            f"({skipped.source} {skipped.start}-{skipped.end}; --include {skipped.kind} reads it)"
        )
    if script.skipped:
        typer.echo("")
    for chapter_script in script.chapters:
        chapter = chapter_script.chapter
        typer.echo(f"== {chapter.title}  ({chapter.source})")
        for seg in chapter_script.segments:
            who = seg.speaker or "narrator" if seg.kind == "dialogue" else "-"
            rule = ""
            if explain and seg.kind == "dialogue":
                sure = f" {seg.confidence:.2f}" if seg.confidence is not None else ""
                rule = f"  [{seg.rule or 'unattributed'}{sure}]"
            text = " ".join(seg.text.split())
            typer.echo(
                f"{seg.start:>7} {seg.kind[:4]:<4} {who[:width]:<{width}} {seg.language:<3} "
                f"{seg.voice:<16} {text}{rule}"
            )
        typer.echo("")
    if explain:
        unsure, total = low_confidence(script)
        typer.echo(
            f"{unsure} of {total} dialogue segments are low-confidence "
            f"(below {LOW_CONFIDENCE}): worth a listen, or a fix in the cast file's [lines]."
        )


def low_confidence(script) -> tuple[int, int]:
    """How many dialogue segments have a confidence below LOW_CONFIDENCE, of how many."""
    sure = [
        seg.confidence or 0.0
        for chapter_script in script.chapters
        for seg in chapter_script.segments
        if seg.kind == "dialogue"
    ]
    return sum(1 for c in sure if c < LOW_CONFIDENCE), len(sure)


def print_cast(rows) -> None:
    table = new_table("Name", "Gender", "Lines", "Languages", "Voice", "Nearest voice", "From")
    for row in rows:
        voices = [row.voice] + [f"{lang}: {v}" for lang, v in row.voices.items() if v != row.voice]
        settings = [f"rate {row.rate}"] if row.rate is not None else []
        settings += [f"pitch {row.pitch}"] if row.pitch is not None else []
        gender = row.gender or ("-" if row.name == NARRATOR else "?")
        table.add_row(
            row.name,
            gender,
            str(row.lines),
            ", ".join(row.languages) or "-",
            "\n".join(voices + ([", ".join(settings)] if settings else [])) or "(no lines)",
            _nearest_note(row),
            "cast file" if row.from_file else "auto",
        )
    console().print(table)


def _nearest_note(row) -> str:
    if row.nearest is None:
        return "-"
    if row.apart is None:
        return f"{row.nearest} (another kind of voice)"
    return f"{row.nearest}, {row.apart:.1f} semitones"


def cast_note(row) -> str:
    languages = ", ".join(row.languages) or "none"
    if row.name == NARRATOR:
        return f"reads {row.lines} segment{'s' * (row.lines != 1)}; languages: {languages}"
    return f"{row.lines} line{'s' * (row.lines != 1)}; languages: {languages}"


def new_table(*columns: str):
    from rich.table import Table

    table = Table(*columns, box=None, header_style="bold", pad_edge=False)
    return table


def console(stderr: bool = False):
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is read by scripts: rows stay whole instead of wrapping at 80 columns.
    width = None if stream.isatty() else 10_000
    return Console(file=stream, width=width, highlight=False, soft_wrap=False)


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1))


def note(message: str) -> None:
    if not GlobalFlags.quiet:
        typer.echo(message, err=True)


def error(message: str) -> None:
    # One line, whatever the message holds: scripts read stderr line by line.
    typer.echo("Error: " + " ".join(str(message).split()), err=True)
