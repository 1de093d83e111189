"""MP3 chapter files, written incrementally from independently encoded blocks.

A file is its ID3 tag followed by its blocks' MP3 frames (see
``assemble.plan_blocks``: runs of paragraphs cut by content). A block whose
fingerprint (clips, placements, gains, profile) was written by the last
build is copied from that build's file; only new blocks are encoded. A file
whose blocks and tags did not change at all is kept as it is.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from audiobook.audio.encode import encode_task, run_encodes
from audiobook.audio.mastering import block_levels, file_gain, part_rms
from audiobook.errors import OutputError
from audiobook.fsutil import atomic_path, new_partial
from audiobook.publish.context import (
    ENCODING_VERSION,
    BuildContext,
    FileResult,
    Mix,
    Output,
    PlannedBlock,
    digest,
    run_parallel,
)
from audiobook.publish.export import Tags, id3_size, id3_tag, mp3_frames
from audiobook.publish.manifest import BlockEntry, ChapterEntry, Manifest

# Block fingerprint -> (file, offset after its tag, bytes, samples) in the previous build.
_Sources = dict[str, tuple[Path, BlockEntry]]
# Blocks one ffmpeg process encodes side by side (each its own input, filters, encoder).
# The process start is paid once for them; memory grows with them (the excerpt's cold
# build, largest ffmpeg / build process: 62 / 74 MB with 8, 73 / 91 MB with 16, 91 MB /
# 258 MB with 32 before the feeding was one thread; one block each: 61 / 61 MB).
GROUP_MAX = 8


def write_mp3s(
    ctx: BuildContext,
    outputs: list[Output],
    old: Manifest,
    mix: Mix,
    journal: Callable[[], None] = lambda: None,
) -> list[FileResult]:
    """Write every output as an MP3 file in ``ctx.outdir``; one result per output, in order.

    ``journal()`` is called before the first file is replaced."""
    sources = _old_blocks(old, ctx.outdir)
    executor = ctx.executor
    todo: list[tuple[int, Output]] = []
    fresh: dict[str, tuple[Output, PlannedBlock]] = {}
    results: dict[str, FileResult] = {}
    same_tags: set[str] = set()
    for n, out in enumerate(outputs, 1):
        prev = old.entry(out.name)
        _plan_blocks(ctx, out, prev, mix)
        out.tags_fingerprint = _tags_fingerprint(ctx, out, n, len(outputs))
        if (
            prev is not None
            and prev.blocks is not None
            and prev.stat is not None
            and (prev.fingerprint, prev.tags_fingerprint) == (out.fingerprint, out.tags_fingerprint)
            and _unchanged(ctx.outdir / out.name, prev)
        ):
            for b, kept in zip(out.blocks, prev.blocks, strict=False):
                b.written = kept
            out.stat = prev.stat
            results[out.name] = FileResult(out.name, out.title, _seconds(ctx, out), True)
            ctx.progress.chapter_done(out.name, True)
            continue
        todo.append((n, out))
        if prev is not None and prev.tags_fingerprint == out.tags_fingerprint:
            same_tags.add(out.name)  # its tag is in the old file, if that is as written
        for b in out.blocks:
            if b.fingerprint not in sources:
                fresh.setdefault(b.fingerprint, (out, b))
    if todo:
        journal()
    # Opened before anything is replaced: a file rewritten below still reads as it was.
    fds = {path: os.open(path, os.O_RDONLY) for path in {p for p, _ in sources.values()}}
    temps: dict[str, Path] = {}
    try:

        def encode(group: list[tuple[str, tuple[Output, PlannedBlock]]]) -> None:
            spare = ctx.spare.take() if len(group) == 1 else None
            tasks, tmps = [], []
            for fp, (out, b) in group:
                # A new name each, never a planted symlink; the spare's was made so too.
                tmp = spare[1] if spare else new_partial(ctx.outdir / f"block-{fp}.mp3")
                temps[fp] = tmp
                tmps.append(tmp)
                tasks.append(
                    encode_task(
                        out.part,
                        mix.audio,
                        b.levels.clip_gains,
                        b.block,
                        b.levels.encoder_gain,
                        ctx.profile,
                        "mp3",
                    )
                )
            if spare is not None:
                try:
                    return run_encodes(tasks, tmps, ctx.progress.encoded, spare[0])
                except OutputError:  # once more with a new encoder: an error it repeats is real
                    spare[1].unlink(missing_ok=True)
                    temps[group[0][0]] = tmps[0] = new_partial(ctx.outdir / "block.mp3")
            executor.to_files(run_encodes, tasks, tmps, ctx.progress.encoded)

        ctx.progress.encoding_total(sum(_seconds_of(b) for b in fresh.values()))
        groups = _groups(list(fresh.items()), executor.workers)
        run_parallel(encode, groups, executor.workers)
        for n, out in todo:
            tag_fd = fds.get(ctx.outdir / out.name) if out.name in same_tags else None
            _join(ctx, out, _tag(ctx, out, n, len(outputs), tag_fd), temps, sources, fds)
            results[out.name] = FileResult(out.name, out.title, _seconds(ctx, out), False)
            ctx.progress.chapter_done(out.name, False)
    finally:
        for fd in fds.values():
            os.close(fd)
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
    return [results[out.name] for out in outputs]


def start_spare(ctx: BuildContext, old: Manifest) -> None:
    """Start an encoder for the block an edit changes while its new clips are spoken
    (see encode.Spare): a rebuild of MP3 files here, with clips to speak."""
    if ctx.options.format == "mp3" and old.chapters and not ctx.executor.remote:
        ctx.spare.start(ctx.profile, "mp3", ctx.outdir / "block-spare.mp3")


def _tags_fingerprint(ctx: BuildContext, out: Output, track: int, tracks: int) -> str:
    """What a file's ID3 tag is made of (the cover by its digest)."""
    info = ctx.options.info
    details = None
    if info is not None:
        details = [info.narrator, info.series, info.series_index, info.publisher, info.date]
        details += [info.language, info.description]
    return digest(out.title, ctx.title, ctx.author, track, tracks, ctx.cover_id, details)


def _tag(ctx: BuildContext, out: Output, track: int, tracks: int, kept: int | None) -> bytes:
    """The file's ID3 tag: read from the file the last build wrote with the same tag
    (``kept``: its open descriptor), else made (mutagen: ~0.04 s of an edit to import)."""
    if kept is not None:
        size = id3_size(os.pread(kept, 10, 0))
        tag = os.pread(kept, size, 0) if size else b""
        if size and len(tag) == size:
            return tag
    return id3_tag(
        Tags(out.title, ctx.title, ctx.author, track, tracks, ctx.options.cover, ctx.options.info)
    )


def _join(
    ctx: BuildContext,
    out: Output,
    tag: bytes,
    temps: dict[str, Path],
    sources: _Sources,
    fds: dict[Path, int],
) -> None:
    """The file: its tag, then each block's frames (new or copied), written atomically."""
    final = ctx.outdir / out.name
    with atomic_path(final) as tmp, open(tmp, "wb") as fh:
        fh.write(tag)
        for b in out.blocks:
            data, samples = _block_bytes(b.fingerprint, temps, sources, fds)
            b.written = BlockEntry(b.fingerprint, fh.tell() - len(tag), len(data), samples)
            fh.write(data)
    out.stat = _stat(final)


def _plan_blocks(ctx: BuildContext, out: Output, old: ChapterEntry | None, mix: Mix) -> None:
    """Levels and fingerprints of each block of a file, and of the file."""
    rms = part_rms(out.part, mix.audio, mix.voice_of, mix.gains)
    out.gain = file_gain(rms, ctx.profile, old.gain if old else None)
    out.blocks = []
    for block in out.part.blocks:
        lv = block_levels(out.part, block, mix.voice_of, mix.gains, mix.audio, out.gain)
        fp = digest(
            ENCODING_VERSION,
            ctx.profile.name,
            out.part.rate,
            block.end - block.start,
            [
                (p.key, p.start - block.start, p.frames)
                for p in out.part.pieces[block.first : block.last]
            ],
            sorted(lv.clip_gains.items()),
            lv.encoder_gain,
        )
        out.blocks.append(PlannedBlock(fp, block, lv))
    out.fingerprint = digest([b.fingerprint for b in out.blocks])


def _old_blocks(old: Manifest, outdir: Path) -> _Sources:
    """Blocks of the previous build's files that are still exactly as it wrote them."""
    found: _Sources = {}
    for entry in old.chapters:
        if entry.blocks and _unchanged(outdir / entry.file, entry):
            for b in entry.blocks:
                found[b.fingerprint] = (outdir / entry.file, b)
    return found


def _block_bytes(
    fp: str, temps: dict[str, Path], sources: _Sources, fds: dict[Path, int]
) -> tuple[bytes, int]:
    """A block's MP3 frames and how many samples they decode to.

    A copied block comes from a file whose size and time are as the last build wrote
    it; its bytes are checked to be there and to start on a frame, not walked frame by
    frame again (that walk was a third of an edit rebuild's own time).
    """
    if fp in temps:
        data = temps[fp].read_bytes()
        return data, mp3_frames(data).samples
    path, kept = sources[fp]
    start = id3_size(os.pread(fds[path], 10, 0))
    data = os.pread(fds[path], kept.bytes, start + kept.offset)
    if len(data) != kept.bytes or (data and mp3_frames(data[:2048]).count == 0):
        raise OutputError(f"{path} changed since it was written; delete it and build again")
    return data, kept.samples


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _unchanged(path: Path, entry: ChapterEntry) -> bool:
    """The file is the one the manifest describes (a killed build may have replaced it)."""
    try:
        return entry.stat is not None and entry.stat == _stat(path)
    except OSError:
        return False


def _seconds(ctx: BuildContext, out: Output) -> float:
    samples = sum(b.written.samples for b in out.blocks if b.written is not None)
    return samples / ctx.profile.sample_rate if out.blocks else 0.0


_Fresh = tuple[str, tuple[Output, PlannedBlock]]


def _seconds_of(planned: tuple[Output, PlannedBlock]) -> float:
    out, b = planned
    return (b.block.end - b.block.start) / out.part.rate


def _groups(fresh: list[_Fresh], workers: int) -> list[list[_Fresh]]:
    """The blocks to encode, in groups that one ffmpeg process each encodes.

    As few processes as keep every worker busy (a start costs ~0.1 s of CPU, as much as
    ~15 s of audio), no more than GROUP_MAX blocks in one; each block, longest first, goes
    to the group with the least audio so far, so the groups end together.
    """
    if not fresh:
        return []
    count = min(len(fresh), max(workers, -(-len(fresh) // GROUP_MAX)))
    groups: list[list[_Fresh]] = [[] for _ in range(count)]
    loads = [0.0] * count
    for item in sorted(fresh, key=lambda i: -_seconds_of(i[1])):
        n = min((g for g in range(count) if len(groups[g]) < GROUP_MAX), key=loads.__getitem__)
        groups[n].append(item)
        loads[n] += _seconds_of(item[1])
    return sorted(groups, key=lambda g: -sum(_seconds_of(i[1]) for i in g))
