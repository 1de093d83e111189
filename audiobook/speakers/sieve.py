"""The sieve's rules: an ordered list of small named functions.

Each quote of a dialogue paragraph is offered to QUOTE_RULES in order; the first
rule that returns an attribution decides it. The quotes no quote rule decided go
to PARAGRAPH_RULES, each of which may decide some of them. A new rule is one
function and one line in a list. Rule names (the `rule` of an attribution):

named-tag, pronoun-tag, description-tag  a tag glued to the quote (tag_after,
                  tag_before): a name, or a pronoun or description resolved
                  against the paragraph's narration and the conversation
relation-tag      'said her mother', "said Daisy's mamma" (relations.py)
former-latter     'said the latter': of the two people last named together
continuation      another quote of the same utterance (utterance_so_far,
                  same_utterance) or of the same paragraph (nearest_quote)
action-subject    the subject of a narration sentence in the paragraph
turn-taking, vocative-exclusion, fallback   alternation in a run of dialogue
                  paragraphs, never the person addressed; then salience
pronoun-gender    a pronoun tag nobody in view fits: the latest of that gender
named-by-answer   a later reply names who asked (attribution.py)
back-from-tag     untagged lines opening a run, alternating back from its first tag
between-tags      untagged lines between tags for two people, alternating

RUN_RULES then see each run of dialogue paragraphs whole, once it is read, and may
re-label its guesses from a tag that comes later (alternate_back_from_tag,
alternate_between_tags).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR, Attribution, Quote
from audiobook.speakers.mentions import vocatives
from audiobook.speakers.relations import by_relation, former_latter, possessor, relation
from audiobook.speakers.tags import Mention, description_gender, head_noun

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book, Conversation


@dataclass
class Para:
    """One dialogue paragraph being decided: what the rules read and write."""

    book: Book
    talk: Conversation
    quotes: list[Quote]
    members: list[int]  # its speech quotes (indices into quotes), in order
    bounds: list[int]  # paragraph start, each quote's outer start and end, paragraph end
    local: list[tuple[int, str, str]]  # (offset, character, role) named in its narration
    groups: dict[int, Attribution]  # utterances decided so far in the book
    decided: dict[int, Attribution] = field(default_factory=dict)
    addressed: dict[int, str | None] = field(default_factory=dict)
    first_of_group: dict[int, Attribution] = field(default_factory=dict)
    wanted: dict[int, str] = field(default_factory=dict)  # an unresolved pronoun's gender


def read_paragraph(
    book: Book,
    talk: Conversation,
    quotes: list[Quote],
    members: list[int],
    para: tuple[int, int],
    groups: dict[int, Attribution],
) -> Para:
    text = book.text
    bounds = (
        [para[0]]
        + [x for i in members for x in (quotes[i].outer_start, quotes[i].outer_end)]
        + [para[1]]
    )
    local = [
        (a + at, who, role)
        for a, b in zip(bounds[::2], bounds[1::2], strict=False)
        for at, who, role in book.mentions(text[a:b])
    ]
    p = Para(book, talk, quotes, members, bounds, local, groups)
    for i in members:
        vocs = vocatives(text[quotes[i].start : quotes[i].end], book.alias)
        p.addressed[i] = vocs[0] if vocs else None
    return p


def decide(p: Para) -> None:
    for n, i in enumerate(p.members):
        for rule in QUOTE_RULES:
            found = rule(p, n, i)
            if found is not None:
                p.decided[i] = found
                p.first_of_group.setdefault(p.quotes[i].group, found)
                break
    for paragraph_rule in PARAGRAPH_RULES:
        paragraph_rule(p)


# --- Rules for one quote: (paragraph, position in it, quote index) -> decision or None


def utterance_so_far(p: Para, n: int, i: int) -> Attribution | None:
    """A later part of an utterance decided in an earlier paragraph."""
    q = p.quotes[i]
    if q.group in p.groups:
        return _same(p.groups[q.group], "continuation", p.addressed[i])
    return None


def tag_after(p: Para, n: int, i: int) -> Attribution | None:
    """'"...," said Holmes' / '"...," she said' / '"...," the old man replied'."""
    q, book = p.quotes[i], p.book
    post = book.text[q.outer_end : p.bounds[2 * n + 3]]
    tag = book.tags.after(post)
    # "the latter" is one of two people named before the quote, not in it.
    at = q.outer_start if tag is not None and tag.kind == "which" else q.outer_end
    found = _tag(book, p.talk, tag, p.local, at, p.addressed[i])
    if tag is not None and tag.kind == "pronoun":
        if found is None and tag.gender:
            p.wanted[i] = tag.gender  # '"...," she said' with no woman in view yet
        if found is not None:
            book.pronoun_here[i] = _named_before(p.local, q.outer_end, found.speaker)
            book.pronoun_one[i] = book.spoke_alone
    if found is not None and p.addressed[i] is None:
        p.addressed[i] = _told(book, post, found.speaker)
        found = Attribution(found.speaker, found.rule, p.addressed[i])
    return found


def same_utterance(p: Para, n: int, i: int) -> Attribution | None:
    """'"With pleasure," said he, "...call me Herbert?"': one utterance, one speaker,
    whatever name it ends on."""
    same = p.first_of_group.get(p.quotes[i].group)
    return _same(same, "continuation", p.addressed[i]) if same is not None else None


def tag_before(p: Para, n: int, i: int) -> Attribution | None:
    """'Kuzmitchov shouted to the shepherd: "..."', or a lead-in closing the paragraph
    before ('He paused, then went on:')."""
    q, book, talk = p.quotes[i], p.book, p.talk
    pre_at = p.bounds[2 * n]
    pre = book.text[pre_at : q.outer_start]
    if n == 0 and not pre.strip() and talk.lead_in is not None:
        pre_at, pre = talk.lead_in
    m = book.tags.before(pre)
    found = _tag(
        book, talk, m, p.local + talk.lead_mentions, pre_at + m.start if m else 0, p.addressed[i]
    )
    if found is not None and m is not None and m.kind == "pronoun":
        book.pronoun_here[i] = _named_before(p.local, pre_at + m.start, found.speaker)
        book.pronoun_one[i] = book.spoke_alone
    return found


QUOTE_RULES: list[Callable[[Para, int, int], Attribution | None]] = [
    utterance_so_far,
    tag_after,
    same_utterance,
    tag_before,
]


# --- Rules for the paragraph's quotes still open


def action_subject(p: Para) -> None:
    """'Sofia nodded. "..."': with nothing else decided, the narration's subject."""
    if not p.decided:
        first = p.members[0]
        subject = _action_subject(
            p.book, p.talk, p.quotes, p.members, p.bounds, p.local, p.addressed[first]
        )
        if subject is not None:
            p.decided[first] = subject


def nearest_quote(p: Para) -> None:
    """An open quote continues the nearest decided one of its paragraph: the last one
    before (decisions included as they are made), else the first one after; never the
    person it addresses. Two linear passes, not a scan per quote."""
    members, decided = p.members, p.decided
    later: list[Attribution | None] = [None] * len(members)
    following = None
    for n in range(len(members) - 1, -1, -1):
        following = decided.get(members[n], following)
        later[n] = following
    previous = None
    for n, i in enumerate(members):
        if i in decided:
            previous = decided[i]
            continue
        near = previous if previous is not None else later[n]
        if near is not None and near.speaker != p.addressed[i]:
            decided[i] = previous = _same(near, "continuation", p.addressed[i])


def turn_taking(p: Para) -> None:
    """The rest: alternation in the run of dialogue, then salience; a pronoun tag's
    gender is kept ('she said' never goes to a man)."""
    undecided = [i for i in p.members if i not in p.decided]
    if not undecided:
        return
    opening = p.quotes[undecided[0]].outer_start
    guess = _turn(
        p.book, p.talk, p.addressed[undecided[0]], p.book.text[max(0, opening - 300) : opening]
    )
    for i in undecided:
        p.decided[i] = _same(guess, guess.rule, p.addressed[i])
        if i in p.wanted and p.book.gender.get(guess.speaker or "") != p.wanted[i]:
            p.decided[i] = _of_gender(p.book, p.talk, p.wanted[i], p.addressed[i]) or p.decided[i]


PARAGRAPH_RULES: list[Callable[[Para], None]] = [
    action_subject,
    nearest_quote,
    turn_taking,
]


# --- Rules for a whole run of dialogue paragraphs, once it has been read


_ANCHORS = {"named-tag", "pronoun-tag"}
_OPEN = {"fallback", "turn-taking", "vocative-exclusion"}


def alternate_back_from_tag(
    book: Book, quotes: list[Quote], run: list[list[int]], out: list
) -> None:
    """A run that opens with untagged lines takes its speakers from the first tag that
    comes later, alternating backwards ('"Well?" -- "Nothing." -- "Nothing?" said Anna.'):
    a turn an even number of turns before the tag is the tagged speaker's, an odd one the
    other participant's: whom the tagged line addresses, else the next tagged speaker.
    Not when a line before the tag addresses a third person, nor for a paragraph that
    opens with narration (its actor may speak, as the sieve already decided)."""
    turns = _turns(quotes, run)
    first = next(
        (t for t, turn in enumerate(turns) if out[turn[0]].rule in _ANCHORS),
        None,
    )
    if not first:
        return
    tagged = out[turns[first][0]]
    other = next((out[i].addressee for i in turns[first] if out[i].addressee), None)
    if other is None:
        other = next(
            (
                out[turn[0]].speaker
                for turn in turns[first + 1 :]
                if out[turn[0]].rule in _ANCHORS and out[turn[0]].speaker != tagged.speaker
            ),
            None,
        )
    pair = {tagged.speaker, other}
    if other is None or other == tagged.speaker:
        return
    if any(out[i].addressee not in pair | {None} for turn in turns[:first] for i in turn):
        return  # someone else is spoken to: more than two people talk
    for t in range(first):
        if not all(out[i].rule in _OPEN | {"continuation"} for i in turns[t]):
            continue
        opening = quotes[turns[t][0]].outer_start
        if book.text[book.paragraph_span(opening)[0] : opening].strip():
            continue
        who = tagged.speaker if (first - t) % 2 == 0 else other
        for i in turns[t]:
            if who != out[i].addressee:
                out[i] = Attribution(who, "back-from-tag", out[i].addressee)


def alternate_between_tags(
    book: Book, quotes: list[Quote], run: list[list[int]], out: list
) -> None:
    """Untagged turns between a line tagged for X and a later one tagged for Y, an odd
    number of turns apart, alternate X, Y, X ... : the later tag says who the other
    participant was, which reading forwards could only guess."""
    turns = _turns(quotes, run)
    anchors = [t for t, turn in enumerate(turns) if out[turn[0]].rule in _ANCHORS]
    for a, b in zip(anchors, anchors[1:], strict=False):
        x, y = out[turns[a][0]].speaker, out[turns[b][0]].speaker
        if b - a < 2 or x == y or (b - a) % 2 == 0:
            continue
        between = turns[a + 1 : b]
        if not all(_open_turn(book, quotes, out, turn, {x, y}) for turn in between):
            continue
        for t, turn in enumerate(between, start=1):
            who = y if t % 2 else x
            for i in turn:
                out[i] = Attribution(who, "between-tags", out[i].addressee)


def _open_turn(book: Book, quotes: list[Quote], out: list, turn: list[int], pair: set) -> bool:
    """A turn only guessed, in a paragraph of its own, addressing nobody outside the pair."""
    opening = quotes[turn[0]].outer_start
    return (
        all(out[i].rule in _OPEN | {"continuation"} for i in turn)
        and not book.text[book.paragraph_span(opening)[0] : opening].strip()
        and all(out[i].addressee in pair | {None} for i in turn)
    )


def _turns(quotes: list[Quote], run: list[list[int]]) -> list[list[int]]:
    """The run's paragraphs as turns: a speech going on over several paragraphs is one."""
    turns: list[list[int]] = []
    for members in run:
        if turns and quotes[members[0]].group == quotes[turns[-1][-1]].group:
            turns[-1].extend(members)
        else:
            turns.append(list(members))
    return turns


RUN_RULES: list[Callable[[Book, list[Quote], list[list[int]], list], None]] = [
    alternate_back_from_tag,
    alternate_between_tags,
]


# --- Helpers the rules share


def _named_before(local: list, pos: int, who: str | None) -> bool:
    return any(at < pos and w == who and role == "subject" for at, w, role in local)


# "inquired Caderousse, frowningly, of Danglars", "said he, turning to Herbert"
_TOLD = re.compile(r"^[^.!?;:\"“”]*?\b(?:to|of|addressing|towards|at)\s+(?:the\s+)?(?=[A-Z])")


def _told(book: Book, tag: str, speaker: str | None) -> str | None:
    """Whom a tag says the quote was spoken to."""
    m = _TOLD.match(tag)
    if not m:
        return None
    name = book.names.match(tag, m.end())
    who = book.character(" ".join(name.group(0).split())) if name else None
    return who if who != speaker else None


_GUESSES = {"turn-taking", "fallback", "vocative-exclusion", "description-tag", "relation-tag"}


def answer_names_asker(talk: Conversation, out: list, addressee: str | None) -> None:
    """'"I have answered you a hundred times, Fernand."' names who spoke the
    paragraph before, when that paragraph was only a guess."""
    prev = talk.last_members
    run = talk.run
    if addressee is None or not prev or not run or run[-1] == addressee:
        return
    if len(run) >= 2 and run[-2] == addressee:
        return  # then the guess was a turn of alternation, and the vocative a reply to it
    rules = {out[i].rule if out[i] else None for i in prev}
    if not rules <= _GUESSES | {"continuation"} or not rules & _GUESSES:
        return
    for i in prev:
        out[i] = Attribution(addressee, "named-by-answer", out[i].addressee)
    talk.run[-1] = addressee
    talk.mention(addressee)


def _same(a: Attribution, rule: str, addressee: str | None) -> Attribution:
    return Attribution(a.speaker, rule, addressee)


def _tag(
    book: Book,
    talk: Conversation,
    m: Mention | None,
    local: list,
    pos: int,
    addressee: str | None,
) -> Attribution | None:
    if m is None:
        return None
    who = _resolve(book, talk, m, local, pos, addressee)
    if who is None:
        return None
    rule = {
        "name": "named-tag",
        "narrator": "pronoun-tag",
        "pronoun": "pronoun-tag",
        "which": "former-latter",
    }.get(m.kind, "description-tag")
    if relation(m.text) and (m.kind == "description" or who[:1].islower()):
        rule = "relation-tag"  # "said my mother", also when the roster knows her by it
    if who[:1].islower() and who != NARRATOR and rule != "relation-tag":
        rule = "description-tag"  # "the young man" may yet turn out to be Fernand
    return Attribution(who, rule, addressee)


def _resolve(
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
    # "glanced upwards at Yegorushka, and went on:" -- a preposition's object never speaks.
    here = sorted(
        (x for x in local if x[0] < pos and x[2] != "prep"),
        key=lambda x: (x[2] != "subject", -x[0]),
    )
    # A new dialogue paragraph rarely has the previous paragraph's speaker.
    last = talk.run[-1] if talk.run and not here else None
    recent = [who for _, who, _ in here] + talk.focus
    recent = [w for w in dict.fromkeys(recent) if w != addressee and w != last]
    kin = relation(m.text) if m.kind == "description" else None
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
    if m.gender is None:
        return None
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


_PRONOUNS = {"his", "her", "their", "your"}


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
    spoke = {w for w in talk.run[-_RECENT_TURNS:] if w not in (NARRATOR, addressee)}
    fits = [w for w in spoke if book.gender.get(w) == gender]
    return fits[0] if len(fits) == 1 else None


_RECENT_TURNS = 4


def _action_subject(
    book: Book,
    talk: Conversation,
    quotes: list[Quote],
    members: list[int],
    bounds: list[int],
    local: list,
    addressee: str | None,
) -> Attribution | None:
    """'Sofia nodded. "..."': the narration's subject in the same paragraph speaks."""
    for a, b in zip(bounds[::2], bounds[1::2], strict=False):
        for m in book.tags.subjects(book.text[a:b]):
            who = _resolve(book, talk, m, local, a + m.start, addressee)
            if who is not None and who != addressee:
                return Attribution(who, "action-subject", addressee)
    return None


def _turn(book: Book, talk: Conversation, addressee: str | None, before: str) -> Attribution:
    """An untagged paragraph: alternate speakers, then salience."""
    run = talk.run
    guess, rule = None, "turn-taking"
    if run and talk.last_addressee not in (None, run[-1], addressee):
        guess = talk.last_addressee  # "Are you, Joe?" -- Joe answers
    elif len(run) >= 2 and run[-1] != run[-2]:
        guess = run[-2]
    elif run:
        other = talk.last_addressee
        if other is None or other == run[-1]:
            other = next((w for w in talk.salient if w != run[-1]), None)
        guess = other
    if guess is None:
        guess, rule = _salient_speaker(book, talk, before), "fallback"
    if guess is not None and guess == addressee:
        skip = {addressee}
        alt = next((w for w in [*reversed(run), *talk.salient] if w not in skip), None)
        return Attribution(alt, "vocative-exclusion", addressee)
    return Attribution(guess, rule, addressee)


def _salient_speaker(book: Book, talk: Conversation, before: str) -> str | None:
    """Who opens an untagged run: the most salient person, but a first-person narrator
    only when nobody else is in view or the sentence just before is about "I" ("I
    glanced up in surprise."): narrators tag their own lines ("said I") and report
    other people's (on LitBank an untagged opening given to the narrator was right 4
    times in 22)."""
    others = [w for w in talk.salient if w != NARRATOR]
    last = re.split(r"[.!?]\s", before.rstrip())[-1]
    if others and not re.search(r"\bI\b", last):
        return others[0]
    return talk.salient[0] if talk.salient else _most_mentioned(book)


def _of_gender(
    book: Book, talk: Conversation, gender: str, addressee: str | None
) -> Attribution | None:
    """'"...," she said' never goes to a man: the latest speaker or mention of that
    gender, else the book's most mentioned one."""
    people = sorted(book.roster.characters, key=lambda c: -c.mentions)
    order = [*reversed(talk.run), *talk.salient, *(c.name for c in people)]
    who = next((w for w in order if w != addressee and book.gender.get(w) == gender), None)
    return Attribution(who, "pronoun-gender", addressee) if who else None


def _most_mentioned(book: Book) -> str | None:
    people = book.roster.characters
    return max(people, key=lambda c: c.mentions).name if people else None
