"""What narration between two dialogue paragraphs does to the turns of the talk.

It ends them (a new scene, someone new brought in), or only pauses them ('He started
joyfully.'), or is itself a turn: an answer without words ('A nod was the answer.') or
words reported instead of quoted ('I stammered that I had no objection.'), after which
the other person speaks.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR
from audiobook.text.chapters import has_heading
from audiobook.text.sentences import last_sentence

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book, Conversation

# A narration paragraph ending so leads in to the next quote ('He paused, then went on:',
# 'and said at once--'): the tag reader still wants a speech verb in it.
LEAD_IN = (":", "—", "--")

# A narration paragraph that is an answer without words.
_SILENT = re.compile(
    r"[^.!?]*\b(?:nodded|shook (?:his|her) head|shrugged|no answer|no reply"
    r"|was the (?:answer|reply)|made no (?:answer|reply)|did not (?:answer|reply)"
    r"|didn't (?:answer|reply)|was silent|said nothing|no response)\b",
    re.IGNORECASE,
)

# Verbs that report a whole turn of speech ('I said I had always longed for it.', 'I
# thanked him.', 'I told him.'); not those whose words may follow as the next quote ('My
# uncle explained to old Cotter.', 'He began.'), nor thinking, seeing or returning.
_REPORTS = (
    r"(?:said|told|answered|replied|asked|inquired|enquired|stammered|thanked|assured|"
    r"promised|confessed|admitted|assented|agreed|protested|retorted|rejoined|responded|"
    r"whispered|repeated|suggested|hinted|begged|apologi[sz]ed|declined|signified)"
)
_REPORTER = re.compile(
    rf"(?:^|[,;]\s+|\b(?:and|so|but|then|again)\s+)(?P<who>I|[Hh]e|[Ss]he)\s+(?:\w+ly\s+)?"
    rf"{_REPORTS}\b"
)
_REPORTED = re.compile(rf"\s+(?:\w+ly\s+)?{_REPORTS}\b")
# 'When I said some reassuring words, she stretched out her hand': a clause that opens so
# is not the sentence's own; after its comma the main clause may be ('As we went, I told
# him how grieved I was').
_SUBORDINATE = re.compile(
    r"\b(?:when|as|if|while|because|though|although|after|before|until|till|since|who|"
    r"whom|which|that|whose|where|what|how|whether)\b",
    re.IGNORECASE,
)


def pause(book: Book, talk: Conversation, between: str, start: int, end: int, opening: int) -> None:
    """What narration between two dialogue paragraphs does to the turns: ends them, or
    pauses them; an answer without words ("A nod was the answer.") is a turn of the one
    spoken to, so the one who spoke before speaks again; words reported rather than quoted
    ('Once more, I stammered that I had no objection.') are the reporter's turn."""
    reporter = _reported_turn(book, talk, between)
    if reporter is not None:
        if not talk.turns or talk.turns[-1] != reporter:
            talk.turns.append(reporter)
    elif not _interlude(book, between, start, end, opening):
        talk.turns.clear()
    elif talk.turns and book.roster.first_person and _acts(between):
        if talk.turns[-1] != NARRATOR:
            talk.turns.append(NARRATOR)  # 'I returned to the window and fetched it thence.'
    elif talk.turns and _SILENT.match(between.strip()):
        turns = talk.turns
        silent = talk.last_addressee or (turns[-2] if len(turns) > 1 else None)
        if silent is not None and silent != turns[-1]:
            turns.append(silent)
        else:
            talk.speaks_again = True  # whoever it was, the last speaker goes on


# "I" opening a main clause with a deed ('I returned to the window'), not a state or a
# perception ('I was tired', 'I felt', 'I saw').
_STATES = r"(?:am|was|had|could|would|felt|thought|knew|saw)\b"
_I = re.compile(rf"(?:^|[,;]\s+|\b(?:and|so|but|then)\s+)I\s+(?!{_STATES})")


def _acts(between: str) -> bool:
    """The narration's last sentence is the first-person narrator doing something ('I
    returned to the window and fetched it thence.'): the narrator's turn, without words."""
    last = last_sentence(" ".join(between.split()))
    m = _I.search(last)
    return m is not None and not _SUBORDINATE.search(re.split(r"[,;]", last[: m.start()])[-1])


def _reported_turn(book: Book, talk: Conversation, between: str) -> str | None:
    """Who speaks in the narration's last sentence, in reported words: a first-person
    narrator ('I stammered yes, that was it.'), someone named ('Ali repeated his
    affirmative gesture.'), or by pronoun the one of the last two speakers of that gender.
    Then the talk goes on and the next line is another's."""
    tail = between.rstrip()
    if not tail or tail.endswith((*LEAD_IN, ",")) or has_heading(between):
        # 'Haydée answered with a heartrending expression,': her words come next.
        return None
    last = last_sentence(" ".join(tail.split()))
    m = _REPORTER.search(last)
    named = None
    for n in book.names.finditer(last):
        if _REPORTED.match(last, n.end()) and (m is None or n.start() < m.start()):
            named = n
            break
    start = named.start() if named else m.start("who") if m else None
    if start is None:
        return None
    clause = re.split(r"[,;]", last[:start])[-1]
    if _SUBORDINATE.search(clause):
        return None
    if named is not None:
        return book.character(" ".join(named.group(0).split()))
    assert m is not None
    if m.group("who") == "I":
        return NARRATOR if book.roster.first_person else None
    gender = "male" if m.group("who").lower() == "he" else "female"
    pair = talk.turns[-2:]
    fits = {w for w in pair if book.gender.get(w) == gender}
    return next(iter(fits)) if len(fits) == 1 and len(set(pair)) == 2 else None


def _interlude(book: Book, between: str, start: int, end: int, opening: int) -> bool:
    """A single narration paragraph that names nobody ('He started joyfully.', 'Now she
    was ready.') is a pause in the talk, not its end: the same two people go on taking
    turns. One that names someone may bring in a new speaker or give the turn to the one it
    is about, and a heading starts a scene. In a first-person book one about the narrator
    alone ('She stood looking at me, and I stood looking at her.') pauses the talk too, when
    the next line opens its paragraph (narration before it introduces it: its actor may
    speak)."""
    paragraphs = bisect.bisect_left(book.starts, end) - bisect.bisect_left(book.starts, start)
    return (
        paragraphs == 1
        and not between.rstrip().endswith(LEAD_IN)
        and not has_heading(between)
        and not [
            w
            for _, w, _ in book.mentions(between)
            if w != NARRATOR or book.text[end:opening].strip()
        ]
    )
