"""People the narration brings in by description just before they speak.

'A tall old woman in a shawl came out of the hut. "Where are you going?" she asked.' --
the "she" is the woman the sentence before the line is about, a person of her own ("the
old woman"), not whoever of that gender was last named. Shared by the roster (which makes
such a person a speaker) and resolve.py (which gives the pronoun to them).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from audiobook.model import Character, Gender, Quote
from audiobook.speakers.names import NOUN_GENDER
from audiobook.speakers.tags import Mention
from audiobook.text.paragraphs import paragraph_spans
from audiobook.text.sentences import SENTENCE_END

# A description opening a sentence: article, up to three modifiers, a person noun, and no
# "'s" after it ("The stranger's cheeks puffed out" is about the cheeks).
_OPENER = r"(?:(?:And|But|Then|Now|So|Presently|Suddenly|At last|At length),?\s+)?"
_SUBJECT = re.compile(
    rf"\s*{_OPENER}(?P<det>[Aa]n?|[Tt]he)\s+(?P<words>(?:[a-z][\w’'-]*,?\s*){{1,4}})"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
# A sentence, or a clause a semicolon closes: each has its own subject.
_SENTENCE_END = re.compile(rf"{SENTENCE_END.pattern}|;\s+")
_WITHIN = 300  # characters of narration before the quote: the sentence just before


def narration_before(text: str, pos: int, spans: list[tuple[int, int]], starts: list[int]) -> str:
    """The narration just before the quote a tag at ``pos`` belongs to: its paragraph's
    text since the last quote ('"...," she said' at the quote's end, or a lead-in 'and
    she said:' up to the pronoun); for a line opening its paragraph, the paragraph before
    when it is all narration. ``spans`` are the text's paragraphs and ``starts`` their
    starts, made once by the caller (a book asks this for every pronoun tag)."""
    i = max(0, bisect.bisect_right(starts, pos) - 1)
    start = spans[i][0]
    pieces = _QUOTED.split(text[max(start, pos - 2 * _WITHIN) : pos])
    narration = pieces[-2] if len(pieces) > 1 and not pieces[-1].strip() else pieces[-1]
    if narration.strip() or len(pieces) > 2 or i == 0:
        return narration
    before = text[spans[i - 1][0] : spans[i - 1][1]]
    return "" if "“" in before or '"' in before else before


def newcomer_speakers(
    text: str, speech: list[Quote], tags: list[Mention | None], taken: set[str]
) -> list[Character]:
    """Described people a pronoun tag right after their description makes speakers
    ('The first man who came in was a large officer. ... "Barney!" he cried out.'):
    one character per description no alias already holds, of the pronoun's gender."""
    counts: Counter[tuple[str, Gender]] = Counter()
    spans = paragraph_spans(text) or [(0, len(text))]
    starts = [a for a, _ in spans]
    for q, m in zip(speech, tags, strict=True):
        if m is None or m.kind != "pronoun" or m.gender is None:
            continue
        found = described_subject(narration_before(text, q.outer_end, spans, starts), m.gender)
        if found is None:
            continue
        if any(form in taken for form in short_forms(found[0])):
            continue
        gender: Gender = "male" if m.gender == "male" else "female"
        counts[speaker_name(found[0]), gender] += 1
    return [
        Character(name, [name], gender, n, newcomer=True) for (name, gender), n in counts.items()
    ]


def described_subject(narration: str, gender: str) -> tuple[str, bool, str] | None:
    """The described person the last sentence of ``narration`` is about, when the noun
    fits ``gender`` (or has none): its subject ('The old woman looked at him.'), or, through
    sentences whose subject is the pronoun ('She stood holding a candle.'), the subject of
    the sentence that brought her in, or a person brought in there by "a" ('He was met by
    a lean old woman.'). Returns (the description, definite?, the sentences read)."""
    narration = narration[-_WITHIN:].rstrip()
    sentences = _SENTENCE_END.split(narration)
    if len(sentences) < 2 and len(narration) >= _WITHIN:
        return None  # the sentence began before the window
    pronoun = re.compile(
        r"\s*(?:[A-Z][a-z]*,?\s+)?" + ("He" if gender == "male" else "She") + r"\b"
    )
    for back in range(1, min(len(sentences), _CHAIN) + 1):
        sentence = sentences[-back]
        read = " ".join(sentences[-back:])
        found = _description(_SUBJECT.match(sentence), gender)
        if found is not None:
            return (*found, read)
        if not pronoun.match(sentence):
            if back == 1:
                return None
            for m in _ANYWHERE.finditer(sentence):
                found = _description(m, gender)
                if found is not None and not found[1]:
                    return (*found, read)
            return None
    return None


_CHAIN = 3  # sentences back through "She ..." to the one that brought her in
_ANYWHERE = re.compile(r"\b(?P<det>[Aa]n?)\s+(?P<words>(?:[a-z][\w’'-]*,?\s*){1,4})")


def _description(m: re.Match | None, gender: str) -> tuple[str, bool] | None:
    if m is None:
        return None
    words = m.group("words").split()
    heads = [n for n, w in enumerate(words) if w.rstrip(",") in NOUN_GENDER and n < 4]
    heads = [n for n in heads if words[n] not in ("old", "young")]
    if not heads:
        return None
    n = heads[0]
    noun = words[n].rstrip(",")
    if any(w.endswith((",", "’s", "'s")) for w in words[:n]):
        return None  # "The old, ..." a list; "The stranger's cheeks" are no person
    if NOUN_GENDER[noun] not in (None, gender):
        return None
    return " ".join(["the", *words[:n], noun]), m.group("det").lower() == "the"


def short_forms(phrase: str) -> list[str]:
    """'the lean hunchbacked old woman' -> itself, 'the old woman', 'the woman': the
    forms a book's tags may know the person by, longest first."""
    words = phrase.split()
    forms = [phrase]
    if len(words) > 3:
        forms.append(" ".join(["the", *words[-2:]]))
    if len(words) > 2:
        forms.append(" ".join(["the", words[-1]]))
    return forms


def speaker_name(phrase: str) -> str:
    """'the lean hunchbacked old woman' is 'the old woman' as a speaker, 'the first man'
    'the man': the noun, and the one word of age a listener goes by."""
    words = phrase.split()
    age = [words[-2]] if len(words) > 2 and words[-2] in _AGE else []
    return " ".join(["the", *age, words[-1]])


_AGE = {"old", "young", "little"}
