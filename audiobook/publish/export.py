"""MP3 frames and tags (mutagen), the M4B join, covers.

The encoding itself (PCM streamed into ffmpeg) is audio/encode.py. The M4B is
made of one AAC file per chapter (kept in the cache, so an edit re-encodes one
chapter), joined without re-encoding, with a chapter marker per chapter from an
ffmetadata file.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError, OutputError
from audiobook.fsutil import output_errors, read_regular
from audiobook.model import BookInfo, image_kind


@dataclass(frozen=True)
class Tags:
    title: str  # the file's own title (chapter or part)
    album: str  # the book
    artist: str  # the author
    track: int
    tracks: int
    cover: Path | None = None
    info: BookInfo | None = None  # narrator, series, year... when known
    genre: str = "Audiobook"


ENCODER_DELAY = 1105  # samples LAME + decoder put before the audio (576 + 529), measured
_MPEG_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_KBPS = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}


@dataclass(frozen=True)
class Frames:
    """The MPEG audio frames of a file: where they start, how many, their bit rates."""

    offset: int  # first frame, after any ID3v2 tag
    count: int
    samples: int  # decoded samples in all frames
    bitrates: frozenset[int]  # kbps seen (one value: constant bit rate)
    sample_rate: int


def id3_size(head: bytes) -> int:
    """Bytes of an ID3v2 tag at the start of a file (0 if none)."""
    if head[:3] != b"ID3" or len(head) < 10:
        return 0
    size = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
    return 10 + size + (10 if head[5] & 0x10 else 0)


def mp3_frames(data: bytes | memoryview | mmap.mmap) -> Frames:
    """Walk the Layer III frame headers of an MP3 file's bytes."""
    pos = start = id3_size(bytes(data[:10]))
    count = samples = rate = 0
    rates: set[int] = set()
    end = len(data)
    while pos + 4 <= end:
        b1, b2 = data[pos + 1], data[pos + 2]
        version = (b1 >> 3) & 3
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0 or (b1 >> 1) & 3 != 1 or version == 1:
            break  # not a Layer III header: a trailing tag or garbage
        kbps = _KBPS[3 if version == 3 else 2][b2 >> 4]
        rate = _MPEG_RATES[version][(b2 >> 2) & 3] if (b2 >> 2) & 3 < 3 else 0
        if not kbps or not rate:
            break
        per = 1152 if version == 3 else 576
        pos += (per // 8) * kbps * 1000 // rate + ((b2 >> 1) & 1)
        count, samples = count + 1, samples + per
        rates.add(kbps)
    return Frames(start, count, samples, frozenset(rates), rate)


# A 3000x3000 JPEG, the largest size stores ask for, is a few MB; more is not a cover.
MAX_COVER_BYTES = 20 * 2**20


def cover_bytes(cover: Path) -> tuple[bytes, str]:
    data = read_regular(cover, "cover image", MAX_COVER_BYTES)
    return data, f"image/{image_kind(data) or 'jpeg'}"


def check_cover(cover: Path | None) -> None:
    """A cover must be a regular file holding a JPEG or PNG (what players show), not too big."""

    if cover is None:
        return
    if image_kind(cover_bytes(cover)[0]) not in ("jpeg", "png"):
        raise InputError(f"cover {cover} is not a JPEG or PNG image")


def id3_tag(tags: Tags) -> bytes:
    """The ID3v2 tag alone, to write before the audio (tagging a finished file rewrites it)."""
    import io

    from mutagen.id3 import (
        APIC,
        COMM,
        ID3,
        TALB,
        TCOM,
        TCON,
        TDRC,
        TIT1,
        TIT2,
        TLAN,
        TPE1,
        TPE2,
        TPUB,
        TRCK,
        TXXX,
    )

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TPE2(encoding=3, text=tags.artist))
    id3.add(TRCK(encoding=3, text=f"{tags.track}/{tags.tracks}"))
    id3.add(TCON(encoding=3, text=tags.genre))
    info = tags.info
    if info is not None:
        # What Audiobookshelf reads: composer = narrator, series in TXXX and grouping.
        if info.narrator:
            id3.add(TCOM(encoding=3, text=info.narrator))
        if info.series:
            series = f"{info.series} #{info.series_index}" if info.series_index else info.series
            id3.add(TIT1(encoding=3, text=series))
            id3.add(TXXX(encoding=3, desc="SERIES", text=info.series))
            if info.series_index:
                id3.add(TXXX(encoding=3, desc="SERIES-PART", text=info.series_index))
        if info.publisher:
            id3.add(TPUB(encoding=3, text=info.publisher))
        if info.date and info.date[:4].isdigit():
            id3.add(TDRC(encoding=3, text=info.date[:4]))
        if info.language:
            id3.add(TLAN(encoding=3, text=info.language))
        if info.description:
            id3.add(COMM(encoding=3, lang="eng", desc="", text=info.description))
    if tags.cover:
        data, mime = cover_bytes(tags.cover)
        id3.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=data))
    out = io.BytesIO()
    id3.save(out, v2_version=3)
    return out.getvalue()


def tag_m4b(path: Path, tags: Tags) -> None:
    from mutagen.mp4 import MP4, MP4Cover

    with output_errors(path):
        mp4 = MP4(str(path))
        mp4["\xa9nam"] = [tags.album]
        mp4["\xa9alb"] = [tags.album]
        mp4["\xa9ART"] = [tags.artist]
        mp4["aART"] = [tags.artist]
        mp4["\xa9gen"] = [tags.genre]
        mp4["trkn"] = [(tags.track, tags.tracks)]
        mp4["stik"] = [2]  # media type: audiobook
        info = tags.info
        if info is not None:
            if info.narrator:
                mp4["\xa9wrt"] = [info.narrator]  # composer: Audiobookshelf's narrator
            if info.series:
                series = f"{info.series} #{info.series_index}" if info.series_index else info.series
                mp4["\xa9grp"] = [series]
            if info.date and info.date[:4].isdigit():
                mp4["\xa9day"] = [info.date[:4]]
            if info.description:
                mp4["desc"] = [info.description]
        if tags.cover:
            data, mime = cover_bytes(tags.cover)
            kind = MP4Cover.FORMAT_PNG if mime == "image/png" else MP4Cover.FORMAT_JPEG
            mp4["covr"] = [MP4Cover(data, imageformat=kind)]
        mp4.save()


def _escape_meta(text: str) -> str:
    for ch in "\\=;#\n":
        text = text.replace(ch, "\\" + ch)
    return text


def ffmetadata(title: str, artist: str, chapters: list[tuple[str, int, int]]) -> str:
    """An ffmetadata file: book tags and one [CHAPTER] per (title, start_ms, end_ms)."""
    lines = [
        ";FFMETADATA1",
        f"title={_escape_meta(title)}",
        f"artist={_escape_meta(artist)}",
        f"album={_escape_meta(title)}",
        "genre=Audiobook",
    ]
    for name, start, end in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={start}",
            f"END={end}",
            f"title={_escape_meta(name)}",
        ]
    return "\n".join(lines) + "\n"


def join_m4b(pieces: list[Path], metadata: str, out: Path, workdir: Path) -> None:
    """Concatenate AAC pieces (no re-encoding) into ``out`` with chapter markers."""
    listing = workdir / f"{out.name}.concat.txt"
    meta = workdir / f"{out.name}.ffmeta.txt"
    listing.write_text("".join(f"file '{_concat_quote(p)}'\n" for p in pieces), encoding="utf-8")
    meta.write_text(metadata, encoding="utf-8")
    args = [
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-nostdin",
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        str(listing),
        "-i",
        str(meta),
        "-map",
        "0:a",
        "-map_metadata",
        "1",
        "-map_chapters",
        "1",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        "-f",
        "ipod",
        str(out),
    ]
    try:
        done = subprocess.run(args, capture_output=True, text=True)
    finally:
        for path in (listing, meta):
            with contextlib.suppress(OSError):
                path.unlink()
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise OutputError(f"ffmpeg could not write {out.name}: {last}")


def _concat_quote(path: Path) -> str:
    return str(path.resolve()).replace("'", "'\\''")


def read_frames(path: Path) -> Frames:
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return Frames(0, 0, 0, frozenset(), 0)
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return mp3_frames(data)


def book_metadata(info: BookInfo | None, title: str | None, author: str | None) -> tuple[str, str]:
    """Title and author for the tags: options first, then the book (book.toml applied)."""
    return (
        title or (info.title if info else None) or "Audiobook",
        author or (info.author if info else None) or "Unknown",
    )
