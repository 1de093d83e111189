"""Parallel rendering in spawned workers, against real espeak-ng."""

from __future__ import annotations

import wave

import pytest

from audiobook.audio.cache import ClipCache, clip_key
from audiobook.audio.engines import get_engine
from audiobook.audio.render import Job, render_jobs
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


@pytest.fixture(scope="module")
def version():
    return get_engine().version()


def jobs_for(lines, version):
    out = []
    for n, (text, voice) in enumerate(lines):
        clip = Clip(text, VoiceSettings(voice), 0, n)
        out.append(Job(clip_key(clip, "pyttsx3", version), text, clip.settings, f"line {n + 1}"))
    return out


def samples(path) -> bytes:
    with wave.open(str(path)) as w:
        return w.readframes(w.getnframes())


def test_a_clip_rendered_in_a_batch_is_identical_to_it_rendered_alone(tmp_path, version):
    jobs = jobs_for(LINES, version)
    batch = render_jobs(jobs, ClipCache(tmp_path / "a", "pyttsx3", version), "pyttsx3", 2)
    assert set(batch) == {j.key for j in jobs}
    for job in (jobs[3], jobs[5]):  # each came after other lines in its worker
        alone = render_jobs(
            [job], ClipCache(tmp_path / f"b{job.key}", "pyttsx3", version), "pyttsx3", 1
        )
        assert samples(alone[job.key].path) == samples(batch[job.key].path)


def test_progress_counts_every_clip_and_stats_are_measured(tmp_path, version):
    jobs = jobs_for(LINES, version)
    seen = []
    out = render_jobs(jobs, ClipCache(tmp_path, "pyttsx3", version), "pyttsx3", 2, seen.append)
    assert sum(seen) == len(jobs)
    for clip in out.values():
        with wave.open(str(clip.path)) as w:
            assert w.getnframes() == clip.frames and w.getframerate() == clip.rate == 22050
        assert 0.05 < clip.peak <= 1.0 and clip.sumsq > 0


def test_a_clip_the_engine_cannot_render_names_its_line(tmp_path, version):
    jobs = jobs_for(LINES[:3], version) + [
        Job(
            "f" * 40,
            "Fine words.",
            VoiceSettings("xx-nowhere+f3"),
            "chapter 2 ('Night'), book.txt at offset 120: 'Fine words.'",
        )
    ]
    with pytest.raises(
        EngineError,
        match=r"could not render chapter 2 \('Night'\).*Fine words.*"
        r"unknown voice",
    ):
        render_jobs(jobs, ClipCache(tmp_path, "pyttsx3", version), "pyttsx3", 2)
    assert not [p for p in tmp_path.rglob("*") if ".partial-" in p.name]
