"""A tag's mention to a character, against the paragraph and the conversation.

A name goes to its character by the roster's aliases; a pronoun or a description
("the old lady", "said her mother", "the latter") to the participant that fits it
(gender, what the book says they are, who is in view) before any other mention, and
never to the person being spoken to. The sieve's tag rules call tag_attribution.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR, Attribution
from audiobook.speakers.names import HONORIFICS, is_proper
from audiobook.speakers.newcomers import (
    described_subject,
    narration_before,
    short_forms,
    speaker_name,
)
from audiobook.speakers.phrases import description_gender, head_noun, is_indefinite, is_person
from audiobook.speakers.relations import by_relation, by_title, former_latter, possessor, relation
from audiobook.speakers.tags import Mention

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book, Conversation


# "inquired Caderousse, frowningly, of Danglars", "said he, turning to Herbert"
_TOLD = re.compile(r"^[^.!?;:\"“”]*?\b(?:to|of|addressing|towards|at)\s+(?:the\s+)?(?=[A-Z])")


def told_to(book: Book, tag: str, speaker: str | None) -> str | None:
    """Whom a tag says the quote was spoken to."""
    m = _TOLD.match(tag)
    if not m:
        return None
    name = book.names.match(tag, m.end())
    who = book.character(" ".join(name.group(0).split())) if name else None
    return who if who != speaker else None


def tag_attribution(
    book: Book,
    talk: Conversation,
    m: Mention | None,
    local: list,
    pos: int,
    addressee: str | None,
    named: tuple[str, int] | None = None,
) -> Attribution | None:
    if m is None:
        return None
    epithet = _epithet_of(book, m, named, pos)
    who = epithet or resolve(book, talk, m, local, pos, addressee)
    if who is None:
        return None
    rule = {
        "name": "named-tag",
        "narrator": "pronoun-tag",
        "pronoun": "pronoun-tag",
        "which": "former-latter",
    }.get(m.kind, "description-tag")
    if relation(m.text) and (m.kind == "description" or not is_proper(who)):
        rule = "relation-tag"  # "said my mother", also when the roster knows her by it
    if (not is_proper(who) and who != NARRATOR and rule != "relation-tag") or epithet:
        rule = "description-tag"  # "the young man" may yet turn out to be Fernand
    return Attribution(who, rule, addressee)


def _epithet_of(book: Book, m: Mention, named: tuple[str, int] | None, pos: int) -> str | None:
    """A description in a tag, met here for the first time, is the named person of its gender
    the talk points to (``named``: who, and where their part of the talk began): the one who
    was speaking, when the tag says the speaker goes on after a pause ('"...," continued the
    prostrate man'), or the one the line before was said to, when this line answers it
    ('"Snake, what's this?" inquired Jim.' / '"...," replied the leader.'). The narration
    calls a person by what they are doing or look like. A description used just before is
    someone of its own ('said the stranger' ... '"...," continued the stranger': interrupted),
    and one the book links to a name ("the count") is that person."""
    if named is None or named[0] == NARRATOR or not is_proper(named[0]):
        return None
    speaker, since = named
    if not is_person(m.text):
        return None  # "the sky answered him"
    if m.kind == "name":
        own = book.character(m.text)
        if own is None or is_proper(own):
            return None  # a name says who speaks
        gender: str | None = book.gender.get(own) or description_gender(m.text)
    elif m.kind == "description" and not relation(m.text):
        phrase = m.text.lower()
        if phrase in book.alias or re.sub(r"^(a|an)\s", "the ", phrase) in book.alias:
            return None
        gender = m.gender
    else:
        return None
    if gender is None or book.gender.get(speaker) != gender:
        return None
    words = " ".join(m.text.lower().split()[1:])
    if words in book.text[max(0, since - _SEEN_BEFORE) : pos].lower():
        return None
    return speaker


_SEEN_BEFORE = 1000  # characters before the quote the tag goes on from


def resolve(
    book: Book, talk: Conversation, m: Mention, local: list, pos: int, addressee: str | None
) -> str | None:
    """Mention to character: a name by its aliases, a pronoun or description by salience."""
    book.spoke_alone = False
    if m.kind == "name":
        return book.character(m.text)
    if m.kind == "narrator":
        return NARRATOR if book.roster.first_person else None
    if m.kind == "which":
        return former_latter(book, m.text.split()[-1], pos)
    hearer = book.character(m.other) if m.other else None
    if hearer is not None:
        # "Mary heard her say": whoever "her" is, she is not Mary.
        local = [x for x in local if x[1] != hearer]
        addressee = addressee or hearer
    # "glanced upwards at Yegorushka, and went on:" -- a preposition's object never speaks.
    here = sorted(
        (x for x in local if x[0] < pos and x[2] != "prep"),
        key=lambda x: (x[2] != "subject", -x[0]),
    )
    # A new dialogue paragraph rarely has the previous paragraph's speaker.
    # Not so when the tag names the one who hears: the other participant is taken.
    last = talk.run[-1] if talk.run and not here and hearer is None else None
    recent = [who for _, who, _ in here] + talk.focus
    recent = [w for w in dict.fromkeys(recent) if w != addressee and w != last]
    kin = relation(m.text) if m.kind == "description" else None
    if m.kind == "description" and is_indefinite(m.text):
        # "cried one of the women" is nobody the talk has named so far.
        return book.alias.get(m.text)
    if m.kind == "description":
        phrase = m.text.lower()
        for form in (phrase, re.sub(r"^(a|an)\s", "the ", phrase)):
            if form in book.alias:
                return book.alias[form]
        if kin is not None:
            owner = possessor(book, kin[0], [w for _, w, _ in here] + talk.focus)
            found = by_relation(book, owner, kin[0] not in _PRONOUNS, kin[1], talk.salient)
            if found is not None:
                return found
            # "her sister" is never "her": the possessor leaves the candidates.
            recent = [w for w in recent if w != owner]
        noun = head_noun(m.text)
        # "the old father" is no woman, whatever an apposition once said.
        agrees = {
            w for w in book.described if m.gender is None or book.gender.get(w) in (None, m.gender)
        }
        fits = [w for w in recent if noun in book.described.get(w, ()) and w in agrees]
        if fits:
            return fits[0]
        owners = [c for c, nouns in book.described.items() if noun in nouns and c in agrees]
        # "the coachman" is Deniska only while Deniska is in view.
        if len(owners) == 1 and owners[0] in talk.salient:
            return owners[0]
        if len(m.text.split()) == 2 and noun in HONORIFICS:
            view = [*recent, *(w for w in talk.salient if w != addressee)]
            titled = by_title(book, noun, view)
            if titled is not None and (
                m.gender is None or book.gender.get(titled) != _OTHER[m.gender]
            ):
                return titled
    if m.gender is None:
        return None
    if m.kind == "pronoun":
        newcomer = _newcomer(book, talk, pos, m.gender)
        if newcomer is not None:
            return newcomer
    told = talk.last_addressee
    if (
        m.kind == "pronoun"
        and not here
        and told not in (None, last, addressee, NARRATOR)
        and book.gender.get(told) in (None, m.gender)
    ):
        return told  # '"What is it?" asked Caderousse of Danglars.' -- '"Nothing," replied he.'
    if m.kind == "pronoun":
        only = _only_one_of_gender(book, talk, m.gender, here, pos, addressee)
        book.spoke_alone = only is not None
        if only is not None:
            return only
    for w in recent:
        if w != NARRATOR and book.gender.get(w) == m.gender:
            return w
    if m.kind == "pronoun":
        # Someone of unknown gender only when named in this very paragraph.
        return next(
            (
                w
                for _, w, _ in here
                if w != NARRATOR and w != addressee and book.gender.get(w) is None
            ),
            None,
        )
    return None


def _newcomer(book: Book, talk: Conversation, pos: int, gender: str) -> str | None:
    """'A tall old woman came out of the hut. "Where to?" she asked.': a pronoun right
    after a sentence whose subject is a described person of its gender is that person,
    a speaker of their own, when the book links the description to no one named."""
    narration = narration_before(book.text, pos, book.spans, book.starts)
    found = described_subject(narration, gender)
    if found is None:
        return None
    phrase, definite, read = found
    forms = short_forms(phrase)
    who = next((book.alias[f] for f in forms if f in book.alias), None)
    if who is None and speaker_name(phrase) in book.newcomers:
        who = speaker_name(phrase)
    if who is None:
        return None  # the roster made no speaker of it (newcomers.newcomer_speakers)
    if book.gender.get(who) not in (None, gender):
        return None
    if any(w != who and book.gender.get(w) in (None, gender) for _, w, _ in book.mentions(read)):
        return None  # someone named in those sentences may be the one
    if is_proper(who):
        return who  # the roster knows the description as a named person's
    if head_noun(phrase) in {n for nouns in book.described.values() for n in nouns}:
        return None  # "the coachman" is the coachman Deniska
    scene = [*talk.run[-_RECENT_TURNS:], *(w for w, *_ in talk.spoke)]
    if definite and any(is_proper(w) and book.gender.get(w) == gender for w in scene):
        return None  # "the young girl" just after Mercédès spoke is Mercédès; "a girl" is new
    return who


_PRONOUNS = {"his", "her", "their", "your"}
_OTHER = {"male": "female", "female": "male"}


def _only_one_of_gender(
    book: Book, talk: Conversation, gender: str, here: list, pos: int, addressee: str | None
) -> str | None:
    """'"...," she said' where exactly one woman spoke among the last few turns of the
    conversation is hers, unless the paragraph's own narration brings in a woman first
    ("when the nurse came to my rescue. '...,' she cried")."""
    if any(book.gender.get(w) == gender for _, w, _ in here):
        return None
    start = book.paragraph_span(pos)[0]
    for m in book.tags.people.finditer(book.text, start, pos):
        if description_gender(m.group(0)) == gender:
            return None
    spoke = {
        w
        for w in talk.run[-_RECENT_TURNS:]
        if w not in (NARRATOR, addressee) and not is_indefinite(w)
    }
    fits = [w for w in spoke if book.gender.get(w) == gender]
    return fits[0] if len(fits) == 1 else None


_RECENT_TURNS = 4
