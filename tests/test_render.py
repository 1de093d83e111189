"""Rendering through the clip cache, in this process or in spawned worker processes."""

from __future__ import annotations

import os

import fake_engine
import pytest
import soundfile

from audiobook.audio.cache import ClipCache, clip_key
from audiobook.audio.engines import get_engine
from audiobook.audio.render import IN_PROCESS_MAX, Job, render_jobs
from audiobook.errors import EngineError
from audiobook.model import Clip, VoiceSettings

LINES = [
    ("It was the best of times, it was the worst of times.", "en-us+f3"),
    ("Hola, ¿cómo estás esta mañana?", "es+f3"),
    ("He said nothing at all, and walked away into the night.", "en-gb+m3"),
    ("The letters lay unopened on the table.", "en-us+f3"),
    ("Nobody answered the door.", "en-us+m1"),
    ("A storm was coming from the sea.", "en-gb+m3"),
]
# Enough distinct lines that render_jobs hands them to a pool of workers.
MANY = [(f"{text} (take {n})", voice) for n in range(6) for text, voice in LINES]


def jobs_for(lines, engine: str, version: str) -> list[Job]:
    out = []
    for n, (text, voice) in enumerate(lines):
        clip = Clip(text, VoiceSettings(voice), 0, n)
        out.append(Job(clip_key(clip, engine, version), text, clip.settings, f"line {n + 1}"))
    return out


def samples(path) -> bytes:
    # clips are stored as FLAC: compare the decoded samples
    return soundfile.read(str(path), dtype="int16")[0].tobytes()


@pytest.mark.processes
def test_a_long_list_is_rendered_by_spawned_workers(tmp_path, monkeypatch):
    assert len(MANY) > IN_PROCESS_MAX
    log = tmp_path / "rendered.log"
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(log))
    monkeypatch.setattr(fake_engine, "PARENT_MARK", "parent")  # a forked child would inherit it
    jobs = jobs_for(MANY, "fake", "fake 1")
    out = render_jobs(jobs, ClipCache(tmp_path / "cache", "fake", "fake 1"), "fake", 2)
    assert set(out) == {j.key for j in jobs}
    rows = [line.split(" ", 2) for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(text for _, _, text in rows) == sorted(j.text for j in jobs)
    assert {pid for pid, _, _ in rows} - {str(os.getpid())} == {pid for pid, _, _ in rows}
    assert {mark for _, mark, _ in rows} == {"None"}  # fresh interpreters: spawned, not forked


def test_a_short_list_is_rendered_here_without_starting_workers(tmp_path, monkeypatch):
    log = tmp_path / "rendered.log"
    monkeypatch.setenv("FAKE_ENGINE_LOG", str(log))
    jobs = jobs_for(LINES, "fake", "fake 1")
    render_jobs(jobs, ClipCache(tmp_path / "cache", "fake", "fake 1"), "fake", 2)
    pids = {line.split(" ", 1)[0] for line in log.read_text(encoding="utf-8").splitlines()}
    assert pids == {str(os.getpid())}


@pytest.mark.processes  # MANY clips: spawned workers report them a batch at a time
def test_progress_counts_every_clip_and_stats_are_measured(tmp_path):
    jobs = jobs_for(MANY, "fake", "fake 1")
    seen: list[int] = []
    out = render_jobs(jobs, ClipCache(tmp_path, "fake", "fake 1"), "fake", 2, seen.append)
    assert sum(seen) == len(jobs)
    for clip in out.values():
        info = soundfile.info(str(clip.path))
        assert info.frames == clip.frames and info.samplerate == clip.rate == 22050
        assert 0.05 < clip.peak <= 1.0 and clip.sumsq > 0


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(LINES[:3], id="here"),
        pytest.param(MANY, id="in workers", marks=pytest.mark.processes),
    ],
)
def test_a_clip_the_engine_cannot_render_names_its_line(tmp_path, lines):
    jobs = jobs_for(lines, "fake", "fake 1") + [
        Job(
            "f" * 40,
            "Fine words.",
            VoiceSettings("xx-nowhere+f3"),
            "chapter 2 ('Night'), book.txt at offset 120: 'Fine words.'",
        )
    ]
    with pytest.raises(
        EngineError,
        match=r"could not render chapter 2 \('Night'\).*Fine words.*unknown voice",
    ):
        render_jobs(jobs, ClipCache(tmp_path, "fake", "fake 1"), "fake", 2)
    assert not [p for p in tmp_path.rglob("*") if ".partial-" in p.name]


@pytest.mark.slow
def test_espeak_renders_a_clip_the_same_in_a_worker_as_alone(tmp_path):
    version = get_engine().version()
    jobs = jobs_for(MANY, "pyttsx3", version)
    batch = render_jobs(jobs, ClipCache(tmp_path / "a", "pyttsx3", version), "pyttsx3", 2)
    assert set(batch) == {j.key for j in jobs}
    for job in (jobs[3], jobs[-1]):  # each came after other lines in its worker
        alone = render_jobs(
            [job], ClipCache(tmp_path / f"b{job.key}", "pyttsx3", version), "pyttsx3", 1
        )
        assert samples(alone[job.key].path) == samples(batch[job.key].path)
