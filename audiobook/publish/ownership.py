"""The output folder belongs to the user: which of its files a build may replace or delete.

Only files this tool's own manifest lists (a manifest marked ``"tool": "audiobook"`` with
the version that wrote it), and only while each still has the size and modification time
recorded when it was written. Anything else in the way is an error that names it; nothing
is ever deleted or overwritten on a name's resemblance alone. A build of another book, or of
this book in another format, into a folder holding one is refused unless ``force`` says to
replace it; the manuscript's own files are never targets.

A manifest read back is reduced to its well-formed parts (publish/manifest.py): a
hand-edited or damaged entry can only make the build do more work, never crash it or reach a
file it did not write.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook import __version__
from audiobook.errors import OutputError
from audiobook.publish.manifest import Manifest, OwnedFile, from_json

TOOL = "audiobook"
MANIFEST = "manifest.json"  # publish/manifest.py NAME


def load(outdir: Path) -> Manifest:
    """The previous build's manifest; an empty one when there is none.

    A ``manifest.json`` that this tool did not write is someone's file: an error names it.
    """
    path = outdir / MANIFEST
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return Manifest()
    except OSError as exc:
        raise OutputError(f"cannot read {path} ({exc.strerror}); choose another -o") from exc
    foreign = OutputError(
        f"{path} was not written by {TOOL}: it is not overwritten; move it away or choose "
        "another -o"
    )
    if not stat.S_ISREG(st.st_mode) or st.st_size > 256 * 2**20:
        raise foreign
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise foreign from exc
    if not (isinstance(data, dict) and data.get("tool") == TOOL):
        raise foreign
    return from_json(data)


def file_stat(path: Path) -> list[int] | None:
    """Size and mtime of a regular file (never through a symlink); None for anything else."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


@dataclass
class Claim:
    """What this build may touch: the files of ours still as we wrote them."""

    outdir: Path
    owned: set[str] = field(default_factory=set)

    def remove_stale(self, keep: set[str]) -> None:
        """Delete the files of the last build that this one did not write again."""
        for name in sorted(self.owned - keep):
            path = self.outdir / name
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise OutputError(f"cannot remove the old {path} ({exc.strerror})") from exc


def claim(
    outdir: Path,
    old: Manifest,
    targets: set[str],
    inputs: list[str],
    title: str,
    fmt: str,
    force: bool = False,
) -> Claim:
    """Check every name this build will write, before anything is written."""
    owned = {f.name for f in old.files if file_stat(outdir / f.name) == f.stat}
    # Names a build claimed, then was killed while writing: what is there now is its work.
    owned |= {n for n in old.pending if file_stat(outdir / n) is not None}
    if (old.files or old.pending) and not force:
        if old.title and old.title != title:
            raise OutputError(
                f"{outdir} holds another book ({old.title!r}); choose another -o, or pass "
                "--force to replace it"
            )
        if old.format and old.format != fmt:
            raise OutputError(
                f"{outdir} holds this book as {old.format} files; pass --force to replace "
                f"them with {fmt}, or choose another -o"
            )
    sources = set()
    for name in inputs:
        with contextlib.suppress(OSError):
            sources.add(Path(name).resolve())
    for name in sorted(targets):
        path = outdir / name
        if path.resolve() in sources:
            raise OutputError(f"{path} is a manuscript file; choose another -o")
        if os.path.lexists(path) and name not in owned:
            raise OutputError(
                f"{path} is not a file this tool wrote (or was changed since); it is not "
                "overwritten: move or rename it, or choose another -o"
            )
    return Claim(outdir, owned)


def journal(old: Manifest, targets: set[str], title: str, fmt: str) -> Manifest:
    """The manifest to write before any output file: the last build's, plus what this one is
    about to write, so a build killed halfway still knows those files are its own."""
    return replace(
        old,
        title=old.title or title,
        format=old.format or fmt,
        tool=TOOL,
        tool_version=__version__,
        pending=sorted(targets | set(old.pending)),
    )


def mark(manifest: Manifest, outdir: Path, names: set[str]) -> None:
    """Mark the new manifest as ours, listing the files this build wrote as they are now."""
    manifest.tool, manifest.tool_version, manifest.pending = TOOL, __version__, []
    manifest.files = [
        OwnedFile(name, found)
        for name in sorted(names)
        if (found := file_stat(outdir / name)) is not None
    ]
