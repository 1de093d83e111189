"""Mentions that tie text to characters: appositions, vocatives, unnamed
speakers known by their tag, and a first-person narrator's own name.

Shared by the roster (which builds characters from them) and the sieve
(which uses them to pick or rule out a speaker).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache

from audiobook.model import Character, Gender, Quote, Roster
from audiobook.speakers.names import (
    HONORIFICS,
    NOUN_GENDER,
    TITLE_NOUNS,
    compile_names,
    honorific_key,
    noun_gender,
)
from audiobook.speakers.newcomers import newcomer_speakers
from audiobook.speakers.phrases import (
    description_gender,
    group_gender,
    head_noun,
    is_indefinite,
    is_person,
)
from audiobook.speakers.relations import RELATIONS, narrators_kin, relation
from audiobook.speakers.tags import VERB, TagReader
from audiobook.text.sentences import split_sentences
from audiobook.text.speechverbs import longest_first

_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w’'-]*\w"

APPOS_BEFORE = (
    re.compile(  # "Mila's sister, Sofia," / "Her manager, Carlos," / "the coachman Deniska"
        rf"(?:(?:[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur|[Tt]he|[Aa]n?|{_TOKEN}['’]s)\s+(?:[a-z]+\s+)?)"
        rf"(?P<noun>[a-z]+),?\s+(?P<name>{_TOKEN})"
    )
)
APPOS_AFTER = re.compile(  # "Olga Ivanovna, the widow of ..." (but "Larry, the doctor's man")
    rf"(?P<name>{_TOKEN}),\s+(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he|[Aa]n?)\s+(?:[a-z]+\s+)?(?P<noun>[a-z]+)\b"
    r"(?![’'])"
)


def descriptors(text: str, roster: Roster) -> dict[str, set[str]]:
    """Nouns that describe each character by apposition ('the coachman Deniska')."""
    found: dict[str, set[str]] = defaultdict(set)
    names = alias_index(roster)
    for _, noun, name, _ in appositions(text):
        who = names.get(name)
        if who and (noun in NOUN_GENDER):
            found[who].add(noun)
    return found


@lru_cache(maxsize=4)  # the roster, its forms and attribution read the same texts: one scan
def appositions(text: str) -> tuple[tuple[bool, str, str, str], ...]:
    """Every apposition in ``text``: APPOS_BEFORE's matches, then APPOS_AFTER's, each as
    (by APPOS_BEFORE?, noun, name, the whole match)."""
    return tuple(
        (rx is APPOS_BEFORE, m.group("noun"), m.group("name"), m.group(0))
        for rx in (APPOS_BEFORE, APPOS_AFTER)
        for m in rx.finditer(text)
    )


def described_speakers(
    text: str, quotes: list[Quote], characters: list[Character], narration: str = ""
) -> list[Character]:
    """Unnamed people who speak more than once ('the old woman said') become characters."""
    reader = TagReader(compile_names([a for c in characters for a in c.aliases]))
    counts: Counter = Counter()
    groups: dict[str, Gender | None] = {}
    introduced: dict[str, set[int]] = defaultdict(set)  # '"I am Mary Lennox," the girl said'
    self_named = re.compile(
        rf"\b(?:I am|I[’']m|[Mm]y name is|[Mm]y name[’']s)\s+({reader.name_pattern})"
    )
    alias = {a: c for c in characters for a in c.aliases}
    speech = [q for q in quotes if q.is_speech]
    tags = [reader.after(text[q.outer_end : q.outer_end + 80]) for q in speech]
    for at, (q, m) in enumerate(zip(speech, tags, strict=True)):
        if m and m.kind == "description" and is_indefinite(m.text):
            # "somebody exclaimed", "said one of the colts": someone the text does not
            # name speaks (never the narrator, never the last speaker by alternation).
            counts[m.text] += 1
            groups[m.text] = groups.get(m.text) or group_gender(m.text)
            if groups[m.text] is None:
                groups[m.text] = _company_gender(tags[max(0, at - 3) : at + 4], alias)
        elif (
            m
            and m.kind == "description"
            and (is_person(m.text) or head_noun(m.text) not in _NOT_SPEAKERS)
        ):
            words = m.text.split()
            if words[0].lower() in ("the", "a", "an"):
                phrase = "the " + " ".join(words[1:])
                counts[phrase] += 1
                for intro in self_named.finditer(text, q.start, q.end):
                    who = alias.get(" ".join(intro.group(1).split()))
                    if who is not None:
                        introduced[phrase].add(id(who))
            elif words[0].lower() == "my" and relation(m.text):
                # "said my mother": the narrator's kin is one person all book long.
                counts[m.text.lower()] += 1
            elif "'s " in m.text and not relation(m.text):
                # "Strether's new acquaintance pursued": one person, not Strether.
                counts[m.text] += 1
    taken = {a.lower() for c in characters for a in c.aliases}
    kin = narrators_kin(narration or text, characters, reader.name_pattern) if counts else {}
    # "the coachman" is Deniska when the text said "the coachman Deniska".
    named = {noun for nouns in descriptors(text, Roster(characters)).values() for noun in nouns}
    titled = defaultdict(list)  # "the count" is the one Count of the book, "the doctor" Dr. Archie
    for c in characters:
        for hon in {
            TITLE_NOUNS.get(key, key)
            for a in c.aliases
            if (key := honorific_key(a.split()[0])) in HONORIFICS
        }:
            titled[hon].append(c)
    out = []
    for phrase, n in counts.items():
        if phrase in groups:
            if phrase not in taken:
                out.append(Character(phrase, [phrase], groups[phrase], n))
            continue
        # "the coachman" is the one coachman named by apposition, and "the young
        # girl" too vague to be anyone in particular; but "the pale young
        # gentleman" is one person, not every gentleman the book ever named.
        specific = head_noun(phrase) in GENERIC_NOUNS and len(phrase.split()) >= 4
        by_noun = head_noun(phrase) in named and not specific
        if phrase in taken or by_noun or phrase.endswith("voice"):
            continue
        if phrase.startswith("my "):
            # "my sister" is Mrs. Joe when the narration says so; else a person of her
            # own, never whoever holds the word as a title ("Sister Charlotte").
            if head_noun(phrase) in kin:
                kin[head_noun(phrase)].aliases.append(phrase)
            else:
                out.append(Character(phrase, [phrase], _speaker_gender(phrase), n))
            continue
        selves = {id(c): c for c in characters if id(c) in introduced.get(phrase, ())}
        if len(selves) == 1:
            # The description says who it is: "the little girl" is Mary Lennox.
            (self,) = selves.values()
            if description_gender(phrase) in (None, self.gender):
                self.aliases.append(phrase)
                continue
        title = titled.get(head_noun(phrase), [])
        if len(phrase.split()) == 2 and len(title) == 1:
            title[0].aliases.append(phrase)
            continue
        if len(phrase.split()) == 2 and len(title) > 1:
            continue  # "the sergeant" of two Sergeants: whichever is in view (resolve.py)
        out.append(Character(phrase, [phrase], _speaker_gender(phrase), n))
    said = pronoun_genders(narration or text, [c.name for c in out if c.name not in groups])
    for c in out:
        c.gender = said.get(c.name.lower(), c.gender)
    return out + newcomer_speakers(text, speech, tags, taken | {c.name for c in out})


def _speaker_gender(phrase: str) -> Gender | None:
    """A described speaker's gender from its words: the table's nouns ('the old woman'),
    else its head noun's plural or compound ('the girls', 'the housemaid', 'the
    boatman'). Only for the speaker the roster makes of it: a tag's description that
    links to someone else keeps the table's gender (resolve.py)."""
    return description_gender(phrase) or noun_gender(head_noun(phrase))


def _company_gender(tags: list, alias: dict[str, Character]) -> Gender | None:
    """'"...," said another' among men is a man: the one gender of the tags around it
    (names and pronouns, at least two), else unknown."""
    said = set()
    votes = 0
    for m in tags:
        if m is None or m.kind not in ("name", "pronoun"):
            continue
        gender = m.gender if m.kind == "pronoun" else getattr(alias.get(m.text), "gender", None)
        if gender:
            said.add(gender)
            votes += 1
    return next(iter(said)) if len(said) == 1 and votes >= 2 else None


# Someone else named before the pronoun: the pronoun may be theirs.
_OTHER_PERSON = re.compile(
    rf"(?<![.!?]\s)(?<!\A)\b{_TOKEN}|\b(?:the|a|an)\s+(?:(?:{'|'.join(sorted(NOUN_GENDER))})\b)"
)
_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)


def pronoun_genders(narration: str, phrases: list[str]) -> dict[str, Gender]:
    """The gender the book's own pronouns give each description ('the doctor ... he'):
    the first he/she in this sentence or the next after each mention, when no other
    person comes between; clear with a 2:1 majority, so one vote that nothing contradicts
    will do ('replied the leader. He appeared tired': a neutral voice is no safer for a
    man the book calls "he"). One pass over the narration for all phrases."""
    if not phrases:
        return {}
    votes: dict[str, Counter] = defaultdict(Counter)
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=longest_first))
    for m in re.finditer(rf"\b(?:{alternation})\b", narration, re.I):
        window = narration[m.end() : m.end() + 240].split("\n\n")[0]
        window = "".join(re.split(r"([.!?]\s)", window)[:4])  # this sentence and the next
        other = _OTHER_PERSON.search(window)
        if other:
            window = window[: other.start()]
        he, she = _HE.search(window), _SHE.search(window)
        if he and (not she or he.start() < she.start()):
            votes[m.group(0).lower()]["male"] += 1
        elif she:
            votes[m.group(0).lower()]["female"] += 1
    out: dict[str, Gender] = {}
    for phrase, count in votes.items():
        (best, n), *rest = count.most_common() + [(None, 0), (None, 0)]
        if best is not None and n >= 2 * rest[0][1]:
            out[phrase] = best
    return out


GENERIC_NOUNS = set(
    [
        "man",
        "woman",
        "gentleman",
        "lady",
        "boy",
        "girl",
        "fellow",
        "person",
        "child",
        "stranger",
        "youth",
    ]
)
# Heads of phrases that follow a speech verb without being its subject.
_NOT_SPEAKERS = set(
    [
        "day",
        "morning",
        "evening",
        "night",
        "time",
        "moment",
        "way",
        "question",
        "word",
        "words",
        "thing",
        "things",
        "truth",
        "same",
        "other",
        "next",
        "first",
        "last",
        "rest",
        "end",
        "story",
        "name",
    ]
)

_VOCATIVE_END = r",\s*(?P<v>[\w’'-]+(?:\s+[\w’'-]+)?)\s*[,.!?;—–-]*\s*$"
_VOCATIVE_START = (
    r"^\s*(?:(?:[Oo]h|[Aa]h|[Ww]ell|[Dd]ear|[Mm]y dear|[Yy]es|[Nn]o),?\s+)?"
    r"(?P<v>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s*[,!]"
)


# "I have told you a hundred times, Miguel, and you ask again": a name set off
# by commas and followed by lower-case words, so not a list ("Jane, Mary, Bob").
_VOCATIVE_MID = r"(?<![A-Z][\w’'-]),\s*(?P<v>[A-Z][\w’'-]*),\s+[a-z]"
_CONJUNCTIONS = {"And", "But", "Or", "Nor", "Then", "So", "If", "As", "For"}


# A person noun just before the comma: the name after it says who that is (an apposition,
# "my sister, Olga Ivanovna"; "his master, Mr. Morrel"), it calls no one.
_APPOSED = re.compile(
    r"\b(?:my|his|her|our|their|your)\s+(?:[a-z]+\s+)?(?:"
    + "|".join(sorted(set(NOUN_GENDER) | RELATIONS, key=longest_first))
    + r"),\s*\Z"
)


def vocatives(quote_text: str, names: dict[str, str]) -> list[str]:
    """Characters a quote addresses by name ('You killed it out there, mila,')."""
    out = []
    for rx in (_VOCATIVE_START, _VOCATIVE_END, _VOCATIVE_MID):
        for clause in split_sentences(quote_text) if rx is not _VOCATIVE_START else [quote_text]:
            m = re.search(rx, clause)
            if m:
                words = m.group("v")
                if words.split()[0] in _CONJUNCTIONS and len(words.split()) > 1:
                    continue  # "And Fernand, too, is invited!" talks about Fernand
                if rx is not _VOCATIVE_START and _APPOSED.search(clause[: m.start("v")]):
                    continue  # "the son of my sister, Olga Ivanovna": who the sister is
                who = (
                    names.get(words)
                    or names.get(words.capitalize())
                    or names.get(words.split()[-1])
                )
                if who and who not in out:
                    out.append(who)
    return out


def narrator_name(text: str, quotes: list[Quote], roster: Roster) -> str | None:
    """The first-person narrator's own name ("Pip"): others say it in their
    speech far more often than the narration does, since the narration says "I",
    and they call the narrator by it in the lines around the narrator's own. Only the
    first is not enough: a minor character talked about but seldom in the narration
    ("Tom is late again") would make every line of theirs the narrator's."""
    if not roster.first_person or not roster.characters:
        return None
    index = alias_index(roster)
    names = re.compile(compile_names(list(index)))
    spoken: Counter[str | None] = Counter()
    told: Counter[str | None] = Counter()
    at = 0
    for q in sorted(quotes, key=lambda q: q.start):
        for m in names.finditer(text, at, q.outer_start):
            told[index.get(m.group(0))] += 1
        if q.is_speech:
            for m in names.finditer(text, q.start, q.end):
                spoken[index.get(m.group(0))] += 1
        at = max(at, q.outer_end)
    for m in names.finditer(text, at):
        told[index.get(m.group(0))] += 1
    best = max(spoken, key=lambda n: spoken[n] - 3 * told[n], default=None)
    # ...and others call the narrator by it, in the lines around the narrator's own.
    called = _vocatives_next_to_said_i(text, quotes, index).most_common(1)
    if (
        best
        and spoken[best] >= 5
        and spoken[best] >= 3 * told[best]
        and called
        and called[0][0] == best
        and called[0][1] >= 2
    ):
        return best
    return None


_SAID_I = re.compile(rf"^[\s,;—–-]*(?:I\s+(?:[a-z]+ly\s+)?{VERB}|{VERB}\s+I\b)")


def _vocatives_next_to_said_i(
    text: str, quotes: list[Quote], index: dict[str, str]
) -> Counter[str]:
    """Names the quotes just before and after a '"...," said I' line call someone."""
    votes: Counter[str] = Counter()
    for other in next_to_said_i(text, quotes):
        votes.update(vocatives(text[other.start : other.end], index))
    return votes


def next_to_said_i(text: str, quotes: list[Quote]) -> Iterator[Quote]:
    """The quotes just before and after each '"...," said I' line, of another utterance
    than it: lines that are most often said to the first-person narrator."""
    speech = sorted((q for q in quotes if q.is_speech), key=lambda q: q.start)
    for n, q in enumerate(speech):
        if not _SAID_I.match(text[q.outer_end : q.outer_end + 40]):
            continue
        for other in speech[max(0, n - 1) : n] + speech[n + 1 : n + 2]:
            if other.group != q.group:
                yield other


def alias_index(roster: Roster) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in roster.characters:
        for a in c.aliases:
            index.setdefault(a, c.name)
    return index
