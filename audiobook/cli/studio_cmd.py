"""The `studio` command: a local web page to review the script, listen and fix speakers.

The body resolves the cast file, takes the one-studio-per-cast-file lock, binds
127.0.0.1 and serves until Ctrl-C; library errors reach cli.main as usual.
"""

from __future__ import annotations

import typer

from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.cli import options


def studio(
    inputs: options.Inputs,
    cast_file: options.Cast = None,
    port: options.Port = 8765,
    no_browser: options.NoBrowser = False,
    output: options.StudioOutput = None,
    cache_dir: options.CacheDir = None,
    encoding: options.Encoding = None,
    engine: options.Engine = DEFAULT_ENGINE,
) -> None:
    """Review the script in a browser, hear any line, fix speakers and voices, build."""
    from audiobook.ffmpeg import require_ffmpeg
    from audiobook.studio.server import bind, serve
    from audiobook.studio.session import (
        Session,
        default_book_outdir,
        default_cast_path,
        studio_lock,
    )

    require_ffmpeg("mp3")  # line previews are MP3: checked before the page opens
    cast_path = cast_file or default_cast_path(inputs)
    outdir = output or default_book_outdir(inputs)
    with studio_lock(cast_path):
        sock = bind(port)
        session = Session(inputs, cast_path, outdir, encoding, engine, cache_dir)
        try:

            def ready(url: str) -> None:
                typer.echo(f"Studio at {url} (cast file: {cast_path}); Ctrl-C stops it", err=True)
                if not no_browser:
                    import webbrowser

                    webbrowser.open(url)

            serve(session, sock, ready)
        finally:
            session.close()
            sock.close()
