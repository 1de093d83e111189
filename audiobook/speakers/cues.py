"""What the narration around a quote says about whom it goes on from or answers.

The sieve's tag rules ask these when a tag alone is not enough: a new sentence ending in
a colon leads in the next quote, not the last one ('I said: "..." He said: "..."'); a
description that "went on" is the one who was speaking; a line that answers another was
said by whom that line was said to ('"Snake, what's this?" inquired Jim.' / 'replied the
leader').
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR, Quote
from audiobook.text import quotes

if TYPE_CHECKING:
    from audiobook.speakers.sieve import Para


def leads_in(text: str, q: Quote, post: str) -> bool:
    """Whether the narration after a quote leads in the next quote instead of tagging this
    one (quotes.leads_in)."""
    return quotes.leads_in(text[q.start : q.end], post)


# A tag saying the speaker goes on: 'continued the prostrate man', 'the old man went on:'.
_GO_ON = r"(?:continued|went\s+on|resumed|pursued)\b"
_GOES_ON = re.compile(
    rf"^[\s,;—–-]*(?:{_GO_ON}|(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)\s+(?:[\w'’-]+\s+){{0,4}}?{_GO_ON})"
)
_GOES_ON_SPAN = 1500  # a short stretch of narration (a paragraph or two) in between
_INTERJECTION = 12  # words: "Tell me.", "Here is the man," -- the one interrupted goes on


def goes_on(p: Para, n: int, tag: str) -> tuple[str, int] | None:
    """Who this quote goes on from, and where their words began, when its tag says the
    speaker goes on after a pause in narration ('The lad stood before Durbeyfield ...'): the
    last speaker before it, or, when that was a short interjection ('"Tell me."'), whoever
    was speaking before it. Right after another's line, the one who goes on is someone
    interrupted, not the one who spoke last."""
    if n > 0 or not _GOES_ON.match(tag) or p.talk.run:
        return None
    spoke = p.talk.spoke
    if spoke and spoke[-1][3] < _INTERJECTION:
        spoke = spoke[:-1]
    if not spoke or p.quotes[p.members[0]].outer_start - spoke[-1][2] > _GOES_ON_SPAN:
        return None
    return spoke[-1][0], spoke[-1][1]


# '"Grandfather, why aren't you eating?" Emelyan asked him.': the tag says whom, by pronoun.
_ASKED = re.compile(
    r"^[^.!?;:\"“”]*?\b(?:asked|told|answered|said\s+to|replied\s+to|whispered\s+to|called\s+to|"
    r"cried\s+to|shouted\s+to|inquired\s+of)\s+(him|her)\b"
)


def asked_of(p: Para, tag: str, speaker: str | None) -> str | None:
    """Whom a tag says its quote was asked of by pronoun ('Emelyan asked him'): the latest
    person of that gender in view other than the speaker ('Panteley was sitting apart')."""
    m = _ASKED.match(tag)
    if m is None:
        return None
    gender = "male" if m.group(1).lower() == "him" else "female"
    view = [*(w for _, w, _ in p.local), *p.talk.focus]
    return next(
        (w for w in view if w not in (speaker, NARRATOR) and p.book.gender.get(w) == gender), None
    )


def answers(p: Para, n: int, start: int) -> tuple[str, int] | None:
    """Whom the line before was said to ('"Snake, what's this here deal?" inquired Jim.'),
    when this quote opens the next paragraph of the talk and so answers it, and where the
    line before began."""
    talk = p.talk
    spoken_to = talk.last_addressee or talk.last_asked
    if n or not talk.run or not talk.spoke or spoken_to is None:
        return None
    if p.book.text[p.bounds[0] : start].strip():
        return None  # narration first: someone else may step in
    return spoken_to, talk.spoke[-1][1]
