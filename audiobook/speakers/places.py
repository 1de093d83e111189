"""Capitalised words that are not people: places, institutions, families and peoples.

"in Rome", "Riverside Drive", "the Pyncheon Family", "Englishmen": the roster keeps such
forms out unless they speak. "at" is special: after a look or a laugh it names a person
("laughed at Tom"), otherwise mostly a place ("meet at Chester").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audiobook.speakers.names import words

if TYPE_CHECKING:
    from audiobook.speakers.forms import Form

# "looked at Thomas", "said to Mary": only these mostly precede places.
PLACE_WORDS = words(
    """in from into near through across towards toward beyond around outside inside via"""
)

# "looked at Thomas", "laughed at Tom": "at" after these names a person, else a place
# ("meet at Chester", "already at Chester").
_AT_SOMEONE = words(
    """look looked looks looking glance glanced glances glancing stare stared staring gaze
    gazed gazing peer peered peep peeped smile smiled smiling laugh laughed laughing grin
    grinned frown frowned nod nodded wink winked point pointed wave waved shout shouted
    shouting yell yelled call called scowl scowled snap snapped sneer sneered jeer jeered
    growl growled bark barked swear swore aim aimed throw threw flung hurl hurled fire fired
    angry cross annoyed vexed mad surprised amazed astonished directed"""
)

# Last words of places and institutions, not people ("Riverside Drive", "Blodgett
# College", "Wuthering Heights"), and of families ("the Pyncheon Family").
_PLACE_HEADS = words(
    """street drive road lane avenue square place house hall heights hill college school
    university landing park court manor abbey castle church chapel farm inn hotel bridge
    river island valley station elm oak family commonwealth company club bank basin wharf
    dock quay stairs market yard"""
)


def at_place(before: list[str]) -> bool:
    """'met at Chester' but not 'laughed at Tom': the words before a name end in a place's "at"."""
    return len(before) >= 2 and before[-1] == "at" and before[-2].lower() not in _AT_SOMEONE


def place_like(f: Form) -> bool:
    """A form that names a place, a family or a people ('Englishmen', 'Indians')."""
    last = f.tokens[-1]
    if len(f.tokens) > 1 and last.lower() in _PLACE_HEADS:
        return True
    if last.endswith("shire"):
        return True
    return len(f.tokens) == 1 and len(last) > 5 and last.endswith(("men", "ians", "ese"))
