"""OUTDIR/manifest.json: what was built, where every segment sits in which file.

Besides the contract fields, each entry keeps the fingerprint of its audio
and of its tags, and the book keeps its voice gains: the next build compares
them to skip chapters that did not change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from audiobook.audio.assemble import Part
from audiobook.fsutil import atomic_write
from audiobook.model import ChapterScript

NAME = "manifest.json"
VERSION = 1


def segment_rows(
    part: Part, chapter: ChapterScript, block_starts: list[float]
) -> list[dict[str, Any]]:
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
                {
                    "start_ms": start,
                    "end_ms": max(end, start + (1 if piece.frames else 0)),
                    "kind": seg.kind,
                    "speaker": seg.speaker,
                    "language": seg.language,
                    "voice": seg.voice,
                    "text": seg.text,
                    "source": chapter.chapter.source,
                    "start": seg.start,
                    "end": seg.end,
                }
            )
    return rows


def load(outdir: Path) -> dict[str, Any]:
    """The previous build's manifest, or an empty one when absent or unreadable."""
    try:
        data = json.loads((outdir / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"chapters": []}
    if not isinstance(data, dict) or not isinstance(data.get("chapters"), list):
        return {"chapters": []}
    return data


def write(outdir: Path, manifest: dict[str, Any]) -> Path:
    path = outdir / NAME
    atomic_write(path, json.dumps({"version": VERSION, **manifest}, ensure_ascii=False, indent=1))
    return path


def remove_stale(outdir: Path, old: dict, keep: set[str]) -> None:
    """Files the previous build wrote and this one does not: removed, nothing else is."""
    names = {e.get("file") for e in old.get("chapters", [])}
    for name in names:
        if (
            isinstance(name, str)
            and name == Path(name).name
            and name not in keep
            and not name.startswith(".")
        ):
            for path in (
                outdir / name,
                *(outdir / f"{Path(name).stem}.{k}" for k in ("srt", "vtt")),
            ):
                if path.is_file() and path.name not in keep:
                    path.unlink()
