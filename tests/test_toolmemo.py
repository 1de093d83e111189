"""What espeak-ng says about itself is kept in the cache folder, for that program file only
(a real espeak-ng behind a wrapper script whose file we change)."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from audiobook import toolmemo
from audiobook.audio.engines import espeak_catalog


def _forget() -> None:
    """Drop the answers this process holds, as a new process starts without them."""
    espeak_catalog.base_voices.cache_clear()
    espeak_catalog.variants.cache_clear()
    espeak_catalog.espeak_version.cache_clear()


@pytest.fixture
def fresh_catalog(monkeypatch, tmp_path):
    """A wrapper `espeak-ng` first on PATH that counts its runs, and no answer in memory."""
    real = shutil.which("espeak-ng")
    assert real is not None
    bin_dir, runs = tmp_path / "bin", tmp_path / "runs.log"
    bin_dir.mkdir()
    wrapper = bin_dir / "espeak-ng"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {runs}\nexec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    _forget()
    yield wrapper, runs
    toolmemo.keep_in(None)
    _forget()


def _ask_all() -> tuple:
    answers = (
        espeak_catalog.base_voices(),
        espeak_catalog.variants(),
        espeak_catalog.espeak_version(),
    )
    _forget()  # as a new process would
    return answers


def _runs(log: Path) -> list[str]:
    return log.read_text().splitlines() if log.exists() else []


def test_espeak_answers_are_kept_for_the_same_program_and_asked_again_when_it_changes(
    fresh_catalog, tmp_path
):
    wrapper, runs = fresh_catalog
    memo = tmp_path / "cache"
    toolmemo.keep_in(memo)
    first = _ask_all()
    assert _runs(runs) == ["--voices", "--voices=variant", "--version"]
    assert "en-us" in first[0] and "f3" in first[1] and first[2].startswith("eSpeak NG")
    kept = sorted(p.name for p in memo.iterdir())
    assert kept == ["espeak-ng--version.json", "espeak-ng--voices-variant.json",
                    "espeak-ng--voices.json"]  # fmt: skip
    assert _ask_all() == first  # the next run: the same answers, espeak-ng not started
    assert len(_runs(runs)) == 3
    # A different program file (another size and time, as an upgrade makes): asked again.
    wrapper.write_text(wrapper.read_text() + "# upgraded\n")
    os.utime(wrapper, ns=(wrapper.stat().st_atime_ns, wrapper.stat().st_mtime_ns + 10**9))
    assert _ask_all() == first
    assert _runs(runs)[3:] == ["--voices", "--voices=variant", "--version"]
    stamp = json.loads((memo / "espeak-ng--voices.json").read_text())["program"]
    assert stamp[1:] == [wrapper.stat().st_size, wrapper.stat().st_mtime_ns]


def test_a_damaged_memo_is_asked_again_and_without_a_folder_nothing_is_kept(
    fresh_catalog, tmp_path
):
    _, runs = fresh_catalog
    memo = tmp_path / "cache"
    memo.mkdir()
    (memo / "espeak-ng--voices.json").write_text("{not json")
    toolmemo.keep_in(memo)
    assert "en-us" in espeak_catalog.base_voices()
    assert _runs(runs) == ["--voices"]
    assert json.loads((memo / "espeak-ng--voices.json").read_text())["answer"].startswith("Pty")
    toolmemo.keep_in(None)  # a dry run: asked, nothing written
    espeak_catalog.variants.cache_clear()
    assert "f3" in espeak_catalog.variants()
    assert not (memo / "espeak-ng--voices-variant.json").exists()
