"""Cut long text into pieces at sentence ends, then at spaces.

One splitter for everything that needs text in bounded pieces: an engine
speaking a long paragraph in utterances, subtitles cutting a segment into
cues. Both cut the same way, so a cue is never split mid-sentence where
speech is not.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at sentence ends, then spaces."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        if pieces and len(pieces[-1]) + 1 + len(sentence) <= limit:
            pieces[-1] = f"{pieces[-1]} {sentence}"
        elif sentence:
            pieces.append(sentence)
    return [p for p in pieces if p.strip()]
