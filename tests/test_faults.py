"""Hostile files and environments: each gets its own one-line error (never "This is a bug"),
never a hang, and a warning where the book can still be made.

Real FIFOs, devices, symlinks and full disks. The CLI runs in this process (the ``audiobook``
fixture, whose timeout turns a blocking read of a FIFO into a failure, not a stalled suite) on
the fake engine; where the test is about the process's own output (a full disk, a closed pipe
as stdout), it runs as a program and is marked ``processes``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FAKE = ("--engine", "fake")  # what is tested is the error, not the voice
STORY = "Chapter 1\n\nAnna opened the door. \u201cWho is there?\u201d she asked.\n"


@pytest.fixture
def audiobook(audiobook):
    """The CLI in this process; commands that take an engine get the fake one."""

    def run(*args, **kw):
        engine = FAKE if args and args[0] in ("script", "build", "cast") else ()
        return audiobook(*args, *engine, **kw)

    return run


def error_line(done) -> str:
    lines = done.stderr.splitlines()
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert "This is a bug" not in lines[0]
    return lines[0]


@pytest.fixture
def book(tmp_path) -> Path:
    path = tmp_path / "book.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib_codec", "hex"])
def test_a_codec_that_is_not_a_text_encoding(book, codec, audiobook):
    assert "not a text encoding" in error_line(audiobook("script", book, "--encoding", codec))


@pytest.mark.parametrize("codec", ["punycode", "undefined"])
def test_a_text_codec_that_cannot_decode_the_file(book, codec, audiobook):
    assert "--encoding" in error_line(audiobook("script", book, "--encoding", codec))


def test_book_toml_whose_book_is_not_a_table(tmp_path, book, audiobook):
    (tmp_path / "book.toml").write_text('book = "x"\n')
    line = error_line(
        audiobook("build", book, "-o", tmp_path / "out", "--cache-dir", tmp_path / "c")
    )
    assert "book.toml" in line


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[book]\ntitle = ["a"]\n', "'title' must be a string, not list"),
        ('[book]\ntitel = "A Tale"\n', "unknown key 'titel' (did you mean 'title'?)"),
        ('[book]\nauthors = ["Ann", 3]\n', "'authors' must be a string or a list of strings"),
        ("[book]\ncover = 7\n", "'cover' must be a string, not int"),
    ],
)
def test_book_toml_with_a_wrong_key_or_type(tmp_path, book, toml, says, audiobook):
    (tmp_path / "book.toml").write_text(toml)
    out = tmp_path / "out"
    line = error_line(audiobook("build", book, "-o", out, "--cache-dir", tmp_path / "c"))
    assert "book.toml" in line and says in line, line
    assert not out.exists()


def test_book_toml_date_and_series_index_may_be_toml_values(tmp_path, book, audiobook):
    (tmp_path / "book.toml").write_text(
        '[book]\ntitle = "A Tale"\ndate = 1861-08-01\nseries = "Tales"\nseries_index = 2\n'
    )
    done = audiobook("script", book, "--json")
    assert done.returncode == 0, done.stderr


def test_cache_dir_that_is_a_file(tmp_path, book, audiobook):
    (tmp_path / "cachefile").write_text("mine")
    line = error_line(
        audiobook("build", book, "-o", tmp_path / "out", "--cache-dir", tmp_path / "cachefile")
    )
    assert "--cache-dir" in line
    assert (tmp_path / "cachefile").read_text() == "mine"


def test_cache_dir_path_too_long(tmp_path, book, audiobook):
    line = error_line(
        audiobook("build", book, "-o", tmp_path / "out", "--cache-dir", tmp_path / ("c" * 300))
    )
    assert "too long" in line and "--cache-dir" in line


def test_output_path_too_long(tmp_path, book, audiobook):
    line = error_line(
        audiobook("build", book, "-o", tmp_path / ("o" * 300), "--cache-dir", tmp_path)
    )
    assert "too long" in line


@pytest.mark.processes
@pytest.mark.parametrize("command", [["script", "--json"], ["script"], ["cast", "--json"]])
def test_output_to_a_full_disk(book, command, program):
    with open("/dev/full", "w") as full:
        done = program(command[0], book, *command[1:], *FAKE, stdout=full)
    assert "cannot write the output" in error_line(done)


@pytest.mark.processes
def test_output_into_a_closed_pipe_is_quiet(book):
    proc = subprocess.Popen(
        f"{sys.executable} -m audiobook script {book} --json --engine fake | head -c 10 >/dev/null",
        shell=True,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "Error" not in err and "Exception" not in err


def _fifo(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def _big_cover(tmp_path: Path) -> Path:
    """A 280 MB 'JPEG' (sparse: no disk used)."""
    path = tmp_path / "huge.jpg"
    with open(path, "wb") as fh:
        fh.write(b"\xff\xd8\xff\xe0")
        fh.truncate(280 * 2**20)
    return path


@pytest.mark.parametrize("kind", ["fifo", "dev zero", "huge", "folder"])
def test_a_cover_that_is_not_a_sane_image_file(tmp_path, book, kind, audiobook):
    cover = {
        "fifo": lambda: _fifo(tmp_path, "cover.jpg"),
        "dev zero": lambda: Path("/dev/zero"),
        "huge": lambda: _big_cover(tmp_path),
        "folder": lambda: tmp_path,
    }[kind]()
    done = audiobook(
        "build", book, "-o", tmp_path / "out", "--cache-dir", tmp_path / "c", "--cover", cover
    )
    line = error_line(done)
    assert "cover image" in line
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.mp3"))


@pytest.mark.parametrize("kind", ["fifo", "dev zero", "folder"])
def test_a_cast_file_that_is_not_a_regular_file(tmp_path, book, kind, audiobook):
    cast = {
        "fifo": lambda: _fifo(tmp_path, "cast.toml"),
        "dev zero": lambda: Path("/dev/zero"),
        "folder": lambda: tmp_path,
    }[kind]()
    assert "cast file" in error_line(audiobook("script", book, "--cast", cast))


def _png(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=blue:s=32x32"]
        + ["-frames:v", "1", "-f", "image2", "-c:v", "png", str(path)],
        check=True,
    )
    return path


def _video_only_m4b(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=blue:s=32x32:d=1"]
        + ["-c:v", "mpeg4", "-f", "mp4", str(path)],
        check=True,
    )
    return path


def _tone_mp3(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=f=300:d=2", "-ac", "1", str(path)],
        check=True,
    )
    return path


def test_check_reports_every_file_even_when_some_are_unreadable(tmp_path, audiobook):
    folder = tmp_path / "out"
    folder.mkdir()
    _tone_mp3(folder / "01 - Good.mp3")
    _png(folder / "02 - Picture.mp3")
    _video_only_m4b(folder / "03 - Video.m4b")
    _fifo(folder, "04 - Pipe.mp3")
    (folder / "05 - Empty.mp3").write_bytes(b"")
    (folder / "06 - Link.mp3").symlink_to(tmp_path / "nowhere.mp3")
    (folder / "07 - Folder.mp3").mkdir()
    done = audiobook("check", folder, timeout=60)
    assert done.returncode == 1 and done.stderr == ""
    rows = [line.split() for line in done.stdout.splitlines()]
    good = [r for r in rows if r[:3] == ["01", "-", "Good.mp3"]]
    assert any(r[3:5] == ["sample", "rate"] for r in good)  # the good file is measured
    for n in range(2, 8):
        failed = [r for r in rows if r[:1] == [f"0{n}"] and "readable" in r]
        assert failed and failed[0][-1] == "FAIL", done.stdout


def test_check_on_a_png_named_mp3_alone(tmp_path, audiobook):
    folder = tmp_path / "out"
    folder.mkdir()
    _png(folder / "cover.mp3")
    done = audiobook("check", folder)
    assert done.returncode == 1 and "no audio stream" in done.stdout


def test_a_broken_symlink_chapter_is_warned_about(tmp_path, audiobook):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "01.txt").write_text(STORY, encoding="utf-8")
    (folder / "02.txt").symlink_to(tmp_path / "moved-away.txt")
    done = audiobook("script", folder, "--json")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and "02.txt" in warnings[0] and "broken" in warnings[0]


def test_a_looping_symlink_manuscript_says_so(tmp_path, audiobook):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    assert "symbolic link" in error_line(audiobook("script", loop))


def test_a_lexicon_that_is_a_fifo_is_refused_without_hanging(tmp_path, book, audiobook):
    _fifo(tmp_path, "words.toml")
    cast = tmp_path / "cast.toml"
    cast.write_text('lexicon = "words.toml"\n')
    assert "not a regular file" in error_line(audiobook("script", book, "--cast", cast, timeout=60))


def test_book_toml_cover_that_is_not_an_image(tmp_path, book, audiobook):
    (tmp_path / "notes.txt").write_text("not a picture")
    (tmp_path / "book.toml").write_text('[book]\ncover = "notes.txt"\n')
    out = tmp_path / "out"
    line = error_line(audiobook("build", book, "-o", out, "--cache-dir", tmp_path / "c"))
    assert "book.toml" in line and "notes.txt is not a JPEG, PNG or SVG image" in line, line
    assert not out.exists()
