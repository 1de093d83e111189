"""Mono 16-bit FLAC files through libsndfile's C API, called with ctypes.

The same library and calls as ``soundfile`` (``sf_open``, ``sf_readf_short``,
``sf_writef_short``, the compression level set by ``sf_command``), so the files are the
same bytes; but ``soundfile`` imports numpy (~0.15 s per process) for its arrays, and a
clip is only ever bytes of PCM here: a one-paragraph rebuild reads and writes a few clips
and would spend more on that import than on the audio. The library is the one soundfile
loads: its wheel's own copy first, else the system's.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

SFM_READ, SFM_WRITE = 0x10, 0x20
SF_FORMAT_FLAC, SF_FORMAT_PCM_16, SF_FORMAT_SUBMASK = 0x170000, 0x0002, 0x0000FFFF
SFC_SET_CLIPPING, SFC_SET_COMPRESSION_LEVEL = 0x10C0, 0x1301
SF_TRUE = 1


class FlacError(RuntimeError):
    """libsndfile could not open, read or write the file."""


class _Info(ctypes.Structure):
    _fields_ = [
        ("frames", ctypes.c_int64),
        ("samplerate", ctypes.c_int),
        ("channels", ctypes.c_int),
        ("format", ctypes.c_int),
        ("sections", ctypes.c_int),
        ("seekable", ctypes.c_int),
    ]


_lib: ctypes.CDLL | None = None


def _packaged_name() -> str | None:
    """The file name soundfile's wheel gives its libsndfile on this platform."""
    if sys.platform == "win32":
        import sysconfig

        names = {"win-arm64": "arm64", "win-amd64": "x64", "win32": "x86"}
        arch = names.get(sysconfig.get_platform())
        return f"libsndfile_{arch}.dll" if arch else None
    machine = os.uname().machine
    if sys.platform == "darwin":
        return f"libsndfile_{machine}.dylib"
    if sys.platform == "linux":
        arm = machine in ("aarch64", "aarch64_be", "armv8b", "armv8l")
        return "libsndfile_arm64.so" if arm else f"libsndfile_{machine}.so"
    return None


def _candidates() -> Iterator[str]:
    """The wheel's own copy, else the system's (asked only then: find_library runs ldconfig)."""
    import importlib.util

    spec = importlib.util.find_spec("_soundfile_data")
    name = _packaged_name()
    if spec is not None and spec.submodule_search_locations and name:
        yield from (str(Path(p) / name) for p in spec.submodule_search_locations)
    from ctypes.util import find_library

    system = find_library("sndfile")
    if system:
        yield system
    yield {"darwin": "libsndfile.dylib", "win32": "libsndfile.dll"}.get(
        sys.platform, "libsndfile.so"
    )


def library() -> ctypes.CDLL:
    global _lib
    if _lib is not None:
        return _lib
    for path in _candidates():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        lib.sf_open.restype = ctypes.c_void_p
        lib.sf_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(_Info)]
        lib.sf_close.argtypes = [ctypes.c_void_p]
        lib.sf_error.argtypes = [ctypes.c_void_p]
        lib.sf_strerror.restype = ctypes.c_char_p
        lib.sf_strerror.argtypes = [ctypes.c_void_p]
        lib.sf_command.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        for name in ("sf_readf_short", "sf_writef_short"):
            func = getattr(lib, name)
            func.restype = ctypes.c_int64
            func.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int64]
        lib.sf_write_sync.argtypes = [ctypes.c_void_p]
        lib.sf_error_number.restype = ctypes.c_char_p
        lib.sf_error_number.argtypes = [ctypes.c_int]
        _lib = lib
        return lib
    raise FlacError("libsndfile not found: reinstall the soundfile package")


def _open(path: Path, mode: int, info: _Info) -> tuple[ctypes.CDLL, int]:
    lib = library()
    handle = lib.sf_open(os.fsencode(path), mode, ctypes.byref(info))
    if not handle:
        raise FlacError(f"Error opening {str(path)!r}: {lib.sf_strerror(None).decode()}")
    return lib, handle


class Audio(NamedTuple):
    rate: int
    channels: int
    pcm16: bool  # stored as 16-bit PCM
    frames: int  # as the file's header says
    pcm: bytes  # the frames read, 16-bit (empty unless mono 16-bit)


def read(path: Path) -> Audio:
    """The samples of a mono 16-bit audio file (FLAC, or any format libsndfile reads)."""
    info = _Info()
    lib, handle = _open(path, SFM_READ, info)
    try:
        pcm16 = info.format & SF_FORMAT_SUBMASK == SF_FORMAT_PCM_16
        if info.channels != 1 or not pcm16:
            return Audio(info.samplerate, info.channels, pcm16, info.frames, b"")
        buffer = ctypes.create_string_buffer(info.frames * 2)
        got = lib.sf_readf_short(handle, buffer, info.frames)
        if lib.sf_error(handle):
            raise FlacError(lib.sf_strerror(handle).decode())
        return Audio(info.samplerate, 1, True, info.frames, buffer.raw[: got * 2])
    finally:
        lib.sf_close(handle)


def write(path: Path, rate: int, pcm: bytes, level: float = 1.0) -> None:
    """Mono 16-bit ``pcm`` as a FLAC file, as ``soundfile.write(..., format="FLAC",
    subtype="PCM_16", compression_level=level)`` writes it."""
    if path.is_file():
        os.truncate(path, 0)  # soundfile truncates too: SFM_WRITE may not
    info = _Info(0, rate, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 0, 0)
    lib, handle = _open(path, SFM_WRITE, info)
    try:
        lib.sf_command(handle, SFC_SET_CLIPPING, None, SF_TRUE)
        level_c = ctypes.c_double(level)
        if (
            lib.sf_command(
                handle, SFC_SET_COMPRESSION_LEVEL, ctypes.byref(level_c), ctypes.sizeof(level_c)
            )
            != SF_TRUE
        ):
            raise FlacError(f"cannot set FLAC compression level {level}")
        frames = len(pcm) // 2
        if lib.sf_writef_short(handle, pcm, frames) != frames or lib.sf_error(handle):
            raise FlacError(f"Error writing {str(path)!r}: {lib.sf_strerror(handle).decode()}")
        lib.sf_write_sync(handle)
    finally:
        closed = lib.sf_close(handle)
    if closed:  # the last frames are encoded and written on close
        raise FlacError(f"Error writing {str(path)!r}: {lib.sf_error_number(closed).decode()}")
