"""Output safety: portable file names, atomic writes, the build lock.

A chapter title comes from the manuscript, so it must never steer a path;
a final path only ever appears through ``os.replace`` of a finished file in
the same folder, so an interrupted build leaves no half-written file behind.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from audiobook.errors import InputError, OutputError

MAX_NAME = 120  # characters of a file name, extension included; fits every filesystem
PARTIAL = ".partial-"  # marks a temporary file of ours that is not finished yet
LOCK_NAME = ".audiobook.lock"
# Windows refuses these names whatever the extension.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def safe_stem(title: str, limit: int = MAX_NAME - 16) -> str:
    """A title made into a portable file name part: no separators, dots or reserved names."""
    text = unicodedata.normalize("NFC", title)
    text = _UNSAFE.sub(" ", text)
    # Leading dots would hide the file or climb folders ("../"): dots go between words only.
    text = re.sub(r"\.{2,}", " ", text)
    text = re.sub(r"\s+", " ", text).strip(" .-_")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip(" .-_") or text[:limit]
    if text.lower().split(".")[0] in _RESERVED:
        text = f"_{text}"
    return text


def chapter_file_name(index: int, total: int, title: str, ext: str, taken: set[str]) -> str:
    """``"03 - Title.ext"``, unique (case-insensitively) among ``taken``, which it extends."""
    width = max(2, len(str(total)))
    stem = safe_stem(title)
    base = f"{index:0{width}d} - {stem}" if stem else f"{index:0{width}d}"
    name, n = f"{base}.{ext}", 2
    while name.lower() in taken:
        name, n = f"{base} ({n}).{ext}", n + 1
    taken.add(name.lower())
    return name


_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _token() -> str:
    return secrets.token_hex(6)


def new_partial(final: Path, fix: str = "choose another -o") -> Path:
    """Create a fresh, empty temporary file beside ``final`` and return its path.

    Its name is ``.NAME.partial-PID-RANDOM``: the pid lets a later build remove it once this
    process is gone, the random part means nobody can plant a symlink there in advance, and
    it is created with O_CREAT|O_EXCL|O_NOFOLLOW, so an entry already there (a symlink to
    someone's file) is never opened or followed, only skipped for another name.
    """
    for _ in range(100):
        tmp = final.with_name(f".{final.name}{PARTIAL}{os.getpid()}-{_token()}")
        try:
            os.close(os.open(tmp, _EXCLUSIVE, 0o644))
        except FileExistsError:
            continue
        return tmp
    raise OutputError(f"cannot create a temporary file beside {final}; {fix}")


@contextlib.contextmanager
def atomic_path(final: Path, fix: str = "choose another -o") -> Iterator[Path]:
    """Yield a new temporary file to write; it becomes ``final`` only if the block succeeds.

    ``os.replace`` puts the finished file in place of the *name* ``final``: a symlink
    there is replaced, never written through. ``fix`` ends the error when writing fails:
    most files go to the -o folder, but a cast file or a book.toml goes elsewhere.
    """
    with output_errors(final, fix):
        tmp = new_partial(final, fix)
    try:
        with output_errors(final, fix):
            yield tmp
            os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write(final: Path, data: bytes | str, fix: str = "choose another -o") -> None:
    """Write ``data`` (text as UTF-8) to ``final`` whole or not at all.

    The one writer of every small file this tool makes (manifest, subtitles,
    cast file, previews); any failure is one OutputError saying what to fix.
    """
    folder = final.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {final}: folder {folder} does not exist")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with atomic_path(final, fix) as tmp, open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise OutputError(f"cannot write {final}: {exc.strerror or exc}") from None


def write_cache_file(final: Path, data: bytes) -> None:
    """Best effort, whole or not at all: a file the tool only remembers things in (an index,
    a memo), whose loss makes the next run slower and nothing else. The folder is made if
    needed; any failure is ignored."""
    with contextlib.suppress(OSError, OutputError):
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = new_partial(final)
        try:
            tmp.write_bytes(data)
            os.replace(tmp, final)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def outdir_id(outdir: Path) -> str:
    """A name for what the cache keeps about one output folder (its clip index, its last
    build's record): the folder's resolved path, hashed."""
    path = str(outdir.resolve()).encode("utf-8", "surrogatepass")
    return hashlib.sha256(path).hexdigest()[:24]


def remove_partials(folder: Path) -> None:
    """Remove temporaries a killed build left (only ours: hidden, marked, dead writer)."""
    for path in folder.glob(f".*{PARTIAL}*"):
        pid = path.name.rsplit(PARTIAL, 1)[-1].split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                path.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Dead but not yet reaped (a killed build's worker, until init collects it)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line[stat_line.rindex(")") + 2 :].startswith("Z")


@contextlib.contextmanager
def output_errors(path: Path, fix: str = "choose another -o") -> Iterator[None]:
    """Turn the OS errors of writing into one line that says what to fix."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise OutputError(
                f"disk full while writing {path}; free some space and run again "
                "(finished clips are kept in the cache)"
            ) from exc
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError(f"cannot write {path}: permission denied; {fix}") from exc
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputError(f"cannot write {path}: the path is too long; {fix}") from exc
        if exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT, errno.ELOOP, errno.EISDIR):
            raise OutputError(
                f"cannot write {path}: {exc.filename or path} {exc.strerror.lower()}; {fix}"
                if exc.strerror
                else f"cannot write {path}; {fix}"
            ) from exc
        raise


def read_regular(path: Path, what: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else InputError saying why.

    Opened without blocking (a FIFO would wait for a writer forever) and checked with fstat
    on the open file, so a device (/dev/zero) or a huge file is refused before any read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path} ({exc.strerror})") from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{what} {path} is a folder; give a file")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{what} {path} is not a regular file (a pipe or device); give a file")
        if st.st_size > limit:
            raise InputError(
                f"{what} {path} is {st.st_size / 2**20:.0f} MB, more than the "
                f"{limit / 2**20:.0f} MB allowed; give a smaller file"
            )
        chunks, size = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew while we read
                raise InputError(f"{what} {path} is more than {limit / 2**20:.0f} MB")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read {what} {path} ({exc.strerror})") from exc
    finally:
        os.close(fd)


def prepare_outdir(outdir: Path) -> None:
    """Create the output folder (never emptied) and make sure it is writable."""
    with contextlib.suppress(OSError):
        if outdir.resolve() == Path(outdir.anchor or "/").resolve():
            raise OutputError(
                f"refusing to write a book into {outdir} (the filesystem root); give -o a "
                "folder of its own"
            )
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f"{outdir} is a file, not a folder; choose another -o")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output folder {outdir} ({exc.strerror}); choose another -o"
        ) from exc
    if not os.access(outdir, os.W_OK | os.X_OK):
        raise OutputError(f"output folder {outdir} is not writable; choose another -o")


@contextlib.contextmanager
def build_lock(outdir: Path) -> Iterator[None]:
    """Refuse a second build writing into the same folder at the same time.

    The lock file is opened without following a symlink (one planted there is refused, its
    target untouched) and removed when the build ends. Removing it means another build may
    lock a file that is already unlinked: so after locking, the name must still be the very
    file locked, else the other build holds the folder.
    """
    path = outdir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"{path} is a symbolic link, not this tool's lock; remove it and build again"
            ) from exc
        raise OutputError(f"cannot write to {outdir} ({exc.strerror}); choose another -o") from exc
    locked = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            locked = _same_file(fd, path)
        except BlockingIOError:
            pass
        if not locked:
            raise OutputError(
                f"another build is writing to {outdir}; wait for it or choose another -o"
            )
        yield
    finally:
        if locked:
            with contextlib.suppress(OSError):
                os.unlink(path)  # while still holding it: nobody can have locked this name
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        named, held = os.stat(path, follow_symlinks=False), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)
