"""Segments to clips: the exact text and voice settings each piece of audio is made of."""

from __future__ import annotations

import re
from collections.abc import MutableMapping

from audiobook.model import Cast, Clip, Script
from audiobook.speakers.casting import voice_settings
from audiobook.text.lexicon import Lexicon
from audiobook.text.normalize import spoken_text

_WORD = re.compile(r"\w")


def make_clips(
    script: Script,
    cast: Cast,
    lexicon: Lexicon | None,
    spoken: MutableMapping[tuple[str, str], str] | None = None,
) -> list[Clip]:
    """One Clip per segment, in script order (chapter index, segment index).

    ``spoken`` remembers normalised texts by (text, language), across builds.
    """
    out: list[Clip] = []
    memo: MutableMapping[tuple[str, str], str] = {} if spoken is None else spoken
    for c, chapter in enumerate(script.chapters):
        for s, seg in enumerate(chapter.segments):
            text = lexicon.apply(seg.text, seg.language) if lexicon is not None else seg.text
            said = memo.get((text, seg.language))
            if said is None:
                said = memo[text, seg.language] = spoken_text(text, seg.language)
            out.append(Clip(said, voice_settings(cast, seg), c, s))
    return out


def speakable(clip: Clip) -> bool:
    """False for a clip with no word in it (a lone dash): it becomes a pause, not audio."""
    return bool(_WORD.search(clip.text))
