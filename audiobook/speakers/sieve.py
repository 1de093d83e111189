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
lead-in-subject   the subject of a sentence ending in a colon with no speech verb
                  ('Emelyan ... was sitting by the fire, humming:')
turn-taking, vocative-exclusion, fallback   alternation in a run of dialogue
                  paragraphs (a narration paragraph naming nobody only pauses it;
                  'A nod was the answer.', 'I stammered that I had no objection.' and,
                  in a first-person book, 'I fetched it.' are a turn: pauses.py),
                  never the person addressed; then salience
pronoun-gender    a gendered tag nobody in view fits: the latest of that gender
named-by-answer   a later reply names who asked (attribution.py)
back-from-tag     untagged lines opening a run, alternating back from its first tag
between-tags      untagged lines between tags for two people, alternating
two-participants  a run tagged for two people only: an untagged line guessed for
                  a third person goes to one of the two, alternating from the
                  nearest tag

runs.py's RUN_RULES then see each run of dialogue paragraphs whole, once it is read,
and may re-label its guesses from a tag that comes later; resolve.py turns a tag's
mention into a character; cues.py reads the narration around a quote for whom it goes
on from or answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR, Attribution, Quote
from audiobook.speakers import cues
from audiobook.speakers.leadins import colon_subject
from audiobook.speakers.mentions import vocatives
from audiobook.speakers.resolve import resolve, tag_attribution, told_to
from audiobook.text.sentences import last_sentence

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
    asked: dict[int, str | None] = field(default_factory=dict)  # '"...?" Emelyan asked him.'


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
        vocs = vocatives(text[quotes[i].start : quotes[i].end], book.vocative)
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
    tag = None if cues.leads_in(book.text, q, post) else book.tags.after(post)
    # "the latter" is one of two people named before the quote, not in it.
    at = q.outer_start if tag is not None and tag.kind == "which" else q.outer_end
    told = told_to(book, post, None) if p.addressed[i] is None else None
    if tag is not None and tag.kind in ("pronoun", "description"):
        # '"That's a handsome maid," he said to Oak': "he" is anyone but Oak, so the one
        # spoken to is known before the pronoun is resolved, not after.
        p.addressed[i] = p.addressed[i] or told
    # A new description may stand for someone the talk points to (resolve._epithet_of).
    named = cues.goes_on(p, n, post) or cues.answers(p, n, q.outer_start)
    found = tag_attribution(book, p.talk, tag, p.local, at, p.addressed[i], named)
    if found is None and tag is not None and tag.gender:
        p.wanted[i] = tag.gender  # '"...," she said' with no woman in view yet
    if found is not None and tag is not None and tag.kind == "pronoun":
        book.pronoun_here[i] = _named_before(p.local, q.outer_end, found.speaker)
        book.pronoun_one[i] = book.spoke_alone
    if found is not None and p.addressed[i] is None and told is None:
        p.asked[i] = cues.asked_of(p, post, found.speaker)
    if found is not None and p.addressed[i] is None and told != found.speaker:
        p.addressed[i] = told  # a named speaker is never their own addressee
        found = Attribution(found.speaker, found.rule, told)
    return found


def same_utterance(p: Para, n: int, i: int) -> Attribution | None:
    """'"With pleasure," said he, "...call me Herbert?"': one utterance, one speaker,
    whatever name it ends on; but not across a new sentence that leads in this quote."""
    if n > 0:
        before = p.quotes[p.members[n - 1]]
        if cues.leads_in(
            p.book.text, before, p.book.text[before.outer_end : p.quotes[i].outer_start]
        ):
            return None
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
    found = tag_attribution(
        book,
        talk,
        m,
        p.local + talk.lead_mentions,
        pre_at + m.start if m else 0,
        p.addressed[i],
        cues.goes_on(p, n, pre[m.start :]) if m else None,
    )
    if found is None and m is not None and m.gender:
        p.wanted[i] = m.gender  # 'The old lady looked about, and then said:' with no woman in view
    if found is not None and m is not None and m.kind == "pronoun":
        book.pronoun_here[i] = _named_before(p.local, pre_at + m.start, found.speaker)
        book.pronoun_one[i] = book.spoke_alone
    return found


def lead_in_subject(p: Para, n: int, i: int) -> Attribution | None:
    """'Emelyan ... was sitting beside Panteley, humming in a husky voice: "..."': with no
    speech verb to read as a tag, the subject of a sentence ending in a colon (leadins.py)."""
    q, book, talk = p.quotes[i], p.book, p.talk
    pre_at = p.bounds[2 * n]
    pre, local = book.text[pre_at : q.outer_start], p.local
    if n == 0 and not pre.strip() and talk.lead_in is not None:
        (pre_at, pre), local = talk.lead_in, talk.lead_mentions
    who = colon_subject(book, pre, pre_at, local)
    if who is None or who == p.addressed[i]:
        return None
    return Attribution(who, "lead-in-subject", p.addressed[i])


QUOTE_RULES: list[Callable[[Para, int, int], Attribution | None]] = [
    utterance_so_far,
    tag_after,
    same_utterance,
    tag_before,
    lead_in_subject,
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


def action_beat(p: Para) -> None:
    """'"Yes--tomorrow." ... whereupon Mrs. Griffin spoke. "Well, ..."': narration between
    two quotes of one paragraph whose subject is someone named, not the earlier quote's
    speaker, gives the later quote to that person (an action beat), not a continuation."""
    book = p.book
    previous = None
    for n, i in enumerate(p.members):
        if i in p.decided:
            previous = p.decided[i].speaker
            continue
        if n == 0 or previous is None:
            continue
        start, end = p.bounds[2 * n], p.quotes[i].outer_start
        beat = book.text[start:end]
        if not re.search(r"[.!?]\s*\Z", beat.rstrip()) or not re.search(r"[.!?;]\s", beat):
            continue  # a tag glued to the quotes ('said he, "..."'), not a sentence of its own
        subjects = [
            w
            for at, w, role in book.mentions(beat)
            if role == "subject" and w != NARRATOR and not re.match(r"I\b", beat[at:])
        ]
        who = subjects[-1] if subjects else None
        if who is not None and who not in (previous, p.addressed[i]):
            p.decided[i] = Attribution(who, "action-subject", p.addressed[i])
            previous = who


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
    action_beat,
    nearest_quote,
    turn_taking,
]


# --- Helpers the rules share


def _named_before(local: list, pos: int, who: str | None) -> bool:
    return any(at < pos and w == who and role == "subject" for at, w, role in local)


# A description that means one person all book long: the narrator's own ("my aunt", "my
# brother's wife") or a named person's ("Trabb's boy"). "The minister" or "the old man" may
# be another minister, another old man, in the next scene.
_OWN_PERSON = re.compile(r"(?:my\s|[A-Z][\w'-]*'s\s)\S")
_GUESSES = {"turn-taking", "fallback", "vocative-exclusion", "description-tag", "relation-tag"}


def answer_names_asker(book: Book, talk: Conversation, out: list, addressee: str | None) -> None:
    """'"I have answered you a hundred times, Fernand."' names who spoke the
    paragraph before, when that paragraph was only a guess. A described speaker so named
    ('"...?" said my brother's wife. / "My dear Rose," I answered') is that person from
    then on, in tags and narration alike."""
    prev = talk.last_members
    run = talk.run
    if addressee is None or not prev or not run or run[-1] == addressee:
        return
    if len(run) >= 2 and run[-2] == addressee:
        return  # then the guess was a turn of alternation, and the vocative a reply to it
    rules = {out[i].rule if out[i] else None for i in prev}
    if not rules <= _GUESSES | {"continuation"} or not rules & _GUESSES:
        return
    described = {
        out[i].speaker
        for i in prev
        if out[i] and out[i].rule == "description-tag" and _OWN_PERSON.match(out[i].speaker or "")
    }
    for who in described:
        if book.gender.get(who) in (None, book.gender.get(addressee)):
            book.alias[who] = book.alias[who.lower()] = addressee
    for i in prev:
        out[i] = Attribution(addressee, "named-by-answer", out[i].addressee)
    talk.run[-1] = addressee
    if talk.turns:
        talk.turns[-1] = addressee
    talk.mention(addressee)


def _same(a: Attribution, rule: str, addressee: str | None) -> Attribution:
    return Attribution(a.speaker, rule, addressee)


def _action_subject(
    book: Book,
    talk: Conversation,
    quotes: list[Quote],
    members: list[int],
    bounds: list[int],
    local: list,
    addressee: str | None,
) -> Attribution | None:
    """'Sofia nodded. "..."': the narration's subject in the same paragraph speaks: of the
    narration before the first quote, the sentence nearest it ('Tom looked up. She
    smiled. "Hi."' is hers), else the first after."""
    for n, (a, b) in enumerate(zip(bounds[::2], bounds[1::2], strict=False)):
        found = book.tags.subjects(book.text[a:b])
        for m in reversed(found) if n == 0 else found:
            who = resolve(book, talk, m, local, a + m.start, addressee)
            if who is not None and who != addressee:
                return Attribution(who, "action-subject", addressee)
    return None


def _turn(book: Book, talk: Conversation, addressee: str | None, before: str) -> Attribution:
    """An untagged paragraph: alternate speakers, then salience."""
    run = talk.turns
    guess, rule = None, "turn-taking"
    if run and talk.speaks_again and run[-1] != addressee:
        guess = run[-1]
    elif run and talk.last_addressee not in (None, run[-1], addressee):
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
        if alt is None:
            # "TOM!" opening a book: someone calls Tom; the person the book talks of most
            # besides him is the best guess, never nobody.
            people = sorted(book.roster.characters, key=lambda c: -c.mentions)
            alt = next((book.alias[c.name] for c in people if book.alias[c.name] not in skip), None)
        return Attribution(alt, "vocative-exclusion", addressee)
    return Attribution(guess, rule, addressee)


def _salient_speaker(book: Book, talk: Conversation, before: str) -> str | None:
    """Who opens an untagged run: the most salient person, but a first-person narrator
    only when nobody else is in view or the sentence just before is about "I" ("I
    glanced up in surprise."): narrators tag their own lines ("said I") and report
    other people's (on LitBank an untagged opening given to the narrator was right 4
    times in 22)."""
    others = [w for w in talk.salient if w != NARRATOR]
    last = last_sentence(before.rstrip())
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
