"""What a description says: "the old man" is a person, a man, headed by "man".

Used by the tag reader (tags.py) to read a description out of a tag, and by the roster and
attribution to compare descriptions with each other and with a character's gender.
"""

from __future__ import annotations

import re

from audiobook.model import Gender
from audiobook.speakers.names import NOUN_GENDER, noun_gender

# Someone the narration does not name ("somebody exclaimed", "cried one of the women",
# "said another"): a third person, so never a first-person narrator's own line.
_PART = (
    r"(?:one|another|some|several|two|three|each|either|neither|most|many|all|both)\s+of\s+"
    r"(?:them|us|(?:the|those|these|his|her|their|our)\s+(?:[a-z][\w'-]*\s+){0,2}?[a-z][\w'-]*)"
)
# "said a second", "cried a third": one more of a group, as "another" is.
_ORDINAL = r"an?\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
INDEF = (
    rf"(?i:{_PART}|(?:some|every)(?:body|one)(?:\s+else)?|some\s+one|another|{_ORDINAL})"
    r"(?![\w'-])"
)
_INDEF = re.compile(INDEF)

GENDERED = {w: g for w, g in NOUN_GENDER.items() if g}


def person_phrase(phrase: str) -> str:
    """'the tall soldier felt', 'the man a little': the phrase ends at its person noun."""
    words = phrase.split()
    last = len(words) - 1
    # "the old horse" is no "the old": an adjective heads the phrase only when last.
    heads = [
        n
        for n, w in enumerate(words)
        if n and w.lower() in NOUN_GENDER and (n == last or w.lower() not in _ADJECTIVES)
    ]
    return " ".join(words[: heads[-1] + 1]) if heads else phrase


_ADJECTIVES = {"old", "young"}  # nouns of NOUN_GENDER only as "the old", "the young"


def indefinite(text: str) -> str:
    """'Some one', 'One of the  Women' -> 'someone', 'one of the women': one spelling."""
    return re.sub(r"\bsome one\b", "someone", " ".join(text.lower().split()))


def is_indefinite(phrase: str) -> bool:
    return _INDEF.fullmatch(phrase) is not None


def group_gender(text: str) -> Gender | None:
    """'one of the women' -> female: the gender of the group's noun, made singular."""
    return noun_gender(text.split()[-1])


def is_person(phrase: str) -> bool:
    words = [w.removesuffix("'s").removesuffix("’s") for w in phrase.lower().split()[1:]]
    return any(w in NOUN_GENDER for w in words) or words[-1:] == ["voice"]


def description_gender(phrase: str) -> Gender | None:
    """'the old man' -> male; "a woman's voice" -> female; 'the clerk' -> None."""
    for word in reversed(phrase.lower().split()):
        word = word.removesuffix("'s").removesuffix("’s")
        gender = NOUN_GENDER.get(word)
        if gender:
            return gender
    return None


def head_noun(phrase: str) -> str:
    return phrase.lower().split()[-1]
