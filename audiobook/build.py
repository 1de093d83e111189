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
import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.audio.assemble import Part, Pauses, plan_chapter, working_rate
from audiobook.audio.cache import ClipAudio, ClipCache, default_cache_dir, file_sha256, seal, sealed
from audiobook.audio.cachedir import max_bytes, prune, record_build, touch
from audiobook.audio.clips import make_clips, speakable
from audiobook.audio.encode import encode_task, run_encode
from audiobook.audio.executor import JOBS_PER_CORE, Executor, max_jobs
from audiobook.audio.mastering import (
    Profile,
    block_levels,
    file_gain,
    get_profile,
    part_rms,
    voice_gains,
)
from audiobook.audio.render import Job, render_jobs
from audiobook.errors import InputError, OutputError, warn
from audiobook.fsutil import (
    PARTIAL,
    atomic_path,
    build_lock,
    chapter_file_name,
    output_errors,
    prepare_outdir,
    remove_partials,
    require_tools,
    safe_stem,
)
from audiobook.model import BookInfo
from audiobook.progress import Progress
from audiobook.publish import manifest as manifest_io
from audiobook.publish.export import (
    ENCODER_DELAY,
    Tags,
    book_metadata,
    check_cover,
    cover_bytes,
    ffmetadata,
    id3_size,
    id3_tag,
    join_m4b,
    mp3_frames,
    tag_m4b,
)
from audiobook.publish.subtitles import write_subtitles

ENCODING_VERSION = 2  # bump when the same plan would now encode differently
FORMATS = ("mp3", "m4b")


SUBTITLES = ("srt", "vtt")


@dataclass
class BuildOptions:
    outdir: Path
    format: str = "mp3"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = None  # None: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook
    engine: str = "pyttsx3"
    profile: str = "acx"
    subtitles: str | None = None
    cover: Path | None = None
    title: str | None = None  # None: book.toml beside the manuscript, else the file name
    author: str | None = None
    info: BookInfo | None = None  # narrator, series... for the tags (default: the book's)
    pauses: Pauses = field(default_factory=Pauses)
    executor: Executor | None = None  # where clips and encodes run; None: ``jobs`` processes here
    cache_max: int | None = None  # bytes; None: $AUDIOBOOK_CACHE_MAX or 5 GB


@dataclass
class FileResult:
    name: str
    title: str
    seconds: float
    reused: bool


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

    @property
    def audio_seconds(self) -> float:
        return sum(f.seconds for f in self.files)


@dataclass
class _Output:
    """One file to write (MP3: a part of a chapter; M4B: a chapter's AAC piece)."""

    part: Part
    title: str
    name: str
    fingerprint: str = ""
    tags_fingerprint: str = ""
    gain: float = 1.0  # the file's gain over its levelled voices
    blocks: list[dict] = field(
        default_factory=list
    )  # fingerprint, block, levels, offset, bytes, samples
    offset_ms: int = 0  # where it starts in its file (M4B: the whole book)
    stat: list[int] = field(default_factory=list)  # size and mtime of the file as written


def validate_options(options: BuildOptions) -> Profile:
    """Refuse bad options before any work (the catalogue checks them once for every book)."""
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
    require_tools("ffmpeg")
    return get_profile(options.profile)


def _executor(options: BuildOptions) -> Executor:
    return options.executor or Executor(options.jobs)


def _digest(*parts) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def build_book(prepared, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Render, master and write the book described by ``prepared`` into ``options.outdir``."""
    started = time.monotonic()
    progress = progress or Progress()
    profile = validate_options(options)
    outdir = Path(options.outdir)
    cache_root = Path(options.cache_dir) if options.cache_dir else default_cache_dir()
    options.info = options.info or getattr(prepared, "info", None)
    title, author = book_metadata(options.info, options.title, options.author)
    prepare_outdir(outdir)
    with build_lock(outdir):
        remove_partials(outdir)
        return _build(
            prepared, options, profile, outdir, cache_root, title, author, progress, started
        )


def _build(prepared, options, profile, outdir, cache_root, title, author, progress, started):
    from audiobook.audio.engines import get_engine

    script = prepared.script
    engine = get_engine(options.engine)
    try:
        version = engine.version()
    finally:
        engine.close()
    with output_errors(cache_root, "choose another --cache-dir"):
        cache = ClipCache(cache_root, options.engine, version)
        cache.clean()
    old = manifest_io.load(outdir)

    progress.stage("rendering")
    clips = make_clips(script, prepared.cast, prepared.lexicon)
    texts = {d.path: d.text for d in prepared.documents}

    def line_of(source: str, offset: int) -> int:
        return texts.get(source, "").count("\n", 0, offset) + 1

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
        hit = cache.get(key)
        if hit is not None:
            audio[key] = hit
        else:
            chapter = script.chapters[clip.chapter]
            seg = chapter.segments[clip.segment]
            where = (
                f"chapter {clip.chapter + 1} ({chapter.chapter.title!r}), "
                f"{chapter.chapter.source} line {line_of(chapter.chapter.source, seg.start)}: "
                f"{seg.text[:50]!r}"
            )
            jobs[key] = Job(key, clip.text, clip.settings, where)
    hits = len(audio)
    progress.clips_total(hits + len(jobs), hits)
    with output_errors(cache_root, "choose another --cache-dir"):
        audio.update(
            render_jobs(
                list(jobs.values()),
                cache,
                options.engine,
                _executor(options),
                progress.clips_done,
            )
        )

    gains = voice_gains(((v, audio[k]) for k, v in voice_of.items()), old.get("voice_gains"))
    rate = working_rate(list(audio.values()))
    max_seconds = profile.max_minutes * 60 if options.format == "mp3" else None
    outputs: list[_Output] = []
    for c, chapter in enumerate(script.chapters):
        parts = [
            p
            for p in plan_chapter(c, chapter, keys[c], audio, options.pauses, rate, max_seconds)
            if any(piece.key for piece in p.pieces)
        ]
        for part in parts:
            name = (
                chapter.chapter.title
                if len(parts) == 1
                else f"{chapter.chapter.title} (part {part.index + 1})"
            )
            outputs.append(_Output(part, name, ""))
    taken: set[str] = {manifest_io.NAME}
    for n, out in enumerate(outputs, 1):
        out.name = chapter_file_name(n, len(outputs), out.title, options.format, taken)

    progress.stage("encoding")
    progress.chapters_total(len(outputs))
    cover_id = (
        _digest(hashlib.sha256(cover_bytes(options.cover)[0]).hexdigest())
        if options.cover
        else None
    )
    if options.format == "mp3":
        files = _write_mp3s(
            outputs,
            old,
            audio,
            voice_of,
            gains,
            outdir,
            profile,
            title,
            author,
            options,
            cover_id,
            progress,
        )
        book_entry = {}
    else:
        files, book_entry = _write_m4b(
            outputs,
            old,
            audio,
            voice_of,
            gains,
            outdir,
            cache_root,
            profile,
            title,
            author,
            options,
            cover_id,
            progress,
        )

    progress.stage("writing manifest")
    entries = _entries(outputs, files, script, options.format, profile)
    new_names = {f.name for f in files}
    manifest_io.remove_stale(outdir, old, new_names)
    subs = write_subtitles(outdir, entries, options.subtitles, new_names)
    manifest = {
        "title": title,
        "author": author,
        "format": options.format,
        "profile": profile.name,
        "engine": options.engine,
        "engine_version": version,
        "voice_gains": gains,
        **book_entry,
        "chapters": entries,
    }
    path = manifest_io.write(outdir, manifest)
    record_build(cache_root, title, hits, len(jobs))
    used = {a.path for a in audio.values()} | {
        cache_root / "m4b" / f"{o.fingerprint}.m4a" for o in outputs
    }
    with output_errors(cache_root):
        prune(cache_root, max_bytes(options.cache_max), keep=used)
    return BuildResult(
        outdir, files, path, hits + len(jobs), hits, len(jobs), time.monotonic() - started, subs
    )


def _old_blocks(old: dict, outdir: Path) -> dict[str, tuple[Path, int, int, int]]:
    """Block fingerprint -> (file, offset after its tag, bytes, samples) in the previous build."""
    found = {}
    for entry in old.get("chapters", []):
        name = entry.get("file")
        if not (
            isinstance(name, str) and name == Path(name).name and _unchanged(outdir / name, entry)
        ):
            continue
        for b in entry.get("blocks", []):
            with contextlib.suppress(KeyError, TypeError):
                found[b["fingerprint"]] = (
                    outdir / name,
                    int(b["offset"]),
                    int(b["bytes"]),
                    int(b["samples"]),
                )
    return found


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _unchanged(path: Path, entry: dict) -> bool:
    """The file is the one the manifest describes (a killed build may have replaced it)."""
    try:
        return entry.get("stat") == _stat(path)
    except OSError:
        return False


def _plan_blocks(out: _Output, old_entry: dict, audio, voice_of, gains, profile) -> None:
    """Levels and fingerprints of each block of a file, and of the file."""
    rms = part_rms(out.part, audio, voice_of, gains)
    out.gain = file_gain(rms, profile, old_entry.get("gain"))
    out.blocks = []
    for block in out.part.blocks:
        lv = block_levels(out.part, block, voice_of, gains, audio, out.gain)
        fp = _digest(
            ENCODING_VERSION,
            profile.name,
            out.part.rate,
            block.end - block.start,
            [
                (p.key, p.start - block.start, p.frames)
                for p in out.part.pieces[block.first : block.last]
            ],
            sorted(lv.clip_gains.items()),
            lv.encoder_gain,
        )
        out.blocks.append({"fingerprint": fp, "block": block, "levels": lv})
    out.fingerprint = _digest([b["fingerprint"] for b in out.blocks])


def _write_mp3s(
    outputs,
    old,
    audio,
    voice_of,
    gains,
    outdir,
    profile,
    title,
    author,
    options,
    cover_id,
    progress,
):
    """Each file is its blocks' MP3 frames joined.

    Blocks of the last build are copied, new ones encoded.
    """
    old_by_name = {e.get("file"): e for e in old.get("chapters", []) if isinstance(e, dict)}
    sources = _old_blocks(old, outdir)
    todo: list = []
    fresh: dict = {}
    results: dict = {}
    for n, out in enumerate(outputs, 1):
        prev = old_by_name.get(out.name, {})
        _plan_blocks(out, prev, audio, voice_of, gains, profile)
        out.tags_fingerprint = _digest(out.title, title, author, n, len(outputs), cover_id)
        if (prev.get("fingerprint"), prev.get("tags_fingerprint")) == (
            out.fingerprint,
            out.tags_fingerprint,
        ) and _unchanged(outdir / out.name, prev):
            for b, kept in zip(out.blocks, prev.get("blocks", []), strict=False):
                b.update(offset=kept["offset"], bytes=kept["bytes"], samples=kept["samples"])
            out.stat = prev["stat"]
            results[out.name] = FileResult(out.name, out.title, _seconds(out, profile), True)
            progress.chapter_done(out.name, True)
            continue
        todo.append((n, out))
        for b in out.blocks:
            if b["fingerprint"] not in sources:
                fresh.setdefault(b["fingerprint"], (out, b))
    # Opened before anything is replaced: a file rewritten below still reads as it was.
    fds = {path: os.open(path, os.O_RDONLY) for path in {v[0] for v in sources.values()}}
    temps: dict[str, Path] = {}
    try:

        def encode(item):
            fp, (out, b) = item
            tmp = outdir / f".block-{fp}.mp3{PARTIAL}{os.getpid()}"
            temps[fp] = tmp
            lv = b["levels"]
            task = encode_task(
                out.part, audio, lv.clip_gains, b["block"], lv.encoder_gain, profile, "mp3"
            )
            _executor(options).to_file(run_encode, task, tmp, progress.encoded)

        progress.encoding_total(
            sum((b["block"].end - b["block"].start) / out.part.rate for out, b in fresh.values())
        )
        longest_first = sorted(
            fresh.items(), key=lambda i: i[1][1]["block"].start - i[1][1]["block"].end
        )
        _run_parallel(encode, longest_first, _executor(options).workers)
        for n, out in todo:
            with atomic_path(outdir / out.name) as tmp, open(tmp, "wb") as fh:
                tag = id3_tag(
                    Tags(out.title, title, author, n, len(outputs), options.cover, options.info)
                )
                fh.write(tag)
                for b in out.blocks:
                    data = _block_bytes(b["fingerprint"], temps, sources, fds)
                    b.update(
                        offset=fh.tell() - len(tag),
                        bytes=len(data),
                        samples=mp3_frames(data).samples,
                    )
                    fh.write(data)
            out.stat = _stat(outdir / out.name)
            results[out.name] = FileResult(out.name, out.title, _seconds(out, profile), False)
            progress.chapter_done(out.name, False)
    finally:
        for fd in fds.values():
            os.close(fd)
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink()
    return [results[out.name] for out in outputs]


def _block_bytes(fp: str, temps: dict[str, Path], sources: dict, fds: dict[Path, int]) -> bytes:
    if fp in temps:
        return temps[fp].read_bytes()
    path, offset, size, _ = sources[fp]
    start = id3_size(os.pread(fds[path], 10, 0))
    data = os.pread(fds[path], size, start + offset)
    if len(data) != size or mp3_frames(data).samples != sources[fp][3]:
        raise OutputError(f"{path} changed since it was written; delete it and build again")
    return data


def _seconds(out: _Output, profile: Profile) -> float:
    return (sum(b["samples"] for b in out.blocks) / profile.sample_rate) if out.blocks else 0.0


def _run_parallel(fn, items, jobs):
    results = [None] * len(items)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            for future in futures:
                results[futures[future]] = future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results


def _write_m4b(
    outputs,
    old,
    audio,
    voice_of,
    gains,
    outdir,
    cache_root,
    profile,
    title,
    author,
    options,
    cover_id,
    progress,
):
    pieces_dir = cache_root / "m4b"
    with output_errors(pieces_dir, "choose another --cache-dir"):
        pieces_dir.mkdir(parents=True, exist_ok=True)

    def plan(out):
        gain = file_gain(part_rms(out.part, audio, voice_of, gains), profile)
        lv = block_levels(out.part, None, voice_of, gains, audio, gain)
        out.fingerprint = _digest(
            ENCODING_VERSION,
            profile.name,
            "aac-fast",  # the coder: pieces encoded with the slower default are not reused
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
        return out, lv, piece, reused

    def one(planned):
        out, lv, piece, reused = planned
        if not reused:
            with atomic_path(piece) as tmp:
                task = encode_task(
                    out.part, audio, lv.clip_gains, None, lv.encoder_gain, profile, "aac"
                )
                _executor(options).to_file(run_encode, task, tmp, progress.encoded)
            seal(piece)
        progress.chapter_done(out.title, reused)
        return FileResult(out.name, out.title, out.part.seconds, reused)

    planned = [plan(out) for out in outputs]
    progress.encoding_total(sum(p[0].part.seconds for p in planned if not p[3]))
    done = _run_parallel(one, planned, _executor(options).workers)
    name = f"{safe_stem(title) or 'audiobook'}.m4b"
    marks, pos = [], 0
    for out in outputs:
        length = round(out.part.seconds * 1000)
        marks.append((out.title, pos, pos + length))
        out.offset_ms = pos
        pos += length
    fingerprint = _digest([o.fingerprint for o in outputs], marks, title, author, cover_id)
    final = outdir / name
    reused = (
        old.get("book_fingerprint") == fingerprint
        and old.get("book_file") == name
        and final.is_file()
        and old.get("book_sha256") == file_sha256(final)  # a damaged M4B is written again
    )
    if not reused:
        with atomic_path(final) as tmp:
            join_m4b(
                [pieces_dir / f"{o.fingerprint}.m4a" for o in outputs],
                ffmetadata(title, author, marks),
                tmp,
                outdir,
            )
            tag_m4b(tmp, Tags(title, title, author, 1, 1, options.cover, options.info))
    # The previous build's piece of a chapter that changed is no use to the next edit:
    # one AAC copy per chapter, not one per version of it.
    current = {o.fingerprint for o in outputs}
    for entry in old.get("chapters", []):
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if isinstance(fp, str) and re.fullmatch(r"[0-9a-f]{32}", fp) and fp not in current:
            for stale in (pieces_dir / f"{fp}.json", pieces_dir / f"{fp}.m4a"):
                with contextlib.suppress(OSError):
                    stale.unlink()
    files = [
        FileResult(name, o.title, f.seconds, reused) for o, f in zip(outputs, done, strict=False)
    ]
    book = {"book_file": name, "book_fingerprint": fingerprint, "book_sha256": file_sha256(final)}
    return files, book


def _entries(outputs, files, script, fmt, profile):
    entries = []
    for out, result in zip(outputs, files, strict=False):
        chapter = script.chapters[out.part.chapter]
        part = out.part
        if fmt == "m4b":  # blocks are only a plan here: times as planned
            starts = [out.offset_ms / 1000 + b.start / part.rate for b in part.blocks]
        else:  # each block's MP3 starts after the ones before it, plus the encoder delay
            starts, at = [], 0
            for b in out.blocks:
                starts.append((at + ENCODER_DELAY) / profile.sample_rate)
                at += b["samples"]
        entry = {
            "file": result.name,
            "title": out.title,
            "duration": round(result.seconds, 3),
            "segments": manifest_io.segment_rows(part, chapter, starts),
            "fingerprint": out.fingerprint,
        }
        if fmt == "m4b":
            entry["start_ms"] = out.offset_ms
        else:
            entry.update(
                tags_fingerprint=out.tags_fingerprint,
                gain=out.gain,
                stat=out.stat,
                blocks=[
                    {k: b[k] for k in ("fingerprint", "offset", "bytes", "samples")}
                    for b in out.blocks
                ],
            )
        entries.append(entry)
    return entries
