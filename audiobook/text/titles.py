"""What a quoted title looks like: a few words, each significant one capitalised.

``"The Raven"`` or ``"A Tale of Two Cities"`` in quotes is a title, read as
narration; ``"Come in"`` is speech. Small words (articles, short prepositions
and conjunctions) may stay lower case in a title.
"""

from __future__ import annotations

TITLE_MAX_WORDS = 8
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "and",
        "or",
        "but",
        "nor",
        "by",
        "with",
        "from",
        "as",
        "into",
        "de",
        "del",
        "la",
        "el",
        "los",
        "las",
        "le",
        "les",
        "des",
        "du",
        "et",
        "y",
        "en",
        "un",
        "une",
    ]
)


def title_case(words: list[str]) -> bool:
    """Title case: two or more words, every significant one capitalised."""
    significant = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(significant) and len(words) >= 2 and all(w[0].isupper() for w in significant)
