"""A rebuild with nothing changed, answered without planning a chapter or looking up a clip.

Each successful build records, in ``CACHE/frontend/build-*.json`` (one per output folder),
the key of everything its files were made from and what it left behind: the size and
modification time (ns) of ``manifest.json`` and of every file it wrote, and of the clip
index that lists the clips it used. The next build of the same folder with the same key,
while all of that is still exactly as recorded, has nothing to do.

The key names every input of the output: the front end's key (the texts and their paths,
the cast file's bytes, encoding, engine and every installed engine's version, the voice
folders and other ``AUDIOBOOK_*`` settings, what is included, the credits, the book's
details, a stamp of this package's source files), plus the build's own options (format,
profile, subtitles, cover and the book's own cover, title, author, pace, pauses, cache
cap), the lexicon file's bytes, and the versions of the encoding, the clip cache and the
manifest. A different key, an output file edited, touched or deleted, a manifest rewritten,
a clip pruned from the cache, a cleared cache (the record goes with it): the build runs as
always and does only what is needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from audiobook import __version__
from audiobook.fsutil import build_lock, outdir_id, write_cache_file

if TYPE_CHECKING:
    from audiobook.build import BuildResult
    from audiobook.pipeline import Request
    from audiobook.publish.context import BuildOptions

FORMAT = 1


@dataclass
class Unchanged:
    """What the last build wrote, as the next one finds it untouched."""

    outdir: Path
    files: list[str]  # the book's audio files (one for an M4B)
    chapters: int
    audio_seconds: float
    clips: int
    warnings: list[str] = field(default_factory=list)


def build_key(request: Request, options: BuildOptions, pace: float | None) -> str | None:
    """Everything the output of this build depends on (None: no front-end key to build on)."""
    if request.key is None:
        return None
    from audiobook.audio.cache import FORMAT as CLIP_FORMAT
    from audiobook.publish.context import ENCODING_VERSION
    from audiobook.publish.export import cover_bytes
    from audiobook.publish.manifest import VERSION as MANIFEST_VERSION

    cover = _sha(cover_bytes(options.cover)[0]) if options.cover else None
    lexicon = request.file_cast.lexicon if request.file_cast else None
    parts: list[Any] = [
        FORMAT,
        __version__,
        ENCODING_VERSION,
        CLIP_FORMAT,
        MANIFEST_VERSION,
        request.key,
        options.engine,
        options.format,
        options.profile,
        options.subtitles,
        cover,
        _sha(request.info.cover) if request.info.cover else None,
        options.title,
        options.author,
        repr(options.info),
        repr(options.pauses),
        options.cache_max,
        pace,
        _file_sha(Path(lexicon)) if lexicon else None,
    ]
    return _sha(repr(parts).encode("utf-8", "surrogatepass"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str:
    try:
        return _sha(path.read_bytes())
    except OSError:
        return "unreadable"  # the build reports it; the key only has to differ


def record_path(cache_root: Path, outdir: Path) -> Path:
    return cache_root / "frontend" / f"build-{outdir_id(outdir)}.json"


def _stat(path: Path) -> list[int] | None:
    """Size and mtime (ns) of a regular file, never through a symlink."""
    from audiobook.publish.ownership import file_stat

    return file_stat(path)


def record(
    cache_root: Path, outdir: Path, key: str, result: BuildResult, title: str, warnings: list[str]
) -> None:
    """Remember what this build left behind (best effort: without it the next is slower)."""
    from audiobook.audio.clipindex import index_path

    manifest, clips = result.book, result.clips
    index = _stat(index_path(cache_root / "frontend", outdir))
    found = _stat(outdir / "manifest.json")
    if manifest is None or found is None or (clips and index is None):
        return
    audio = (
        [manifest.book_file]
        if manifest.book_file
        else [e.file for e in manifest.chapters if e.file.endswith(f".{manifest.format}")]
    )
    data = {
        "format": FORMAT,
        "key": key,
        "outdir": str(outdir.resolve()),
        "title": title,
        "manifest": found,
        "files": [[f.name, *f.stat] for f in manifest.files],
        "audio": audio,
        "chapters": len(manifest.chapters),
        "seconds": result.audio_seconds,
        "clips": clips,
        "index": index,
        "warnings": warnings,
    }
    write_cache_file(record_path(cache_root, outdir), json.dumps(data).encode("utf-8"))


def forget(cache_root: Path, outdir: Path) -> None:
    """A build is about to change the folder: its record no longer holds."""
    with contextlib.suppress(OSError):
        record_path(cache_root, outdir).unlink()


def unchanged(
    cache_root: Path, outdir: Path, key: str | None, engine: str, version: str
) -> Unchanged | None:
    """The last build of ``outdir``, when building it again with ``key`` would change
    nothing; None otherwise (then build as usual)."""
    if key is None or not outdir.is_dir():
        return None
    try:
        data = json.loads(record_path(cache_root, outdir).read_bytes())
    except (OSError, ValueError):
        return None
    if not (
        isinstance(data, dict)
        and data.get("format") == FORMAT
        and data.get("key") == key
        and data.get("outdir") == str(outdir.resolve())
    ):
        return None
    try:
        with build_lock(outdir):  # a build writing there now: not up to date, nor ours to say
            return _check(cache_root, outdir, data, engine, version)
    except Exception:  # noqa: BLE001 - a damaged record or folder: the full build will say
        return None


def _check(
    cache_root: Path, outdir: Path, data: dict, engine: str, version: str
) -> Unchanged | None:
    from audiobook.audio.cache import ClipCache
    from audiobook.audio.cachedir import max_bytes
    from audiobook.audio.clipindex import ClipIndex, index_path

    if _stat(outdir / "manifest.json") != data["manifest"]:
        return None
    for name, size, mtime in data["files"]:
        if Path(name).name != name or _stat(outdir / name) != [size, mtime]:
            return None
    clips = int(data["clips"])
    if clips:
        folder = cache_root / "frontend"
        if _stat(index_path(folder, outdir)) != data["index"]:
            return None
        index = ClipIndex(ClipCache(cache_root, engine, version, create=False), folder, outdir)
        if len(index.records) != clips or not index.all_unchanged():
            return None
    if not _record_build(cache_root, data, clips, max_bytes()):
        return None
    return Unchanged(
        outdir,
        [str(n) for n in data["audio"]],
        int(data["chapters"]),
        float(data["seconds"]),
        clips,
        [str(w) for w in data["warnings"]],
    )


def _record_build(cache_root: Path, data: dict, clips: int, cap: int) -> bool:
    """The hit rate `audiobook cache` shows; False when the cache is over its cap (the full
    build prunes it, keeping this book's clips)."""
    from audiobook.audio.cachedir import record_build, remembered_size

    known = remembered_size(cache_root)
    if known is None or known > cap:
        return False
    record_build(cache_root, str(data["title"]), clips, 0, known)
    return True


__all__ = ["Unchanged", "build_key", "forget", "record", "record_path", "unchanged"]
