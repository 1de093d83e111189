"""The book's own cover (from its EPUB or book.toml) as an image file players show.

Players show a JPEG or PNG only. Standard Ebooks and other careful publishers ship
the cover as SVG (often a photograph with the title set over it); ffmpeg's librsvg
decoder, in Debian's ffmpeg, draws it as a JPEG, so those books keep their cover
instead of losing it. The file goes into the cache by content: the cover id in the
manifest then changes only when the picture does.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from audiobook.errors import warn
from audiobook.fsutil import atomic_path, atomic_write, output_errors
from audiobook.model import image_kind

MAX_SIDE = 3000  # px; the largest cover stores ask for. A bigger SVG is drawn down to it.
DRAW_TIMEOUT_S = 60


def cover_file(data: bytes, cache_root: Path) -> Path | None:
    """``data`` (JPEG, PNG or SVG) as a JPEG or PNG file in the cache; None if it cannot be."""
    kind = image_kind(data)
    folder = cache_root / "covers"
    name = hashlib.sha256(data).hexdigest()[:32]
    with output_errors(folder, "choose another --cache-dir"):
        folder.mkdir(parents=True, exist_ok=True)
        if kind in ("jpeg", "png"):
            path = folder / f"{name}.{'png' if kind == 'png' else 'jpg'}"
            if not path.is_file():
                atomic_write(path, data)
            return path
        if kind == "svg":
            path = folder / f"{name}.jpg"
            if path.is_file() or _draw_svg(data, folder / f"{name}.svg", path):
                return path
    return None


def _draw_svg(data: bytes, svg: Path, jpeg: Path) -> bool:
    from audiobook.ffmpeg import require_ffmpeg

    atomic_write(svg, data)
    try:
        with atomic_path(jpeg) as tmp:
            cmd = [require_ffmpeg().ffmpeg, "-v", "error", "-nostdin", "-y", "-f", "svg_pipe"]
            cmd += ["-i", str(svg), "-frames:v", "1", "-q:v", "2", "-pix_fmt", "yuvj420p"]
            cmd += ["-vf", f"scale='min({MAX_SIDE},iw)':-2", "-f", "mjpeg", str(tmp)]
            done = subprocess.run(cmd, capture_output=True, timeout=DRAW_TIMEOUT_S)
            if done.returncode != 0 or not tmp.stat().st_size:
                raise RuntimeError(done.stderr.decode(errors="replace").strip()[-200:])
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        warn(
            f"the book's SVG cover could not be drawn as a JPEG ({exc or 'timed out'}); "
            "the files have no cover: give one with --cover FILE (JPEG or PNG)"
        )
        return False
    finally:
        svg.unlink(missing_ok=True)
    return True
