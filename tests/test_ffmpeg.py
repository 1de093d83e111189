"""ffmpeg is checked once, up front, with the encoders a build needs (real programs on PATH)."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from audiobook.errors import ToolMissingError
from audiobook.ffmpeg import encoders, require_ffmpeg


def _tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_the_installed_ffmpeg_has_both_encoders():
    tools = require_ffmpeg("mp3", "aac")
    assert Path(tools.ffmpeg).name == "ffmpeg" and Path(tools.ffprobe).name == "ffprobe"
    assert {"libmp3lame", "aac"} <= encoders(tools.ffmpeg)


def test_missing_ffmpeg_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ToolMissingError, match="ffmpeg and ffprobe not found.*apt-get install"):
        require_ffmpeg("mp3")


def test_an_ffmpeg_without_lame_is_refused_before_any_work(monkeypatch, tmp_path):
    # An ffmpeg built without libmp3lame: it lists its encoders, but not the MP3 one.
    _tool(tmp_path, "ffmpeg", 'echo " A..... aac   AAC (Advanced Audio Coding)"')
    _tool(tmp_path, "ffprobe", "exit 0")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert shutil.which("ffmpeg") == str(tmp_path / "ffmpeg")
    assert require_ffmpeg("aac").ffmpeg == str(tmp_path / "ffmpeg")  # AAC alone is there
    with pytest.raises(ToolMissingError, match=r"no MP3 encoder \(libmp3lame\).*apt-get"):
        require_ffmpeg("mp3")


def test_the_encoder_list_is_remembered_for_the_same_program_only(monkeypatch, tmp_path):
    bin_dir, memo = tmp_path / "bin", tmp_path / "cache"
    bin_dir.mkdir()
    _tool(bin_dir, "ffmpeg", 'echo " A..... aac   AAC (Advanced Audio Coding)"')
    _tool(bin_dir, "ffprobe", "exit 0")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert require_ffmpeg("aac", memo=memo).ffmpeg == str(bin_dir / "ffmpeg")
    assert (memo / "ffmpeg-encoders.json").is_file()
    # The same ffmpeg gains LAME: a new program (size and time), so it is asked again.
    _tool(bin_dir, "ffmpeg", 'echo " A....D libmp3lame  MP3 (MPEG audio layer 3)"')
    assert require_ffmpeg("mp3", memo=memo).ffmpeg == str(bin_dir / "ffmpeg")
    with pytest.raises(ToolMissingError, match="no AAC encoder"):
        require_ffmpeg("aac", memo=memo)
