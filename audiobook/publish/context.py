"""What the file writers share: the build's options and context, the levelled clips, the plan.

``build.py`` fills these in stage by stage; the MP3 and M4B writers read
them, so no helper takes a bag of a dozen loose arguments.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from audiobook.audio.assemble import Block, Part, Pauses
from audiobook.audio.cache import ClipAudio
from audiobook.audio.encode import Spare
from audiobook.audio.engines import DEFAULT_ENGINE
from audiobook.audio.executor import Executor
from audiobook.audio.mastering import Levels, Profile
from audiobook.model import BookInfo
from audiobook.progress import Progress
from audiobook.publish.manifest import BlockEntry

ENCODING_VERSION = 3  # bump when the same plan would now encode differently


@dataclass
class BuildOptions:
    outdir: Path
    format: str = "mp3"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    cache_dir: Path | None = None  # None: $XDG_CACHE_HOME/audiobook or ~/.cache/audiobook
    engine: str = DEFAULT_ENGINE  # must be the engine the book was prepared (cast) for
    profile: str = "acx"
    subtitles: str | None = None
    cover: Path | None = None
    title: str | None = None  # None: book.toml beside the manuscript, else the file name
    author: str | None = None
    info: BookInfo | None = None  # narrator, series... for the tags (default: the book's)
    pauses: Pauses = field(default_factory=Pauses)
    executor: Executor | None = None  # where clips and encodes run; None: ``jobs`` processes here
    cache_max: int | None = None  # bytes; None: $AUDIOBOOK_CACHE_MAX or 5 GB
    force: bool = False  # replace another book, or this one in another format, in outdir


@dataclass(frozen=True)
class BuildContext:
    """Everything about this build that is fixed before the first clip is rendered."""

    options: BuildOptions
    profile: Profile
    outdir: Path
    cache_root: Path
    title: str
    author: str
    progress: Progress
    cover_id: str | None  # digest of the cover image: a new cover re-tags every file
    spare: Spare = field(default_factory=Spare)  # an MP3 encoder started early (mp3_files)

    @property
    def executor(self) -> Executor:
        return self.options.executor or Executor(self.options.jobs)


@dataclass(frozen=True)
class Mix:
    """The book's clips and how loud each voice is played."""

    audio: dict[str, ClipAudio]  # clip key -> rendered clip
    voice_of: dict[str, str]  # clip key -> voice label ("voice|rate|pitch")
    gains: dict[str, float]  # voice label -> linear gain


@dataclass
class PlannedBlock:
    """A block of an MP3 file: what it is made of, how loud, and where it was written."""

    fingerprint: str
    block: Block
    levels: Levels
    written: BlockEntry | None = None


@dataclass
class Output:
    """One file to write (MP3: a part of a chapter; M4B: a chapter's AAC piece)."""

    part: Part
    title: str
    name: str = ""
    fingerprint: str = ""
    tags_fingerprint: str = ""
    gain: float = 1.0  # the file's gain over its levelled voices
    blocks: list[PlannedBlock] = field(default_factory=list)
    offset_ms: int = 0  # where it starts in its file (M4B: the whole book)
    stat: list[int] = field(default_factory=list)  # size and mtime of the file as written


@dataclass
class FileResult:
    name: str
    title: str
    seconds: float
    reused: bool


def digest(*parts: object) -> str:
    """A short stable fingerprint of JSON-able parts."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


T = TypeVar("T")
R = TypeVar("R")


def run_parallel(fn: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``fn`` over ``items`` in threads (ffmpeg does the work); results in order.

    The first failure cancels what has not started and is raised.
    """
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(fn, item) for item in items]
        try:
            return [future.result() for future in futures]
        except BaseException:
            for future in futures:
                future.cancel()
            raise
