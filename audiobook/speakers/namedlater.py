"""Described speakers the text names: "my mother ... Her name was Duchess".

A speaker the tags know only by a description ("said my mother", "the old man answered") is
one person with a name when the text says what that name is, in either of two ways:

1. the narration, right after speaking of them: "I knew she was a wise old horse ... Her
   name was Duchess." The pronoun points back to the last person of its gender the narration
   spoke of; when that is the described speaker, the description takes the name (or joins
   the character already known by it);
2. they name themselves while the narration still calls them by the description: "And my
   christian name is Panteley," in a talk with the old man, and only then does the narration
   say "Panteley went on muttering". The one described speaker of that gender the page
   before spoke of is that person.

Either way every line tagged with the description is heard as the named person.
"""

from __future__ import annotations

import re

from audiobook.model import Character, Quote
from audiobook.speakers.names import NOT_NAMES

_NAME = r"[A-ZÀ-ÖØ-Þ][\w’'-]*\w"
# "Her name was Duchess", "his Christian name was Dolge", "His real name is Abel"
_NAMED = re.compile(
    rf"\b(?P<pron>[Hh]is|[Hh]er)\s+(?:(?:[Cc]hristian|real|first|own)\s+)?name\s+(?:was|is)\s+"
    rf"(?P<name>{_NAME}(?:\s+{_NAME})?)"
)
_BACK = 400  # characters before the naming sentence in which the pronoun finds its person
_HE = re.compile(r"\b(?:he|him|himself)\b", re.I)
_SHE = re.compile(r"\b(?:she|herself)\b", re.I)


def named_by_narration(
    narration: str, characters: list[Character], described: list[Character]
) -> list[Character]:
    """The described speakers left unnamed; those the narration names are renamed or merged
    into the named character of that name (whose mentions they add to)."""
    if not described or "name" not in narration:
        return described
    # Read once, not once per described speaker: a whole novel has a hundred or more.
    namings = list(_NAMED.finditer(narration))
    if not namings:
        return described
    by_alias = {a: c for c in characters for a in c.aliases}
    kept = []
    for d in described:
        name = _name_of(narration, namings, d, characters, described)
        if name is None:
            kept.append(d)
        elif name in by_alias:
            other = by_alias[name]
            if other.gender in (None, d.gender):
                other.aliases.append(d.name)
                other.mentions += d.mentions
            else:
                kept.append(d)
        else:
            d.aliases = [name, *d.aliases]
            d.name = name
            kept.append(d)
    return kept


# "my name is Panteley", "My christian name's Tom", "they call me Ishmael"
_SELF = re.compile(
    rf"\b(?:[Mm]y\s+(?:(?:[Cc]hristian|real|first|own)\s+)?name(?:\s+is|['’]s)|"
    rf"(?:they|people|folks)\s+call\s+me)\s+(?P<name>{_NAME})"
)
_PAGE = 1500  # characters before a self-naming line in which its speaker was spoken of
_SCENE = 3000  # the narration names the self-named person this soon after


def named_by_themselves(
    text: str,
    narration: str,
    quotes: list[Quote],
    characters: list[Character],
    described: list[Character],
) -> list[Character]:
    """The described speakers left; one who names themself (form 2 above) joins the named
    character and adds their mentions to it."""
    if not described:
        return described
    by_alias = {a: c for c in characters for a in c.aliases}
    gone: set[int] = set()
    for q in quotes:
        if not q.is_speech:
            continue
        for m in _SELF.finditer(text, q.start, q.end):
            c = by_alias.get(m.group("name"))
            if c is None or c.gender is None:
                continue
            first = min(_first(narration, a) for a in c.aliases)
            if not q.start < first < q.start + _SCENE:
                continue  # the narration knew the name before: someone else may say it
            page = narration[max(0, q.start - _PAGE) : q.start]
            fits = [
                d
                for d in described
                if id(d) not in gone and d.gender == c.gender and _last(page, d.aliases) >= 0
            ]
            if len(fits) == 1:
                c.aliases.append(fits[0].name)
                c.mentions += fits[0].mentions
                gone.add(id(fits[0]))
    return [d for d in described if id(d) not in gone]


def _first(narration: str, alias: str) -> int:
    """Where the narration first names someone, as a whole word; len(narration) if never."""
    m = re.search(rf"(?<![\w’']){re.escape(alias)}(?![\w’'])", narration)
    return m.start() if m else len(narration)


def _name_of(
    narration: str,
    namings: list[re.Match],
    d: Character,
    characters: list[Character],
    described: list[Character],
) -> str | None:
    """The one name the narration gives ``d`` ("Her name was Duchess" after "my mother",
    with no other person of her gender spoken of in between), else None."""
    if d.gender is None:
        return None
    pron = "his" if d.gender == "male" else "her"
    rivals = [
        a
        for c in [*characters, *described]
        if c is not d and c.gender == d.gender
        for a in c.aliases
    ]
    found = set()
    for m in namings:  # _NAMED's matches in the narration
        if m.group("pron").lower() != pron:
            continue
        name = m.group("name")
        if name.split()[0].lower() in NOT_NAMES:
            continue
        before = narration[max(0, m.start() - _BACK) : m.start()]
        at = _last(before, d.aliases)
        if at < 0:
            continue
        between = before[at:]
        # Another person of the same gender spoken of after the description: the pronoun
        # may be theirs.
        if _last(between, rivals) > 0 or _other_person(between, d.gender):
            continue
        found.add(name)
    return found.pop() if len(found) == 1 else None


def _last(text: str, aliases: list[str]) -> int:
    """Where the text last names any of the aliases, as whole words; -1 if nowhere."""
    best = -1
    for a in aliases:
        for m in re.finditer(rf"(?<![\w’']){re.escape(a)}(?!\w)", text, re.I):
            best = max(best, m.start())
    return best


# "a man", "the boy", "another woman" after the description: someone else of the gender.
_MEN = r"(?:man|men|boy|gentleman|father|brother|son|uncle|husband|king|lord)"
_WOMEN = r"(?:woman|women|girl|lady|mother|sister|daughter|aunt|wife|queen)"


def _other_person(text: str, gender: str) -> bool:
    """Whether the text speaks of someone of the gender by a noun phrase ("a tall woman
    came in"); what someone is ("she was a stern woman") speaks of nobody new."""
    noun = _MEN if gender == "male" else _WOMEN
    for m in re.finditer(rf"\b(?:a|an|the|another|his|her)\s+(?:[a-z]+\s+)?{noun}\b", text, re.I):
        if not re.search(r"\b(?:was|is|be|been|seemed|became)\s+\Z", text[: m.start()]):
            return True
    return False
