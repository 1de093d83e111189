"""The gender of a first-person narrator, from what the book itself says of them.

The narrator reads the whole book and speaks its own lines, so a woman who tells her
story in a man's voice is wrong for every line of it. The narration says "I", never
"he" or "she", so the pronoun votes of the roster cannot help; three other cues can:

- what the narrator says they are: "I was a girl of ten", "I am an old man";
- whom the narrator is married to: "my husband" is a wife's word, "my wife" a husband's;
- how others address the narrator in the lines next to the narrator's own tagged ones
  ('"...," said I' and the line just before or after it): "sir", "Mr. Lockwood",
  "young man" against "ma'am", "Miss Eyre", "my girl".

Each cue is a vote; the narrator gets a gender only when at least two votes agree and
the other side has at most a third as many. Otherwise the gender stays unknown and
casting keeps its default for the narrator, a man's voice.
"""

from __future__ import annotations

import re
from collections import Counter

from audiobook.model import Gender, Quote
from audiobook.speakers.mentions import next_to_said_i
from audiobook.speakers.names import NOUN_GENDER

_GENDERED = {noun: g for noun, g in NOUN_GENDER.items() if g}
_NOUN = "|".join(sorted(_GENDERED, key=len, reverse=True))
# "I was a little girl", "I am not a man to", "I had been a widow": never "I was a man's".
_SELF = re.compile(
    r"\bI(?:['’]m|\s+am|\s+was|\s+had\s+been|\s+have\s+been|\s+became)\s+"
    r"(?:(?:but|only|then|still|now|yet|just|not|no\s+longer|once|already|never)\s+)*"
    rf"(?:a|an)\s+(?:[a-z-]+,?\s+){{0,3}}?(?P<noun>{_NOUN})(?![\w'’-])"
)
_SPOUSE = re.compile(r"\b[Mm]y\s+(?P<spouse>husband|wife)\b")
_SPOUSE_GENDER: dict[str, Gender] = {"husband": "female", "wife": "male"}
# How someone speaks to a person: a form of address set off by punctuation.
_ADDRESS = re.compile(
    r"(?:^|[,;!?.—–-]\s*)(?P<a>sir|ma['’]am|madam|miss|mister|young\s+man|young\s+lady|"
    r"my\s+(?:boy|lad|son|girl|lass|daughter)|(?:mr|mrs|miss)\.?\s+[A-Z][\w’'-]+)"
    r"\s*(?=[,;.!?—–-]|$)",
    re.IGNORECASE,
)
_FEMALE_ADDRESS = re.compile(
    r"ma['’]am|madam|miss\b|mrs\b|young\s+lady|my\s+(?:girl|lass|daughter)"
)


def narrator_gender(text: str, narration: str, quotes: list[Quote]) -> Gender | None:
    """The first-person narrator's gender, or None when the book does not say clearly.

    ``narration`` is ``text`` with the quotes blanked (roster.mask_quotes)."""
    votes: Counter[Gender] = Counter()
    for m in _SELF.finditer(narration):
        votes[_GENDERED[m.group("noun")]] += 1
    for m in _SPOUSE.finditer(narration):
        votes[_SPOUSE_GENDER[m.group("spouse")]] += 1
    votes.update(_addressed(text, quotes))
    if not votes:
        return None
    (top, n), *rest = votes.most_common()
    other = rest[0][1] if rest else 0
    return top if n >= 2 and other * 3 <= n else None


def _addressed(text: str, quotes: list[Quote]) -> Counter[Gender]:
    """Forms of address in the lines next to the narrator's own tagged ones (another
    utterance than theirs): what others call the narrator."""
    votes: Counter[Gender] = Counter()
    for other in next_to_said_i(text, quotes):
        for m in _ADDRESS.finditer(text[other.start : other.end]):
            votes["female" if _FEMALE_ADDRESS.match(m.group("a").lower()) else "male"] += 1
    return votes
