"""ffmpeg and ffprobe, checked once, up front, with the encoders the build needs.

Every stage that runs ffmpeg (encoding chapters, joining the M4B, previews,
``check``) asks here first, before any work: a missing program, or an
ffmpeg built without the MP3 encoder (libmp3lame) or the AAC one, fails
with one line saying how to fix it, not minutes later with ffmpeg's own
message. The encoder list is read once per ffmpeg binary (``-encoders``),
the way beets' replaygain backends probe their tool when they are set up.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from audiobook.errors import ToolMissingError
from audiobook.toolmemo import recall

# Output codec -> (ffmpeg encoder, what a listener calls it).
ENCODERS = {"mp3": ("libmp3lame", "MP3"), "aac": ("aac", "AAC")}
INSTALL = "install it with `apt-get install ffmpeg` (or run `make setup`)"


@dataclass(frozen=True)
class Ffmpeg:
    """Paths of the checked programs."""

    ffmpeg: str
    ffprobe: str


def require_ffmpeg(*codecs: str, memo: Path | None = None) -> Ffmpeg:
    """ffmpeg and ffprobe on PATH, and an encoder for each of ``codecs`` ("mp3", "aac").

    ``memo``: a folder where the encoder list is kept for the next run, as long as the
    ffmpeg program is the same file (path, size, modification time).
    """
    found = {name: shutil.which(name) for name in ("ffmpeg", "ffprobe")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        raise ToolMissingError(f"{' and '.join(missing)} not found; {INSTALL}")
    tools = Ffmpeg(str(found["ffmpeg"]), str(found["ffprobe"]))
    have = _remembered(tools.ffmpeg, memo) if memo is not None else encoders(tools.ffmpeg)
    for codec in codecs:
        encoder, label = ENCODERS[codec]
        if encoder not in have:
            raise ToolMissingError(
                f"this ffmpeg ({tools.ffmpeg}) has no {label} encoder ({encoder}); "
                f"install a full ffmpeg build, e.g. `apt-get install ffmpeg`"
            )
    return tools


@cache
def encoders(ffmpeg: str) -> frozenset[str]:
    """The audio encoders ``ffmpeg`` was built with (``ffmpeg -encoders``), once a process."""
    return _list_encoders(ffmpeg)


def _list_encoders(ffmpeg: str) -> frozenset[str]:
    try:
        done = subprocess.run(
            [ffmpeg, "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolMissingError(f"cannot run {ffmpeg} ({exc}); {INSTALL}") from exc
    if done.returncode != 0:
        raise ToolMissingError(f"{ffmpeg} -encoders failed; {INSTALL}")
    # Lines look like " A....D libmp3lame  libmp3lame MP3 (MPEG audio layer 3)".
    return frozenset(
        fields[1]
        for fields in (line.split() for line in done.stdout.splitlines())
        if len(fields) >= 2 and fields[0].startswith("A") and len(fields[0]) == 6
    )


MEMO = "ffmpeg-encoders.json"


def _remembered(ffmpeg: str, folder: Path) -> frozenset[str]:
    """``encoders(ffmpeg)``, from ``folder`` when that program was asked before (one
    process start less per build: ~0.1 s of a rebuild that has nothing to do)."""
    names = recall(
        folder / MEMO,
        ffmpeg,
        lambda: sorted(_list_encoders(ffmpeg)),
        lambda known: isinstance(known, list) and all(isinstance(n, str) for n in known),
    )
    return frozenset(names)
