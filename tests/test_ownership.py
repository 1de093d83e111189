"""The output folder belongs to the user: real builds (fake voice, real ffmpeg) into folders
holding other files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from audiobook.fsutil import LOCK_NAME, atomic_path, build_lock, new_partial

ONE = "Chapter 1\n\nAnna opened the door.\n\nChapter 2\n\nTom came in from the rain.\n"
OTHER = "Chapter 1\n\nA different book begins here.\n"


@pytest.fixture
def build(audiobook):
    """``build(tmp_path, text_file, out, *options, code=0)``: `audiobook build` on the fake
    engine (what is tested is the folder, not the voice), its exit status checked."""

    def run(tmp_path: Path, text_file: Path, out: Path, *extra, code: int = 0):
        done = audiobook(
            "build",
            text_file,
            "-o",
            out,
            "--cache-dir",
            tmp_path / "cache",
            "--quiet",
            "--engine",
            "fake",
            *extra,
        )
        assert done.returncode == code, done.stderr
        if code:
            lines = done.stderr.splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
        return done

    return run


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(ONE, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_manifest_we_did_not_write_deletes_nothing(tmp_path, story, build):
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"four years of work")
    (out / "photo.jpg").write_bytes(b"\xff\xd8 a photo")
    forged = {"chapters": [{"file": "thesis.docx"}, {"file": "photo.jpg"}]}
    (out / "manifest.json").write_text(json.dumps(forged))
    before = snapshot(out)
    done = build(tmp_path, story, out, code=1)
    assert "manifest.json" in done.stderr and "not written by audiobook" in done.stderr
    assert snapshot(out) == before


def test_a_user_file_with_a_chapter_name_is_never_overwritten(tmp_path, story, build):
    out = tmp_path / "out"
    out.mkdir()
    (out / "01 - Chapter 1.mp3").write_bytes(b"my own recording")
    done = build(tmp_path, story, out, code=1)
    assert "01 - Chapter 1.mp3" in done.stderr
    assert (out / "01 - Chapter 1.mp3").read_bytes() == b"my own recording"
    assert not (out / "02 - Chapter 2.mp3").exists()


def test_a_second_book_is_refused_then_replaces_only_our_files_with_force(tmp_path, story, build):
    out = tmp_path / "out"
    build(tmp_path, story, out, "--subtitles", "srt")
    (out / "notes.txt").write_text("mine")
    first = snapshot(out)
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    done = build(tmp_path, other, out, code=1)
    assert "another book" in done.stderr and "--force" in done.stderr
    assert snapshot(out) == first
    build(tmp_path, other, out, "--force")
    names = sorted(p.name for p in out.iterdir())
    assert names == ["01 - Chapter 1.mp3", "manifest.json", "notes.txt"]
    assert (out / "notes.txt").read_text() == "mine"


def test_switching_to_m4b_is_refused_without_force(tmp_path, story, build):
    out = tmp_path / "out"
    build(tmp_path, story, out)
    mp3s = snapshot(out)
    done = build(tmp_path, story, out, "--format", "m4b", code=1)
    assert "mp3" in done.stderr and "--force" in done.stderr
    assert snapshot(out) == mp3s
    build(tmp_path, story, out, "--format", "m4b", "--force")
    assert [p.suffix for p in out.iterdir() if p.suffix in (".mp3", ".m4b")] == [".m4b"]


def test_stale_subtitles_go_with_the_build_that_no_longer_writes_them(tmp_path, story, build):
    out = tmp_path / "out"
    build(tmp_path, story, out, "--subtitles", "srt")
    assert len(list(out.glob("*.srt"))) == 2
    build(tmp_path, story, out)
    assert list(out.glob("*.srt")) == []
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tool"] == "audiobook" and manifest["tool_version"]
    assert {f["name"] for f in manifest["files"]} == {p.name for p in out.glob("*.mp3")}


def test_the_filesystem_root_is_refused(tmp_path, story, build):
    done = build(tmp_path, story, Path("/"), code=1)
    assert "filesystem root" in done.stderr


def test_a_manifest_entry_of_the_wrong_shape_only_costs_work(tmp_path, story, build):
    out = tmp_path / "out"
    build(tmp_path, story, out)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["chapters"][0]["blocks"] = "x"
    manifest["chapters"][1] = 5
    manifest["voice_gains"] = [1, 2]
    manifest["files"].append({"name": "../../etc/passwd", "stat": [1, 2]})
    (out / "manifest.json").write_text(json.dumps(manifest))
    build(tmp_path, story, out)
    assert len(list(out.glob("*.mp3"))) == 2


def test_the_lock_is_removed_after_the_build_and_never_followed(tmp_path, story, build):
    out = tmp_path / "out"
    build(tmp_path, story, out)
    assert not (out / LOCK_NAME).exists()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / LOCK_NAME).symlink_to(victim)
    done = build(tmp_path, story, out, code=1)
    assert LOCK_NAME in done.stderr
    assert victim.read_text() == "precious"


def test_the_lock_still_refuses_a_concurrent_build(tmp_path):
    with build_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).exists()
        with pytest.raises(Exception, match="another build"), build_lock(tmp_path):
            pass
    assert not (tmp_path / LOCK_NAME).exists()


def test_temporaries_are_never_opened_through_a_planted_symlink(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    tokens = iter(["aaaa", "bbbb"])
    monkeypatch.setattr("audiobook.fsutil._token", lambda: next(tokens))
    final = tmp_path / "01 - Chapter 1.mp3"
    planted = final.with_name(f".{final.name}.partial-{os.getpid()}-aaaa")
    planted.symlink_to(victim)
    tmp = new_partial(final)
    assert tmp.name.endswith("-bbbb") and tmp.is_file() and not tmp.is_symlink()
    tokens = iter(["cccc"])
    with atomic_path(final) as path:
        path.write_bytes(b"audio")
    assert final.read_bytes() == b"audio" and victim.read_text() == "precious"
