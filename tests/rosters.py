"""The roster and the speakers of an invented passage, as the attribution tests read them."""

from __future__ import annotations

from audiobook.model import Cast, Character, Roster
from audiobook.speakers import attribution, roster
from audiobook.text import quotes


def build(text: str, cast: Cast | None = None) -> Roster:
    return roster.build_roster(text, quotes.find_quotes(text), cast)


def who(r: Roster, alias: str) -> Character | None:
    """The character that goes by this name, or None."""
    return next((c for c in r.characters if alias == c.name or alias in c.aliases), None)


def speakers(text: str, cast: Cast | None = None) -> list[str | None]:
    """The speaker of each speech quote, in order."""
    return [speaker for speaker, _ in decided(text, cast)]


def decided(text: str, cast: Cast | None = None) -> list[tuple[str | None, str]]:
    """The speaker of each speech quote and the sieve rule that decided it, in order."""
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found, cast))
    return [(a.speaker, a.rule) for q, a in zip(found, said, strict=True) if q.is_speech]
