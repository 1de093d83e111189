"""The manuscript half's results kept between builds, by content (``CACHE/frontend/``).

Two levels, both keyed by everything they depend on, so a hit is always what a fresh
run would compute:

- the whole ``prepare`` result (script, roster, cast) for the exact same input: the
  texts and their paths, the cast file's bytes, encoding, engine and its version, the
  voice folders, and a stamp of this package's source files. A rebuild with nothing
  changed skips quotes, roster, attribution and language detection altogether;
- the language of each segment that needed a second look, by its text and what the
  detector was allowed to weigh: after a one-paragraph edit only new spans are weighed,
  and lingua (about 1.5 s and 190 MB to load) is not loaded when every span is known.

Entries are pickles written by this program into the user's own cache; a damaged or
foreign entry is ignored and rebuilt. Writes are atomic (temporary file, then rename).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from audiobook.fsutil import write_cache_file

FORMAT = 1
KEEP_RESULTS = 8  # whole-prepare entries kept (most recent first); each is a few MB
SPOKEN_MAX = 200_000  # normalised segment texts kept (~40 MB); past it, only the last book's


def code_stamp() -> str:
    """Changes whenever a source file of the package does (a new version, an edit)."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(str(FORMAT).encode())
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return h.hexdigest()


def _digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:40]


class _Recalled(dict[tuple[str, str], str]):
    """A dict that remembers which keys were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


class FrontCache:
    def __init__(self, root: Path):
        self.dir = root / "frontend"
        self.stamp = code_stamp()
        self._languages: dict[str, str] | None = None
        self._languages_added = False
        self._spoken: _Recalled | None = None
        self._spoken_size = 0

    # --- whole results -------------------------------------------------------------------
    def key(self, documents, cast_bytes: bytes | None, encoding, engine: str, version: str) -> str:
        voices = sorted((k, v) for k, v in os.environ.items() if k.startswith("AUDIOBOOK_"))
        texts = [(d.path, hashlib.sha256(d.text.encode("utf-8", "surrogatepass")).hexdigest())
                 for d in documents]  # fmt: skip
        cast_hash = hashlib.sha256(cast_bytes).hexdigest() if cast_bytes is not None else None
        return _digest(self.stamp, texts, cast_hash, encoding, engine, version, voices)

    def load(self, key: str) -> Any | None:
        path = self.dir / f"prepared-{key}.pickle"
        try:
            with open(path, "rb") as fh:
                found = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        except Exception:  # noqa: BLE001 - any damaged pickle is a miss, never a failure
            return None
        if not (isinstance(found, dict) and found.get("key") == key):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # most recently used
        return found.get("value")

    def has(self, key: str) -> bool:
        """Whether a whole result is kept for ``key`` (without reading it)."""
        try:  # is_file() raises for a name too long: the cache's own check says what to fix
            return (self.dir / f"prepared-{key}.pickle").is_file()
        except OSError:
            return False

    def touch(self, key: str | None) -> None:
        """Mark a whole result used without reading it (a build found up to date)."""
        with contextlib.suppress(OSError):
            os.utime(self.dir / f"prepared-{key}.pickle")

    def store(self, key: str, value: Any) -> None:
        self._write(self.dir / f"prepared-{key}.pickle", {"key": key, "value": value})
        try:  # a cache folder that cannot be listed is the clip cache's error to report
            entries = sorted(
                self.dir.glob("prepared-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True
            )
        except OSError:
            return
        for old in entries[KEEP_RESULTS:]:
            with contextlib.suppress(OSError):
                old.unlink()

    # --- languages of segments -----------------------------------------------------------
    def _language_path(self) -> Path:
        return self.dir / f"languages-{self.stamp[:16]}.pickle"

    def languages(self) -> dict[str, str]:
        """Span key -> language, shared by every book (loaded once)."""
        if self._languages is None:
            self._languages = {}
            with contextlib.suppress(Exception):
                with open(self._language_path(), "rb") as fh:
                    found = pickle.load(fh)
                if isinstance(found, dict):
                    self._languages = found
        return self._languages

    @staticmethod
    def span_key(text: str, main: str, weighed: set[str], candidates: set[str]) -> str:
        return _digest(text, main, sorted(weighed), sorted(candidates))

    def remember_language(self, key: str, language: str) -> None:
        self.languages()[key] = language
        self._languages_added = True

    # --- spoken texts of clips ----------------------------------------------------------
    def _spoken_path(self) -> Path:
        return self.dir / f"spoken-{self.stamp[:16]}.pickle"

    def spoken(self) -> _Recalled:
        """(text, language) -> the text as the engine is given it (text/normalize.py):
        a rebuild normalises only the segments it has not seen."""
        if self._spoken is None:
            self._spoken = _Recalled()
            with contextlib.suppress(Exception):
                with open(self._spoken_path(), "rb") as fh:
                    found = pickle.load(fh)
                if isinstance(found, dict):
                    self._spoken.update(found)
            self._spoken_size = len(self._spoken)
        return self._spoken

    def save_spoken(self) -> None:
        """Keep what was added; past the cap, only what this run asked for (this book)."""
        recalled = self._spoken
        if recalled is None or len(recalled) == self._spoken_size:
            return
        spoken = dict(recalled)
        if len(spoken) > SPOKEN_MAX:
            spoken = {k: v for k, v in spoken.items() if k in recalled.asked}
        for stale in self.dir.glob("spoken-*.pickle"):
            if stale != self._spoken_path():
                with contextlib.suppress(OSError):
                    stale.unlink()  # written by another version of the code
        self._write(self._spoken_path(), spoken)
        self._spoken_size = len(spoken)

    def save(self) -> None:
        if self._languages_added and self._languages is not None:
            for stale in self.dir.glob("languages-*.pickle"):
                if stale != self._language_path():
                    with contextlib.suppress(OSError):
                        stale.unlink()  # written by another version of the code
            self._write(self._language_path(), self._languages)
            self._languages_added = False

    def _write(self, path: Path, value: Any) -> None:
        write_cache_file(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
