"""Encoding with ffmpeg (PCM streamed to its stdin), tags with mutagen, the M4B.

MP3: 16-bit mono PCM at the working rate goes in through a pipe; ffmpeg
applies the mastering chain and LAME encodes at a constant bit rate. The
M4B is made of one AAC file per chapter (kept in the cache, so an edit
re-encodes one chapter), joined without re-encoding, with a chapter marker
per chapter from an ffmetadata file.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError, ToolMissingError
from .fsutil import output_errors
from .mastering import Profile, filter_chain

PIPE_BUFFER = 1 << 20


@dataclass(frozen=True)
class Tags:
    title: str  # the file's own title (chapter or part)
    album: str  # the book
    artist: str  # the author
    track: int
    tracks: int
    cover: Path | None = None
    genre: str = "Audiobook"


def _codec_args(codec: str, profile: Profile) -> list[str]:
    if codec == "mp3":
        # -b:a without -q:a is constant bit rate in libmp3lame; the Info tag says CBR.
        return ["-c:a", "libmp3lame", "-b:a", f"{profile.bitrate_k}k", "-write_xing", "1",
                "-id3v2_version", "0", "-f", "mp3"]
    return ["-c:a", "aac", "-b:a", f"{profile.aac_bitrate_k}k", "-f", "ipod"]


def encode_pcm(feed: Callable[[Callable[[bytes], object]], None], rate: int, encoder_gain: float,
               profile: Profile, codec: str, out: Path) -> None:
    """Run ffmpeg on the PCM that ``feed(write)`` produces; write ``out`` (a temporary path)."""
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0",
            "-af", filter_chain(encoder_gain, profile), "-ac", "1",
            *_codec_args(codec, profile), str(out)]
    try:
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                                bufsize=PIPE_BUFFER)
    except FileNotFoundError as exc:
        raise ToolMissingError("ffmpeg not found; install it with `apt-get install ffmpeg`") from exc
    try:
        with output_errors(out):
            try:
                feed(proc.stdin.write)
                proc.stdin.close()
            except BrokenPipeError:
                pass  # ffmpeg stopped reading: its stderr says why
            err = proc.stderr.read().decode("utf-8", "replace")
            code = proc.wait()
    finally:
        if proc.poll() is None:  # interrupted: do not leave an encoder behind
            proc.kill()
            proc.wait()
    if code != 0:
        last = (err.strip().splitlines() or ["no message"])[-1]
        if "No space left" in err:
            raise OutputError(f"disk full while writing {out.parent}; free some space and run again")
        raise OutputError(f"ffmpeg could not encode {out.name}: {last}")


def _cover_data(cover: Path) -> tuple[bytes, str]:
    data = cover.read_bytes()
    mime = "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    return data, mime


def check_cover(cover: Path | None) -> None:
    """A cover must be a readable JPEG or PNG (what players show)."""
    from .errors import InputError

    if cover is None:
        return
    try:
        head = cover.read_bytes()[:8]
    except OSError as exc:
        raise InputError(f"cannot read cover image {cover} ({exc.strerror})") from exc
    if not (head.startswith(b"\xff\xd8") or head == b"\x89PNG\r\n\x1a\n"):
        raise InputError(f"cover {cover} is not a JPEG or PNG image")


def tag_mp3(path: Path, tags: Tags) -> None:
    from mutagen.id3 import APIC, ID3, TALB, TCON, TIT2, TPE1, TPE2, TRCK

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TPE2(encoding=3, text=tags.artist))
    id3.add(TRCK(encoding=3, text=f"{tags.track}/{tags.tracks}"))
    id3.add(TCON(encoding=3, text=tags.genre))
    if tags.cover:
        data, mime = _cover_data(tags.cover)
        id3.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=data))
    with output_errors(path):
        id3.save(str(path), v2_version=3)


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
        if tags.cover:
            data, mime = _cover_data(tags.cover)
            kind = MP4Cover.FORMAT_PNG if mime == "image/png" else MP4Cover.FORMAT_JPEG
            mp4["covr"] = [MP4Cover(data, imageformat=kind)]
        mp4.save()


def _escape_meta(text: str) -> str:
    for ch in "\\=;#\n":
        text = text.replace(ch, "\\" + ch)
    return text


def ffmetadata(title: str, artist: str, chapters: list[tuple[str, int, int]]) -> str:
    """An ffmetadata file: book tags and one [CHAPTER] per (title, start_ms, end_ms)."""
    lines = [";FFMETADATA1", f"title={_escape_meta(title)}", f"artist={_escape_meta(artist)}",
             f"album={_escape_meta(title)}", "genre=Audiobook"]
    for name, start, end in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={start}", f"END={end}",
                  f"title={_escape_meta(name)}"]
    return "\n".join(lines) + "\n"


def join_m4b(pieces: list[Path], metadata: str, out: Path, workdir: Path) -> None:
    """Concatenate AAC pieces (no re-encoding) into ``out`` with chapter markers."""
    listing = workdir / f"{out.name}.concat.txt"
    meta = workdir / f"{out.name}.ffmeta.txt"
    listing.write_text("".join(f"file '{_concat_quote(p)}'\n" for p in pieces), encoding="utf-8")
    meta.write_text(metadata, encoding="utf-8")
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-nostdin",
            "-f", "concat", "-safe", "0", "-i", str(listing), "-i", str(meta),
            "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c", "copy",
            "-movflags", "+faststart", "-f", "ipod", str(out)]
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
