"""Dialogue written with dashes: which paragraphs open with one, and where the speech in
them stops for a tag.

A dash paragraph has no closing mark, so the tag is read from its words: a dash after a space
ends the speech (Spanish ``—Bien —dijo Ana—. ¿Y tú?``), and so does a French or English tag
after the speech's comma, ! or ? (``— Bonjour, dit Marie.``, ``—Back to barracks! he said
sternly.``). The quote finder (text/quotes.py) makes quotes of the pieces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.text.paragraphs import SPACE, trim
from audiobook.text.speechverbs import SPEECH_PHRASES, SPEECH_VERBS, longest_first

# A dialogue dash: an em or en dash, or the "--" that plain-text editions type for one.
_DASH = re.compile("--(?!-)|[\u2014\u2015\u2013]")
_DASH_OPEN = re.compile(rf"(?:{_DASH.pattern})[ \u00a0\u202f]?[\w¿¡«\"\u201c]")

# An inserted speech tag in French dialogue: ", dit Marie," / ", demanda-t-il."
_INCISE = re.compile(
    r"(?<=[,!?\u2026])\s+(?:dit|demanda|r\u00e9pondit|s'\u00e9cria|s\u2019\u00e9cria|cria|murmura|ajouta|reprit|"
    r"fit|lan\u00e7a|souffla|soupira|interrompit|continua|r\u00e9pliqua|observa)(?:-t)?(?:-(?:il|elle|ils|elles|on))?"
    r"\b[^,.!?;\u2026]{0,40}[,.!?;\u2026]"
)

# An English tag inside a dash paragraph, which has no closing mark to end the speech before
# it ("—Back to barracks! he said sternly." "--Tell me, Mulligan, Stephen said quietly."):
# a subject and a speech verb (either order) after the speech's comma, ! or ?, then at most
# an adverb or "to whom" before the punctuation that ends the tag, so a quote that goes on
# ("—Yes, he said he would come.") is not cut.
_TAG_VERB = (
    "(?:"
    + "|".join(
        re.escape(w).replace(r"\ ", r"\s+")
        for w in sorted(SPEECH_VERBS | set(SPEECH_PHRASES), key=longest_first)
    )
    + ")"
)
_NAME = r"(?:(?:Mr|Mrs|Ms|Dr|St)\.?\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*){0,2}"
_DESCRIBED = r"(?:(?:the|his|her|my|our|their)|[A-Z][\w-]*['\u2019]s)(?:\s+[a-z][\w'\u2019-]*){1,3}"
_SUBJECT = rf"(?:he|she|they|I|we|{_DESCRIBED}|{_NAME})"
_TAG_TAIL = (
    r"(?:\s+(?:[a-z]+ly|again|aloud|then|at\s+last|at\s+once)){0,2}"
    rf"(?:\s+to\s+(?:him|her|them|me|us|himself|herself|{_DESCRIBED}|{_NAME}))?"
)
_ENGLISH_INCISE = re.compile(
    rf"(?<=[,!?\u2026])\s+(?:{_SUBJECT}\s+(?:[a-z]+ly\s+)?{_TAG_VERB}|{_TAG_VERB}\s+{_SUBJECT})"
    rf"{_TAG_TAIL}(?:[.;:!?\u2026]|,(?:\s+[a-z]+ing\b[^.!?;:\u2026]*[.!?;:\u2026])?)"
)


@dataclass
class DashPiece:
    """A stretch of speech in a dash paragraph: with its dash (outer) and without."""

    outer_start: int
    outer_end: int
    start: int
    end: int
    joined: bool  # goes on the utterance of the piece before it (resumed after a tag)


def dash_paragraphs(text: str, paragraphs: list[tuple[int, int]], quoted: int) -> set[int]:
    """The paragraphs that open with a dialogue dash, in a book written that way: at least
    two of them, and at least one for every five quotes in marks (a few dashes at the start
    of paragraphs of a book in quotation marks are narration's)."""
    found = {i for i, (ps, pe) in enumerate(paragraphs) if _DASH_OPEN.match(text, ps, pe)}
    return (
        found if len(found) >= 2 and len(found) * 5 >= quoted or (found and not quoted) else set()
    )


def scan_dash(text: str, ps: int, pe: int) -> list[DashPiece]:
    """—Speech —tag—. More speech: the dashes toggle between speech and tag."""
    found: list[DashPiece] = []
    speaking = True
    begin = ps
    for m in _DASH.finditer(text, ps, pe):
        i, after = m.start(), m.end()
        if i == ps:
            continue
        if speaking and text[i - 1] in SPACE:
            found.append(_piece(text, begin, i, bool(found)))
            speaking = False
        elif not speaking and text[i - 1] not in SPACE:
            rest = re.match(r"[\s.,;:]*", text[after:pe])
            begin = after + (rest.end() if rest else 0)
            speaking = True
    if speaking:
        found.append(_piece(text, begin, pe, bool(found)))
    found = [piece for q in found for piece in _split_incise(text, q)]
    return [q for q in found if q.start < q.end and re.search(r"\w", text[q.start : q.end])]


def _split_incise(text: str, q: DashPiece) -> list[DashPiece]:
    """Dash dialogue marks no tag: "— Bonjour, dit Marie. Ça va ?" is speech, tag, speech."""
    m = _incise(text, q.start, q.end)
    if not m:
        return [q]
    first = DashPiece(q.outer_start, m.start(), q.start, m.start(), q.joined)
    rest = trim(text, m.end(), q.end)
    if rest[0] >= rest[1]:
        return [first]
    # Speech going on after the tag is the same utterance, unless it has a tag of its own
    # ("—Down! cried Mulligan. Come, Mr Dedalus said."): then it may be someone else's.
    own_tag = _incise(text, *rest) is not None
    second = DashPiece(rest[0], q.outer_end, rest[0], rest[1], joined=not own_tag)
    return [first, *_split_incise(text, second)]


def _incise(text: str, start: int, end: int) -> re.Match[str] | None:
    found = [m for rx in (_INCISE, _ENGLISH_INCISE) if (m := rx.search(text, start, end))]
    return min(found, key=lambda m: m.start(), default=None)


def _piece(text: str, begin: int, end: int, joined: bool) -> DashPiece:
    start, stop = trim(text, begin, end)
    dash = _DASH.match(text, start, stop)
    if dash:
        start, stop = trim(text, dash.end(), stop)
    return DashPiece(begin, end, start, stop, joined)
