"""OUTDIR/manifest.json: what was built, where every segment sits in which file.

Besides the contract fields, each entry keeps the fingerprint of its audio
and of its tags, and the book keeps its voice gains: the next build compares
them to skip chapters that did not change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .assemble import Part
from .fsutil import atomic_write
from .model import ChapterScript

NAME = "manifest.json"
VERSION = 1


def segment_rows(part: Part, chapter: ChapterScript, offset_ms: int = 0) -> list[dict[str, Any]]:
    """The contract's segment rows for one part, times in ms from the start of its file."""
    rows = []
    for piece in part.pieces:
        seg = chapter.segments[piece.segment]
        start = offset_ms + round(piece.start * 1000 / part.rate)
        end = offset_ms + round((piece.start + piece.frames) * 1000 / part.rate)
        rows.append({
            "start_ms": start, "end_ms": max(end, start + (1 if piece.frames else 0)),
            "kind": seg.kind, "speaker": seg.speaker, "language": seg.language,
            "voice": seg.voice, "text": seg.text,
            "source": chapter.chapter.source, "start": seg.start, "end": seg.end,
        })
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
