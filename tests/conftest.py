"""Shared fixtures: data folders, tiny books, build options, and the fake engine.

The fake engine (tests/fake_engine.py) is registered through the real
plugin hook for the whole session, the way simonw/llm's tests register a
MockModelsPlugin, so stage and CLI tests run without espeak-ng. Child
processes (spawned render workers, the CLI run as a program) find it
through ``AUDIOBOOK_PLUGINS``.

Tests marked ``slow`` render real audio (espeak-ng, Piper); tests marked
``processes`` are about real processes (signals, spawned workers, the CLI as
a program writing to devices, a browser, a cluster). The rest, the fast
subset (``make test-fast``), runs the CLI's ``main()`` in this process (the
``audiobook`` fixture) on the fake engine.
"""

import io
import os
import shutil
import signal
import subprocess
import sys
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
def private_cache_home(tmp_path_factory):
    """The default clip and front-end cache in a folder of this run, not the user's ~/.cache:
    no test reuses what an earlier run left there."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(autouse=True, scope="session")
def ctrl_c_reaches_children():
    """A shell starts a background job (`make test &`, nohup) with SIGINT ignored, and every
    program a test starts would inherit that: the Ctrl-C tests would see a build go on. Give
    the test run, and so its children, Ctrl-C as from a terminal."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


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
    kw.setdefault("jobs", 2)
    return BuildOptions(outdir=tmp / folder, title="Tiny", author="A. Writer", **kw)


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


# -- the command line ---------------------------------------------------------


class CommandHung(BaseException):
    """Raised in a command that ran past its test's timeout (no ``except Exception`` stops it)."""


@pytest.fixture
def audiobook(capsys) -> Callable[..., subprocess.CompletedProcess]:
    """``audiobook(*args, env={}, stdin=b"", timeout=120)``: the CLI's ``main()`` in this process.

    What a user sees is returned as a finished process (exit status, stdout, stderr), and a
    traceback on stderr fails the test. It is the same ``main()`` the console script runs, with
    the same error boundary; the environment and the signal handlers it touches are put back
    afterwards. A command still running after ``timeout`` seconds is interrupted by SIGALRM (a
    blocking open or read of a FIFO included) and fails the test instead of stalling the suite.
    Tests about processes themselves (signals, pipes, devices as stdout) run the program
    instead, and are marked ``processes``.
    """
    from audiobook.cli.app import main

    def hung(signum, frame):
        raise CommandHung("the command did not finish in time")

    def run(
        *args, env: dict[str, str] | None = None, stdin: bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        capsys.readouterr()  # what the test printed before is not the command's
        saved_env, saved_in = dict(os.environ), sys.stdin
        saved_term, saved_alarm = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGALRM)
        os.environ.update(env or {})
        if stdin is not None:
            sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        signal.signal(signal.SIGALRM, hung)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            code = main(argv)
        except SystemExit as exc:  # click's shell completion exits, as the program would
            code = exc.code if isinstance(exc.code, int) else 1
        except CommandHung:
            pytest.fail(f"audiobook {' '.join(argv)} still ran after {timeout} s")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, saved_alarm)
            signal.signal(signal.SIGTERM, saved_term)
            os.environ.clear()
            os.environ.update(saved_env)
            sys.stdin = saved_in
        out, err = capsys.readouterr()
        assert "Traceback" not in err, err
        return subprocess.CompletedProcess(["audiobook", *argv], code, out, err)

    return run


def run_program(
    *args, env: dict[str, str] | None = None, timeout: float = 120, **kw
) -> subprocess.CompletedProcess:
    """``python -m audiobook ARGS`` as a user runs it, finished (a hang fails after ``timeout``)."""
    kw.setdefault("stdout", subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "audiobook", *map(str, args)],
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
        **kw,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="session")
def program() -> Callable[..., subprocess.CompletedProcess]:
    """``program(*args, env={}, timeout=120, **subprocess_run_kw)``: the CLI as a real process."""
    return run_program


@pytest.fixture(scope="session")
def covers() -> dict[str, Path]:
    """Real 32x32 cover images by format (``covers["png"]``, ``covers["jpg"]``), made once by
    ffmpeg and kept in tests/data rather than made again by every test that embeds one."""
    return {kind: DATA / f"cover.{kind}" for kind in ("png", "jpg")}
