"""A name found as a whole word in a book, case aside, without reading the book once per name.

``re.finditer(rf"(?<!\\w){re.escape(name)}(?!\\w)", text, re.IGNORECASE)`` is what the cast
readers mean, but Python's re has no fast search for a case-blind literal: it steps through
every character, about 15 ms a name on Monte Cristo, and a names-only cast asks it for every
described speaker the cast leaves out (183 on Monte Cristo, 2.7 s). The book lowered once is
searched with ``str.find`` instead, and each hit checked by that same expression, so the
matches are the same ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Letters re's case folding ties to an ASCII letter though str.lower() does not lower them to
# it (dotted and dotless i, long s, the Kelvin sign): a text with one is searched by re alone.
_ODD_CASES = "\u0130\u0131\u017f\u212a"


class WordFinder:
    """Where names stand as whole words in one text, case aside."""

    def __init__(self, text: str):
        self.text = text
        low = text.lower()
        # Letter for letter, the lowered copy says where an ASCII name may match, when
        # lowering kept every offset and no letter folds otherwise.
        same = len(low) == len(text) and not any(c in text for c in _ODD_CASES)
        self._low = low if same else None

    def starts(self, name: str) -> Iterator[int]:
        """Where ``name`` occurs, as re.finditer of the case-blind whole-word expression
        would find it: in order, never overlapping."""
        rx = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        if self._low is None or not name.isascii():
            yield from (m.start() for m in rx.finditer(self.text))
            return
        key, at = name.lower(), 0
        while (at := self._low.find(key, at)) >= 0:
            m = rx.match(self.text, at)
            if m is None:
                at += 1
                continue
            yield at
            at = max(m.end(), at + 1)

    def occurs(self, name: str) -> bool:
        return next(self.starts(name), None) is not None
