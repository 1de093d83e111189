"""Every command-line option and argument, defined once (pip's cli/cmdoptions.py pattern).

A command declares a parameter as ``cast_file: options.Cast = None``: the flag names,
metavar and help live here only, so two commands cannot drift apart. Choices are Enums,
so click validates them (exit 2 on a bad value) and lists them in --help. Metavars
follow the usual convention: upper-case words, none on flags.

To add an option: one ``Annotated`` alias here, then a parameter in each command that
takes it (the commands read it like any other argument).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from audiobook.audio.engines import engine_names


class Format(StrEnum):
    mp3 = "mp3"
    m4b = "m4b"


class ProfileName(StrEnum):
    acx = "acx"
    compact = "compact"


class SubtitleFormat(StrEnum):
    srt = "srt"
    vtt = "vtt"


def _known_engine(name: str) -> str:
    # Engines are plugins: the set is only known once entry points are read, so the
    # check is a callback (still a usage error, exit 2) rather than an Enum.
    names = engine_names()
    if name not in names:
        raise typer.BadParameter(f"{name!r} is not one of {', '.join(map(repr, names))}.")
    return name


# --- arguments -------------------------------------------------------------------------
Inputs = Annotated[
    list[Path],
    typer.Argument(
        metavar="INPUTS...",
        help="Manuscript: a .txt, .md or .epub file, a folder of .txt/.md files read in name "
        "order, or - for standard input.",
        show_default=False,
    ),
]
OptionalInputs = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="[INPUTS]...",
        help="Manuscript: a .txt, .md or .epub file or a folder. Optional with --text and --cast.",
        show_default=False,
    ),
]
Outdir = Annotated[
    Path, typer.Argument(metavar="OUTDIR", help="A build's output folder.", show_default=False)
]

# --- options shared by several commands -----------------------------------------------
Cast = Annotated[
    Path | None,
    typer.Option(
        "--cast",
        metavar="FILE",
        help="Cast file (TOML): characters, aliases, genders, voices. See voices/seeds.toml.",
        show_default=False,
    ),
]
Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="CODEC",
        help="Text encoding of the input files when not UTF-8, e.g. cp1252.",
        show_default=False,
    ),
]
Engine = Annotated[
    str,
    typer.Option(
        "--engine",
        metavar="NAME",
        callback=_known_engine,
        help=f"Speech engine: {', '.join(engine_names())}.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Pace = Annotated[
    int | None,
    typer.Option(
        "--pace",
        metavar="WPM",
        min=80,
        max=300,
        help="Words per minute of the finished book, pauses included (default 158, or the "
        "cast file's [book] pace); a character's own rate in the cast file still wins.",
        show_default=False,
    ),
]
VoicesDir = Annotated[
    Path | None,
    typer.Option(
        "--voices-dir",
        metavar="DIR",
        help="A folder of voice files (Piper .onnx + .onnx.json) to use besides installed "
        "ones; also $AUDIOBOOK_VOICES_DIR or a cast file's voices_dir.",
        show_default=False,
    ),
]

# --- build ------------------------------------------------------------------------------
BuildOutput = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="OUTDIR",
        help="Folder for the chapter files and manifest.json "
        "(created if needed; existing files other than this tool's are left alone).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        help="mp3: one file per chapter; m4b: one audiobook file with chapter marks.",
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        min=1,
        help="Speech worker processes (default: every core).",
        show_default=False,
    ),
]
CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Clip cache (default: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook).",
        show_default=False,
    ),
]
ExecutorUrl = Annotated[
    str | None,
    typer.Option(
        "--executor",
        metavar="URL",
        help="Where clips are spoken and chapters encoded: local (default) or "
        "dask://HOST:PORT, a Dask scheduler whose workers all reach --cache-dir.",
        show_default=False,
    ),
]
MaxSize = Annotated[
    str | None,
    typer.Option(
        "--max-size",
        metavar="SIZE",
        help="Cap for the cache, e.g. 500M or 2G (default: $AUDIOBOOK_CACHE_MAX, else 5G).",
        show_default=False,
    ),
]
Profile = Annotated[
    ProfileName,
    typer.Option(
        "--profile", help="acx: 44.1 kHz 192 kbps for delivery; compact: 22.05 kHz 64 kbps."
    ),
]
Subtitles = Annotated[
    SubtitleFormat | None,
    typer.Option("--subtitles", help="Also write subtitles beside each file.", show_default=False),
]
Cover = Annotated[
    Path | None,
    typer.Option(
        "--cover",
        metavar="IMAGE",
        help="Cover image (JPEG or PNG) embedded in every file.",
        show_default=False,
    ),
]
Title = Annotated[
    str | None,
    typer.Option(
        "--title",
        metavar="TEXT",
        help="Book title for the tags (default: book.toml beside the text, else its name).",
        show_default=False,
    ),
]
Author = Annotated[
    str | None,
    typer.Option(
        "--author",
        metavar="NAME",
        help="Author for the tags (default: book.toml beside the text).",
        show_default=False,
    ),
]
Narrator = Annotated[
    str | None,
    typer.Option(
        "--narrator",
        metavar="NAME",
        help="Narrator for the tags and the credits (default: book.toml, else the EPUB's).",
        show_default=False,
    ),
]
Include = Annotated[
    str,
    typer.Option(
        "--include",
        metavar="front,back",
        help="Read front matter (title page, contents, copyright...) and/or back matter "
        "(licence, notes, colophon...), which are left out by default.",
        show_default=False,
    ),
]
Credits = Annotated[
    bool,
    typer.Option(
        "--credits/--no-credits",
        help="Read an opening credit (title, author, narrator) and a closing credit.",
    ),
]


def include_set(value: str) -> frozenset[str]:
    """`--include front,back` as a set (the reader checks the words)."""
    return frozenset(p.strip().lower() for p in value.split(",") if p.strip())


Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace the book already in OUTDIR (another book, or this one in another "
        "format); only files this tool wrote there are ever removed.",
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        "-n",
        help="Print chapters, speakers and estimates of duration, size and build time; "
        "render nothing.",
    ),
]

# --- catalogue ------------------------------------------------------------------------
Shelf = Annotated[
    Path,
    typer.Argument(
        metavar="SHELF",
        help="Folder of books: a folder per book (text, chapter files or EPUB, book.toml, "
        "cast.toml), or an EPUB per book.",
        show_default=False,
    ),
]
LibraryOutput = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="LIBRARY",
        help="Library folder: each book goes to Author/Series/Title/ in it, the report to "
        "LIBRARY/catalogue.json.",
        show_default=False,
    ),
]
CheckBooks = Annotated[
    bool,
    typer.Option("--check/--no-check", help="Measure each built book and report what misses ACX."),
]

# --- script / cast / preview / voices -------------------------------------------------
Explain = Annotated[
    bool,
    typer.Option(
        "--explain", help="Show which attribution rule chose each dialogue line's speaker."
    ),
]
WriteCast = Annotated[
    Path | None,
    typer.Option(
        "--write",
        metavar="FILE",
        help="Save this cast as an editable cast file, to tune and pass back with --cast.",
        show_default=False,
    ),
]
PreviewOutput = Annotated[
    Path,
    typer.Option("--output", "-o", metavar="DIR", help="Folder to write the preview MP3s into."),
]
Character = Annotated[
    str | None,
    typer.Option(
        "--character",
        metavar="NAME",
        help="Only this character's voice (a name or alias, or `narrator`).",
        show_default=False,
    ),
]
Text = Annotated[
    str | None,
    typer.Option(
        "--text",
        metavar="TEXT",
        help="Speak this line instead of lines from the book, e.g. to try a lexicon respelling.",
        show_default=False,
    ),
]
Voice = Annotated[
    str | None,
    typer.Option(
        "--voice",
        metavar="ID",
        help="Audition this voice id of any engine (e.g. piper:en_US-joe-medium) as the "
        "narrator, or as --character; no cast file needed.",
        show_default=False,
    ),
]
Language = Annotated[
    str | None,
    typer.Option(
        "--language",
        "-l",
        metavar="CODE",
        help="Only voices for this language (ISO 639-1, e.g. en, es).",
        show_default=False,
    ),
]

# --- studio ---------------------------------------------------------------------------
Port = Annotated[
    int,
    typer.Option(
        "--port",
        metavar="N",
        min=0,
        max=65535,
        help="Port on 127.0.0.1 to serve the studio on (0: any free port).",
    ),
]
NoBrowser = Annotated[
    bool,
    typer.Option("--no-browser", help="Print the studio's address instead of opening a browser."),
]
StudioOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="OUTDIR",
        help="Folder the studio's Build button writes to (default: BOOK-audiobook beside the "
        "manuscript).",
        show_default=False,
    ),
]


def use_voices_dir(folder: Path | None) -> None:
    """Apply --voices-dir: engines (and render workers) look for voice files there too."""
    if folder is not None:
        from audiobook.audio.engines import use_voices_dir as use

        use(folder)
