"""How far apart two cast voices sound, and who talks to whom.

Casting uses these to keep apart the voices a listener must tell apart:
two characters who converse, and every character and the narrator. Pitch is
the cue listeners rely on most, so distance is measured in semitones of
median pitch, with some credit for a different voice family (formants,
breathiness) and a different accent.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from audiobook.model import NARRATOR, Script

TARGET = 3.0  # semitones (or credit) two voices that must be told apart should differ by
FAMILY_CREDIT = 1.0  # a different variant family sounds different even at one pitch
ACCENT_CREDIT = 0.5
TURN_GAP = 3  # narration segments between two quotes that still make them one exchange


@dataclass(frozen=True)
class Voice:
    """A voice as cast: id and pitch, with what the engine says about how it sounds."""

    voice: str
    pitch: int | None
    hz: float | None  # expected median pitch; None when the engine cannot say
    family: str
    accent: str


def describe(engine, voice: str, pitch: int | None) -> Voice:
    return Voice(
        voice, pitch, engine.pitch_hz(voice, pitch), engine.family(voice), voice.split("+")[0]
    )


def semitones(a: Voice, b: Voice) -> float | None:
    if not a.hz or not b.hz:
        return None
    return abs(12 * math.log2(a.hz / b.hz))


def separation(a: Voice, b: Voice) -> float:
    """0 for the same voice; TARGET or more for voices nobody confuses."""
    apart = semitones(a, b)
    if apart is None:  # an engine that cannot say: only a different family counts
        return TARGET if a.family != b.family else 0.0
    apart += FAMILY_CREDIT if a.family != b.family else 0.0
    return apart + (ACCENT_CREDIT if a.accent != b.accent else 0.0)


def conversations(script: Script) -> Counter[frozenset[str]]:
    """How often each pair of speakers take turns: quote after quote, a few lines apart."""
    pairs: Counter[frozenset[str]] = Counter()
    for chapter in script.chapters:
        last, gap = None, 0
        for seg in chapter.segments:
            if seg.kind != "dialogue" or not seg.speaker:
                gap += 1
                continue
            if last is not None and last != seg.speaker and gap <= TURN_GAP:
                pairs[frozenset((last, seg.speaker))] += 1
            last, gap = seg.speaker, 0
    return pairs


def partners(pairs: Counter[frozenset[str]], lines: Counter[str]) -> dict[str, Counter[str]]:
    """For each speaker, how much they must differ from each other: turns taken together.

    Every character is heard right after the narrator's narration, so the narrator
    weighs as much as all of that character's lines.
    """
    out: dict[str, Counter[str]] = {}
    for pair, count in pairs.items():
        a, b = tuple(pair)
        out.setdefault(a, Counter())[b] += count
        out.setdefault(b, Counter())[a] += count
    for name, count in lines.items():
        if name != NARRATOR:
            out.setdefault(name, Counter())[NARRATOR] += max(count, 1)
    return out
