"""Shared fixtures: data folders, tiny books, build options, and the fake engine.

The fake engine (tests/fake_engine.py) is registered through the real
plugin hook for the whole session, the way simonw/llm's tests register a
MockModelsPlugin, so stage and CLI tests run without espeak-ng. Child
processes (spawned render workers, the CLI run as a program) find it
through ``AUDIOBOOK_PLUGINS``. Tests marked ``slow`` render real audio.
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import fake_engine
import pytest
from hypothesis import settings

from audiobook.audio.engines import PLUGINS_ENV, plugin_manager
from audiobook.build import BuildOptions
from audiobook.model import (
    Cast,
    CastEntry,
    Chapter,
    ChapterScript,
    Document,
    Roster,
    Script,
    Segment,
)
from audiobook.pipeline import Prepared

TESTS = Path(__file__).parent
DATA = TESTS / "data"
SEEDS = TESTS.parent / "seeds"
FAKE = fake_engine.NAME

# Two cores shared by several test runs: a slow example is load, not a failure.
settings.register_profile("shared-machine", deadline=None)
settings.load_profile("shared-machine")


@pytest.fixture(autouse=True, scope="session")
def fake_engine_plugin():
    os.environ[PLUGINS_ENV] = "fake_engine"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p
    )
    pm = plugin_manager()
    if not pm.is_registered(fake_engine):
        pm.register(fake_engine, name="fake_engine")
    yield
    pm.unregister(fake_engine)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


def pytest_report_header():
    tools = {t: shutil.which(t) for t in ("espeak-ng", "ffmpeg", "ffprobe")}
    return "tools: " + ", ".join(f"{k}={v}" for k, v in tools.items())


# -- tiny books ---------------------------------------------------------------

VOICES = {None: "en-us+m3", "Anna": "en-us+f3", "Tom": "en-gb+m1"}

STORY = [
    (
        "The Door",
        [
            (None, "Anna heard a knock and opened the door.", "paragraph"),
            ("Anna", "Who is there at this hour?", "paragraph"),
            (None, "she asked.", "none"),
            ("Tom", "Only me, with the letters you wanted.", "paragraph"),
        ],
    ),
    (
        "The Letters",
        [
            (None, "They read the letters by the fire until late.", "paragraph"),
            ("Tom", "This one is from your brother.", "paragraph"),
            (None, "The night was long and quiet.", "scene"),
        ],
    ),
]


def _make_book(
    tmp: Path, story: list = STORY, name: str = "book.txt", engine: str = FAKE
) -> Prepared:
    """A Prepared book written to a real file, offsets pointing into it."""
    text, chapters = "", []
    for title, lines in story:
        start = len(text)
        text += title + "\n\n"
        heading = (start, start + len(title))
        segs = [
            Segment(
                "narration", title, heading[0], heading[1], voice=VOICES[None], boundary="chapter"
            )
        ]
        for speaker, line, boundary in lines:
            if speaker:
                text += '"'
            s = len(text)
            text += line
            segs.append(
                Segment(
                    "dialogue" if speaker else "narration",
                    line,
                    s,
                    len(text),
                    speaker=speaker,
                    voice=VOICES[speaker],
                    boundary=boundary,
                )
            )
            text += '"\n\n' if speaker else "\n\n"
        chapters.append(
            ChapterScript(Chapter(title, str(tmp / name), start, len(text), heading), segs)
        )
    (tmp / name).write_text(text, encoding="utf-8")
    cast = Cast(
        CastEntry("narrator", VOICES[None]), {k: CastEntry(k, v) for k, v in VOICES.items() if k}
    )
    return Prepared(
        Script(chapters, Roster()), cast, [Document(str(tmp / name), text)], engine_name=engine
    )


def _build_options(tmp: Path, folder: str = "out", **kw) -> BuildOptions:
    """Options for a tiny book in ``tmp``: its own cache, writing into ``tmp/folder``."""
    kw.setdefault("cache_dir", tmp / "cache")
    kw.setdefault("engine", FAKE)
    return BuildOptions(outdir=tmp / folder, jobs=2, title="Tiny", author="A. Writer", **kw)


@pytest.fixture(scope="session")
def story() -> list:
    return STORY


@pytest.fixture(scope="session")
def make_book() -> Callable[..., Prepared]:
    """``make_book(tmp, story=STORY, name="book.txt", engine="fake")``: a Prepared tiny book."""
    return _make_book


@pytest.fixture(scope="session")
def build_options() -> Callable[..., BuildOptions]:
    """``build_options(tmp, folder="out", **options)``: BuildOptions for a tiny book."""
    return _build_options
