"""The cache folder as a whole: what it holds, a size cap, pruning and clearing.

Clips are the bulk (``clips/``), then the AAC pieces of M4B chapters (``m4b/``) and the
front end's remembered results (``frontend/``). Every use of a clip or piece sets its
access time, so the least recently used go first when the folder grows past its cap
(``AUDIOBOOK_CACHE_MAX``, default 5 GB: about 70 hours of clips). A build prunes at its
end and never removes what it has just used; ``audiobook cache`` shows, prunes, clears.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError
from audiobook.fsutil import write_cache_file

MAX_ENV = "AUDIOBOOK_CACHE_MAX"
DEFAULT_MAX = 5 * 10**9
LAST_BUILD = "last-build.json"
PARTS = ("clips", "m4b", "frontend")
_UNITS = {"": 1, "B": 1, "K": 10**3, "M": 10**6, "G": 10**9, "T": 10**12}


def parse_size(text: str) -> int:
    """'500M', '2G', '1.5GB', '800000000' -> bytes."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([KMGT]?)B?\s*", text.upper())
    if not match:
        raise InputError(f"size {text!r} is not a size; write e.g. 500M or 2G")
    try:
        return int(float(match.group(1)) * _UNITS[match.group(2)])
    except ValueError as exc:
        raise InputError(f"size {text!r} is not a size; write e.g. 500M or 2G") from exc


def max_bytes(explicit: int | None = None) -> int:
    if explicit is not None:
        return explicit
    value = os.environ.get(MAX_ENV, "").strip()
    return parse_size(value) if value else DEFAULT_MAX


def touch(path: Path, st: os.stat_result | None = None) -> None:
    """Mark a cache file used: its access time only (its modification time is checked).
    ``st``: the file's stat, when the caller has just taken it. A cache that cannot be
    marked (read-only) is still used."""
    with contextlib.suppress(OSError):
        mtime = (st or path.stat()).st_mtime_ns
        os.utime(path, ns=(time.time_ns(), mtime))


@dataclass
class Usage:
    root: Path
    bytes: dict[str, int]  # per part of the cache
    entries: dict[str, int]
    cap: int
    last_build: dict | None

    @property
    def total(self) -> int:
        return sum(self.bytes.values())


def _entries(root: Path) -> list[tuple[int, int, list[Path]]]:
    """(last use, bytes, files) of every clip and M4B piece (audio with its record)."""
    found = []
    for part, suffixes in (("clips", (".wav", ".flac")), ("m4b", (".m4a",))):
        for path in (root / part).rglob("*"):
            if path.suffix in suffixes and not path.name.startswith("."):
                files = [path, path.with_suffix(".json")]
                try:
                    st = path.stat()
                except OSError:
                    continue
                size = sum(f.stat().st_size for f in files if f.exists())
                found.append((st.st_atime_ns, size, files))
    return found


def _size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
                count += path.suffix in (".wav", ".flac", ".m4a", ".pickle")
    return total, count


def usage(root: Path) -> Usage:
    sizes, counts = {}, {}
    for part in PARTS:
        sizes[part], counts[part] = _size(root / part)
    return Usage(root, sizes, counts, max_bytes(), _last_build(root))


def _last_build(root: Path) -> dict | None:
    last = None
    with contextlib.suppress(OSError, ValueError):
        last = json.loads((root / LAST_BUILD).read_text(encoding="utf-8"))
    return last if isinstance(last, dict) else None


def prune(
    root: Path, cap: int, keep: set[Path] | frozenset[Path] = frozenset()
) -> tuple[int, int, int]:
    """Remove the least recently used entries until the cache fits ``cap``; never ``keep``.

    Returns (entries removed, bytes freed, bytes left).
    """
    entries = _entries(root)
    total = sum(size for _, size, _ in entries) + _size(root / "frontend")[0]
    removed = freed = 0
    for _, size, files in sorted(entries, key=lambda e: e[0]):
        if total <= cap:
            break
        if files[0] in keep:
            continue
        for path in (files[1], files[0]):  # record first: a WAV without one is no entry
            with contextlib.suppress(OSError):
                path.unlink()
        total -= size
        freed += size
        removed += 1
    return removed, freed, total


def after_build(
    root: Path, book: str, hits: int, misses: int, added: int, cap: int, keep: set[Path]
) -> None:
    """Record the build's hit rate and keep the cache under ``cap``.

    The cache's size is remembered from the last scan, so a build that adds little does
    not stat thousands of files (a no-op rebuild adds nothing): the folder is scanned and
    pruned only when the remembered size plus what this build added passes the cap.
    """
    known = remembered_size(root)
    if known is not None and known + added <= cap:
        total = known + added
    else:
        total = prune(root, cap, keep)[2]
    record_build(root, book, hits, misses, total)


def remembered_size(root: Path) -> int | None:
    """The cache's size in bytes as the last build left it (None: unknown, scan it)."""
    known = (_last_build(root) or {}).get("bytes")
    return known if isinstance(known, int) and not isinstance(known, bool) else None


def clear(root: Path) -> int:
    """Remove everything this tool keeps in ``root``; returns bytes freed."""
    freed = usage(root).total
    for part in PARTS:
        shutil.rmtree(root / part, ignore_errors=True)
    with contextlib.suppress(OSError):
        (root / LAST_BUILD).unlink()
    return freed


def record_build(root: Path, book: str, hits: int, misses: int, total: int) -> None:
    """What the last build found in the cache (for ``audiobook cache``) and its size after."""
    when = time.strftime("%Y-%m-%d %H:%M")
    data = {"book": book, "hits": hits, "misses": misses, "when": when, "bytes": total}
    write_cache_file(root / LAST_BUILD, json.dumps(data).encode("utf-8"))
