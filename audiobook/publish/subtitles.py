"""SRT / WebVTT subtitles from manifest entries.

A long segment would fill the screen, so it is cut into cues of at most
``MAX_CUE`` characters at sentence ends, each given a share of the
segment's time in proportion to its length (the voice speaks at an even rate).
"""

from __future__ import annotations

from pathlib import Path

from audiobook.fsutil import atomic_write
from audiobook.publish.manifest import ChapterEntry, SegmentRow
from audiobook.text.pieces import split_text

MAX_CUE = 84  # two subtitle lines of 42 characters


def cues(segments: list[SegmentRow]) -> list[tuple[int, int, str]]:
    """(start_ms, end_ms, text) for the segments of a file."""
    out = []
    for seg in segments:
        pieces = _pieces(" ".join(seg.text.split()))
        total = sum(len(p) for p in pieces) or 1
        start, span = seg.start_ms, seg.end_ms - seg.start_ms
        done = 0
        for piece in pieces:
            a = start + span * done // total
            done += len(piece)
            out.append((a, start + span * done // total, piece))
    return out


def _pieces(text: str) -> list[str]:
    return split_text(text, MAX_CUE) if text else []


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def render(segments: list[SegmentRow], kind: str) -> str:
    """The subtitle file text, ``kind`` "srt" or "vtt"."""
    sep = "," if kind == "srt" else "."
    blocks = ["WEBVTT\n"] if kind == "vtt" else []
    for n, (start, end, text) in enumerate(cues(segments), 1):
        head = f"{n}\n" if kind == "srt" else ""
        blocks.append(f"{head}{_stamp(start, sep)} --> {_stamp(end, sep)}\n{_wrap(text)}\n")
    return "\n".join(blocks)


def _wrap(text: str, width: int = MAX_CUE // 2) -> str:
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, len(text) // 2 + 8)
    return text if cut <= 0 else f"{text[:cut]}\n{text[cut + 1 :]}"


def write_subtitles(
    outdir: Path, entries: list[ChapterEntry], kind: str | None, keep: set[str]
) -> list[Path]:
    """One subtitle file beside each audio file; their names are added to ``keep``."""
    if kind is None:
        return []
    by_file: dict[str, list[SegmentRow]] = {}
    for entry in entries:  # an M4B holds every chapter: one subtitle file for it
        by_file.setdefault(entry.file, []).extend(entry.segments)
    written = []
    for name, segments in by_file.items():
        path = outdir / f"{Path(name).stem}.{kind}"
        atomic_write(path, render(segments, kind))
        keep.add(path.name)
        written.append(path)
    return written
