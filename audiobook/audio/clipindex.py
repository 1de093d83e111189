"""The clip records one output folder's last build used, in one file: a rebuild reads one
pickle instead of a JSON record per clip (15,000 of them for a whole novel).

An entry only saves reading and re-checking the clip's record: the clip's FLAC must
still have the size and modification time the record was written with (one ``stat``
per clip, as ``ClipCache.get`` does), and its samples are checked against their
SHA-256 when they are streamed, as always. Anything else (no entry, another file, a
damaged index) goes through ``ClipCache.get``. The files sit in ``CACHE/frontend/``,
one per output folder, the most recently used KEEP of them kept.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import time
from pathlib import Path

from audiobook.audio.cache import FORMAT, ClipAudio, ClipCache
from audiobook.audio.cachedir import touch
from audiobook.fsutil import outdir_id, write_cache_file

KEEP = 8
# A clip used within the last day is not marked used again: a day is fine grain for a cache
# pruned by weeks of disuse, and a rebuild of a whole novel saves 7,000 utime calls.
TOUCH_AFTER_NS = 86_400 * 10**9
_Record = tuple[
    int, int, float, float, str, int, int
]  # frames, rate, sumsq, peak, sha, size, mtime


def index_path(folder: Path, outdir: Path) -> Path:
    """The index of the clips ``outdir``'s last build used."""
    return folder / f"clips-{outdir_id(outdir)}.pickle"


class ClipIndex:
    def __init__(self, cache: ClipCache, folder: Path, outdir: Path) -> None:
        self.cache = cache
        self.folder = folder
        self.path = index_path(folder, outdir)
        self.stamp = (FORMAT, cache.engine, cache.engine_version)
        self.records: dict[str, _Record] = {}
        self.used: set[str] = set()
        self.added = False
        with contextlib.suppress(Exception):  # missing or damaged: every clip the slow way
            with open(self.path, "rb") as fh:
                found = pickle.load(fh)
            if isinstance(found, dict) and found.get("stamp") == self.stamp:
                records = found.get("records")
                if isinstance(records, dict):
                    self.records = records

    def get(self, key: str) -> ClipAudio | None:
        """``cache.get(key)``, from the index when the clip's file is the one it recorded."""
        self.used.add(key)
        record = self.records.get(key)
        if record is not None:
            path = self._unchanged(key, record, time.time_ns())
            if path is not None:
                return ClipAudio(Path(path), *record[:5])
        found = self.cache.get(key)
        if found is not None:
            self.remember(key, found)
        return found

    def all_unchanged(self) -> bool:
        """Every indexed clip's file is still the one recorded (one ``stat`` each, no record
        read)."""
        now = time.time_ns()
        return all(self._unchanged(k, r, now) is not None for k, r in self.records.items())

    def _unchanged(self, key: str, record: _Record, now: int) -> str | None:
        """The clip's file when it has the size and time recorded; marked used (for the
        cache's least-recently-used pruning) unless it was within TOUCH_AFTER_NS."""
        path = self.cache.clip_file(key)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if (st.st_size, st.st_mtime_ns) != record[5:]:
            return None
        if now - st.st_atime_ns > TOUCH_AFTER_NS:
            touch(Path(path), st)
        return path

    def remember(self, key: str, audio: ClipAudio) -> None:
        """Index a clip the cache verified (or just stored)."""
        if audio.path.suffix != ".flac":
            return  # a WAV from an older cache: read through its record until re-stored
        with contextlib.suppress(OSError):
            st = os.stat(audio.path)
            self.records[key] = (
                audio.frames,
                audio.rate,
                audio.sumsq,
                audio.peak,
                audio.sha256,
                st.st_size,
                st.st_mtime_ns,
            )
            self.used.add(key)
            self.added = True

    def save(self) -> None:
        """Write the records this build used (best effort: without it the next is slower)."""
        records = {k: r for k, r in self.records.items() if k in self.used}
        if not self.added and len(records) == len(self.records):
            return
        found = {"stamp": self.stamp, "records": records}
        write_cache_file(self.path, pickle.dumps(found, pickle.HIGHEST_PROTOCOL))
        with contextlib.suppress(OSError):
            others = sorted(
                self.folder.glob("clips-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
            )
            for old in others[KEEP:]:
                old.unlink()
