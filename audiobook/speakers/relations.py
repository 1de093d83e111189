"""Tags that name a speaker by a relation: 'said her mother', "said Daisy's mamma",
'said the latter'.

A relation is a person seen from someone else: "her mother" is never "her", and which
woman it is depends on whose mother. The sieve asks here once the plain lookups (an
alias, an apposition) found nobody, before it falls back on gender and salience, which
for a relation picks the possessor or whoever was last in view.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR
from audiobook.speakers.names import NOUN_GENDER, TITLE_NOUNS, honorific_key, is_proper
from audiobook.text.speechverbs import longest_first

if TYPE_CHECKING:
    from audiobook.model import Character
    from audiobook.speakers.attribution import Book

# Kin and the household: nouns that say who a person is *to someone*.
RELATIONS = {
    "mother",
    "father",
    "mamma",
    "mama",
    "mammy",
    "papa",
    "pa",
    "ma",
    "mum",
    "dad",
    "daddy",
    "sister",
    "brother",
    "aunt",
    "auntie",
    "uncle",
    "wife",
    "husband",
    "son",
    "daughter",
    "cousin",
    "niece",
    "nephew",
    "grandmother",
    "grandfather",
    "granny",
    "grandma",
    "grandpa",
}
_FEMALE = {"mamma", "mama", "mammy", "ma", "mum", "auntie", "granny", "grandma"}
_MALE = {"pa", "dad", "daddy", "grandpa"}
_POSSESSIVE = {"my", "our", "his", "her", "their", "your"}


def relation_gender(noun: str) -> str | None:
    if noun in _FEMALE:
        return "female"
    if noun in _MALE:
        return "male"
    return NOUN_GENDER.get(noun)


def relation(phrase: str) -> tuple[str, str] | None:
    """'her mother' -> ('her', 'mother'); "Daisy's mamma" -> ('Daisy', 'mamma');
    'the old man' -> None. Only a possessor directly before the relation noun."""
    words = phrase.split()
    if len(words) != 2:
        return None
    owner, noun = words[0], words[1].lower()
    if noun not in RELATIONS:
        return None
    if owner.lower() in _POSSESSIVE:
        return owner.lower(), noun
    if owner.endswith(("'s", "’s")) and is_proper(owner):
        return owner[:-2], noun
    return None


def possessor(book: Book, owner: str, recent: list[str]) -> str | None:
    """Who 'her' or 'Daisy' in the relation is: a name's character; for a pronoun the
    latest person in view of its gender; 'my' the narrator."""
    if owner in ("my", "our"):
        return NARRATOR
    if owner in ("his", "her"):
        gender = "male" if owner == "his" else "female"
        return next((w for w in recent if book.gender.get(w) == gender), None)
    if owner in ("their", "your"):
        return None
    return book.character(owner)


def by_relation(
    book: Book, owner: str | None, owner_named: bool, noun: str, salient: list[str]
) -> str | None:
    """The character the book calls by this relation: an alias "Daisy's mamma"; for
    the narrator's own kin a character named by the bare word ('Mother', 'Papa' as the
    family says it); else the one person in view who bears the relation as a title
    ('muttered his uncle' when "Uncle Ivan Ivanitch" just walked in with the boy; whom
    "his" means is only a guess, so it rules out nobody here)."""
    if owner and owner != NARRATOR:
        for sep in ("'s", "’s"):
            who = book.alias.get(f"{owner}{sep} {noun}".lower())
            if who:
                return who
    if owner == NARRATOR and noun.capitalize() in book.alias:
        return book.alias[noun.capitalize()]
    title = noun.capitalize() + " "
    titled = {
        book.alias[c.name]
        for c in book.roster.characters
        if any(a.startswith(title) for a in c.aliases)
    }
    titled.discard(owner if owner_named else None)
    in_view = [w for w in salient if w in titled]
    return in_view[0] if len(titled) == 1 and in_view else None


def by_title(book: Book, noun: str, in_view: list[str]) -> str | None:
    """ "said the sergeant" where the book has Sergeant Bibot and Sergeant Grospierre: the
    one of them in view first."""
    key = {v: k for k, v in TITLE_NOUNS.items()}.get(noun, noun)
    holders = {
        book.alias[c.name]
        for c in book.roster.characters
        if any(honorific_key(a.split()[0]) in (noun, key) and " " in a for a in c.aliases)
    }
    return next((w for w in in_view if w in holders), None)


def narrators_kin(narration: str, characters: list[Character], name_pattern: str) -> dict:
    """'My sister, Mrs. Joe Gargery, was...' / 'Joe, my uncle,': relation noun -> the
    one character the narration calls "my <relation>" in apposition (a name after an
    honorific too, which the apposition finder's single token misses)."""
    alias = {a: c for c in characters for a in c.aliases}
    nouns = "|".join(sorted(RELATIONS, key=longest_first))
    found: dict[str, Counter] = {}
    by_id: dict[int, Character] = {}
    for rx in (
        rf"\b[Mm]y\s+(?P<noun>{nouns}),?\s*(?:—|--)?\s*(?P<name>{name_pattern})",
        rf"(?P<name>{name_pattern}),\s+my\s+(?P<noun>{nouns})\b",
    ):
        for m in re.finditer(rx, narration):
            who = alias.get(" ".join(m.group("name").split()))
            if who is not None:
                found.setdefault(m.group("noun"), Counter())[id(who)] += 1
                by_id[id(who)] = who
    kin = {}
    for noun, votes in found.items():
        (first, n), *rest = votes.most_common(2)
        if not rest or n >= 2 * rest[0][1]:  # "Joe, my sister was..." is no apposition
            kin[noun] = by_id[first]
    return kin


# "the former", "the latter": of the two people last named together (tags.py reads the tag).
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|‘[^‘’]*’(?!\w)")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


def former_latter(book: Book, which: str, pos: int) -> str | None:
    """'Albert and Franz went out. "...," said the latter': the latest sentence before
    the quote (of the last three, quoted speech left out) that names anybody must name
    exactly two people; the latter is the one named last, the former the other."""
    window = book.text[max(0, pos - 600) : pos]
    window = _QUOTED.sub(lambda m: " " * len(m.group(0)), window)
    sentences = [s for s in _SENTENCE.split(window) if s.strip()]
    for sentence in reversed(sentences[-3:]):
        named = [w for _, w, _ in book.mentions(sentence) if w != NARRATOR]
        people = list(dict.fromkeys(reversed(named)))  # latest first
        if len(people) == 2:
            return people[0] if which == "latter" else people[1]
        if people:
            return None  # one person, or three: no pair to choose from
    return None
