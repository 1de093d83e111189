"""Rules for a whole run of dialogue paragraphs, once the sieve has read it.

The sieve decides quote by quote, reading forwards, so an untagged line can only be
guessed from who spoke before. A run seen whole knows its later tags too: RUN_RULES
may re-label the sieve's guesses from a tag that comes after them (back-from-tag,
between-tags), and then the turns that followed those guesses (alternate_after_tag); a
run tagged for two people only is their conversation (two_participants). Each rule is one
function and one line in the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from audiobook.model import Attribution, Quote

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book


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
    turns = turns_of(quotes, run)
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
    turns = turns_of(quotes, run)
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


def alternate_after_tag(book: Book, quotes: list[Quote], run: list[list[int]], out: list) -> None:
    """Untagged turns after a line tagged for X, up to a line decided otherwise, go on
    alternating X with whom X spoke to or answered, as the run is labelled now: reading
    forwards, the sieve alternated with its guess for the turn before the tag, which a
    later tag may have re-labelled since (back-from-tag, between-tags). A stretch that
    ends at another tag is between-tags' to decide."""
    turns = turns_of(quotes, run)
    tagged = [next((i for i in turn if out[i].rule in _ANCHORS), None) for turn in turns]
    for a, anchor in enumerate(tagged):
        if anchor is None:
            continue
        x = out[anchor].speaker
        other = next((out[i].addressee for i in turns[a] if out[i].addressee), None)
        if other is None and a > 0:
            other = out[turns[a - 1][-1]].speaker
        if other is None or other == x:
            continue
        end = a + 1
        while end < len(turns) and _open_turn(book, quotes, out, turns[end], None):
            who = x if (end - a) % 2 == 0 else other
            if any(out[i].addressee == who for i in turns[end]):
                break
            end += 1
        if end < len(turns) and tagged[end] is not None:
            continue
        for t in range(a + 1, end):
            who = x if (t - a) % 2 == 0 else other
            for i in turns[t]:
                if out[i].speaker != who:
                    out[i] = Attribution(who, "turn-taking", out[i].addressee)


_TAGGED = _ANCHORS | {
    "description-tag",
    "relation-tag",
    "former-latter",
    "action-subject",
    "lead-in-subject",
    "named-by-answer",
}
_GUESSED = _OPEN | {"continuation", "back-from-tag", "between-tags"}


def two_participants(book: Book, quotes: list[Quote], run: list[list[int]], out: list) -> None:
    """A run whose tagged lines name exactly two people is their conversation: an
    untagged turn guessed for anyone else (the person the narration last talked of) is
    one of the two, by alternation from the nearest tagged turn. Not a guess for someone
    a line of the run calls by name ('"Do you know them, Fernand?" he said.' / '"Yes,"
    was the reply.'): that one is in the talk too."""
    turns = turns_of(quotes, run)
    tagged: dict[int, str] = {}
    for t, turn in enumerate(turns):
        who = next((out[i].speaker for i in turn if out[i].rule in _TAGGED), None)
        if who is not None:
            tagged[t] = who
    people = set(tagged.values())
    called = {out[i].addressee for turn in turns for i in turn} - {None}
    if len(people) != 2:
        return
    for t, turn in enumerate(turns):
        if t in tagged or not all(out[i].rule in _GUESSED for i in turn):
            continue
        if out[turn[0]].speaker in people | called:
            continue  # one of the two, or someone a line of the run calls by name
        near = min(tagged, key=lambda a: (abs(a - t), a < t))
        who = tagged[near]
        if (t - near) % 2:
            who = next(w for w in people if w != who)
        if any(out[i].addressee == who for i in turn):
            continue
        for i in turn:
            out[i] = Attribution(who, "two-participants", out[i].addressee)


def _open_turn(
    book: Book, quotes: list[Quote], out: list, turn: list[int], pair: set | None
) -> bool:
    """A turn only guessed, in a paragraph of its own, addressing nobody outside the pair
    (anybody, without one)."""
    opening = quotes[turn[0]].outer_start
    return (
        all(out[i].rule in _OPEN | {"continuation"} for i in turn)
        and not book.text[book.paragraph_span(opening)[0] : opening].strip()
        and (pair is None or all(out[i].addressee in pair | {None} for i in turn))
    )


def turns_of(quotes: list[Quote], run: list[list[int]]) -> list[list[int]]:
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
    alternate_after_tag,
    two_participants,
]
