"""Curly apostrophes read as straight ones, for the readers of names and speech tags.

Books type the apostrophe either way: "O'Brien", "the boy's mother" or "O’Brien",
"the boy’s mother". The roster and the tag reader are written for the straight mark, so
they read a copy of the text in which every ’ that is an apostrophe is ' (same length:
every offset, every quote's span, still points into the book). The quote finder keeps
reading the book itself, where a ’ may close a single-quoted line.
"""

from __future__ import annotations

import re

# An apostrophe, not a closing single quote: a letter on both sides (O’Brien, d’Artagnan,
# the boy’s, don’t), or a plural's possessive before the word it qualifies (the boys’
# mother, Dickens’ novels). A quote that closes after an s is followed by punctuation or a
# tag's capital or verb, not often by a bare lowercase noun.
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])\u2019(?=[^\W\d_])|(?<=s)\u2019(?=[ \t]+[a-z])")


def plain_apostrophes(text: str) -> str:
    """The text with its curly apostrophes straight, the same length."""
    if "\u2019" not in text:
        return text
    return _APOSTROPHE.sub("'", text)


def plain_name(name: str) -> str:
    """A name as the plain copy spells it: within a name every ’ is an apostrophe."""
    return name.replace("\u2019", "'")


def book_spellings(book: str, plain: str, names: set[str]) -> dict[str, str]:
    """How the book spells each name read from its plain copy, where it differs: the
    spelling found most often at the offsets where the plain copy has the name
    ("O'Brien" -> "O’Brien"), so a listener's cast rows and script show the book's own."""
    if book == plain:
        return {}
    out = {}
    for name in names:
        if "'" not in name:
            continue
        seen: dict[str, int] = {}
        # A name may run over a line break ("the cardinal’s\nwill").
        for m in re.finditer(r"\s+".join(map(re.escape, name.split())), plain):
            written = " ".join(book[m.start() : m.end()].split())
            seen[written] = seen.get(written, 0) + 1
        if seen:
            best = max(seen, key=lambda s: (seen[s], s != name))
            if best != name:
                out[name] = best
    return out
