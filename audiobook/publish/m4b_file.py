"""One M4B for the book: a cached AAC piece per chapter, joined with chapter marks.

Each chapter is encoded to AAC once and kept in the cache under the
fingerprint of what it is made of, so an edit re-encodes one chapter; the
pieces are then joined without re-encoding. The joined book is written
again only when its pieces, marks or tags changed (or it was damaged).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

from audiobook.audio.cache import file_sha256, seal, sealed
from audiobook.audio.cachedir import touch
from audiobook.audio.encode import encode_task, run_encode
from audiobook.audio.mastering import (
    Levels,
    Profile,
    aac_profile,
    block_levels,
    file_gain,
    part_rms,
)
from audiobook.fsutil import atomic_path, output_errors, safe_stem
from audiobook.publish.context import (
    ENCODING_VERSION,
    BuildContext,
    FileResult,
    Mix,
    Output,
    digest,
    run_parallel,
)
from audiobook.publish.export import Tags, ffmetadata, join_m4b, tag_m4b
from audiobook.publish.manifest import Manifest


def write_m4b(
    ctx: BuildContext,
    outputs: list[Output],
    old: Manifest,
    mix: Mix,
    book: Manifest,
    journal: Callable[[], None] = lambda: None,
) -> list[FileResult]:
    """Write the book's M4B; its name and fingerprint go into ``book`` (the new manifest).

    ``journal()`` is called before the book file is replaced."""
    pieces_dir = ctx.cache_root / "m4b"
    executor = ctx.executor
    with output_errors(pieces_dir, "choose another --cache-dir"):
        pieces_dir.mkdir(parents=True, exist_ok=True)

    def plan(out: Output) -> tuple[Output, Levels, Path, bool, Profile]:
        gain = file_gain(part_rms(out.part, mix.audio, mix.voice_of, mix.gains), ctx.profile)
        lv = block_levels(out.part, None, mix.voice_of, mix.gains, mix.audio, gain)
        aac = aac_profile(ctx.profile, out.part.rate)
        out.fingerprint = digest(
            ENCODING_VERSION,
            ctx.profile.name,
            "aac-fast",  # the coder: pieces encoded with the slower default are not reused
            aac.sample_rate,
            aac.aac_bitrate_k,
            out.part.rate,
            [(p.key, p.start, p.frames) for p in out.part.pieces],
            out.part.frames,
            sorted(lv.clip_gains.items()),
            lv.encoder_gain,
        )
        piece = pieces_dir / f"{out.fingerprint}.m4a"
        reused = sealed(piece)  # a truncated or damaged piece is encoded again
        if reused:
            touch(piece)
        return out, lv, piece, reused, aac  # aac: what the fingerprint says it is encoded with

    def one(planned: tuple[Output, Levels, Path, bool, Profile]) -> FileResult:
        out, lv, piece, reused, aac = planned
        if not reused:
            with atomic_path(piece) as tmp:
                task = encode_task(
                    out.part, mix.audio, lv.clip_gains, None, lv.encoder_gain, aac, "aac"
                )
                executor.to_file(run_encode, task, tmp, ctx.progress.encoded)
            seal(piece)
        ctx.progress.chapter_done(out.title, reused)
        return FileResult(out.name, out.title, out.part.seconds, reused)

    planned = [plan(out) for out in outputs]
    ctx.progress.encoding_total(sum(p[0].part.seconds for p in planned if not p[3]))
    # Longest first, so the cores finish together rather than one waiting on the last.
    order = sorted(range(len(planned)), key=lambda i: -planned[i][0].part.frames)
    done = [FileResult("", "", 0.0, False)] * len(planned)
    for i, result in zip(
        order, run_parallel(one, [planned[i] for i in order], executor.workers), strict=True
    ):
        done[i] = result
    name = m4b_name(ctx.title)
    marks, pos = [], 0
    for out in outputs:
        length = round(out.part.seconds * 1000)
        marks.append((out.title, pos, pos + length))
        out.offset_ms = pos
        pos += length
    fingerprint = digest(
        [o.fingerprint for o in outputs], marks, ctx.title, ctx.author, ctx.cover_id
    )
    final = ctx.outdir / name
    reused = (
        old.book_fingerprint == fingerprint
        and old.book_file == name
        and final.is_file()
        and old.book_sha256 == file_sha256(final)  # a damaged M4B is written again
    )
    if not reused:
        journal()
        with atomic_path(final) as tmp:
            join_m4b(
                [pieces_dir / f"{o.fingerprint}.m4a" for o in outputs],
                ffmetadata(ctx.title, ctx.author, marks),
                tmp,
                ctx.outdir,
            )
            tag_m4b(
                tmp,
                Tags(ctx.title, ctx.title, ctx.author, 1, 1, ctx.options.cover, ctx.options.info),
            )
    # The previous build's piece of a chapter that changed is no use to the next edit:
    # one AAC copy per chapter, not one per version of it.
    current = {o.fingerprint for o in outputs}
    for entry in old.chapters:
        fp = entry.fingerprint
        if re.fullmatch(r"[0-9a-f]{32}", fp) and fp not in current:
            for stale in (pieces_dir / f"{fp}.json", pieces_dir / f"{fp}.m4a"):
                with contextlib.suppress(OSError):
                    stale.unlink()
    book.book_file, book.book_fingerprint, book.book_sha256 = name, fingerprint, file_sha256(final)
    return [
        FileResult(name, o.title, f.seconds, reused) for o, f in zip(outputs, done, strict=True)
    ]


def m4b_name(title: str) -> str:
    """The book's M4B file name (the build claims it before writing anything)."""
    return f"{safe_stem(title) or 'audiobook'}.m4b"
