"""Manuscript files in, decoded Documents out.

Offsets in `script --json` and the manifest index the file as decoded with
plain UTF-8, so ``Document.text`` is exactly that decoding: a UTF-8 byte
order mark stays in the text as U+FEFF at index 0 (later stages skip it as
they skip whitespace) and CRLF line ends are kept. Anything else would shift
every offset by one for a consumer that reads the file with ``encoding="utf-8"``.

A file that is not UTF-8 and has no BOM is refused with a hint to pass
``--encoding``: cp1252, latin-1 and the other 8-bit code pages decode every
byte sequence, so there is no reliable way to tell which one the author used.
UTF-16 is the exception: its NUL pattern identifies it, with or without BOM.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from audiobook.errors import InputError, warn
from audiobook.model import Document

# Share of bytes that are control codes above which a file is not text.
_BINARY_SHARE = 0.10
_SNIFF = 65536
# The longest novels are a few MB of text; more is a video or a disk image named .txt.
_MAX_BYTES = 200 * 2**20
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a\x1b")
_SUFFIXES = (".txt", ".md", ".markdown")


def read_inputs(paths: list[Path], encoding: str | None = None) -> list[Document]:
    """Every manuscript file named by ``paths``, folders expanded, in order."""
    if not paths:
        raise InputError("no input given: name a .txt file or a folder of .txt files")
    if encoding is not None:
        _check_encoding(encoding)
    documents: list[Document] = []
    seen: set[Path] = set()
    for path in paths:
        for file in _expand(Path(path)):
            # "book/ book/ch1.txt" or a folder named twice: each chapter is read once, or the
            # book would hold it twice over.
            if (real := file.resolve()) in seen:
                warn(f"{file} is named more than once; read once")
                continue
            seen.add(real)
            documents.append(Document(str(file), _decode_file(file, encoding)))
    return documents


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}: use a Python codec name such as utf-8, cp1252 or "
            "latin-1"
        ) from None
    # rot13, base64, zlib... are codecs Python knows, but not for text.
    if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):
        raise InputError(
            f"{encoding!r} is not a text encoding: use one such as utf-8, cp1252 or latin-1"
        )


def _expand(path: Path) -> list[Path]:
    if not path.exists():
        if path.is_symlink():
            raise InputError(
                f"{path} is a broken (or looping) symbolic link: check where it points"
            )
        raise InputError(f"{path} does not exist: check the path")
    if not path.is_dir():
        # A device or a pipe (/dev/zero, a FIFO) would be read forever.
        if not path.is_file():
            raise InputError(f"{path} is not a regular file: give a .txt file or a folder of them")
        return [path]
    try:
        named = [p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES]
    except OSError as exc:
        raise InputError(f"cannot list folder {path}: {exc.strerror or exc}") from None
    files = [p for p in named if p.is_file()]
    for skipped in sorted(p for p in set(named) - set(files) if not p.is_dir()):
        broken = skipped.is_symlink() and not skipped.exists()
        what = "a broken symbolic link" if broken else "not a regular file"
        warn(f"{skipped} is {what}; left out of the book")
    if not files:
        raise InputError(
            f"folder {path} has no .txt or .md files: put the manuscript there as .txt files"
        )
    return sorted(files, key=lambda p: p.name)


def _decode_file(path: Path, encoding: str | None) -> str:
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise InputError(
                f"{path} is {size // 2**20} MB, too large for a manuscript: check the path, "
                "or split the book into several .txt files in a folder"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return decode_bytes(path, data, encoding)


def decode_bytes(path: Path | str, data: bytes, encoding: str | None = None) -> str:
    """The text of a manuscript's bytes (a file, or standard input named `-`)."""
    if encoding is not None:
        _check_encoding(encoding)
    if len(data) > _MAX_BYTES:
        raise InputError(f"{path} is {len(data) // 2**20} MB, too large for a manuscript")
    text = _decode(Path(path), data, encoding)
    # U+FEFF is a BOM or a zero-width no-break space: neither is text.
    if not any(ch.isalnum() for ch in text.replace("\ufeff", "")):
        raise InputError(f"{path} has no text: give a file with the manuscript's words in it")
    return text


def _decode(path: Path, data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path} is not valid {encoding} (byte {exc.start}): check the --encoding value"
            ) from None
        except (UnicodeError, ValueError) as exc:  # codecs such as punycode, undefined
            raise InputError(
                f"{path} cannot be decoded as {encoding} ({exc}): check the --encoding value"
            ) from None
        # A BOM of the named encoding is not part of the text.
        return (
            text[1:]
            if text.startswith("\ufeff") and encoding.lower() not in ("utf-8", "utf8")
            else text
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(
        codecs.BOM_UTF32_LE
    ):
        return _strict(path, data, "utf-16")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _strict(path, data, "utf-32")
    bare16 = _utf16_without_bom(data)
    if bare16:
        return _strict(path, data, bare16)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _looks_binary(data):
            raise InputError(
                f"{path} is a binary file, not text: give a plain .txt manuscript"
            ) from None
        raise InputError(
            f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}): "
            "if it was saved by Windows or an old editor, pass --encoding cp1252"
        ) from None
    if _looks_binary(data):
        raise InputError(f"{path} is a binary file, not text: give a plain .txt manuscript")
    return text


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(
            f"{path} looks like {encoding.upper()} but is damaged: re-save it as UTF-8"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as ASCII-range UTF-16 is."""
    sample = data[:_SNIFF]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) > 0.9 * half and even.count(0) < 0.1 * half:
        return "utf-16-le"
    if even.count(0) > 0.9 * half and odd.count(0) < 0.1 * half:
        return "utf-16-be"
    return None


def _looks_binary(data: bytes) -> bool:
    sample = data[:_SNIFF]
    controls = sum(1 for b in sample if (b < 32 or b == 127) and b not in _TEXT_CONTROLS)
    return controls > _BINARY_SHARE * len(sample)
