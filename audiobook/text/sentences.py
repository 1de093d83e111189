"""Where a sentence of narration ends, for the rules that read one sentence at a time.

The tag reader reads the clause that leads in to a quote ('... Mr. Jaggers turned. He
said:'), the newcomer finder the sentence that brings a described person in, the turn
reader the last sentence of narration between two lines of talk. They once each had their
own stop and their own few abbreviations, so "Mme. Danglars" was one sentence to one rule
and two to another; this is the one reading all of them use.

A sentence ends at a stop (. ! ? or an ellipsis), with any closing quotes or brackets after
it, then white space and a capital ('He left. Then...', 'the end!” Then'): a stop before a
small letter ('p.m. when', 'etc. and so on', '“Oh!” cried she') ends nothing, and neither
does one after a title or an initial ('Mr. Jaggers', 'Mme. Danglars', 'J. C. Smith',
'St. Paul's'). A lone "I." does end one ('It was I. Then he...'): narrators say it far
more often than a name has I as its initial. A stop before a blank line ends its sentence
whatever comes next (the roster reads narration with the quotes blanked out).

Hand-written, not a library (README's library table): pySBD reads a 300-character window
in about 2 ms against some 20 us here, and the rules ask for thousands of windows a book;
sentencex is as quick and as good on these cases, but the rules compose this expression with
their own (a semicolon ends the newcomer finder's clause) and one regular expression does not
need a compiled dependency whose abbreviation list we cannot see or extend.
"""

from __future__ import annotations

import re

# Words a full stop follows inside a sentence: titles and honorifics before a name.
ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Messrs",
    "Mme",
    "Mlle",
    "Mons",
    "Dr",
    "St",
    "Mt",
    "Jr",
    "Sr",
    "Prof",
    "Capt",
    "Col",
    "Gen",
    "Lt",
    "Sgt",
    "Rev",
    "Hon",
)
_STOPS = r"(?:[.!?]+|\u2026)"
_CLOSERS = r"[\"'\u201d\u2019)\]]*"
_CAPITAL = r"[A-ZÀ-ÖØ-Þ]"
# No lookbehind of Python's is of variable width: one per abbreviation, and one for an
# initial (any capital but "I" alone before the stop).
_NOT_AFTER = "".join(rf"(?<!\b{a})" for a in ABBREVIATIONS) + r"(?<!\b[A-HJ-ZÀ-ÖØ-Þ])"

# The end of a sentence: the stop, its closing quotes, the white space after them; the next
# sentence starts where the match ends.
# (The lookahead first: most characters are no stop, and fail it before the lookbehinds.)
SENTENCE_END = re.compile(
    rf"(?=[.!?\u2026]){_NOT_AFTER}{_STOPS}{_CLOSERS}"
    rf"(?:[ \t]*\n[ \t]*\n\s*|\s+(?=[\"'\u201c\u2018(\[]*{_CAPITAL}))"
)


def split_sentences(text: str) -> list[str]:
    """The text's sentences, each with its stop and the white space after it."""
    cuts = [m.end() for m in SENTENCE_END.finditer(text)]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if a < b]


def last_sentence_start(text: str) -> int:
    """Where the last sentence of ``text`` starts (0 if it is all one sentence)."""
    return max((m.end() for m in SENTENCE_END.finditer(text)), default=0)


def last_sentence(text: str) -> str:
    """The last sentence of a stretch of narration ('... Mr. Jaggers in her house.' whole)."""
    return text[last_sentence_start(text) :]
