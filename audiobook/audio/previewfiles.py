"""Which files in a preview folder are ours to replace.

``preview`` writes ``NAME.mp3`` per voice into a folder the user names, often one that holds
other things. A preview written earlier is replaced (that is the point of running it again);
a file of the user's that happens to have a preview's name is not: the tool refuses before it
renders anything. What we wrote is listed, with each file's size and modification time, in a
small record beside the previews, as the build's manifest does for chapter files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from audiobook.errors import OutputError
from audiobook.fsutil import atomic_write
from audiobook.publish.ownership import TOOL, file_stat

RECORD = ".audiobook-previews.json"


def _owned(outdir: Path) -> dict[str, list[int]]:
    """The previews we wrote, as they were; a missing or damaged record claims nothing."""
    try:
        data = json.loads((outdir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("tool") == TOOL else None
    if not isinstance(files, dict):
        return {}
    return {name: stamp for name, stamp in files.items() if isinstance(stamp, list)}


def check_targets(outdir: Path, names: list[str]) -> None:
    """Refuse, naming it, any file in the way that is not a preview of ours as we left it."""
    owned = _owned(outdir)
    for name in names:
        path = outdir / name
        if os.path.lexists(path) and owned.get(name) != file_stat(path):
            raise OutputError(
                f"{path} is not a preview this tool wrote (or was changed since); it is not "
                "overwritten: move or rename it, or choose another -o"
            )


def record(outdir: Path, written: list[Path]) -> None:
    """Add the files just written to the folder's record of previews."""
    files = _owned(outdir)
    for path in written:
        if (stamp := file_stat(path)) is not None:
            files[path.name] = stamp
    atomic_write(outdir / RECORD, json.dumps({"tool": TOOL, "files": files}, indent=1) + "\n")
