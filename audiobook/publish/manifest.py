"""OUTDIR/manifest.json: what was built, where every segment sits in which file.

The one place the manifest is written and read, as a typed model. Besides
the contract fields, each entry keeps the fingerprint of its audio and of
its tags, and the book keeps its voice gains: the next build compares them
to skip chapters that did not change. Reading is forgiving: a manifest that
is missing, unreadable or from another version is an empty one, and an
entry that does not parse is dropped (its file is then simply rebuilt).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audiobook.audio.assemble import Part
from audiobook.fsutil import atomic_write
from audiobook.model import ChapterScript

NAME = "manifest.json"
VERSION = 1


@dataclass(frozen=True)
class SegmentRow:
    """One segment of the script, placed in its file (the contract's row)."""

    start_ms: int
    end_ms: int
    kind: str
    speaker: str | None
    language: str
    voice: str | None
    text: str
    source: str
    start: int  # offsets in the source file, as decoded
    end: int


@dataclass(frozen=True)
class BlockEntry:
    """An MP3 block as written: where its frames sit in the file, after the ID3 tag."""

    fingerprint: str
    offset: int
    bytes: int
    samples: int


@dataclass
class ChapterEntry:
    file: str
    title: str
    duration: float
    segments: list[SegmentRow]
    fingerprint: str
    start_ms: int | None = None  # M4B: where the chapter starts in the book
    # MP3 only: what the next build needs to keep the file or copy its blocks.
    tags_fingerprint: str | None = None
    gain: float | None = None
    stat: list[int] | None = None  # size and mtime (ns) of the file as written
    blocks: list[BlockEntry] | None = None


@dataclass(frozen=True)
class OwnedFile:
    name: str
    stat: list[int]  # size and mtime (ns) as written


@dataclass
class Manifest:
    title: str = ""
    author: str = ""
    format: str = ""
    profile: str = ""
    engine: str = ""
    engine_version: str = ""
    voice_gains: dict[str, float] = field(default_factory=dict)
    chapters: list[ChapterEntry] = field(default_factory=list)
    # M4B only: the one book file and what it was made of.
    book_file: str | None = None
    book_fingerprint: str | None = None
    book_sha256: str | None = None
    # Ownership (publish/ownership.py): the mark of this tool, the files it wrote with their
    # size and mtime, and the names a build is writing (a killed build's are still ours).
    tool: str = ""
    tool_version: str = ""
    files: list[OwnedFile] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def entry(self, name: str) -> ChapterEntry | None:
        return next((e for e in self.chapters if e.file == name), None)


def segment_rows(part: Part, chapter: ChapterScript, block_starts: list[float]) -> list[SegmentRow]:
    """The contract's segment rows for one part.

    ``block_starts[k]`` is the time in its file (seconds) at which block k's
    first sample is heard; a segment's time follows from its place in its block.
    """
    rows = []
    for block, begins in zip(part.blocks, block_starts, strict=False):
        for piece in part.pieces[block.first : block.last]:
            seg = chapter.segments[piece.segment]
            start = round((begins + (piece.start - block.start) / part.rate) * 1000)
            end = round((begins + (piece.start + piece.frames - block.start) / part.rate) * 1000)
            rows.append(
                SegmentRow(
                    start,
                    max(end, start + (1 if piece.frames else 0)),
                    seg.kind,
                    seg.speaker,
                    seg.language,
                    seg.voice,
                    seg.text,
                    # A chapter's next EPUB file, or the generated credits ("credits:opening",
                    # offsets into the credit's own text): the segment's own source.
                    seg.source or chapter.chapter.source,
                    seg.start,
                    seg.end,
                )
            )
    return rows


def to_json(manifest: Manifest) -> dict[str, Any]:
    """The manifest as written: contract fields first, book fields only for an M4B."""
    book = {
        k: v
        for k, v in (
            ("book_file", manifest.book_file),
            ("book_fingerprint", manifest.book_fingerprint),
            ("book_sha256", manifest.book_sha256),
        )
        if v is not None
    }
    return {
        "version": VERSION,
        "title": manifest.title,
        "author": manifest.author,
        "format": manifest.format,
        "profile": manifest.profile,
        "engine": manifest.engine,
        "engine_version": manifest.engine_version,
        "voice_gains": manifest.voice_gains,
        **book,
        "chapters": [_entry_json(e) for e in manifest.chapters],
        "tool": manifest.tool,
        "tool_version": manifest.tool_version,
        "files": [vars(f) for f in manifest.files],
        **({"pending": manifest.pending} if manifest.pending else {}),
    }


def _entry_json(entry: ChapterEntry) -> dict[str, Any]:
    out: dict[str, Any] = {
        "file": entry.file,
        "title": entry.title,
        "duration": entry.duration,
        "segments": [vars(row) for row in entry.segments],
        "fingerprint": entry.fingerprint,
    }
    if entry.start_ms is not None:
        out["start_ms"] = entry.start_ms
    if entry.blocks is not None:
        out.update(
            tags_fingerprint=entry.tags_fingerprint,
            gain=entry.gain,
            stat=entry.stat,
            blocks=[vars(b) for b in entry.blocks],
        )
    return out


def from_json(data: object) -> Manifest:
    """A manifest from its JSON; anything unusable in it is left out."""
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        return Manifest()
    gains = data.get("voice_gains")
    return Manifest(
        title=_str(data.get("title")),
        author=_str(data.get("author")),
        format=_str(data.get("format")),
        profile=_str(data.get("profile")),
        engine=_str(data.get("engine")),
        engine_version=_str(data.get("engine_version")),
        voice_gains={
            k: float(v)
            for k, v in (gains.items() if isinstance(gains, dict) else ())
            if _positive(v)
        },
        chapters=[e for e in map(_entry, data["chapters"]) if e is not None],
        book_file=_opt_str(data.get("book_file")),
        book_fingerprint=_opt_str(data.get("book_fingerprint")),
        book_sha256=_opt_str(data.get("book_sha256")),
        tool=_str(data.get("tool")),
        tool_version=_str(data.get("tool_version")),
        files=[f for f in map(_owned, _list(data.get("files"))) if f is not None],
        pending=[n for n in _list(data.get("pending")) if _plain_name(n)],
    )


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _positive(value: object) -> bool:
    """A finite number above zero (a gain): never a bool, NaN or infinity."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _plain_name(name: object) -> bool:
    """A file of the output folder itself: no path, not hidden, not the manifest."""
    return (
        isinstance(name, str)
        and name == Path(name).name
        and name not in ("", ".", "..", NAME)
        and not name.startswith(".")
    )


def _owned(raw: object) -> OwnedFile | None:
    if not isinstance(raw, dict) or not _plain_name(raw.get("name")):
        return None
    stat = raw.get("stat")
    if not (
        isinstance(stat, list)
        and len(stat) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in stat)
    ):
        return None
    return OwnedFile(raw["name"], stat)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _entry(raw: object) -> ChapterEntry | None:
    """One chapter entry; None when it does not parse, or names anything but a plain file."""
    if not isinstance(raw, dict):
        return None
    name = raw.get("file")
    if not isinstance(name, str) or not name or name != Path(name).name:
        return None  # a manifest never steers a path outside its folder
    try:
        blocks = raw.get("blocks")
        stat = raw.get("stat")
        return ChapterEntry(
            file=name,
            title=_str(raw.get("title")),
            duration=float(raw.get("duration") or 0.0),
            segments=[SegmentRow(**row) for row in raw.get("segments") or []],
            fingerprint=_str(raw.get("fingerprint")),
            start_ms=raw.get("start_ms"),
            tags_fingerprint=_opt_str(raw.get("tags_fingerprint")),
            gain=float(raw["gain"]) if _positive(raw.get("gain")) else None,
            stat=[int(v) for v in stat] if isinstance(stat, list) else None,
            blocks=[
                BlockEntry(
                    str(b["fingerprint"]), int(b["offset"]), int(b["bytes"]), int(b["samples"])
                )
                for b in blocks
            ]
            if isinstance(blocks, list)
            else None,
        )
    except (KeyError, TypeError, ValueError):
        return None


def load(outdir: Path) -> Manifest:
    """The previous build's manifest, or an empty one when absent or unreadable."""
    try:
        return from_json(json.loads((outdir / NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return Manifest()


def write(outdir: Path, manifest: Manifest) -> Path:
    """Write the manifest, unless the file already says exactly this (a no-op rebuild)."""
    path = outdir / NAME
    text = dumps(to_json(manifest))
    try:
        same = path.read_bytes() == text.encode("utf-8")
    except OSError:
        same = False
    if not same:
        atomic_write(path, text)
    return path


def dumps(data: dict[str, Any]) -> str:
    """The manifest's JSON, one segment per line.

    ``json.dumps(indent=...)`` runs json's pure-Python encoder, ten times slower than
    the C one that writes each line here: a whole novel's manifest is ~15,000 segments.
    """

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = [f" {one(k)}: {one(v)}" for k, v in data.items() if k != "chapters"]
    chapters = []
    for entry in data.get("chapters", []):
        rest = {k: v for k, v in entry.items() if k != "segments"}
        rows = ",\n   ".join(one(row) for row in entry.get("segments", []))
        opening = one(rest)[:-1] + (", " if rest else "")
        chapters.append(f'  {opening}"segments": [\n   {rows}\n  ]}}')
    head.append(' "chapters": [\n' + ",\n".join(chapters) + "\n ]")
    return "{\n" + ",\n".join(head) + "\n}\n"
