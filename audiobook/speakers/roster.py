"""Who is in the book: the character roster, from the text alone or from a cast file.

One roster per book, however many files it comes in. Name forms (forms.py:
capitalised tokens that behave like people) are clustered into characters
(clusters.py), unnamed speakers known by their tag ("the old woman") are added,
and a cast file's characters take in the ones found that they name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from audiobook.model import Cast, Character, Quote, Roster
from audiobook.speakers.clusters import character, cluster, cluster_gender
from audiobook.speakers.forms import (
    Form,
    find_forms,
    is_person,
    place_like,
    the_thing,
    two_people,
)
from audiobook.speakers.mentions import (
    alias_index,
    appositions,
    described_speakers,
    descriptors,
    narrator_name,
    vocatives,
)
from audiobook.speakers.namedlater import named_by_narration, named_by_themselves
from audiobook.speakers.names import (
    FIRST_PERSON,
    HONORIFICS,
    NOT_NAMES,
    NOUN_GENDER,
    compile_names,
    honorific_key,
    is_proper,
    words,
)
from audiobook.speakers.narrator_gender import narrator_gender
from audiobook.speakers.tags import VERB
from audiobook.text.apostrophes import book_spellings, plain_apostrophes, plain_name
from audiobook.text.chapters import has_heading
from audiobook.text.words import WordFinder

_FIRST = re.compile(r"\b(?:I|me|my|myself)\b")
# "Emma was a tall, big-boned woman": what the book says a character is.
_COPULA = re.compile(
    r"(?<![\w’'])(?P<name>[A-ZÀ-ÖØ-Þ][\w’'-]*\w)\s+(?:was|is)\s+(?:a|an|the)\s+"
    r"(?:[a-z-]+,?\s+){0,3}?(?P<noun>"
    + "|".join(sorted((n for n, g in NOUN_GENDER.items() if g), key=len, reverse=True))
    + r")\b"
)


def build_roster(
    text: str, quotes: list[Quote], cast: Cast | None = None, plain: str | None = None
) -> Roster:
    # Names and tags are read with straight apostrophes ("my brother’s wife" is read as
    # "my brother's wife"), and shown as the book spells them. ``plain`` is that copy when
    # the caller made it already (the attribution reads it too: straightened once a book).
    book, text = text, plain_apostrophes(text) if plain is None else plain
    narration = mask_quotes(text, quotes)
    forms = find_forms(text, narration, quotes)
    people = [f for f in forms.values() if is_person(f) and not two_people(f, forms)]
    known = {f.tokens[0] for f in people} | {f.tokens[-1] for f in people}
    alone = {f.tokens[0] for f in people if len(f.tokens) == 1 and not f.hon}
    # "Mila Arias" once at a sentence start is still Mila's full name; "Gabriel Oak" is
    # no place when "Oak" alone is a person.
    people += [
        f
        for f in forms.values()
        if f not in people
        and len(f.tokens) > 1
        and (f.tokens[0] in known or f.tokens[-1] in known)
        and not two_people(f, forms)
        and not (place_like(f) and not f.tag and f.tokens[-1] not in alone)
        and not the_thing(f)
    ]
    # "said Will." in a book with "said Will Green": a word that is no name alone ("will",
    # "rose") is the given name of a full name the book has, when a tag says it.
    given = {f.tokens[0] for f in people if len(f.tokens) > 1 and not f.hon}
    people += [
        f
        for f in forms.values()
        if f not in people and len(f.tokens) == 1 and not f.hon and f.tag and f.tokens[0] in given
    ]
    clusters = cluster(people)
    characters = [character(c) for c in clusters]
    _apply_appositions(narration, characters, clusters)
    described = described_speakers(text, quotes, characters, narration)
    # A newcomer is known by its pronoun tag alone: no name the talk gives later takes it.
    newcomers = [c for c in described if c.newcomer]
    described = [c for c in described if not c.newcomer]
    _named_in_speech(text, quotes, described, {a for c in characters for a in c.aliases})
    described = _named_later(text, narration, quotes, characters, described)
    described = named_by_narration(narration, characters, described)
    described = named_by_themselves(text, narration, quotes, characters, described)
    characters += described + newcomers
    _count_vocatives(text, quotes, characters)
    spelled = book_spellings(book, text, {a for c in characters for a in [c.name, *c.aliases]})
    if spelled:
        for c in characters:
            c.name = spelled.get(c.name, c.name)
            c.aliases = [spelled.get(a, a) for a in c.aliases]
    if cast is not None:
        characters = with_cast(cast, characters, book)
    characters.sort(key=lambda c: (-c.mentions, c.name))
    first = _first_person(narration, text, quotes)
    told = narrator_gender(text, narration, quotes) if first else None
    return Roster(characters, first_person=first, narrator_gender=told)


def mask_quotes(text: str, quotes: list[Quote]) -> str:
    """The narration: every quote's content blanked, offsets kept."""
    parts, at = [], 0
    for q in sorted(quotes, key=lambda q: q.start):
        if q.start < at:
            continue
        parts.append(text[at : q.start])
        parts.append(re.sub(r"[^\n]", " ", text[q.start : q.end]))
        at = q.end
    parts.append(text[at:])
    return "".join(parts)


def _apply_appositions(
    narration: str, characters: list[Character], clusters: list[list[Form]]
) -> None:
    """Weigh "Mila's sister, Sofia" into each character's gender; ``clusters[i]`` is
    ``characters[i]``'s forms."""
    index: dict[str, int] = {}
    for i, forms in enumerate(clusters):
        for f in forms:
            index.setdefault(f.tokens[-1], i)
            index.setdefault(f.tokens[0], i)
    copulas = ((False, m.group("noun"), m.group("name"), "") for m in _COPULA.finditer(narration))
    for before, noun, name, whole in (*appositions(narration), *copulas):
        if before and re.match(r"(?:[Tt]he|[Aa]n?)\s[^,]*,", whole):
            continue  # '"...," said the count, Mercédès ...': a clause ends, no apposition
        at = index.get(name)
        if at is not None and noun in NOUN_GENDER:
            clusters[at][0].nouns[noun] += 1
    for c, forms in zip(characters, clusters, strict=True):
        c.gender = cluster_gender(forms)


# Titles said before a name ("Parson Tringham", "Captain Hook"), not words for anyone
# ("Lady Macbeth" is not every "the lady").
_TITLES = {t for t in HONORIFICS if len(t) > 2 and t not in ("lady", "master", "mistress")}
_TITLES |= words("parson vicar rector curate squire nurse farmer skipper")


def _named_in_speech(
    text: str, quotes: list[Quote], described: list[Character], taken: set[str]
) -> None:
    """ "the parson" is Parson Tringham when the talk names one Parson and only one ("I am
    Parson Tringham"), and the narration names nobody so: the character takes that name."""
    titled = [
        (c, parts[-1])
        for c in described
        if len(parts := c.name.split()) == 2
        and parts[-1] in _TITLES
        and parts[0] != "my"  # kin, no title
    ]
    if not titled:
        return  # most books: no need to read all their speech and every lower-case word
    speech = "\n".join(text[q.start : q.end] for q in quotes if q.is_speech)
    lower = set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text))  # "Stranger! Ask ..."
    for c, title in titled:
        names = set(re.findall(rf"\b(?i:{re.escape(title)})\.?\s+([A-ZÀ-ÖØ-Þ][\w’'-]*\w)", speech))
        names = {n for n in names if n.lower() not in NOT_NAMES and n.lower() not in lower}
        if len(names) == 1:
            full = f"{title.capitalize()} {names.pop()}"
            if full not in taken:
                c.name, c.aliases = full, [full, *c.aliases]


def _named_later(
    text: str,
    narration: str,
    quotes: list[Quote],
    named: list[Character],
    described: list[Character],
) -> list[Character]:
    """ "the gentleman" speaks until the talk gives his name ("Greyson,--office on second
    floor"), and from then on the narration says "Mr. Greyson": one man. A described speaker
    ("the gentleman", one person) is the one named character of its gender whom the
    narration first names soon after the description's last mention, once the talk in
    between has said the name."""
    if not any(d.name.startswith("the ") and d.gender for d in described):
        return described
    speech = [(q.start, q.end) for q in quotes if q.is_speech]
    kept, first = [], {}  # first: where the narration first names each character
    for d in described:
        words_ = d.name.split()
        if words_[0] != "the" or d.gender is None or words_[-1] not in NOUN_GENDER:
            kept.append(d)
            continue
        last = _last_described(narration, " ".join(words_[1:]))
        if last < 0:
            kept.append(d)
            continue
        fits = []
        for c in named:
            if c.gender != d.gender:
                continue
            if c.name not in first:
                first[c.name] = min((_first_named(narration, a) for a in c.aliases), default=-1)
            at = first[c.name]
            if not last < at < last + _SCENE or has_heading(text[last:at]):
                continue  # named before, far off, or in another chapter ("PROLOGUE", "CHAPTER I.")
            parts = {t for a in c.aliases for t in a.split() if honorific_key(t) not in HONORIFICS}
            said = rf"(?<![\w’'])(?:{'|'.join(map(re.escape, parts))})(?![\w’'])"
            if any(last < s < at and re.search(said, text[s:e]) for s, e in speech):
                fits.append(c)
        if len(fits) == 1:
            fits[0].aliases.append(d.name)
            fits[0].mentions += d.mentions
        else:
            kept.append(d)
    return kept


_SCENE = 3000  # characters: about a page


def _last_described(narration: str, words: str) -> int:
    """Where the narration last says "the/a/an WORDS" (str.rfind: a regex over the whole
    book for each description cost Great Expectations half a second)."""
    i = len(narration)
    while (i := narration.rfind(words, 0, i)) >= 0:
        end = i + len(words)
        if (end == len(narration) or not narration[end].isalnum()) and re.search(
            r"(?<![\w’'])(?:[Tt]he|[Aa]n?)\s+\Z", narration[max(0, i - 6) : i]
        ):
            return i
    return -1


def _first_named(narration: str, alias: str) -> int:
    """Where the narration first says a name, as a whole word; len(narration) if never."""
    i = -1
    while alias and (i := narration.find(alias, i + 1)) >= 0:
        end = i + len(alias)
        if (i == 0 or not narration[i - 1].isalnum()) and (
            end == len(narration) or not narration[end].isalnum()
        ):
            return i
    return len(narration)


def _count_vocatives(text: str, quotes: list[Quote], characters: list[Character]) -> None:
    index = alias_index(Roster(characters))
    by_name = {c.name: c for c in characters}
    for q in quotes:
        if q.is_speech:
            for who in vocatives(text[q.start : q.end], index):
                by_name[who].mentions += 1


def _first_person(narration: str, text: str, quotes: list[Quote]) -> bool:
    words = len(narration.split())
    hits = len(_FIRST.findall(narration))
    if hits >= 3 and hits >= 0.01 * words:
        return True
    tag = re.compile(rf"^[\s,—–-]*(?:I\s+(?:[a-z]+ly\s+)?{VERB}|{VERB}\s+I\b)")
    return (
        sum(1 for q in quotes if tag.match(text[q.outer_end : q.outer_end + 40])) >= 1 and hits >= 2
    )


def build_book_roster(
    parts: list[tuple[str, list[Quote]]], cast: Cast | None = None, plains: list[str] | None = None
) -> Roster:
    """One roster for a book given as several files: the unit of analysis is the
    book, so "Mr. Sherlock Holmes" in one chapter file and "Sherlock" in the next
    are one character with one voice. Quotes keep their own file's offsets. ``plains``
    are the files with straight apostrophes, when the caller made them already."""
    if len(parts) == 1:
        return build_roster(parts[0][0], parts[0][1], cast, plains[0] if plains else None)
    texts, shifted, at, groups = [], [], 0, 0
    for text, quotes in parts:
        top = max((q.group for q in quotes), default=-1) + 1
        shifted += [
            replace(
                q,
                start=q.start + at,
                end=q.end + at,
                outer_start=q.outer_start + at,
                outer_end=q.outer_end + at,
                group=q.group + groups,
            )
            for q in quotes
        ]
        texts.append(text)
        at += len(text) + 2
        groups += top
    # No apostrophe is read across a file's edge, so the files' plain copies joined are the
    # joined text's plain copy.
    plain = "\n\n".join(plains) if plains else None
    return build_roster("\n\n".join(texts), shifted, cast, plain)


def with_cast(cast: Cast, found: list[Character], text: str = "") -> list[Character]:
    """The cast file's characters, plus any found character it does not list."""
    listed = [
        Character(name, _unique([name, *e.aliases]), e.gender, 0, True)
        for name, e in cast.characters.items()
    ]
    exact = {_exact(a): c for c in listed for a in c.aliases}
    exact |= {_exact(c.name): c for c in listed}  # a name is its own before another's alias
    # A list's "Old Man" is the text's "the old man", but an entry "the old woman" is the
    # text's "the old woman" before the entry "an old woman".
    loose = {_loose(a): c for c in listed for a in c.aliases} | {_loose(c.name): c for c in listed}
    tokens = defaultdict(set)
    for c in listed:
        for a in c.aliases:
            for t in a.split():
                if honorific_key(t) not in HONORIFICS and t.lower() not in NOT_NAMES:
                    tokens[_exact(t)].add(c.name)
    by_name = {c.name: c for c in listed}
    extra, unlisted = [], []
    lists_described = any(described_name(c.name) for c in listed)
    for c in found:
        home = next((exact[_exact(a)] for a in c.aliases if _exact(a) in exact), None)
        home = home or next((loose[_loose(a)] for a in c.aliases if _loose(a) in loose), None)
        if home is None:
            owners = {
                o for a in c.aliases if len(a.split()) == 1 for o in tokens.get(_exact(a), ())
            }
            if len(owners) > 1:
                # "Konstantin": the entry "Konstantin Zvonik", not "Konstantin Zvonik's wife".
                size = {o: min(len(a.split()) for a in by_name[o].aliases) for o in owners}
                owners = {o for o in owners if size[o] == min(size.values())}
            home = by_name[owners.pop()] if len(owners) == 1 else None
        if home is None:
            if listed and described_name(c.name):
                unlisted.append(c)
            else:
                extra.append(c)
            continue
        lists_described = lists_described or described_name(c.name)
        home.mentions += c.mentions
        home.gender = home.gender or c.gender
        # The text's own spellings of a listed character help find it in tags.
        home.aliases = _unique([*home.aliases, *c.aliases])
    # A cast that lists described people ('the parson', "Old Man") lists them all: one it
    # does not list is one of its people under another name, whoever the talk points to
    # ("Strether's new acquaintance" is the cast's "the lady"). A cast of names alone may
    # leave the book's unnamed speakers out: one far from every listed person of their
    # gender stays their own.
    if not lists_described and unlisted and text:
        words = WordFinder(text)
        extra += [c for c in unlisted if _own_person(c, listed, words)]
    return listed + extra


def described_name(name: str) -> bool:
    """A name for someone the book does not name: 'the man', 'The Guide', 'X's wife'."""
    return not is_proper(name) or "'s " in plain_name(name) or bool(_ARTICLE.match(name.lower()))


_IN_VIEW = 1500  # characters before a described speaker's mention: who is about


def _own_person(c: Character, listed: list[Character], words: WordFinder) -> bool:
    """Whether a described speaker a cast of names leaves out is someone of their own: one
    of a gender the cast lists nobody of, or who speaks more than once where the text names
    no listed person of their gender in the page before any mention of them (the old woman
    in a hut the hero reaches alone, far from every woman listed). "The parson" is the
    cast's Parson Tringham, whoever is about."""
    noun = c.name.split()[-1].lower()
    if c.gender is None:
        return False
    if any(noun in a.lower().split() for p in listed for a in p.aliases):
        return False
    aliases = [a for p in listed if p.gender == c.gender for a in p.aliases]
    if not aliases:
        return True  # the cast lists nobody of their gender
    if c.mentions < 2:
        return False
    names = re.compile(compile_names(aliases))
    for a in c.aliases:
        for at in words.starts(a):
            if names.search(words.text, max(0, at - _IN_VIEW), at):
                return False
    return True


_ARTICLE = re.compile(r"\A(?:the|an?)\s+")


def _exact(alias: str) -> str:
    """A cast entry and the text's name compared: case and the apostrophe's shape aside."""
    return plain_name(alias).lower()


def _loose(alias: str) -> str:
    """How a cast entry and the text's name for someone are compared: case and a leading
    article aside, so a list's "Old Man" or "The Stranger" is the text's "the old man",
    "said a stranger"."""
    return _ARTICLE.sub("", _exact(alias))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


__all__ = [
    "build_roster",
    "descriptors",
    "mask_quotes",
    "narrator_name",
    "vocatives",
    "FIRST_PERSON",
]
