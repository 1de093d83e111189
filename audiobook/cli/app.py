"""The `audiobook` command line.

Command bodies only gather options, call one library function and render
its result. `main()` is the one error boundary: a library error becomes one
`Error: ...` line on stderr and exit 1, never a traceback. Nothing heavy
(engine, lingua, the pipeline) is loaded until a command runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import sys
import traceback
import warnings
from dataclasses import asdict, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from audiobook import __version__
from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.cli import flags, options
from audiobook.cli.flags import GlobalFlags
from audiobook.cli.show import (
    cast_note,
    console,
    echo_json,
    error,
    low_confidence,
    new_table,
    note,
    print_cast,
    print_script,
    script_json,
)
from audiobook.errors import AudiobookError, BookWarning, InputError

app = typer.Typer(
    name="audiobook",
    help="Turn plain-text manuscripts into multi-voice audiobooks.\n\n"
    "--debug and --quiet may be given before or after the command.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# typer re-exports click's exceptions (typer < 0.25) or its own copy of click (later);
# their module holds the base class of every usage error either way.
_ClickException: type[Exception] = sys.modules[typer.BadParameter.__module__].ClickException

DEBUG_ENV = "AUDIOBOOK_DEBUG"
_debug = {"on": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"audiobook {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: flags.Debug = False,
    quiet: flags.Quiet = False,
    version: Annotated[bool, flags.version_option(_version)] = False,
) -> None:
    _debug["on"] = debug or _debug["on"]
    GlobalFlags.debug = _debug["on"]
    GlobalFlags.quiet = quiet


def _prepare(
    inputs: list[Path],
    cast_file: Path | None,
    encoding: str | None,
    engine: str,
    include: str = "",
    credits: bool = True,
):
    from audiobook.pipeline import prepare

    prepared = prepare(
        inputs,
        cast_file,
        encoding,
        engine,
        include=options.include_set(include),
        credits=credits,
    )
    for warning in prepared.warnings:
        note(f"Warning: {warning}")
    return prepared


def script(
    inputs: options.Inputs,
    cast_file: options.Cast = None,
    as_json: options.Json = False,
    explain: options.Explain = False,
    encoding: options.Encoding = None,
    engine: options.Engine = DEFAULT_ENGINE,
    voices_dir: options.VoicesDir = None,
    include: options.Include = "",
    credits: options.Credits = True,
) -> None:
    """The segmented script: narration and dialogue, speaker, language, voice."""
    options.use_voices_dir(voices_dir)
    prepared = _prepare(inputs, cast_file, encoding, engine, include, credits)
    if as_json:
        echo_json(script_json(prepared.script))
    else:
        print_script(prepared.script, explain)


def cast(
    inputs: options.Inputs,
    cast_file: options.Cast = None,
    as_json: options.Json = False,
    write: options.WriteCast = None,
    encoding: options.Encoding = None,
    engine: options.Engine = DEFAULT_ENGINE,
    voices_dir: options.VoicesDir = None,
    include: options.Include = "",
) -> None:
    """Who speaks, how much, in which languages and voices: one row per character."""
    from audiobook.speakers.castcheck import check_cast
    from audiobook.speakers.casting import describe_cast

    options.use_voices_dir(voices_dir)
    prepared = _prepare(inputs, cast_file, encoding, engine, include)
    for warning in check_cast(prepared):
        note(f"Warning: {cast_file}: {warning}")
    rows = describe_cast(prepared.script, prepared.cast, prepared.tts)
    if write is not None:
        from audiobook.speakers.castfile import write_cast_file

        notes = {row.name: cast_note(row) for row in rows}
        # The file holds the rows shown: a character never heard gets no entry.
        heard = {k: v for k, v in prepared.cast.characters.items() if k in notes}
        write_cast_file(replace(prepared.cast, characters=heard), write, notes)
    if as_json:
        echo_json(
            {"main_language": prepared.script.main_language, "cast": [asdict(row) for row in rows]}
        )
    else:
        print_cast(rows)
        unsure, total = low_confidence(prepared.script)
        if total:
            typer.echo(
                f"{unsure} of {total} dialogue segments are low-confidence attributions "
                "(`script --explain` shows each one's rule and confidence)."
            )
    if write is not None:
        note(f"Wrote the cast to {write}; edit it, then use it with --cast {write}")
        if not any(str(p).lower().endswith(".epub") for p in inputs):
            from audiobook.text.bookinfo import write_book_toml

            book = write_book_toml(inputs, prepared.info)
            if book is not None:
                note(f"Wrote {book}: the title, author and narrator for the tags and credits")


def preview(
    inputs: options.OptionalInputs = None,
    output: options.PreviewOutput = Path("previews"),
    cast_file: options.Cast = None,
    character: options.Character = None,
    text: options.Text = None,
    voice: options.Voice = None,
    pace: options.Pace = None,
    voices_dir: options.VoicesDir = None,
    encoding: options.Encoding = None,
    engine: options.Engine = DEFAULT_ENGINE,
) -> None:
    """Short audio samples of each voice, in the character's own lines."""
    from audiobook.audio.preview import STOCK_LINE, render_previews

    options.use_voices_dir(voices_dir)
    if not inputs and text is None and voice is not None:
        text = STOCK_LINE.format(name=f"the voice {voice}")
    if inputs:
        prepared = _prepare(inputs, cast_file, encoding, engine, credits=False)
    elif text is not None:
        from audiobook.pipeline import prepare_from_cast

        prepared = prepare_from_cast(cast_file, engine)
    else:
        raise InputError(
            'name a manuscript to preview, or give --text "..." or --voice ID '
            "(with --cast FILE --character NAME for a character's voice)"
        )
    if pace is not None:
        prepared.cast.pace = pace
    if voice is not None:
        _audition(prepared, voice, character, engine)
    for path in render_previews(prepared, output, character, prepared.tts, text=text):
        typer.echo(str(path))


def _audition(prepared, voice: str, character: str | None, engine: str) -> None:
    """Give the narrator (or ``character``) ``voice`` for this preview."""
    from audiobook.audio.preview import find_entry
    from audiobook.speakers.casting import assign_voices

    if not prepared.tts.is_valid_voice(voice):
        owner = voice.partition(":")[0] if ":" in voice else engine
        raise InputError(
            f"unknown voice {voice!r}; list valid ones with `audiobook voices --engine {owner}`"
        )
    entry = find_entry(prepared.cast, character) if character else prepared.cast.narrator
    entry.voice, entry.pitch = voice, None
    assign_voices(prepared.script, prepared.cast, prepared.tts)


def voices(
    language: options.Language = None,
    as_json: options.Json = False,
    engine: options.Engine = DEFAULT_ENGINE,
    voices_dir: options.VoicesDir = None,
) -> None:
    """The voices the engine offers (ids to use in a cast file)."""
    from audiobook.audio.engines import get_engine

    options.use_voices_dir(voices_dir)
    tts = get_engine(engine)
    found = tts.voices()
    if language is not None:
        code = language.strip().lower()
        found = [v for v in found if v.language == code or v.id.split("+")[0] == code]
        if not found:
            raise InputError(
                f"no {engine} voice speaks {language!r}; languages: "
                + ", ".join(sorted({v.language for v in tts.voices()}))
            )
    if as_json:
        echo_json([asdict(v) for v in found])
        return
    table = new_table("Voice id", "Name", "Language", "Gender")
    for v in found:
        table.add_row(v.id, v.name, v.language, v.gender or "")
    console().print(table)


def _register_commands() -> None:
    """Commands in the order a user needs them."""
    from audiobook.cli.build_cmd import build, check
    from audiobook.cli.catalogue_cmd import catalogue
    from audiobook.cli.studio_cmd import studio

    for command in (build, catalogue, script, cast, studio, preview, voices, check):
        app.command()(command)
    from audiobook.cli.cache_cmd import cache_app

    app.add_typer(cache_app, name="cache")


_register_commands()


def _usage_error(exc: Any) -> int:
    """A click usage error as one `Error:` line (the contract), with a did-you-mean."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError":
        return exc.exit_code  # `audiobook` alone: typer has printed the help already
    # click (8.2 and later) repeats its own suggestion for a mistyped command
    message = re.sub(r"( Did you mean [^?]*\?)\1+", r"\1", message)
    # With several close options click lists them instead: "(Possible options: --force, --format)".
    message = re.sub(
        r"\s*\(Possible options: ([^)]*)\)",
        lambda m: " Did you mean " + " or ".join(m.group(1).split(", ")) + "?",
        message,
    )
    if ctx is not None and message.startswith("No such command") and "Did you" not in message:
        wrong = message.split("'")[1] if "'" in message else ""
        import difflib  # only for a mistyped command: not loaded by every run

        close = difflib.get_close_matches(wrong, ctx.command.list_commands(ctx), n=1)
        if close:
            message += f" Did you mean '{close[0]}'?"
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    error(message)
    return exc.exit_code


class Terminated(BaseException):
    """SIGTERM (systemd stop, CI cancel): unwinds like Ctrl-C (every ``finally`` runs, nothing
    half-written stays), then says so. Not a KeyboardInterrupt: click would swallow that."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the exit status is returned (the console script exits with it).

    Warnings the library raises (:class:`BookWarning`) are collected and printed once, after
    the command's own output, one ``Warning: ...`` line each, in order, without repeats.
    """
    _debug["on"] = os.environ.get(DEBUG_ENV, "") not in ("", "0")
    GlobalFlags.debug, GlobalFlags.quiet = _debug["on"], False
    with contextlib.suppress(ValueError):  # not the main thread (an embedding program)
        signal.signal(signal.SIGTERM, _on_sigterm)
    with warnings.catch_warnings(record=True) as caught:
        if not _debug["on"]:
            # A library's warning on stderr (pydub looking for ffmpeg at import)
            # would break the promise of one line per error.
            warnings.simplefilter("ignore")
        warnings.simplefilter("always", BookWarning)
        status = _run(flags.hoist(list(sys.argv[1:] if argv is None else argv)))
    if status == 0:
        seen = dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, BookWarning))
        for message in seen:
            typer.echo("Warning: " + " ".join(message.split()), err=True)
    return status


def _run(args: list[str]) -> int:
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="audiobook", standalone_mode=False)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk or closed pipe is reported here, not at exit
    except Terminated:
        error(
            "stopped by SIGTERM; nothing half-written was left, finished clips are kept in "
            "the cache: run the same command again to resume"
        )
        return 143
    except AudiobookError as exc:
        error(str(exc) or type(exc).__name__)
        return 1
    except (typer.Abort, KeyboardInterrupt):
        return 130  # the user pressed Ctrl-C (or EOF at a prompt): they know, say nothing
    except _ClickException as exc:
        return _usage_error(exc)  # status 2 for usage errors
    except OSError as exc:
        return _os_error(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if _debug["on"]:
            traceback.print_exc()
        error(
            f"unexpected {type(exc).__name__}: {exc}. This is a bug in audiobook; please report "
            f"it with the command you ran (rerun with --debug or {DEBUG_ENV}=1 for details)"
        )
        return 1
    return result if isinstance(result, int) else 0


def _os_error(exc: OSError) -> int:
    """An OS error no library layer turned into advice: say which path and why, in one line."""
    if exc.filename is None:  # writing our own output (stdout) failed
        with contextlib.suppress(OSError, AttributeError, ValueError):
            # Nothing more may reach the broken stream, not even the flush at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if exc.errno == errno.EPIPE:
            return 141  # the reader went away (`| head`): as any Unix tool, say nothing
        error(f"cannot write the output: {exc.strerror or exc}; send it somewhere with room")
        return 1
    where = exc.filename if exc.filename2 is None else f"{exc.filename} -> {exc.filename2}"
    advice = {
        errno.ENAMETOOLONG: "use a shorter path",
        errno.ENOSPC: "free some space and run again",
        errno.ENOTDIR: "a part of that path is a file, not a folder",
        errno.EISDIR: "it is a folder, give a file",
    }.get(exc.errno or 0, "check the path and its permissions")
    error(f"cannot use {where}: {exc.strerror or exc}; {advice}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
