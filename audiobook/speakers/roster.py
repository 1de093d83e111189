"""Who is in the book: the character roster, from the text alone or from a cast file.

Names are capitalised tokens that behave like people: they come with an
honorific, sit next to a speech verb, or act as a sentence's subject in the
middle of the text, and are rarely the object of "in"/"at"/"from". Name forms
are clustered into characters ("Elizabeth Bennet" = "Elizabeth" = "Miss
Bennet" when nothing else could claim them; "Mr. Bennet" never = "Mrs.
Bennet"). Gender comes from honorifics, appositions ("Mila's sister, Sofia"),
a first-name table and the pronouns that follow a mention.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from audiobook.model import Cast, Character, Gender, Quote, Roster
from audiobook.speakers.mentions import (
    APPOS_AFTER,
    APPOS_BEFORE,
    alias_index,
    described_speakers,
    descriptors,
    narrator_name,
    vocatives,
)
from audiobook.speakers.names import (
    FIRST_PERSON,
    HONORIFICS,
    NOT_NAMES,
    NOUN_GENDER,
    honorific_key,
    name_gender,
)
from audiobook.speakers.tags import VERB

_UP = "A-ZÀ-ÖØ-Þ"
_TOKEN = rf"[{_UP}][\w’'-]*\w"
_SP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_HON = "|".join(sorted((h.capitalize() for h in HONORIFICS if len(h) > 1), key=len, reverse=True))
# An optional honorific, then one to three capitalised tokens.
# Lower-case particles inside a name: "Madame de Villefort", "Count of Monte Cristo".
_PARTICLES = {
    "de",
    "du",
    "des",
    "da",
    "di",
    "del",
    "della",
    "van",
    "von",
    "der",
    "den",
    "la",
    "le",
    "of",
}
_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES)) + ")"
_NAME = re.compile(
    rf"(?<![\w’'])(?:(?P<hon>{_HON}|M)\.?[ \t]+\n?[ \t]*)?"
    rf"(?P<name>(?:{_PARTICLE}{_SP})?{_TOKEN}(?:{_SP}(?:{_PARTICLE}{_SP})?{_TOKEN}){{0,3}})"
)
# "looked at Thomas", "said to Mary": only these mostly precede places.
_PLACE_WORDS = {
    "in",
    "from",
    "into",
    "near",
    "through",
    "across",
    "towards",
    "toward",
    "beyond",
    "around",
    "outside",
    "inside",
    "via",
}
_ACTION = re.compile(
    r"\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|was|had|is|has|would|could|did|went|came|"
    r"took|gave|made|saw|felt|knew|got|sat|stood|ran|said|thought|began|kept|"
    r"let|put|shook|spoke|told|laughed|smiled|nodded|shrugged|looked)\b"
)
_CLAUSE_OPENERS = {
    "and",
    "but",
    "then",
    "when",
    "while",
    "as",
    "that",
    "so",
    "till",
    "until",
    "because",
}
_SUBJ_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]imself|[Hh]erself|[Hh]is|[Hh]er)\b")
_FIRST = re.compile(r"\b(?:I|me|my|myself)\b")
_SENTENCE_END = re.compile(r"[.!?]")


@dataclass
class _Form:
    hon: str | None
    tokens: tuple[str, ...]
    count: int = 0
    person: int = 0
    place: int = 0
    mid: int = 0
    he: int = 0
    she: int = 0
    nouns: Counter = field(default_factory=Counter)
    the: int = 0  # preceded by "the": a capitalised title or noun ("the Jewess")
    common: int = 0  # sentence-initial, and the word is also used in lower case
    lower: int = 0  # how often the word appears in lower case ("tears")
    tag: int = 0  # next to a speech verb

    @property
    def text(self) -> str:
        if self.the * 2 >= self.count and len(self.tokens) == 1:
            return "the " + self.tokens[0]
        head = (
            f"{self.hon}. "
            if self.hon and honorific_key(self.hon) in _ABBREV
            else (f"{self.hon} " if self.hon else "")
        )
        return head + " ".join(self.tokens)


_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "mx",
    "capt",
    "col",
    "lt",
    "sgt",
    "prof",
    "rev",
    "mme",
    "mlle",
    "m",
}


def build_roster(text: str, quotes: list[Quote], cast: Cast | None = None) -> Roster:
    narration = mask_quotes(text, quotes)
    forms = _find_forms(text, narration, quotes)
    people = [f for f in forms.values() if _is_person(f) and not _two_people(f, forms)]
    known = {f.tokens[0] for f in people} | {f.tokens[-1] for f in people}
    # "Mila Arias" once at a sentence start is still Mila's full name.
    people += [
        f
        for f in forms.values()
        if f not in people
        and len(f.tokens) > 1
        and (f.tokens[0] in known or f.tokens[-1] in known)
        and not _two_people(f, forms)
        and not (_place_like(f) and not f.tag)
    ]
    clusters = _cluster(people)
    characters = [_character(c) for c in clusters]
    _apply_appositions(narration, characters, clusters)
    characters += described_speakers(text, quotes, characters, narration)
    _count_vocatives(text, quotes, characters)
    if cast is not None:
        characters = with_cast(cast, characters)
    characters.sort(key=lambda c: (-c.mentions, c.name))
    return Roster(characters, first_person=_first_person(narration, text, quotes))


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


def _find_forms(text: str, narration: str, quotes: list[Quote]) -> dict:
    forms: dict[tuple, _Form] = {}
    quote_end = {q.outer_end: q for q in quotes}
    lower = Counter(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", narration))
    for m in _NAME.finditer(narration):
        hon = m.group("hon")
        toks = [
            (m.start("name") + t.start(), t.group()) for t in re.finditer(r"\S+", m.group("name"))
        ]
        if hon is None:
            # "Then Holmes", "Mechanically Yegorushka": a capitalised opener is no name.
            while toks and (
                toks[0][1].lower() in NOT_NAMES
                or len(toks) > 1
                and _common_word(toks[0][1], lower)
                and toks[0][1].lower() not in HONORIFICS
            ):
                toks = toks[1:]
        if hon is None and len(toks) > 1 and toks[0][1].lower() in HONORIFICS:
            hon, toks = toks[0][1], toks[1:]  # "The Count of Monte Cristo"
        if hon is None:
            while toks and toks[0][1] in _PARTICLES:
                toks = toks[1:]
        toks = _cut_at_dash(toks)
        for n, (_, t) in enumerate(toks):
            if t == "of" and (hon is None or n > 0):
                toks = toks[:n]  # "Beauchamp of Château-Renaud": "of" belongs to titles only
                break
            if t in _PARTICLES:
                continue
            if t.lower() in NOT_NAMES or t.isupper() and len(t) > 1:
                toks = toks[:n]
                break
            if t.endswith(("'s", "’s")):
                toks = toks[:n] + [(toks[n][0], t[:-2])]
                break
        while toks and toks[-1][1] in _PARTICLES:
            toks = toks[:-1]
        toks = [(at, t) for at, t in toks if t]
        if not toks:
            continue
        if hon is None and len(toks) == 1 and toks[0][1].lower() in HONORIFICS:
            continue  # "Madame", "Captain" alone name nobody in particular
        tokens = [t for _, t in toks]
        end = toks[-1][0] + len(toks[-1][1])
        key = (honorific_key(hon) if hon else None, tuple(tokens))
        form = forms.setdefault(key, _Form(hon.rstrip(".") if hon else None, tuple(tokens)))
        form.count += 1
        before = narration[max(0, m.start() - 40) : m.start()].split()
        if before and before[-1] == "the" and not hon:
            form.the += 1
        after = narration[end : end + 40]
        if hon:
            form.person += 2
        if not _sentence_start(narration, m.start(), quote_end, text):
            form.mid += 1
        elif len(tokens) == 1 and lower[tokens[0].lower()]:
            form.common += 1
        form.lower = lower[tokens[-1].lower()]
        if before and before[-1].lower() in _PLACE_WORDS:
            form.place += 1
        # "—preguntó Sofía": a dash glued to the verb opens a Spanish tag.
        if re.match(rf"\s+(?:[a-z]+ly\s+)?{VERB}", after) or (
            before and re.fullmatch(VERB, before[-1].lstrip("—–-"))
        ):
            form.person += 2
            form.tag += 1
        elif _ACTION.match(after):
            form.person += 1
        subject = (
            not before
            or not before[-1].isalpha()
            or not before[-1].islower()
            or before[-1] in _CLAUSE_OPENERS
        )
        # After a subject ("Zorvath walked in. He ...") the pronoun may come at once;
        # after an object only from the next sentence on ("listened to Nastasya. ... she talked").
        _pronoun_after(narration, end, form, next_sentence=not subject)
    for rx in (APPOS_BEFORE, APPOS_AFTER):
        for m in rx.finditer(narration):
            named = forms.get((None, (m.group("name"),)))
            if named is not None and m.group("noun") in NOUN_GENDER:
                named.person += 2
    for form in forms.values():
        if not form.hon and name_gender(form.tokens[0]):
            form.person += 1
    return forms


def _cut_at_dash(toks: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """'Miss Lavish--for', 'England-he', 'Fifteen-year-old Jo': a dash ends a name, and
    a hyphen before a lower-case word makes a compound, not a name."""
    out: list[tuple[int, str]] = []
    for at, t in toks:
        dash = re.search(r"--|[—–]", t)
        head = (t[: dash.start()] if dash else t).rstrip("'’")
        if re.search(r"-[a-z]", head):
            if out:
                break
            continue  # a compound opener ("Fifteen-year-old"): the name may follow
        if head:
            out.append((at, head))
        if dash:
            break
    return out


# Last words of places and institutions, not people ("Riverside Drive", "Blodgett
# College", "Wuthering Heights"), and of families ("the Pyncheon Family").
_PLACE_HEADS = {
    "street",
    "drive",
    "road",
    "lane",
    "avenue",
    "square",
    "place",
    "house",
    "hall",
    "heights",
    "hill",
    "college",
    "school",
    "university",
    "landing",
    "park",
    "court",
    "manor",
    "abbey",
    "castle",
    "church",
    "chapel",
    "farm",
    "inn",
    "hotel",
    "bridge",
    "river",
    "island",
    "valley",
    "station",
    "elm",
    "oak",
    "family",
    "commonwealth",
    "company",
    "club",
}


def _place_like(f: _Form) -> bool:
    """A form that names a place, a family or a people ('Englishmen', 'Indians')."""
    last = f.tokens[-1]
    if len(f.tokens) > 1 and last.lower() in _PLACE_HEADS:
        return True
    if last.endswith("shire"):
        return True
    return len(f.tokens) == 1 and len(last) > 5 and last.endswith(("men", "ians", "ese"))


def _common_word(word: str, lower: Counter) -> bool:
    return lower[word.lower()] > 0 or (
        word.endswith("ly") and name_gender(word) is None and len(word) > 6
    )


def _sentence_start(narration: str, pos: int, quote_end: dict, text: str) -> bool:
    i = pos - 1
    while i >= 0 and narration[i] in " \t\r\n":
        if narration[i] == "\n" and i > 0 and narration[i - 1] == "\n":
            return True
        i -= 1
    if i < 0:
        return True
    ch = narration[i]
    if i + 1 in quote_end:
        # '"Stop!" Kuzmitchov shouted' is one sentence, '"Stop!" Tears came' two:
        # only the comma is sure; a following speech verb counts as evidence anyway.
        inner = text[quote_end[i + 1].end - 1 : quote_end[i + 1].end]
        return inner not in ",—–-"
    return ch in ".!?:;\"“”'‘’(—–-" or ch == "\n"


def _pronoun_after(narration: str, end: int, form: _Form, next_sentence: bool = False) -> None:
    """The first he/she after a mention, within this sentence and the next."""
    window = narration[end : end + 240]
    stops = list(_SENTENCE_END.finditer(window))
    if len(stops) >= 2:
        window = window[: stops[1].start()]
    if next_sentence:
        window = window[stops[0].end() :] if stops else ""
    if "\n\n" in window:
        window = window[: window.index("\n\n")]
    m = _SUBJ_PRONOUN.search(window)
    other = next(
        (
            o
            for o in _NAME.finditer(window, 0, m.start() if m else 0)
            if o.group("hon") or o.group("name").split()[0].lower() not in NOT_NAMES
        ),
        None,
    )
    if m and other is None:
        # "his"/"her" may belong to someone else ("handed her a glass"): half weight.
        word = m.group(0).lower()
        weight = 1 if word in ("his", "her") else 2
        if word in ("he", "him", "himself", "his"):
            form.he += weight
        else:
            form.she += weight


def _is_person(f: _Form) -> bool:
    if f.hon:
        return True
    if _place_like(f) and not f.tag:
        return False
    if len(f.tokens) == 1 and f.tokens[0].lower() in NOT_NAMES:
        return False
    if len(f.tokens) == 1 and not f.tag and (f.common and f.common >= f.mid or f.lower >= f.count):
        return False
    if f.the * 2 >= f.count and not f.tag and not NOUN_GENDER.get(f.tokens[-1].lower()):
        return False  # "the Temple", "the Boar": places and inns, unless they speak
    if f.person >= 2 and f.person > f.place:
        return True
    if len(f.tokens) == 1 and name_gender(f.tokens[0]) and f.mid >= 1:
        return True
    return f.person >= 1 and f.mid >= 1 and f.place * 2 < f.count


def _two_people(f: _Form, forms: dict) -> bool:
    """ "Franz Debray" or "Monte Cristo Dantès" once, when each side is named often
    on its own: two people side by side, not one full name."""
    if f.hon or len(f.tokens) < 2:
        return False
    for k in range(1, len(f.tokens)):
        left, right = forms.get((None, f.tokens[:k])), forms.get((None, f.tokens[k:]))
        if left and right and min(left.count, right.count) >= max(3, 3 * f.count):
            return True
    return False


def _gender_of_hon(f: _Form) -> Gender | None:
    return HONORIFICS.get(honorific_key(f.hon)) if f.hon else None


def _cluster(forms: list[_Form]) -> list[list[_Form]]:
    clusters: list[list[_Form]] = []
    full = sorted(
        (f for f in forms if not f.hon and len(f.tokens) >= 2),
        key=lambda f: (-len(f.tokens), -f.count),
    )
    for f in full:
        home = next(
            (
                c
                for c in clusters
                if any(not g.hon and g.tokens[: len(f.tokens)] == f.tokens for g in c)
            ),
            None,
        )
        if home is None:
            clusters.append([f])
        else:
            home.append(f)
    hon_forms = sorted((f for f in forms if f.hon), key=lambda f: (-len(f.tokens), -f.count))
    families = defaultdict(set)
    for f in hon_forms:
        families[f.tokens[-1]].add(_gender_of_hon(f))
    for f in hon_forms:
        gender = _gender_of_hon(f)
        title = honorific_key(f.hon or "")  # never empty: these forms all have one
        # "Mr. Herbert Pocket" is "Herbert Pocket"; "Father Christopher Sireysky"
        # is "Father Christopher"; but "Mr. Pocket" is not "Mr. Herbert Pocket".
        same = [
            c
            for c in clusters
            if any(
                (
                    not g.hon
                    and len(f.tokens) > 1
                    and g.tokens == f.tokens
                    and _cluster_gender(c) in (None, gender)
                )
                or (g.hon and honorific_key(g.hon) == title and _prefix(g.tokens, f.tokens))
                for g in c
            )
        ]
        if same:
            same[0].append(f)
            continue
        fits = [
            c
            for c in clusters
            if not any(g.hon for g in c)
            and any(f.tokens[-1] in g.tokens for g in c)
            and _cluster_gender(c) in (None, gender)
        ]
        # "Miss Bennet" is the one Bennet daughter with a first name; "Mrs. Bennet"
        # and "Mr. Bennet" join a first name only when no other title shares the surname.
        unmarried = title in ("miss", "mademoiselle", "mlle")
        if (
            len(fits) == 1
            and (len(families[f.tokens[-1]]) == 1 or unmarried)
            and _first_names(fits[0])
        ):
            fits[0].append(f)
        else:
            clusters.append([f])
    singles = sorted((f for f in forms if not f.hon and len(f.tokens) == 1), key=lambda f: -f.count)
    for f in singles:
        token = f.tokens[0]
        fits = [c for c in clusters if any(token in g.tokens for g in c)]
        first = [c for c in fits if any(not g.hon and g.tokens[0] == token for g in c)]
        if len(first) == 1:
            fits = first
        own = _cluster_gender([f])
        fits = [c for c in fits if own is None or _cluster_gender(c) in (None, own)]
        fits.sort(key=lambda c: -sum(g.count for g in c))
        size = [sum(g.count for g in c) for c in fits]
        if len(fits) > 1 and f.count > size[0]:
            clusters.append([f])  # "Danglars" alone outnumbers "Madame Danglars" and the rest
        elif len(fits) == 1 or (fits and size[0] >= 3 * size[1]):
            fits[0].append(f)
        else:
            clusters.append([f])
    return clusters


def _prefix(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    short, long = sorted((a, b), key=len)
    return long[: len(short)] == short


def _first_names(cluster: list[_Form]) -> bool:
    return any(not g.hon and len(g.tokens) >= 2 for g in cluster)


def _cluster_gender(cluster: list[_Form]) -> Gender | None:
    said = {_gender_of_hon(f) for f in cluster} - {None}
    if len(said) == 1:
        return said.pop()  # "Mrs." outweighs any nearby "he"
    votes: Counter[Gender] = Counter()
    for f in cluster:
        g = _gender_of_hon(f)
        if g:
            votes[g] += 3 * f.count
        elif f.hon:
            g = NOUN_GENDER.get(honorific_key(f.hon))
            if g:
                votes[g] += 2  # "General Tilney": a hint the book's pronouns may outvote
        elif len(f.tokens) >= 1:
            g = name_gender(f.tokens[0]) or NOUN_GENDER.get(f.tokens[0].lower())
            if g:
                votes[g] += 2  # a hint: the book's own pronouns outvote it ("Andrea", a man)
        votes["male"] += f.he
        votes["female"] += f.she
        for noun, n in f.nouns.items():
            g = NOUN_GENDER.get(noun)
            if g:
                votes[g] += 3 * n
    if not votes:
        return None
    ranked = votes.most_common()
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return best if n > 0 and n >= 2 * second else None


def _character(cluster: list[_Form]) -> Character:
    main = max(cluster, key=lambda f: (f.count, len(f.tokens), bool(f.hon)))
    aliases = sorted({f.text for f in cluster} - {main.text}, key=lambda a: (-len(a), a))
    return Character(
        main.text, [main.text] + aliases, _cluster_gender(cluster), sum(f.count for f in cluster)
    )


def _apply_appositions(
    narration: str, characters: list[Character], clusters: list[list[_Form]]
) -> None:
    """Weigh "Mila's sister, Sofia" into each character's gender; ``clusters[i]`` is
    ``characters[i]``'s forms."""
    index: dict[str, int] = {}
    for i, cluster in enumerate(clusters):
        for f in cluster:
            index.setdefault(f.tokens[-1], i)
            index.setdefault(f.tokens[0], i)
    for rx in (APPOS_BEFORE, APPOS_AFTER):
        for m in rx.finditer(narration):
            at = index.get(m.group("name"))
            noun = m.group("noun")
            if at is not None and noun in NOUN_GENDER:
                clusters[at][0].nouns[noun] += 1
    for c, cluster in zip(characters, clusters, strict=True):
        c.gender = _cluster_gender(cluster)


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


def build_book_roster(parts: list[tuple[str, list[Quote]]], cast: Cast | None = None) -> Roster:
    """One roster for a book given as several files: the unit of analysis is the
    book, so "Mr. Sherlock Holmes" in one chapter file and "Sherlock" in the next
    are one character with one voice. Quotes keep their own file's offsets."""
    if len(parts) == 1:
        return build_roster(parts[0][0], parts[0][1], cast)
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
    return build_roster("\n\n".join(texts), shifted, cast)


def with_cast(cast: Cast, found: list[Character]) -> list[Character]:
    """The cast file's characters, plus any found character it does not list."""
    listed = [
        Character(name, _unique([name, *e.aliases]), e.gender, 0, True)
        for name, e in cast.characters.items()
    ]
    exact = {a.lower(): c for c in listed for a in c.aliases}
    tokens = defaultdict(set)
    for c in listed:
        for a in c.aliases:
            for t in a.split():
                if honorific_key(t) not in HONORIFICS and t.lower() not in NOT_NAMES:
                    tokens[t.lower()].add(c.name)
    by_name = {c.name: c for c in listed}
    extra = []
    for c in found:
        home = next((exact[a.lower()] for a in c.aliases if a.lower() in exact), None)
        if home is None:
            owners = {
                o for a in c.aliases if len(a.split()) == 1 for o in tokens.get(a.lower(), ())
            }
            if len(owners) > 1:
                # "Konstantin": the entry "Konstantin Zvonik", not "Konstantin Zvonik's wife".
                size = {o: min(len(a.split()) for a in by_name[o].aliases) for o in owners}
                owners = {o for o in owners if size[o] == min(size.values())}
            home = by_name[owners.pop()] if len(owners) == 1 else None
        if home is None:
            extra.append(c)
            continue
        home.mentions += c.mentions
        home.gender = home.gender or c.gender
        # The text's own spellings of a listed character help find it in tags.
        home.aliases = _unique([*home.aliases, *c.aliases])
    return listed + extra


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
