"""Build the audiobook: clips -> cache/render -> levels -> chapter files -> manifest.

Incremental by construction: clips come from a content-addressed cache, and
every output file carries a fingerprint of exactly what its audio is made
of (clip keys, placements, gains, profile) in the manifest. A file whose
fingerprint did not change is kept (only re-tagged if its tags changed), so
editing one paragraph re-renders that paragraph and re-encodes its chapter.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook import toolmemo, uptodate
from audiobook.audio.assemble import mp3_alignment, plan_chapter, working_rate
from audiobook.audio.cache import ClipAudio, ClipCache, VoiceStamp, default_cache_dir
from audiobook.audio.cachedir import after_build, max_bytes
from audiobook.audio.clipindex import ClipIndex
from audiobook.audio.clips import make_clips, speakable
from audiobook.audio.executor import JOBS_PER_CORE, max_jobs
from audiobook.audio.mastering import Profile, get_profile, voice_gains
from audiobook.audio.render import Job, render_jobs
from audiobook.errors import InputError, warn
from audiobook.ffmpeg import require_ffmpeg
from audiobook.fsutil import (
    build_lock,
    chapter_file_name,
    output_errors,
    prepare_outdir,
    remove_partials,
)
from audiobook.model import Script
from audiobook.progress import Progress
from audiobook.publish import manifest as manifest_io
from audiobook.publish import ownership
from audiobook.publish.context import (
    ENCODING_VERSION,
    BuildContext,
    BuildOptions,
    FileResult,
    Mix,
    Output,
    digest,
)
from audiobook.publish.cover import cover_file
from audiobook.publish.export import ENCODER_DELAY, book_metadata, check_cover, cover_bytes
from audiobook.publish.m4b_file import m4b_name, write_m4b
from audiobook.publish.manifest import ChapterEntry, Manifest
from audiobook.publish.mp3_files import start_spare, write_mp3s
from audiobook.publish.subtitles import write_subtitles

if TYPE_CHECKING:
    from audiobook.pipeline import Prepared

FORMATS = ("mp3", "m4b")
SUBTITLES = ("srt", "vtt")

__all__ = [
    "ENCODING_VERSION",
    "BuildOptions",
    "BuildResult",
    "FileResult",
    "build_book",
    "validate_options",
]


@dataclass
class BuildResult:
    outdir: Path
    files: list[FileResult]
    manifest: Path
    clips: int  # distinct clips in the book
    cache_hits: int
    cache_misses: int  # clips rendered by this build
    seconds: float  # wall time of the build
    subtitles: list[Path] = field(default_factory=list)
    book: Manifest | None = field(default=None, repr=False)  # as written to ``manifest``

    @property
    def audio_seconds(self) -> float:
        return sum(f.seconds for f in self.files)


def cache_root(options: BuildOptions) -> Path:
    """The cache folder a build with ``options`` uses."""
    return Path(options.cache_dir) if options.cache_dir else default_cache_dir()


def validate_options(options: BuildOptions, remember: bool = True) -> Profile:
    """Check the options and the tools they need, before any work; the delivery profile.

    ``remember=False`` (a dry run, which writes nothing) keeps ffmpeg's encoder list out of
    the cache folder.
    """
    if options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; use mp3 or m4b")
    if options.subtitles not in (None, *SUBTITLES):
        raise InputError(f"unknown subtitle format {options.subtitles!r}; use srt or vtt")
    if options.jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {options.jobs}")
    if options.jobs > max_jobs():
        warn(
            f"--jobs {options.jobs} is more than this machine can use; using {max_jobs()} "
            f"({JOBS_PER_CORE} per core)"
        )
        options.jobs = max_jobs()
    check_cover(options.cover)
    memo = cache_root(options) if remember else None
    toolmemo.keep_in(memo)  # espeak-ng's voices, asked by the engine next
    require_ffmpeg("mp3" if options.format == "mp3" else "aac", memo=memo)
    return get_profile(options.profile)


def build_book(
    prepared: Prepared,
    options: BuildOptions,
    progress: Progress | None = None,
    key: str | None = None,
) -> BuildResult:
    """Render, master and write the book described by ``prepared`` into ``options.outdir``.

    ``key`` (uptodate.build_key): what the book and options are, recorded when the build
    succeeds, so that the same build again can be found to have nothing to do."""
    started = time.monotonic()
    profile = validate_options(options)
    engine, version, stamp = _engine(prepared, options)
    outdir = Path(options.outdir)
    options.info = options.info or getattr(prepared, "info", None)
    root = cache_root(options)
    if options.cover is None and options.info is not None and options.info.cover:
        options.cover = cover_file(options.info.cover, root)  # the EPUB's own
    title, author = book_metadata(options.info, options.title, options.author)
    cover_id = (
        digest(hashlib.sha256(cover_bytes(options.cover)[0]).hexdigest()) if options.cover else None
    )
    ctx = BuildContext(
        options,
        profile,
        outdir,
        root,
        title,
        author,
        progress or Progress(),
        cover_id,
    )
    prepare_outdir(outdir)
    with build_lock(outdir), contextlib.closing(ctx.spare):
        remove_partials(outdir)
        uptodate.forget(ctx.cache_root, outdir)  # whatever happens now, it is not that build
        result = _build(ctx, prepared, engine, version, stamp, started)
        if key is not None:
            uptodate.record(ctx.cache_root, outdir, key, result, ctx.title, prepared.warnings)
        return result


def _engine(prepared: Prepared, options: BuildOptions) -> tuple[str, str, VoiceStamp]:
    """The engine the book was cast for, its version and its voices' stamps; a different one
    asked for is refused.

    Voices are engine ids: rendering a cast made for one engine with another
    would speak with voices it does not have.
    """
    name = prepared.engine_name
    if options.engine != name:
        raise InputError(
            f"the book was cast for engine {name!r}, not {options.engine!r}; "
            f"prepare it with engine {options.engine!r} to build with it"
        )
    if prepared.tts is not None:
        return name, prepared.tts.version(), prepared.tts.voice_stamp
    from audiobook.audio.engines import get_engine

    tts = get_engine(name)
    try:
        # A stamp is only a look at the voice's files: it needs no open engine.
        return name, tts.version(), tts.voice_stamp
    finally:
        tts.close()


def _build(
    ctx: BuildContext,
    prepared: Prepared,
    engine: str,
    version: str,
    stamp: VoiceStamp,
    started: float,
) -> BuildResult:
    started_wall = time.time_ns()  # cache files written from now on are this build's
    with output_errors(ctx.cache_root, "choose another --cache-dir"):
        cache = ClipCache(ctx.cache_root, engine, version, voice_stamp=stamp)
        cache.clean()
    old = ownership.load(ctx.outdir)  # ours, or an error naming someone else's manifest.json
    script = prepared.script

    ctx.progress.stage("rendering")
    keys, mix, hits, rendered = _render(ctx, prepared, cache, engine, old)
    outputs = _plan_outputs(ctx, script, keys, mix)
    mine, journal = _claim(ctx, prepared, outputs, old)

    ctx.progress.stage("encoding")
    ctx.progress.chapters_total(len(outputs))
    book = Manifest(
        ctx.title,
        ctx.author,
        ctx.options.format,
        ctx.profile.name,
        engine,
        version,
        mix.gains,
    )
    if ctx.options.format == "mp3":
        files = write_mp3s(ctx, outputs, old, mix, journal)
    else:
        files = write_m4b(ctx, outputs, old, mix, book, journal)

    ctx.progress.stage("writing manifest")
    book.chapters = _entries(ctx, outputs, files, script)
    new_names = {f.name for f in files}
    if ctx.options.subtitles:
        journal()
    subs = write_subtitles(ctx.outdir, book.chapters, ctx.options.subtitles, set(new_names))
    written = new_names | {p.name for p in subs}
    mine.remove_stale(written)  # only files of ours, unchanged since we wrote them
    ownership.mark(book, ctx.outdir, written)
    path = manifest_io.write(ctx.outdir, book)
    used = {a.path for a in mix.audio.values()} | {
        ctx.cache_root / "m4b" / f"{o.fingerprint}.m4a" for o in outputs
    }
    added = sum(_size(p) for p in used if _newer(p, started_wall))
    with output_errors(ctx.cache_root):
        cap = max_bytes(ctx.options.cache_max)
        after_build(ctx.cache_root, ctx.title, hits, rendered, added, cap, used)
    return BuildResult(
        ctx.outdir,
        files,
        path,
        hits + rendered,
        hits,
        rendered,
        time.monotonic() - started,
        subs,
        book,
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size + 512  # and its record
    except OSError:
        return 0


def _newer(path: Path, since_ns: int) -> bool:
    try:
        return path.stat().st_mtime_ns >= since_ns
    except OSError:
        return False


def _claim(
    ctx: BuildContext, prepared: Prepared, outputs: list[Output], old: Manifest
) -> tuple[ownership.Claim, Callable[[], None]]:
    """Check every name this build writes before anything is written; and the journal,
    which the writers call before they replace the first file (a build that writes
    nothing leaves the manifest alone)."""
    fmt = ctx.options.format
    names = {o.name for o in outputs} if fmt == "mp3" else {m4b_name(ctx.title)}
    subtitles = ctx.options.subtitles
    targets = names | {f"{Path(n).stem}.{subtitles}" for n in names if subtitles}
    sources = [d.path for d in prepared.documents]
    mine = ownership.claim(ctx.outdir, old, targets, sources, ctx.title, fmt, ctx.options.force)
    written: list[bool] = []

    def journal() -> None:
        if not written:
            manifest_io.write(ctx.outdir, ownership.journal(old, targets, ctx.title, fmt))
            written.append(True)

    return mine, journal


def _render(
    ctx: BuildContext, prepared: Prepared, cache: ClipCache, engine: str, old: Manifest
) -> tuple[list[list[str | None]], Mix, int, int]:
    """Every clip of the book, from the cache or rendered; levelled by voice.

    Returns the clip key of each segment (None: nothing to say), the mix,
    and how many clips came from the cache and how many were rendered.
    """
    script = prepared.script
    memo = prepared.memo
    clips = make_clips(script, prepared.cast, prepared.lexicon, memo.spoken() if memo else None)
    if memo is not None:
        memo.save_spoken()
    texts = {d.path: d.text for d in prepared.documents}

    def line_of(source: str, offset: int) -> int:
        return texts.get(source, "").count("\n", 0, offset) + 1

    index = ClipIndex(cache, ctx.cache_root / "frontend", ctx.outdir)
    keys: list[list[str | None]] = [[None] * len(c.segments) for c in script.chapters]
    audio: dict[str, ClipAudio] = {}
    voice_of: dict[str, str] = {}
    jobs: dict[str, Job] = {}
    for clip in clips:
        if not speakable(clip):
            continue
        key = cache.key(clip)
        keys[clip.chapter][clip.segment] = key
        s = clip.settings
        voice_of[key] = f"{s.voice}|{s.rate}|{s.pitch}"
        if key in audio or key in jobs:
            continue
        hit = index.get(key)
        if hit is not None:
            audio[key] = hit
        else:
            chapter = script.chapters[clip.chapter]
            seg = chapter.segments[clip.segment]
            source = seg.source or chapter.chapter.source  # a chapter's next EPUB file
            where = (
                f"chapter {clip.chapter + 1} ({chapter.chapter.title!r}), "
                f"{source} line {line_of(source, seg.start)}: "
                f"{seg.text[:50]!r}"
            )
            jobs[key] = Job(key, clip.text, clip.settings, where)
    hits = len(audio)
    ctx.progress.clips_total(hits + len(jobs), hits)
    if jobs:
        start_spare(ctx, old)
    with output_errors(ctx.cache_root, "choose another --cache-dir"):
        rendered = render_jobs(
            list(jobs.values()), cache, engine, ctx.executor, ctx.progress.clips_done
        )
    for key, stored in rendered.items():
        index.remember(key, stored)
    index.save()
    audio.update(rendered)
    gains = voice_gains(((v, audio[k]) for k, v in voice_of.items()), old.voice_gains or None)
    return keys, Mix(audio, voice_of, gains), hits, len(jobs)


def _plan_outputs(
    ctx: BuildContext, script: Script, keys: list[list[str | None]], mix: Mix
) -> list[Output]:
    """The files to write: a chapter each, cut into parts past the profile's length limit."""
    rate = working_rate(list(mix.audio.values()))
    fmt = ctx.options.format
    max_seconds = ctx.profile.max_minutes * 60 if fmt == "mp3" else None
    # MP3 blocks of whole encoder frames: the least digital silence where they join.
    align = mp3_alignment(rate, ctx.profile.sample_rate) if fmt == "mp3" else None
    outputs: list[Output] = []
    for c, chapter in enumerate(script.chapters):
        planned = plan_chapter(
            c, chapter, keys[c], mix.audio, ctx.options.pauses, rate, max_seconds, align
        )
        parts = [p for p in planned if any(piece.key for piece in p.pieces)]
        for part in parts:
            name = (
                chapter.chapter.title
                if len(parts) == 1
                else f"{chapter.chapter.title} (part {part.index + 1})"
            )
            outputs.append(Output(part, name))
    taken: set[str] = {manifest_io.NAME}
    for n, out in enumerate(outputs, 1):
        out.name = chapter_file_name(n, len(outputs), out.title, fmt, taken)
    return outputs


def _entries(
    ctx: BuildContext, outputs: list[Output], files: list[FileResult], script: Script
) -> list[ChapterEntry]:
    """The manifest's chapter entries: where every segment is heard in its file."""
    entries = []
    m4b = ctx.options.format == "m4b"
    for out, result in zip(outputs, files, strict=True):
        part = out.part
        if m4b:  # blocks are only a plan here: times as planned
            starts = [out.offset_ms / 1000 + b.start / part.rate for b in part.blocks]
        else:  # each block's MP3 starts after the ones before it, plus the encoder delay
            starts, at = [], 0
            for b in out.blocks:
                starts.append((at + ENCODER_DELAY) / ctx.profile.sample_rate)
                at += b.written.samples if b.written else 0
        entry = ChapterEntry(
            result.name,
            out.title,
            round(result.seconds, 3),
            manifest_io.segment_rows(part, script.chapters[part.chapter], starts),
            out.fingerprint,
        )
        if m4b:
            entry.start_ms = out.offset_ms
        else:
            entry.tags_fingerprint = out.tags_fingerprint
            entry.gain = out.gain
            entry.stat = out.stat
            entry.blocks = [b.written for b in out.blocks if b.written is not None]
        entries.append(entry)
    return entries
