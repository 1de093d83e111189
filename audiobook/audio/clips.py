"""Segments to clips: the exact text and voice settings each piece of audio is made of."""

from __future__ import annotations

import re

from audiobook.model import Cast, Clip, Script, VoiceSettings

try:
    from audiobook.text.normalize import spoken_text
except ImportError:  # pragma: no cover - normalisation is another module, optional here

    def spoken_text(text: str, language: str) -> str:
        return " ".join(text.split())


_WORD = re.compile(r"\w")


def make_clips(script: Script, cast: Cast, lexicon) -> list[Clip]:
    """One Clip per segment, in script order (chapter index, segment index)."""
    out: list[Clip] = []
    for c, chapter in enumerate(script.chapters):
        for s, seg in enumerate(chapter.segments):
            text = lexicon.apply(seg.text, seg.language) if lexicon is not None else seg.text
            entry = cast.entry(seg.speaker)
            settings = VoiceSettings(seg.voice or entry.voice, entry.rate, entry.pitch)
            out.append(Clip(spoken_text(text, seg.language), settings, c, s))
    return out


def speakable(clip: Clip) -> bool:
    """False for a clip with no word in it (a lone dash): it becomes a pause, not audio."""
    return bool(_WORD.search(clip.text))
