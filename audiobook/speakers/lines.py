"""Stable line ids for quotations, and the cast file's per-line speaker overrides.

A line id names one quotation (every part of an utterance broken by a speech
tag, or spread over paragraphs, shares it). It hashes the quotation's own words
and the words of its paragraph, normalised (case, punctuation, spacing), never
an offset: editing or adding other paragraphs leaves it as it was. Two quotes
whose paragraphs read the same (`"Yes," said Tom.` in two chapters) are told
apart by a few words of the paragraphs around them; only when those are the
same too does the place decide (the second one gets ``-2``, in book order).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from audiobook.model import NARRATOR, Attribution, Cast, ChapterScript, Quote, Roster, Script
from audiobook.text.quotes import paragraph_spans

CONTEXT_WORDS = 8  # words on each side of the paragraph that tell identical paragraphs apart
OVERRIDE = "override"
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _digest(*parts: Iterable[str]) -> str:
    blob = "\x1f".join(" ".join(p) for p in parts)
    return "q-" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:8]


@dataclass
class _Quotation:
    doc: int
    members: list[int]  # indices into that document's quotes
    near: str  # id from the quote and its paragraph
    wide: str  # id from the paragraphs around it as well


def _quotations(doc: int, text: str, quotes: list[Quote]) -> list[_Quotation]:
    groups: dict[int, list[int]] = {}
    for index, quote in enumerate(quotes):
        if quote.is_speech:
            groups.setdefault(quote.group, []).append(index)
    spans = paragraph_spans(text) or [(0, len(text))]
    starts = [a for a, _ in spans]
    out = []
    for members in sorted(groups.values(), key=lambda m: quotes[m[0]].start):
        first, last = quotes[members[0]], quotes[members[-1]]
        a = spans[max(0, bisect.bisect_right(starts, first.outer_start) - 1)][0]
        b = spans[max(0, bisect.bisect_right(starts, max(a, last.outer_end - 1)) - 1)][1]
        b = max(b, last.outer_end)
        own = [w for i in members for w in _words(text[quotes[i].start : quotes[i].end])]
        paragraph = _words(text[a:b])
        # Bounded look-around: a window of characters is plenty for a few words.
        before = _words(text[max(0, a - 300) : a])[-CONTEXT_WORDS:]
        after = _words(text[b : b + 300])[:CONTEXT_WORDS]
        near = _digest(own, paragraph)
        out.append(_Quotation(doc, members, near, _digest(own, paragraph, before, after)))
    return out


def line_ids(books: list[tuple[str, list[Quote]]]) -> list[dict[int, str]]:
    """The line id of every speech quote of a book, per document, by quote index.

    ``books`` holds each document's text and quotes, in book order; ids are
    distinct over the whole book.
    """
    found = [q for doc, (text, quotes) in enumerate(books) for q in _quotations(doc, text, quotes)]
    common = Counter(q.near for q in found)
    ids: list[dict[int, str]] = [{} for _ in books]
    taken: set[str] = set()
    for quotation in found:
        line = quotation.near if common[quotation.near] == 1 else quotation.wide
        base, n = line, 2
        while line in taken:
            line, n = f"{base}-{n}", n + 1
        taken.add(line)
        for i in quotation.members:
            ids[quotation.doc][i] = line
    return ids


@dataclass
class Overrides:
    """The ``[lines]`` table as applied to one book: which ids were used."""

    table: dict[str, str]  # line id -> speaker as written in the cast file
    used: set[str] = field(default_factory=set)

    def stale(self) -> list[str]:
        """Ids of the table that name no line of the book, in the file's order."""
        return [line for line in self.table if line not in self.used]


def resolve_speaker(name: str, cast: Cast | None, roster: Roster) -> str:
    """The speaker a ``[lines]`` value means: a cast key, ``narrator``, an alias, or a new name."""
    wanted = name.strip()
    if wanted.casefold() == NARRATOR:
        return NARRATOR
    entries = list(cast.characters.values()) if cast else []
    for entry in entries:
        if entry.name == wanted:
            return entry.name
    for c in roster.characters:
        if c.name == wanted:
            return c.name
    folded = wanted.casefold()
    for entry in entries:
        if folded in {entry.name.casefold(), *(a.casefold() for a in entry.aliases)}:
            return entry.name
    for c in roster.characters:
        if folded in {c.name.casefold(), *(a.casefold() for a in c.aliases)}:
            return c.name
    return wanted  # a character the text never names: cast from this line alone


def apply_overrides(
    said: list[Attribution],
    ids: dict[int, str],
    overrides: Overrides,
    cast: Cast | None,
    roster: Roster,
) -> list[Attribution]:
    """``said`` with every overridden quotation given its speaker, rule ``override``."""
    if not overrides.table:
        return said
    out = list(said)
    for index, line in ids.items():
        wanted = overrides.table.get(line)
        if wanted is None:
            continue
        overrides.used.add(line)
        who = resolve_speaker(wanted, cast, roster)
        out[index] = Attribution(who, OVERRIDE, said[index].addressee, confidence=1.0)
    return out


def casting_view(
    script: Script, attributed: dict[str, str | None]
) -> tuple[Script, frozenset[str]]:
    """The script as attributed, before overrides, and the speakers only overrides add.

    Casting reads the view, so the voices of everyone else do not depend on
    fixes; a speaker whom only overrides make speak is cast last, from the set.
    """
    chapters = [
        ChapterScript(
            c.chapter,
            [
                replace(s, speaker=attributed.get(s.line)) if s.rule == OVERRIDE and s.line else s
                for s in c.segments
            ],
        )
        for c in script.chapters
    ]
    fixed = {
        s.speaker for c in script.chapters for s in c.segments if s.rule == OVERRIDE and s.speaker
    }
    return Script(chapters, script.roster, script.main_language), frozenset(fixed)
