"""From a book's inputs to its files: what `audiobook build` runs after reading its options.

A build with nothing changed since the last one of the same folder is answered from that
build's record (``uptodate``) before the front end runs; anything else runs the front end
(served from its cache where the inputs allow) and ``build.build_book``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook import uptodate

if TYPE_CHECKING:  # the no-op answer imports as little as it can
    from audiobook.build import BuildResult
    from audiobook.model import BookInfo
    from audiobook.progress import Progress
    from audiobook.publish.context import BuildOptions


def make_book(
    inputs: list[Path],
    options: BuildOptions,
    *,
    cast_file: Path | None = None,
    encoding: str | None = None,
    include: frozenset[str] = frozenset(),
    credits: bool = True,
    info: BookInfo | None = None,
    pace: int | None = None,
    executor: str | None = None,
    progress: Callable[[], Progress] | None = None,
    on_warning: Callable[[str], None] = lambda _: None,
) -> uptodate.Unchanged | BuildResult:
    """Build ``inputs`` into ``options.outdir``: a ``BuildResult``, or ``uptodate.Unchanged``.

    ``info`` overrides the book's own details; ``progress`` makes the progress display, only
    once there is work to show; ``on_warning`` hears the book's warnings before the build
    starts, so a long build does not hide them until its end.
    """
    from audiobook.audio.executor import open_executor
    from audiobook.build import build_book, cache_root
    from audiobook.frontcache import FrontCache
    from audiobook.pipeline import prepare_request, read_request
    from audiobook.progress import Progress
    from audiobook.publish.manifest import NAME as MANIFEST

    root = cache_root(options)
    memo = FrontCache(root)  # beside the clips it leads to
    request = read_request(
        inputs, cast_file, encoding, options.engine, memo, include, credits, info_overrides=info
    )
    key = uptodate.build_key(request, options, pace)
    same = uptodate.unchanged(root, options.outdir, key, options.engine, request.version)
    if same is not None:  # the last build of outdir, untouched, from the very same input
        memo.touch(request.key)
        for warning in same.warnings:
            on_warning(warning)
        return same
    if (
        request.key is not None
        and not memo.has(request.key)
        and os.path.isfile(Path(options.outdir) / MANIFEST)
    ):
        # A changed book rebuilt: most likely a clip or two to speak, whose speech worker
        # starts now and is ready when the front end is done (a first build has no manifest).
        request.tts.warm()
    shown = progress() if progress is not None else Progress()
    try:
        prepared = prepare_request(request)
        if pace is not None:
            prepared.cast.pace = pace
        for warning in prepared.warnings:
            on_warning(warning)
        options.executor = open_executor(executor, options.jobs)
        return build_book(prepared, options, shown, key)
    finally:
        shown.close()
        if options.executor:
            options.executor.close()
