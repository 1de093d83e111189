"""Compiled regular expressions kept between builds (``CACHE/frontend/regex-*.pickle``).

Python compiles every regular expression again in every process: ~230 patterns for the front
end, the speech-verb and name alternations of speakers/tags.py the largest, ~0.2 s of every
build before any work (a tenth of a one-paragraph rebuild). ``re`` compiles in two steps, a
parse in Python into a program of integers and ``_sre.compile`` of that program in C; the
program is a function of the pattern, its flags and the Python build alone. This module keeps
the programs of the patterns a build compiled and, in the next build, hands ``_sre.compile``
the kept program instead of parsing the pattern again (~0.005 s for all of them; the file is
~0.7 MB for one book's ~200 patterns, of which the book's own name patterns are ~20).

What it returns is the pattern ``re`` itself would return: ``==`` between two patterns
compares their programs, and the first program made in a process is checked that way
against ``re``'s own before any is kept (another Python whose compiler differs is simply not
helped). The store is per Python build (its version and the regex engine's magic number), a
damaged or foreign file is ignored, and it is only used by a process that asked for it
(``use``): the hook is on ``re``'s compile step for that whole process, as ``re``'s own
cache is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from audiobook.fsutil import write_cache_file

KEEP = 300  # programs kept: this run's (~250) first, then the most recent of others

_compiler: Any = getattr(re, "_compiler", None)  # Python >= 3.11; older: the store is off
_parser: Any = getattr(re, "_parser", None)


class _Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.programs: dict[tuple[str, int], tuple] = {}
        self.used: dict[tuple[str, int], None] = {}  # in the order this run asked for them
        self.added = False
        self.checked = False
        with contextlib.suppress(Exception):
            with open(path, "rb") as fh:
                found = pickle.load(fh)
            if isinstance(found, dict):
                self.programs = found


_store: _Store | None = None
_original: Any = None


FORMAT = 2  # programs as bytes of 32-bit words: unpickled with one copy, not as 10^5 ints


def _tag() -> str:
    magic = getattr(getattr(re, "_constants", None), "MAGIC", "")
    stamp = f"{FORMAT}|{sys.version}|{sys.hexversion}|{magic}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def _program(pattern: str, flags: int) -> tuple:
    """What ``re._compiler.compile`` hands ``_sre.compile`` for ``pattern``."""
    tree = _parser.parse(pattern, flags)
    code = array("I", [int(op) for op in _compiler._code(tree, flags)]).tobytes()
    groupindex = dict(tree.state.groupdict)
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    return (int(flags | tree.state.flags), code, tree.state.groups - 1, groupindex, indexgroup)


def _make(pattern: str, program: tuple) -> re.Pattern:
    flags, code, groups, groupindex, indexgroup = program
    words = array("I", code).tolist()
    return _compiler._sre.compile(pattern, flags, words, groups, groupindex, tuple(indexgroup))


def _compile(pattern: Any, flags: int = 0) -> Any:
    store = _store
    if store is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return _original(pattern, flags)
    key = (pattern, int(flags))
    program = store.programs.get(key)
    if program is not None:
        try:
            compiled = _make(pattern, program)
        except Exception:  # noqa: BLE001 - a damaged entry: compiled afresh below
            store.programs.pop(key, None)
        else:
            store.used[key] = None
            return compiled
    try:
        program = _program(pattern, flags)
        compiled = _make(pattern, program)
    except Exception:  # noqa: BLE001 - re's own error for a bad pattern, from re itself
        return _original(pattern, flags)
    if not store.checked:
        store.checked = True
        if compiled != _original(pattern, flags):  # this Python compiles otherwise: off
            stop()
            return _original(pattern, flags)
    store.programs[key] = program
    store.used[key] = None
    store.added = True
    return compiled


@contextlib.contextmanager
def kept(folder: Path | None) -> Iterator[None]:
    """Compile through the store in ``folder`` while the block runs (None: as ``re`` does);
    what was new is kept when the block succeeds (a failed run leaves the cache as it was)."""
    if folder is None:
        yield
        return
    use(folder)
    try:
        yield
        save()
    finally:
        stop()


def use(folder: Path) -> None:
    """Compile through the store kept in ``folder`` for the rest of this process."""
    global _store, _original
    if _compiler is None or _parser is None or not hasattr(_compiler, "_code"):
        return
    if array("I").itemsize != 4 or getattr(_compiler, "_sre", None) is None:
        return  # regex programs are 32-bit words: this Python is not helped
    _store = _Store(folder / f"regex-{_tag()}.pickle")
    if _original is None:
        _original = _compiler.compile
        _compiler.compile = _compile


def stop() -> None:
    """Compile as ``re`` does again (the store is forgotten, not saved)."""
    global _store, _original
    _store = None
    if _original is not None:
        _compiler.compile = _original
        _original = None


def save() -> None:
    """Keep what this run compiled, most recently used first, at most KEEP programs."""
    store = _store
    if store is None or not store.added:
        return
    keys = [*store.used, *(k for k in store.programs if k not in store.used)][:KEEP]
    kept = {k: store.programs[k] for k in keys}
    with contextlib.suppress(OSError):  # not glob: its pattern would be compiled here
        for name in os.listdir(store.path.parent):
            if name.startswith("regex-") and name != store.path.name:
                with contextlib.suppress(OSError):
                    (store.path.parent / name).unlink()  # another Python's or format's
    write_cache_file(store.path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
    store.added = False
