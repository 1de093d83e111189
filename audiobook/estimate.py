"""What a build would make, before anything renders (`audiobook build --dry-run`).

Duration comes from the words each voice says at its rate plus the planned pauses; the
size from the profile's bit rate; the build time from how many clips the cache lacks and
the speeds measured in bench/README.md (speech ~450x real time per core, encoding
~150x). Estimates, said as such: espeak's real pace depends on the words.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.audio.assemble import Pauses
from audiobook.audio.cache import ClipCache, default_cache_dir
from audiobook.audio.clips import make_clips, speakable
from audiobook.audio.mastering import aac_profile, get_profile

DEFAULT_WPM = 175  # espeak-ng's rate when a voice sets none
RENDER_X_PER_CORE = 450.0  # seconds of speech rendered per second, one core
ENCODE_X_PER_CORE = 150.0  # seconds of audio encoded per second, one core (LAME or AAC)
STARTUP_S = 6.0  # reading, attribution, engine start, lingua


@dataclass
class ChapterPlan:
    title: str
    source: str
    words: int
    seconds: float
    speakers: list[str]  # most lines first, narrator excluded


@dataclass
class BuildEstimate:
    chapters: list[ChapterPlan]
    lines: dict[str, int]  # speaker -> dialogue segments; "narrator" -> narration segments
    seconds: float  # of audio
    bytes: int
    build_seconds: float
    clips: int
    cached: int
    format: str
    profile: str
    bitrate_k: int
    jobs: int
    warnings: list[str] = field(default_factory=list)


def estimate_build(
    prepared,
    fmt: str = "mp3",
    profile_name: str = "acx",
    cache_dir: Path | None = None,
    jobs: int | None = None,
    pauses: Pauses | None = None,
) -> BuildEstimate:
    """Plan the build of ``prepared`` without rendering or writing anything."""
    profile = get_profile(profile_name)
    pauses = pauses or Pauses()
    jobs = jobs or os.cpu_count() or 1
    script = prepared.script
    tts = prepared.tts
    version = tts.version() if tts is not None else ""
    stamp = tts.voice_stamp if tts is not None else None
    cache = ClipCache(
        cache_dir or default_cache_dir(), prepared.engine_name, version, False, voice_stamp=stamp
    )
    clips = [c for c in make_clips(script, prepared.cast, prepared.lexicon) if speakable(c)]
    keys = {cache.key(c): c for c in clips}
    missing = [k for k in keys if not cache.contains(k)]

    speech = [0.0] * len(script.chapters)
    for clip in clips:
        wpm = clip.settings.rate or DEFAULT_WPM
        speech[clip.chapter] += len(clip.text.split()) * 60.0 / wpm
    chapters, lines = [], {"narrator": 0}
    for c, chapter_script in enumerate(script.chapters):
        who: dict[str, int] = {}
        words = 0
        silence = pauses.head + pauses.tail
        for seg in chapter_script.segments:
            words += len(seg.text.split())
            silence += pauses.before(seg.boundary)
            if seg.kind == "dialogue" and seg.speaker:
                who[seg.speaker] = who.get(seg.speaker, 0) + 1
            else:
                lines["narrator"] += 1
        for name, count in who.items():
            lines[name] = lines.get(name, 0) + count
        chapter = chapter_script.chapter
        ranked = sorted(who, key=lambda n: -who[n])
        chapters.append(
            ChapterPlan(chapter.title, chapter.source, words, speech[c] + silence, ranked)
        )
    seconds = sum(ch.seconds for ch in chapters)
    bitrate_k = profile.bitrate_k
    if fmt == "m4b":
        bitrate_k = aac_profile(profile, _speech_rate(tts, clips)).aac_bitrate_k
    render_s = sum(
        len(keys[k].text.split()) * 60.0 / (keys[k].settings.rate or DEFAULT_WPM) for k in missing
    )
    build_s = STARTUP_S + (render_s / RENDER_X_PER_CORE + seconds / ENCODE_X_PER_CORE) / jobs
    return BuildEstimate(
        chapters=chapters,
        lines=dict(sorted(lines.items(), key=lambda kv: (kv[0] != "narrator", -kv[1]))),
        seconds=seconds,
        bytes=int(seconds * bitrate_k * 1000 / 8),
        build_seconds=build_s,
        clips=len(keys),
        cached=len(keys) - len(missing),
        format=fmt,
        profile=profile.name,
        bitrate_k=bitrate_k,
        jobs=jobs,
        warnings=list(prepared.warnings),
    )


def _speech_rate(tts, clips) -> int:
    """The rate the book will be assembled at, as the engine knows its voices' rates.

    An M4B is encoded at that rate (see ``aac_profile``), so its size depends on it."""
    rates = {tts.sample_rate(c.settings.voice) for c in clips} if tts is not None else {None}
    if None in rates or not rates:
        return 0  # unknown: the profile's own rate and bit rate, an upper bound
    return max(r for r in rates if r is not None)
