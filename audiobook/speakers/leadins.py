"""Who speaks after a sentence that ends in a colon but has no speech verb.

'Emelyan, who had not long been back from the church, was sitting beside Panteley, waving
his arm and humming just audibly in a husky voice: "To Thee we sing...."': a colon announces
the words after it in any novel, so when the tag reader finds no speech verb to read, the
sentence's subject is the one who says them. Not its object or a preposition's ("beside
Panteley"), not a person another clause is about ('gave the pen to Caderousse, who ... fell
back on his bed, saying:' is Caderousse's; 'while Madame de Villefort sat down, he addressed
him thus:' is the man's), and not a document read out or written ('Franz took the letter,
and read:'), whose words are its writer's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from audiobook.speakers.names import SUBJECT_PRONOUNS
from audiobook.text.sentences import last_sentence_start

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book

# A colon after these announces a document, not the subject's own words.
_DOCUMENT = re.compile(r"\b(?:read|reads|wrote|written|writes|following|follows|contained|ran)\b")
_PRONOUN = re.compile(r"(?:^|[,;]\s+|\band\s+)([Hh]e|[Ss]he)\b")
_WHO = re.compile(r",\s+who\b")


def colon_subject(book: Book, pre: str, pre_at: int, local: list) -> str | None:
    """The first-named subject of the last sentence of ``pre`` (narration at ``pre_at``
    that ends in a colon), from ``local``'s mentions (offset, character, role)."""
    if not pre.rstrip().endswith(":"):
        return None
    cut = last_sentence_start(pre)
    if _DOCUMENT.search(pre, cut):
        return None
    start, end = pre_at + cut, pre_at + len(pre)
    named = [(at, w, role) for at, w, role in local if start <= at < end]
    first = next(((at, w) for at, w, role in named if role == "subject"), None)
    if first is None:
        return None
    at, who = first
    for m in _PRONOUN.finditer(pre, at - pre_at):
        if book.gender.get(who) != SUBJECT_PRONOUNS[m.group(1).lower()]:
            return None  # another clause's "he" or "she" leads in the words
    for m in _WHO.finditer(pre, cut):
        before = [w for x, w, _ in named if x < pre_at + m.start()]
        if before and before[-1] != who:
            return None  # someone else's relative clause
    return who
