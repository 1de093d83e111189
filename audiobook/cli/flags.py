"""The global flags: --debug and --quiet, accepted before or after the command.

Root options in click's eyes, so ``hoist`` moves them to the front wherever they were
typed; what they said for this run is kept in ``GlobalFlags`` for the commands that
show progress. --version lives here too: it belongs to the root, not to a command.
Every other option is in ``cli/options.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

GLOBAL_FLAGS = ("--debug", "--quiet", "-q")
Debug = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Show the traceback of an unexpected error (or set AUDIOBOOK_DEBUG=1). "
        "Accepted anywhere on the line.",
    ),
]
Quiet = Annotated[
    bool,
    typer.Option("--quiet", "-q", help="Show no progress, only errors. Accepted anywhere."),
]


def version_option(callback: Callable[[bool], None]) -> Any:
    return typer.Option(
        "--version", callback=callback, is_eager=True, help="Show the version and exit."
    )


def hoist(argv: list[str]) -> list[str]:
    """--debug and --quiet are root options; move them before the command wherever typed.

    Every bug message tells people to rerun with --debug, and they add it at the end.
    Arguments after `--` are left alone.
    """
    stop = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:stop] if a in GLOBAL_FLAGS]
    rest = [a for a in argv[:stop] if a not in GLOBAL_FLAGS]
    return flags + rest + argv[stop:]


class GlobalFlags:
    """What the global flags said for this run (set by the root callback)."""

    debug = False
    quiet = False
