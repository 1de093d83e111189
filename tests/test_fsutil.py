"""Output safety: names a title cannot steer, atomic writes, the lock, clear errors."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiobook.errors import OutputError
from audiobook.fsutil import (
    MAX_NAME,
    atomic_path,
    atomic_write,
    build_lock,
    chapter_file_name,
    output_errors,
    prepare_outdir,
    remove_partials,
)


def test_a_title_cannot_climb_out_of_the_folder():
    assert chapter_file_name(3, 12, "../../etc/passwd", "mp3", set()) == "03 - etc passwd.mp3"


@pytest.mark.parametrize("title", ["CON", "a:b*c?d", "..", "/", 'Ch. 1: "Who?" <x>|y', "\x00\x07"])
def test_names_are_portable(title):
    name = chapter_file_name(1, 1, title, "mp3", set())
    assert not set(name) & set('<>:"/\\|?*') and name.isprintable()
    assert not name.startswith(".") and name.endswith(".mp3")
    assert name.split(".")[0].split(" - ")[-1].lower() not in {"con", "prn", "aux", "nul"}


@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=8))
def test_any_titles_give_unique_short_names_inside_the_folder(titles):
    taken: set[str] = set()
    names = [chapter_file_name(i, len(titles), t, "mp3", taken) for i, t in enumerate(titles, 1)]
    assert len({n.lower() for n in names}) == len(names)
    folder = Path("/book/out")
    for name in names:
        assert len(name) <= MAX_NAME
        assert (folder / name).resolve().parent == folder
        assert "/" not in name and "\x00" not in name


def test_same_titles_get_distinct_names():
    taken: set[str] = set()
    assert chapter_file_name(1, 1, "Intro", "mp3", taken) != chapter_file_name(
        1, 1, "intro", "mp3", taken
    )


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    final = tmp_path / "a.mp3"
    final.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(final) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed mid-way")
    assert final.read_text() == "old"
    assert os.listdir(tmp_path) == ["a.mp3"]
    atomic_write(final, "new")
    assert final.read_text() == "new" and os.listdir(tmp_path) == ["a.mp3"]


def test_partials_of_dead_builds_are_removed_and_nothing_else(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / f".01 - A.mp3.partial-{dead}").write_text("x")
    (tmp_path / "keep.mp3").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    remove_partials(tmp_path)
    assert sorted(os.listdir(tmp_path)) == [".hidden", "keep.mp3"]


def test_second_lock_on_a_folder_is_refused_and_released_after(tmp_path):
    with (
        build_lock(tmp_path),
        pytest.raises(OutputError, match=f"another build is writing to {tmp_path}"),
        build_lock(tmp_path),
    ):
        pass
    with build_lock(tmp_path):
        pass


def test_lock_holds_across_processes(tmp_path):
    code = (
        "import sys, pathlib; from audiobook.fsutil import build_lock\n"
        "try:\n    with build_lock(pathlib.Path(sys.argv[1])): pass\n"
        "except Exception as e: print(e); sys.exit(3)"
    )
    with build_lock(tmp_path):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
        )
    assert done.returncode == 3 and "another build" in done.stdout


def test_output_folder_that_is_a_file_is_one_clear_error(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        prepare_outdir(tmp_path / "f")
    with pytest.raises(OutputError, match="cannot create output folder"):
        prepare_outdir(tmp_path / "f" / "sub")


def test_disk_full_is_one_clear_error(tmp_path):
    with (
        pytest.raises(OutputError, match="disk full .* free some space"),
        output_errors(tmp_path / "x.mp3"),
    ):
        raise OSError(errno.ENOSPC, "No space left on device")


def test_real_disk_full_through_dev_full():
    with (
        pytest.raises(OutputError, match="disk full"),
        output_errors(Path("/dev/full")),
        open("/dev/full", "wb") as fh,
    ):
        fh.write(b"x" * 65536)
        fh.flush()


def test_a_failed_write_says_the_fix_its_caller_gives(tmp_path):
    # A cast file or a book.toml is not in the -o folder: "choose another -o" would mislead.
    final = tmp_path / ("x" * 240)  # the temporary name beside it is too long for the disk
    with pytest.raises(OutputError, match="too long; choose another cast file path$"):
        atomic_write(final, "text", fix="choose another cast file path")
    with pytest.raises(OutputError, match="too long; choose another -o$"):
        atomic_write(final, "text")
    assert os.listdir(tmp_path) == []


def test_cast_write_failure_names_the_cast_path_not_o(tmp_path):
    from audiobook.model import NARRATOR, Cast, CastEntry
    from audiobook.speakers.castfile import write_cast_file

    with pytest.raises(OutputError, match="choose another cast file path$"):
        write_cast_file(Cast(CastEntry(NARRATOR, "en")), tmp_path / ("c" * 240))
    assert os.listdir(tmp_path) == []
