"""Who says each quote: a sieve of rules, most precise first.

In the spirit of Muzny et al. (2017), "A Two-stage Sieve Approach for Quote
Attribution": each quote is first linked to a mention (a name, pronoun or
description in its tag, or the subject of the paragraph's narration), then
the mention to a character. Rules, in order:

named-tag, pronoun-tag, description-tag  the tag glued to the quote
action-subject    the subject of a narration sentence in the same paragraph
continuation      another quote of the same utterance or paragraph
vocative-exclusion / turn-taking   alternation in a run of dialogue paragraphs,
                  never giving a quote to the character it addresses
fallback          the most salient character

The text is walked once, paragraph by paragraph; only a short salience list
(who was mentioned or spoke last) is kept, never per-token objects.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import replace

from audiobook.model import NARRATOR, Attribution, Quote, Roster
from audiobook.speakers.mentions import descriptors, narrator_name, vocatives
from audiobook.speakers.names import NOT_NAMES
from audiobook.speakers.tags import Mention, TagReader, compile_names, head_noun
from audiobook.text.quotes import paragraph_spans

_NARRATOR_MENTION = re.compile(r"\b(?:I|me|my|myself)\b")
# A mention is a subject when it opens a sentence or clause; after any other
# word ("blessed Yegorushka") it is an object, after a preposition ("looked at
# Dymov") barely in view at all.
_OBJECT = re.compile(
    r"\b(?:of|in|to|at|upon|on|with|from|for|by|about|after|behind|towards|toward|beside|"
    r"like|than|into|over|under|near|round|around|past|and|or)\s+(?:the\s+)?\Z"
)
_SUBJECT_BEFORE = re.compile(
    r"(?:\A|[.!?;:—–(]|--|\n\s*\n|\b(?:but|then|while|when|as|so|that|till|until|"
    r"because|though|whereupon|where)|,)\s*\Z"
)
_SALIENCE = 12


class _Book:
    """What the sieve knows about the book: names, appositions, paragraphs."""

    def __init__(self, text: str, quotes: list[Quote], roster: Roster):
        self.text = text
        self.roster = roster
        # A first-person narrator's own name ("Pip") means the narrator.
        me = narrator_name(text, quotes, roster)
        self.alias: dict[str, str] = {}
        for c in roster.characters:
            for a in [c.name, *c.aliases]:
                self.alias.setdefault(a, NARRATOR if c.name == me else c.name)
                self.alias.setdefault(a.lower(), NARRATOR if c.name == me else c.name)
        # Single tokens of multi-word names help read an unknown tag ("said Bennet").
        self.token = defaultdict(set)
        for c in roster.characters:
            for a in c.aliases:
                for t in a.split():
                    if t.lower() not in NOT_NAMES:
                        self.token[t].add(self.alias[a])
        pattern = compile_names([a for c in roster.characters for a in [c.name, *c.aliases]])
        self.names = re.compile(pattern)
        self.tags = TagReader(pattern)
        self.gender = {c.name: c.gender for c in roster.characters}
        if me is not None:
            self.gender.pop(me, None)
        self.described = descriptors(text, roster)
        # The quote finder's paragraphs, so "same paragraph" means the same to both.
        self.spans = paragraph_spans(text) or [(0, len(text))]
        self.starts = [a for a, _ in self.spans]
        # Quote index -> whether its pronoun tag's character is the subject of a
        # sentence earlier in the same paragraph ('Moisey bowed. "...," he said').
        self.pronoun_here: dict[int, bool] = {}

    def paragraph_span(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.spans[i]

    def character(self, name: str) -> str | None:
        who = self.alias.get(name) or self.alias.get(name.lower())
        if who:
            return who
        owners = self.token.get(name.split()[-1], set()) if name else set()
        return next(iter(owners)) if len(owners) == 1 else None

    def mentions(self, segment: str) -> list[tuple[int, str, str]]:
        """Characters named in a stretch of narration, in order, and whether as a
        preposition's object ("looked at Dymov"), which makes them less likely the
        one a following "he" means."""
        found = []
        for m in self.names.finditer(segment):
            who = self.character(" ".join(m.group(0).split()))
            if who:
                head = segment[max(0, m.start() - 30) : m.start()]
                role = (
                    "prep"
                    if _OBJECT.search(head)
                    else "subject"
                    if _SUBJECT_BEFORE.search(head)
                    else "object"
                )
                if role == "subject" and segment.startswith(("'s", "’s"), m.end()):
                    role = "object"  # "Mr. Trabb's work would have sat..." is about the work
                found.append((m.start(), who, role))
        if self.roster.first_person:
            found += [
                (m.start(), NARRATOR, "subject" if m.group(0) == "I" else "object")
                for m in _NARRATOR_MENTION.finditer(segment)
            ]
        return sorted(found)

    def previous_paragraph(self, para: tuple[int, int]) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.starts, para[0])
        return self.spans[i - 1] if i > 0 else None


class _Conversation:
    """Salience and the run of dialogue paragraphs, updated as the text is read."""

    def __init__(self):
        self.salient: list[str] = []  # most recent first
        self.focus: list[str] = []  # most recent subjects first
        self.run: list[str] = []  # speakers of consecutive dialogue paragraphs
        self.last_addressee: str | None = None
        self.last_members: list[int] = []  # the previous dialogue paragraph's quotes
        self.lead_in: tuple[int, str] | None = None  # a narration paragraph ending in ':'
        self.lead_mentions: list = []

    def mention(self, who: str, role: str = "subject") -> None:
        # Turn-taking wants whoever was just in view; a pronoun wants the last
        # subject ("Father Christopher blessed Yegorushka. ... he said").
        _promote(self.salient, who, role == "prep")
        if who != NARRATOR:  # "I" never means a later "he", so it must not push him aside
            _promote(self.focus, who, role != "subject")


def _promote(order: list[str], who: str, as_object: bool) -> None:
    if who in order:
        if as_object:
            return
        order.remove(who)
    order.insert(1 if as_object and order else 0, who)
    del order[_SALIENCE:]


def attribute(text: str, quotes: list[Quote], roster: Roster) -> list[Attribution]:
    book = _Book(text, quotes, roster)
    out: list[Attribution | None] = [None] * len(quotes)
    speech = []
    for i, q in enumerate(quotes):
        if q.is_speech:
            speech.append(i)
        else:
            out[i] = Attribution(None, "not-speech")
    speech.sort(key=lambda i: quotes[i].start)
    talk = _Conversation()
    groups: dict[int, Attribution] = {}
    read_to = last_quote_end = 0
    k = 0
    while k < len(speech):
        para = book.paragraph_span(quotes[speech[k]].outer_start)
        members = []
        while k < len(speech) and quotes[speech[k]].outer_start < para[1]:
            members.append(speech[k])
            k += 1
        between = text[read_to : para[0]]
        talk.lead_in, talk.lead_mentions = None, []
        if between.strip():
            talk.run.clear()
            talk.last_addressee = None
            talk.last_members = []
        before = book.previous_paragraph(para)
        if before and text[before[0] : before[1]].rstrip().endswith(
            (":", ",—", ":—", ":--", ",--")
        ):
            # Only the narration after the paragraph's last quote leads in.
            start = max(before[0], last_quote_end)
            talk.lead_in = (start, text[start : before[1]])
            talk.lead_mentions = [
                (start + at, who, role) for at, who, role in book.mentions(talk.lead_in[1])
            ]
        for _, who, role in book.mentions(between):
            talk.mention(who, role)
        _paragraph(book, talk, quotes, members, para, groups, out)
        read_to = para[1]
        last_quote_end = quotes[members[-1]].outer_end
    said = [a if a is not None else Attribution(None, "fallback") for a in out]
    return _with_confidence(book, quotes, said)


# How often each rule is right, from bench/score_devsets.py over LitBank, The Steppe,
# Great Expectations and Monte Cristo (end to end, no cast), rounded down so that a
# band's accuracy is at least its lower edge on every set.
CONFIDENCE = {
    "named-tag": 0.95,
    "named-by-answer": 0.75,
    "pronoun-tag": 0.45,
    "pronoun-tag-here": 0.8,
    "description-tag": 0.4,
    "action-subject": 0.4,
    "turn-taking": 0.45,
    "vocative-exclusion": 0.3,
    "fallback": 0.3,
    "pronoun-gender": 0.45,
    "continuation": 0.6,
    "not-speech": 0.0,
}


def _with_confidence(book: _Book, quotes: list[Quote], said: list[Attribution]) -> list:
    """Each attribution's confidence: its rule's measured accuracy; a continuation
    takes the confidence of the decision it continues (the utterance's or paragraph's)."""
    source: dict[tuple[str, int], float] = {}
    out = []
    for i, a in enumerate(said):
        rule = "pronoun-tag-here" if book.pronoun_here.get(i) else a.rule
        conf = CONFIDENCE.get(rule, 0.3)
        if a.rule == "continuation":
            q = quotes[i]
            conf = source.get(("group", q.group), source.get(("para", q.paragraph), conf))
        else:
            source.setdefault(("group", quotes[i].group), conf)
            source[("para", quotes[i].paragraph)] = conf
        out.append(replace(a, confidence=conf))
    return out


def _named_before(local: list, pos: int, who: str | None) -> bool:
    return any(at < pos and w == who and role == "subject" for at, w, role in local)


def _paragraph(
    book: _Book,
    talk: _Conversation,
    quotes: list[Quote],
    members: list[int],
    para: tuple[int, int],
    groups: dict[int, Attribution],
    out: list,
) -> None:
    text = book.text
    decided: dict[int, Attribution] = {}
    addressed: dict[int, str | None] = {}
    local: list[
        tuple[int, str, str]
    ] = []  # (offset, character, role) in this paragraph's narration
    bounds = (
        [para[0]]
        + [x for i in members for x in (quotes[i].outer_start, quotes[i].outer_end)]
        + [para[1]]
    )
    for a, b in zip(bounds[::2], bounds[1::2], strict=False):
        for at, who, role in book.mentions(text[a:b]):
            local.append((a + at, who, role))
    for i in members:
        q = quotes[i]
        vocs = vocatives(text[q.start : q.end], book.alias)
        addressed[i] = vocs[0] if vocs else None
    first = quotes[members[0]]
    if (
        not text[para[0] : first.outer_start].strip()
        and text[first.start : first.end].count(" ") > 1
    ):
        # Only a reply that opens its paragraph answers; a bare "Mercédès!" calls.
        _answer_names_asker(talk, out, addressed[members[0]])
    first_of_group: dict[int, Attribution] = {}  # kept as we go: no rescan per quote
    wanted: dict[int, str] = {}  # an unresolved pronoun tag's gender
    for n, i in enumerate(members):
        q = quotes[i]
        if q.group in groups:
            decided[i] = _same(groups[q.group], "continuation", addressed[i])
            first_of_group.setdefault(q.group, decided[i])
            continue
        pre_at = bounds[2 * n]
        pre = text[pre_at : q.outer_start]
        post = text[q.outer_end : bounds[2 * n + 3]]
        tag = book.tags.after(post)
        found = _tag(book, talk, tag, local, q.outer_end, addressed[i])
        if found is None and tag is not None and tag.gender and tag.kind == "pronoun":
            wanted[i] = tag.gender  # '"...," she said' with no woman in view yet
        if found is not None and tag is not None and tag.kind == "pronoun":
            book.pronoun_here[i] = _named_before(local, q.outer_end, found.speaker)
        if found is not None and addressed[i] is None:
            addressed[i] = _told(book, post, found.speaker)
            found = Attribution(found.speaker, found.rule, addressed[i])
        # '"With pleasure," said he, "...call me Herbert?"': one utterance, one
        # speaker, whatever name it ends on.
        same = first_of_group.get(q.group)
        if found is None and same is not None:
            decided[i] = _same(same, "continuation", addressed[i])
            continue
        if found is None and n == 0 and not pre.strip() and talk.lead_in is not None:
            # 'He paused, then went on:' closing the paragraph before.
            pre_at, pre = talk.lead_in
        if found is None:
            m = book.tags.before(pre)
            found = _tag(
                book,
                talk,
                m,
                local + talk.lead_mentions,
                pre_at + m.start if m else 0,
                addressed[i],
            )
            if found is not None and m is not None and m.kind == "pronoun":
                book.pronoun_here[i] = _named_before(local, pre_at + m.start, found.speaker)
        if found is not None:
            decided[i] = found
            first_of_group.setdefault(q.group, found)
    if not decided:
        subject = _action_subject(book, talk, quotes, members, bounds, local, addressed[members[0]])
        if subject is not None:
            decided[members[0]] = subject
    # Nearest decided quote: the last one before (decisions included as they
    # are made), else the first one after. Two linear passes, not a scan per quote.
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
        if near is not None and near.speaker != addressed[i]:
            decided[i] = previous = _same(near, "continuation", addressed[i])
    undecided = [i for i in members if i not in decided]
    if undecided:
        guess = _turn(book, talk, addressed[undecided[0]])
        for i in undecided:
            decided[i] = _same(guess, guess.rule, addressed[i])
            if i in wanted and book.gender.get(guess.speaker or "") != wanted[i]:
                decided[i] = _of_gender(book, talk, wanted[i], addressed[i]) or decided[i]
    for _, who, role in local:
        talk.mention(who, role)
    for i in members:
        out[i] = decided[i]
        groups.setdefault(quotes[i].group, decided[i])
        speaker = decided[i].speaker
        if speaker:
            talk.mention(speaker)
    last = decided[members[-1]]
    if last.speaker:
        talk.run.append(last.speaker)
    # "You see, Rosa," said he, "spring is here.": the whole paragraph speaks to Rosa.
    talk.last_addressee = next(
        (decided[i].addressee for i in reversed(members) if decided[i].addressee), None
    )
    talk.last_members = list(members)


# "inquired Caderousse, frowningly, of Danglars", "said he, turning to Herbert"
_TOLD = re.compile(r"^[^.!?;:\"“”]*?\b(?:to|of|addressing|towards|at)\s+(?:the\s+)?(?=[A-Z])")


def _told(book: _Book, tag: str, speaker: str | None) -> str | None:
    """Whom a tag says the quote was spoken to."""
    m = _TOLD.match(tag)
    if not m:
        return None
    name = book.names.match(tag, m.end())
    who = book.character(" ".join(name.group(0).split())) if name else None
    return who if who != speaker else None


_GUESSES = {"turn-taking", "fallback", "vocative-exclusion", "description-tag"}


def _answer_names_asker(talk: _Conversation, out: list, addressee: str | None) -> None:
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
    book: _Book,
    talk: _Conversation,
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
    rule = {"name": "named-tag", "narrator": "pronoun-tag", "pronoun": "pronoun-tag"}.get(
        m.kind, "description-tag"
    )
    if who[:1].islower() and who != NARRATOR:
        rule = "description-tag"  # "the young man" may yet turn out to be Fernand
    return Attribution(who, rule, addressee)


def _resolve(
    book: _Book, talk: _Conversation, m: Mention, local: list, pos: int, addressee: str | None
) -> str | None:
    """Mention to character: a name by its aliases, a pronoun or description by salience."""
    if m.kind == "name":
        return book.character(m.text)
    if m.kind == "narrator":
        return NARRATOR if book.roster.first_person else None
    here = sorted((x for x in local if x[0] < pos), key=lambda x: (x[2] != "subject", -x[0]))
    # A new dialogue paragraph rarely has the previous paragraph's speaker.
    last = talk.run[-1] if talk.run and not here else None
    recent = [who for _, who, _ in here] + talk.focus
    recent = [w for w in dict.fromkeys(recent) if w != addressee and w != last]
    if m.kind == "description":
        phrase = m.text.lower()
        for form in (phrase, re.sub(r"^(a|an)\s", "the ", phrase)):
            if form in book.alias:
                return book.alias[form]
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


def _action_subject(
    book: _Book,
    talk: _Conversation,
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


def _turn(book: _Book, talk: _Conversation, addressee: str | None) -> Attribution:
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
        guess, rule = (talk.salient[0] if talk.salient else _most_mentioned(book)), "fallback"
    if guess is not None and guess == addressee:
        skip = {addressee}
        alt = next((w for w in [*reversed(run), *talk.salient] if w not in skip), None)
        return Attribution(alt, "vocative-exclusion", addressee)
    return Attribution(guess, rule, addressee)


def _of_gender(
    book: _Book, talk: _Conversation, gender: str, addressee: str | None
) -> Attribution | None:
    """'"...," she said' never goes to a man: the latest speaker or mention of that
    gender, else the book's most mentioned one."""
    people = sorted(book.roster.characters, key=lambda c: -c.mentions)
    order = [*reversed(talk.run), *talk.salient, *(c.name for c in people)]
    who = next((w for w in order if w != addressee and book.gender.get(w) == gender), None)
    return Attribution(who, "pronoun-gender", addressee) if who else None


def _most_mentioned(book: _Book) -> str | None:
    people = book.roster.characters
    return max(people, key=lambda c: c.mentions).name if people else None
