"""What an installed program said about itself, kept in the cache folder between runs.

Every build asks ffmpeg for its encoders and espeak-ng for its voices, variants and
version; each question is a process start (~0.05-0.1 s of wall time each on a busy
machine, in the main process and in every render worker). The answer depends only on
the program, so it is kept beside the cache, stamped with the program file's real path,
size and modification time: a different or upgraded program (a new package changes the
file) is asked again. A memo that cannot be read or written costs a question, nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from audiobook.fsutil import write_cache_file


def program_stamp(program: str) -> list[Any] | None:
    """The program file as the memo knows it (None when it cannot be looked at)."""
    try:
        st = os.stat(program)
    except OSError:
        return None
    return [os.path.realpath(program), st.st_size, st.st_mtime_ns]


def recall(path: Path, program: str, ask: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``ask()``'s answer, from ``path`` when it was kept for this very ``program`` file.

    ``valid`` checks a kept answer's shape (a memo from another version of this tool)."""
    stamp = program_stamp(program)
    if stamp is None:
        return ask()
    with contextlib.suppress(OSError, ValueError):
        known = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(known, dict) and known.get("program") == stamp:
            answer = known.get("answer")
            if valid(answer):
                return answer
    answer = ask()
    memo = json.dumps({"program": stamp, "answer": answer})
    write_cache_file(path, memo.encode("utf-8"))  # if it cannot be kept, it is asked again
    return answer


_folder: Path | None = None  # where this process keeps answers; None: ask every process


def keep_in(folder: Path | None) -> None:
    """Keep programs' answers in ``folder`` from now on (None: keep nothing, e.g. a dry run)."""
    global _folder
    _folder = folder


def remembered(
    name: str, program: str, ask: Callable[[], Any], valid: Callable[[Any], bool]
) -> Any:
    """``recall`` in the folder ``keep_in`` named, as file ``name``; just ``ask()`` without one."""
    return ask() if _folder is None else recall(_folder / name, program, ask, valid)
