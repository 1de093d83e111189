"""Build the audiobook: clips -> cache/render -> levels -> chapter files -> manifest.

Incremental by construction: clips come from a content-addressed cache, and
every output file carries a fingerprint of exactly what its audio is made
of (clip keys, placements, gains, profile) in the manifest. A file whose
fingerprint did not change is kept (only re-tagged if its tags changed), so
editing one paragraph re-renders that paragraph and re-encodes its chapter.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest as manifest_io
from .assemble import Part, Pauses, plan_chapter, stream_part, working_rate
from .cache import ClipAudio, ClipCache, default_cache_dir
from .clips import make_clips, speakable
from .errors import InputError, OutputError
from .export import Tags, check_cover, encode_pcm, ffmetadata, join_m4b, tag_m4b, tag_mp3
from .fsutil import (atomic_path, build_lock, chapter_file_name, output_errors, prepare_outdir,
                     remove_partials, require_tools, safe_stem)
from .mastering import Profile, get_profile, part_levels, voice_gains
from .progress import Progress
from .render import Job, render_jobs

ENCODING_VERSION = 1  # bump when the same plan would now encode differently
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
    pauses: Pauses = field(default_factory=Pauses)


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
    levels: object = None
    tags_fingerprint: str = ""
    offset_ms: int = 0  # where it starts in its file (M4B: the whole book)


def book_metadata(paths: list[str], title: str | None, author: str | None) -> tuple[str, str]:
    """Title and author: options first, then ``book.toml`` beside the manuscript."""
    meta: dict = {}
    for path in paths[:1]:
        src = Path(path)
        for folder in (src if src.is_dir() else src.parent, src.parent):
            candidate = folder / "book.toml"
            if candidate.is_file():
                try:
                    meta = tomllib.loads(candidate.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise InputError(f"{candidate}: not valid TOML ({exc})") from exc
                meta = meta.get("book", meta)
                break
    default = Path(paths[0]).parent.name if len(paths) > 1 else Path(paths[0]).stem if paths else "Audiobook"
    return (title or str(meta.get("title") or default or "Audiobook"),
            author or str(meta.get("author") or "Unknown"))


def _validate(options: BuildOptions) -> Profile:
    if options.format not in FORMATS:
        raise InputError(f"unknown format {options.format!r}; use mp3 or m4b")
    if options.subtitles not in (None, *SUBTITLES):
        raise InputError(f"unknown subtitle format {options.subtitles!r}; use srt or vtt")
    if options.jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {options.jobs}")
    check_cover(options.cover)
    require_tools("ffmpeg")
    return get_profile(options.profile)


def _digest(*parts) -> str:
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def build_book(prepared, options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Render, master and write the book described by ``prepared`` into ``options.outdir``."""
    started = time.monotonic()
    progress = progress or Progress()
    profile = _validate(options)
    outdir = Path(options.outdir)
    cache_root = Path(options.cache_dir) if options.cache_dir else default_cache_dir()
    title, author = book_metadata([d.path for d in prepared.documents], options.title, options.author)
    prepare_outdir(outdir)
    with build_lock(outdir):
        remove_partials(outdir)
        return _build(prepared, options, profile, outdir, cache_root, title, author,
                      progress, started)


def _build(prepared, options, profile, outdir, cache_root, title, author, progress, started):
    from .engines import get_engine

    script = prepared.script
    engine = get_engine(options.engine)
    try:
        version = engine.version()
    finally:
        engine.close()
    with output_errors(cache_root):
        cache = ClipCache(cache_root, options.engine, version)
        cache.clean()
    old = manifest_io.load(outdir)

    progress.stage("rendering")
    clips = make_clips(script, prepared.cast, prepared.lexicon)
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
            where = (f"chapter {clip.chapter + 1} ({chapter.chapter.title!r}), "
                     f"{chapter.chapter.source} at offset {seg.start}: {seg.text[:50]!r}")
            jobs[key] = Job(key, clip.text, clip.settings, where)
    hits = len(audio)
    progress.clips_total(hits + len(jobs), hits)
    with output_errors(cache_root):
        audio.update(render_jobs(list(jobs.values()), cache, options.engine, options.jobs,
                                 progress.clips_done))

    gains = voice_gains(((v, audio[k]) for k, v in voice_of.items()), old.get("voice_gains"))
    rate = working_rate(list(audio.values()))
    codec = "mp3" if options.format == "mp3" else "aac"
    max_seconds = profile.max_minutes * 60 if options.format == "mp3" else None
    outputs: list[_Output] = []
    for c, chapter in enumerate(script.chapters):
        parts = [p for p in plan_chapter(c, chapter, keys[c], audio, options.pauses, rate, max_seconds)
                 if any(piece.key for piece in p.pieces)]
        for part in parts:
            name = chapter.chapter.title if len(parts) == 1 else \
                f"{chapter.chapter.title} (part {part.index + 1})"
            outputs.append(_Output(part, name, ""))
    taken: set[str] = {manifest_io.NAME}
    for n, out in enumerate(outputs, 1):
        out.name = chapter_file_name(n, len(outputs), out.title, options.format, taken)
        out.levels = part_levels(out.part, audio, voice_of, gains, profile)
        out.fingerprint = _digest(ENCODING_VERSION, profile.name, codec, rate,
                                  [(p.key, p.start, p.frames) for p in out.part.pieces],
                                  out.part.frames, sorted(out.levels.clip_gains.items()),
                                  round(out.levels.encoder_gain, 6))

    progress.stage("encoding")
    progress.chapters_total(len(outputs))
    cover_id = _digest(hashlib.sha256(options.cover.read_bytes()).hexdigest()) if options.cover else None
    if options.format == "mp3":
        files = _write_mp3s(outputs, old, audio, outdir, profile, title, author, options,
                            cover_id, progress)
        book_entry = {}
    else:
        files, book_entry = _write_m4b(outputs, old, audio, outdir, cache_root, profile, title,
                                       author, options, cover_id, progress)

    progress.stage("writing manifest")
    entries = _entries(outputs, files, script, options.format)
    new_names = {f.name for f in files}
    _remove_stale(outdir, old, new_names)
    subs = _write_subtitles(outdir, entries, options.subtitles, new_names)
    manifest = {"title": title, "author": author, "format": options.format,
                "profile": profile.name, "engine": options.engine, "engine_version": version,
                "voice_gains": gains, **book_entry, "chapters": entries}
    path = manifest_io.write(outdir, manifest)
    return BuildResult(outdir, files, path, hits + len(jobs), hits, len(jobs),
                       time.monotonic() - started, subs)


def _old_files(old: dict, outdir: Path) -> dict[str, Path]:
    """Audio fingerprint -> an existing file of the previous build that has it."""
    found = {}
    for entry in old.get("chapters", []):
        fp, name = entry.get("fingerprint"), entry.get("file")
        if fp and isinstance(name, str) and name == Path(name).name and (outdir / name).is_file():
            found[fp] = outdir / name
    return found


def _write_mp3s(outputs, old, audio, outdir, profile, title, author, options, cover_id, progress):
    previous = _old_files(old, outdir)
    old_tags = {e.get("file"): e.get("tags_fingerprint") for e in old.get("chapters", [])}

    def one(n_out):
        n, out = n_out
        tags = Tags(out.title, title, author, n, len(outputs), options.cover)
        out.tags_fingerprint = _digest(out.title, title, author, n, len(outputs), cover_id)
        final = outdir / out.name
        source = previous.get(out.fingerprint)
        if source is not None and source == final and old_tags.get(out.name) == out.tags_fingerprint:
            return FileResult(out.name, out.title, out.part.seconds, True)
        with atomic_path(final) as tmp:
            if source is not None:  # same audio under other tags or another name: no re-encode
                shutil.copyfile(source, tmp)
            else:
                encode_pcm(lambda write: stream_part(out.part, audio, out.levels.clip_gains, write),
                           out.part.rate, out.levels.encoder_gain, profile, "mp3", tmp)
            tag_mp3(tmp, tags)
        return FileResult(out.name, out.title, out.part.seconds, source is not None)

    return _run_parallel(one, list(enumerate(outputs, 1)), options.jobs, progress)


def _run_parallel(fn, items, jobs, progress):
    results = [None] * len(items)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
        try:
            for future in futures:
                results[futures[future]] = result = future.result()
                progress.chapter_done(result.name, result.reused)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results


def _write_m4b(outputs, old, audio, outdir, cache_root, profile, title, author, options,
               cover_id, progress):
    pieces_dir = cache_root / "m4b"
    with output_errors(pieces_dir):
        pieces_dir.mkdir(parents=True, exist_ok=True)

    def one(out):
        piece = pieces_dir / f"{out.fingerprint}.m4a"
        reused = piece.is_file()
        if not reused:
            with atomic_path(piece) as tmp:
                encode_pcm(lambda write: stream_part(out.part, audio, out.levels.clip_gains, write),
                           out.part.rate, out.levels.encoder_gain, profile, "aac", tmp)
        return FileResult(out.name, out.title, out.part.seconds, reused)

    done = _run_parallel(one, outputs, options.jobs, progress)
    name = f"{safe_stem(title) or 'audiobook'}.m4b"
    marks, pos = [], 0
    for out in outputs:
        length = round(out.part.seconds * 1000)
        marks.append((out.title, pos, pos + length))
        out.offset_ms = pos
        pos += length
    fingerprint = _digest([o.fingerprint for o in outputs], marks, title, author, cover_id)
    final = outdir / name
    reused = old.get("book_fingerprint") == fingerprint and old.get("book_file") == name \
        and final.is_file()
    if not reused:
        with atomic_path(final) as tmp:
            join_m4b([pieces_dir / f"{o.fingerprint}.m4a" for o in outputs],
                     ffmetadata(title, author, marks), tmp, outdir)
            tag_m4b(tmp, Tags(title, title, author, 1, 1, options.cover))
    files = [FileResult(name, o.title, f.seconds, reused) for o, f in zip(outputs, done)]
    return files, {"book_file": name, "book_fingerprint": fingerprint}


def _entries(outputs, files, script, fmt):
    entries = []
    for out, result in zip(outputs, files):
        chapter = script.chapters[out.part.chapter]
        offset = out.offset_ms
        entry = {"file": result.name, "title": out.title,
                 "duration": round(out.part.seconds, 3),
                 "segments": manifest_io.segment_rows(out.part, chapter, offset),
                 "fingerprint": out.fingerprint}
        if fmt == "m4b":
            entry["start_ms"] = offset
        else:
            entry["tags_fingerprint"] = out.tags_fingerprint
        entries.append(entry)
    return entries


def _remove_stale(outdir: Path, old: dict, keep: set[str]) -> None:
    """Files the previous build wrote and this one does not: removed, nothing else is."""
    names = {e.get("file") for e in old.get("chapters", [])}
    for name in names:
        if isinstance(name, str) and name == Path(name).name and name not in keep \
                and not name.startswith("."):
            for path in (outdir / name, *(outdir / f"{Path(name).stem}.{k}" for k in SUBTITLES)):
                if path.is_file() and path.name not in keep:
                    path.unlink()


def _write_subtitles(outdir: Path, entries: list[dict], kind: str | None, keep: set[str]) -> list[Path]:
    from .fsutil import atomic_write
    from .subtitles import render

    if kind is None:
        return []
    by_file: dict[str, dict] = {}
    for entry in entries:  # an M4B holds every chapter: one subtitle file for it
        merged = by_file.setdefault(entry["file"], {"segments": []})
        merged["segments"].extend(entry["segments"])
    written = []
    for name, entry in by_file.items():
        path = outdir / f"{Path(name).stem}.{kind}"
        atomic_write(path, render(entry, kind))
        keep.add(path.name)
        written.append(path)
    return written


__all__ = ["BuildOptions", "BuildResult", "FileResult", "build_book", "OutputError"]
