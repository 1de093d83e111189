"""Name forms: the capitalised tokens of the narration that behave like people.

A form is one way a name is written ("Mr. Bennet", "Elizabeth", "Elizabeth Bennet"),
with the evidence that it is a person: an honorific, a speech verb or an action
next to it, a sentence subject in mid-text, rarely after "in"/"at"/"from", never a
place, a family or a people (places.py); the he/she that follow it vote on its gender.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from audiobook.model import Gender, Quote
from audiobook.speakers.given_names import name_gender
from audiobook.speakers.mentions import appositions
from audiobook.speakers.names import (
    HONORIFICS,
    NOT_NAMES,
    NOUN_GENDER,
    PARTICLES,
    honorific_key,
    words,
)
from audiobook.speakers.places import PLACE_WORDS, at_place, place_like
from audiobook.speakers.relations import RELATIONS
from audiobook.speakers.tags import VERB
from audiobook.text.sentences import SENTENCE_END
from audiobook.text.speechverbs import longest_first

_UP = "A-ZÀ-ÖØ-Þ"
# "d'Artagnan", "l'Estrange": an elided particle glued to a capitalised name.
_TOKEN = rf"(?:[dl]['’](?=[{_UP}]))?[{_UP}][\w’'-]*\w"
_SP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_HON = "|".join(sorted((h.capitalize() for h in HONORIFICS if len(h) > 1), key=longest_first))
# An optional honorific, then one to three capitalised tokens.
# Lower-case particles inside a name: "Madame de Villefort", "Count of Monte Cristo".
_PARTICLES = PARTICLES | {"of"}
_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES)) + ")"
# A name may open with "de" ("de Villefort") but never with "of": in "the voice of Mrs.
# Gibson" the match must start at the title, or "Mrs." is lost and "Gibson" is nobody's.
_LEAD_PARTICLE = "(?:" + "|".join(sorted(_PARTICLES - {"of"})) + ")"
_NAME = re.compile(
    rf"(?<![\w’'])(?:(?P<hon>{_HON}|M)\.?[ \t]+\n?[ \t]*)?"
    rf"(?P<name>(?:{_LEAD_PARTICLE}{_SP})?{_TOKEN}(?:{_SP}(?:{_PARTICLE}{_SP})?{_TOKEN}){{0,3}})"
)
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
_THE_BEFORE = re.compile(r"(?<![\w’'])[Tt]he\s+\Z")
# Capitalised words before a name that make it an object ("To Holmes she was ...").
_OBJECT_OPENERS = PLACE_WORDS | {"to", "of", "with", "for", "at", "by", "upon", "on", "about"}
_SUBJ_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Hh]im|[Hh]imself|[Hh]erself|[Hh]is|[Hh]er)\b")


@dataclass
class Form:
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
    first: int = -1  # offset of the first mention
    undotted: int = 0  # an abbreviated title written without its stop ("Mr Pontifex")

    @property
    def text(self) -> str:
        if self.the * 2 >= self.count and len(self.tokens) == 1:
            return "the " + self.tokens[0]
        # The book's own spelling: "Mr. Bennet", but "Mr Pontifex" in a book that writes it so.
        dotted = self.undotted * 2 < self.count
        head = (
            f"{self.hon}. "
            if self.hon and honorific_key(self.hon) in _ABBREV and dotted
            else (f"{self.hon} " if self.hon else "")
        )
        return head + " ".join(self.tokens)


_ABBREV = words("mr mrs ms dr st mx capt col lt sgt prof rev mme mlle m")


def find_forms(text: str, narration: str, quotes: list[Quote]) -> dict:
    forms: dict[tuple, Form] = {}
    quote_end = {q.outer_end: q for q in quotes}
    lower = Counter(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", narration))
    tag_named = _tag_named(narration)
    not_names = NOT_NAMES - tag_named
    lone_titles = HONORIFICS.keys() - tag_named  # "Captain" alone; not "Mother" said so
    lowered: dict[str, bool] = {}
    for m in _NAME.finditer(narration):
        hon = m.group("hon")
        toks = [
            (m.start("name") + t.start(), t.group()) for t in re.finditer(r"\S+", m.group("name"))
        ]
        if hon is None:
            # "Then Holmes", "Mechanically Yegorushka": a capitalised opener is no name.
            while toks and (
                toks[0][1].lower() in not_names
                or len(toks) > 1
                and _common_word(toks[0][1], lower)
                and toks[0][1].lower() not in HONORIFICS
                and toks[0][1].lower() not in tag_named  # "Rose Hall" said so; "rose" too
            ):
                toks = toks[1:]
        if hon is None and len(toks) > 1 and toks[0][1].lower() in HONORIFICS:
            hon, toks = toks[0][1], toks[1:]  # "The Count of Monte Cristo"
        if hon is None:
            toks = _lower_particle(toks, narration, lowered)
            while toks and toks[0][1] in _PARTICLES:
                toks = toks[1:]
        toks = _cut_at_dash(toks)
        for n, (_, t) in enumerate(toks):
            if t == "of" and (hon is None or n > 0):
                toks = toks[:n]  # "Beauchamp of Château-Renaud": "of" belongs to titles only
                break
            if t in _PARTICLES:
                continue
            if t.lower() in not_names or t.isupper() and len(t) > 1:
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
        # "the Blue Boar", "The General": "the" before the match or before the name.
        the = any(
            _THE_BEFORE.search(narration, max(0, at - 8), at) for at in (m.start(), toks[0][0])
        )
        # "Madame", "Captain" alone name nobody in particular; "the General" does, and so
        # does "Mother" where the family's tags call her so.
        alone = toks[0][1].lower()
        if hon is None and len(toks) == 1 and alone in lone_titles and not the:
            continue
        tokens = [t for _, t in toks]
        end = toks[-1][0] + len(toks[-1][1])
        key = (honorific_key(hon) if hon else None, tuple(tokens))
        form = forms.setdefault(key, Form(hon.rstrip(".") if hon else None, tuple(tokens)))
        form.count += 1
        if m.group("hon") and narration[m.end("hon") : m.end("hon") + 1] != ".":
            form.undotted += 1
        if form.first < 0:
            form.first = m.start()
        before = narration[max(0, m.start() - 40) : m.start()].split()
        if the and not hon:
            form.the += 1
        after = narration[end : end + 40]
        if hon:
            form.person += 2
        if not _sentence_start(narration, m.start(), quote_end, text):
            form.mid += 1
        elif len(tokens) == 1 and lower[tokens[0].lower()]:
            form.common += 1
        form.lower = lower[tokens[-1].lower()]
        if before and before[-1].lower() in PLACE_WORDS or at_place(before):
            form.place += 1
        # "—preguntó Sofía": a dash glued to the verb opens a Spanish tag.
        # "To Sherlock Holmes she is always THE woman": the dropped opener counts too.
        lead = narration[max(0, m.start() - 40) : toks[0][0] if not hon else m.start()].split()
        verb = lead[-1] if lead else ""
        if the and len(lead) > 1 and len(tokens) == 1 and _titled(tokens[0]):
            verb = lead[-2]  # "said the Professor" (but "returned the Mediterranean" is none)
        own = _past_the(lead)
        if len(own) < len(lead) - 1 and own:
            verb = own[-1]  # "said the burly Moze": an adjective makes the name a person
        if re.match(rf"\s+(?:[a-z]+ly\s+)?{VERB}", after) or re.fullmatch(VERB, verb.lstrip("—–-")):
            form.person += 2
            form.tag += 1
        elif _ACTION.match(after):
            form.person += 1
        lead = own  # "said the burly Moze": the verb before "the burly" decides
        subject = (
            (
                not lead
                or not lead[-1].isalpha()
                or not lead[-1].islower()
                and lead[-1].lower() not in _OBJECT_OPENERS
                or lead[-1] in _CLAUSE_OPENERS
                or bool(re.fullmatch(VERB, lead[-1]))  # "said Snake, shaking his head"
            )
            and not re.match(r"['’]", narration[end : end + 1])
        )  # "Mercédès’ hand" owns, not acts
        # After a subject ("Zorvath walked in. He ...") the pronoun may come at once;
        # after an object only from the next sentence on ("listened to Nastasya. ... she talked").
        _pronoun_after(narration, end, form, next_sentence=not subject)
    for _, noun, name, _ in appositions(narration):
        named = forms.get((None, (name,)))
        if named is not None and noun in NOUN_GENDER:
            named.person += 2
    for form in forms.values():
        if not form.hon and name_gender(form.tokens[0]):
            form.person += 1
    return forms


# A common word after a speech verb, capitalised in mid-sentence: "'Ditto,' remarked Good."
_AFTER_WORD = re.compile(r"(?<![\w'’-])([a-z]+)\s+([A-Z][a-z]+)(?=\s*[,.;!?])")
# Words that stay no one's name even so: titles, the deity ("said Sir", "cried God").
# What a family calls its parents, capitalised after a speech verb ("said Mother", "cried
# Papa"): that word is the person's name in this book, from its first such tag, though
# "Father" is a title too ("Father Christopher").
_KIN_NAMES = words("mother father mamma mama papa granny grandma grandpa grandmother grandfather")
_NEVER_NAMES = (set(HONORIFICS) | words("god lord heaven hell brother sister")) - _KIN_NAMES


def _tag_named(narration: str) -> set[str]:
    """Words, common or not, that this book uses as a person's given name: the subject of a
    speech tag ("cried Grace."; a word of NOT_NAMES, "said Good.", "asked Young,", at least
    twice), or once before a surname ("said Will Green", "cried Rose Hall"). Narration has
    no interjections (the quotes are masked), so a capitalised "Good" there is a name, and
    "Will" before "Green" no verb."""
    seen: Counter = Counter()
    for m in _AFTER_WORD.finditer(narration):
        word = m.group(2).lower()
        if word in NOT_NAMES and word not in _NEVER_NAMES and re.fullmatch(VERB, m.group(1)):
            seen[word] += 1
    named = {w for w, n in seen.items() if n >= 2 or w in _KIN_NAMES}
    # Once is enough right after a quote ('"...," cried Grace.'), where "called" is no
    # naming ("a place called Mill Pond Bank"); but a word of NOT_NAMES only before a surname.
    for m in _GIVEN_AFTER_QUOTE.finditer(narration):
        word, surname = m.group(2).lower(), m.group(3)
        if (
            word not in _NEVER_NAMES | _NOT_GIVEN
            and (surname is None or surname.lower() not in NOT_NAMES)
            and (surname is not None or word not in NOT_NAMES)
            and re.fullmatch(VERB, m.group(1))
        ):
            named.add(word)
    return named


# '"...," said Will Green', '"...," cried Grace.': a tag, a capitalised word, and a
# capitalised surname or a stop.
_GIVEN_AFTER_QUOTE = re.compile(
    r"[\"”’']\s*([a-z]+)\s+([A-Z][a-z]+)(?:\s+([A-Z][a-z]+)(?![\w'’-])|(?=\s*[,.;!?]))"
)
# "said old Jolyon", "said Cousin Raymond", "said La Carconte": what a person is called by,
# a kinship or a particle, not a given name.
_NOT_GIVEN = words("old young little poor dear good great big fat tall") | RELATIONS | _PARTICLES
_NOT_GIVEN |= words("cousin")


def _past_the(lead: list[str]) -> list[str]:
    """The words before a name's own "the" and its adjectives ("said | the burly Moze")."""
    for j in range(len(lead) - 1, max(-1, len(lead) - 4), -1):
        if lead[j] in ("the", "The"):
            return lead[:j]
        if not (lead[j].isalpha() and lead[j].islower()):
            break
    return lead


def _titled(word: str) -> bool:
    """A title or role that names a person on its own after "the" ("the General")."""
    return word.lower() in HONORIFICS or NOUN_GENDER.get(word.lower(), "") != ""


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


def _lower_particle(toks: list, narration: str, seen: dict[str, bool]) -> list:
    """ "De Villefort said", "D'Avrigny smiled": a sentence capitalises the particle of a
    name the book writes "de Villefort", "d'Avrigny"; read it as the book writes it, so
    that one person has one name ("Van Helsing" stays, where the book never lowers it)."""
    first = toks[0][1] if toks else ""
    elided = re.match(r"[DL]['’](?=[A-ZÀ-ÖØ-Þ])", first)
    if not elided and not (len(toks) > 1 and first.lower() in _PARTICLES and first[:1].isupper()):
        return toks
    lowered = first[0].lower() + first[1:]
    phrase = lowered if elided else f"{lowered} {toks[1][1]}"
    if phrase not in seen:
        seen[phrase] = re.search(rf"(?<![\w'’]){re.escape(phrase)}", narration) is not None
    return [(toks[0][0], lowered), *toks[1:]] if seen[phrase] else toks


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


def _pronoun_after(narration: str, end: int, form: Form, next_sentence: bool = False) -> None:
    """The first he/she after a mention, within this sentence and the next."""
    window = narration[end : end + 240]
    stops = list(SENTENCE_END.finditer(window))
    if len(stops) >= 2:
        window = window[: stops[1].start()]
    if next_sentence:
        window = window[stops[0].end() :] if stops else ""
    if "\n\n" in window:
        window = window[: window.index("\n\n")]
    # Past a quotation the "he" is its speaker's ('turning to Mercédès, "...," he asked').
    window = re.split(r'["“”«»]', window, maxsplit=1)[0]
    first_end = stops[0].end() if stops and not next_sentence else -1
    m = next(_SUBJ_PRONOUN.finditer(window), None)
    if m and m.start() < first_end and _other_in_clause(m, window):
        # "Alexandra asked him what he had done": after the other person's "him" the
        # sentence is about him; only the next sentence may speak of her again.
        m = next(_SUBJ_PRONOUN.finditer(window, first_end), None)
    other = next(
        (
            o
            for o in _NAME.finditer(window, 0, m.start() if m else 0)
            if o.group("hon") or o.group("name").split()[0].lower() not in NOT_NAMES
        ),
        None,
    ) or _DESCRIBED.search(window, 0, m.start() if m else 0)
    if m and other is None:
        # "his"/"her" may belong to someone else ("handed her a glass"): half weight.
        word = m.group(0).lower()
        weight = 1 if word in ("his", "her") else 2
        if next_sentence:
            # After an object ("turning to Mercédès"), the next sentence is mostly about
            # the subject who turned: a hint at half weight, and no possessive at all.
            weight -= 1
        if word in ("he", "him", "himself", "his"):
            form.he += weight
        else:
            form.she += weight


# Someone described between a name and a pronoun ("Strether had a rueful glance for the
# lady in the glass cage. It was as if this personage had seen herself"): the pronoun
# may be theirs.
_DESCRIBED = re.compile(
    r"\b(?:the|a|an|this|that)\s+(?:[a-z-]+\s+){0,2}?(?:"
    + "|".join(sorted(set(NOUN_GENDER) - {"old", "young"}, key=longest_first))
    + r")\b"
)


# After "her": a noun it owns ("her eyes"), not a word that follows an object ("for her to").
_NOT_OWNED = re.compile(
    r"\s*(?:[^\w\s]|$|(?:to|and|or|but|in|on|at|for|with|from|by|as|that|the|a|an|again|"
    r"back|up|down|out|off|away|so|too|very|all|then|now|he|she|it|they|who|which)\b)"
)


def _other_in_clause(p: re.Match, window: str) -> bool:
    """'Emma was waiting for him', 'Dantès took her hand': in the mention's own
    sentence an object pronoun names someone else (a reflexive would name the subject)."""
    word = p.group(0).lower()
    if word == "him":
        return True
    return word == "her" and bool(_NOT_OWNED.match(window, p.end()))


def is_person(f: Form) -> bool:
    if f.hon:
        # "of St. Petersburg", "St. James's": a saint's name is a place or a church, a person
        # only when a tag makes them speak ("said St. John").
        return honorific_key(f.hon) not in ("st", "saint") or f.tag > 0
    if place_like(f) and not f.tag:
        return False
    if (
        len(f.tokens) == 1
        and f.tokens[0].lower() in NOT_NAMES
        and f.tag < (1 if f.tokens[0].lower() in _KIN_NAMES else 2)
    ):
        return False
    if len(f.tokens) == 1 and not f.tag and (f.common and f.common >= f.mid or f.lower >= f.count):
        return False
    # "Having said this, ...", "Thus, we walked...": a word the book writes in lower case more
    # often than capitalised and never capitalises mid-sentence is no name, however often a
    # reading took it for a tag's subject (a name said so is capitalised mid-sentence too:
    # "remarked Good.").
    if len(f.tokens) == 1 and not f.mid and f.lower >= f.count:
        return False
    if the_thing(f):
        return False
    if f.person >= 2 and f.person > f.place:
        return True
    if len(f.tokens) == 1 and name_gender(f.tokens[0]) and f.mid >= 1 and not _town(f):
        return True
    return f.person >= 1 and f.mid >= 1 and f.place * 2 < f.count


def _town(f: Form) -> bool:
    """A given name met again and again only where people go ("meet at Chester", "already
    at Chester") is a town; once "towards Edmund" or "looked hard at Tom" is a person."""
    return f.place >= 2 and f.place * 2 >= f.count and not f.tag


def the_thing(f: Form) -> bool:
    """ "the Temple", "the Boar", "the Admiral Benbow": mostly after "the", a place, an inn
    or a ship, unless it speaks or is a person noun ("the Jewess")."""
    return f.the * 2 >= f.count and not f.tag and not NOUN_GENDER.get(f.tokens[-1].lower())


def two_people(f: Form, forms: dict) -> bool:
    """ "Franz Debray" or "Monte Cristo Dantès" once, when each side is named often
    on its own: two people side by side, not one full name. A full name said more than
    once ("Edmond Dantès", "Gabriel Oak" twice), or before either side is named alone (a
    book introduces "Ivan Ivanitch Kuzmitchov" once, then says "Ivan Ivanitch" and
    "Kuzmitchov"), is one; so is one a tag gives a line to ('said Larry O'Keefe boldly'):
    a tag names one speaker."""
    if f.hon or len(f.tokens) < 2 or f.count > 1 or f.tag:
        return False
    for k in range(1, len(f.tokens)):
        left, right = forms.get((None, f.tokens[:k])), forms.get((None, f.tokens[k:]))
        if (
            left
            and right
            and min(left.count, right.count) >= max(3, 3 * f.count)
            and max(left.first, right.first) < f.first
        ):
            return True
    return False


def gender_of_hon(f: Form) -> Gender | None:
    return HONORIFICS.get(honorific_key(f.hon)) if f.hon else None
