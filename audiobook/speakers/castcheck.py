"""Warnings about a cast file that is valid but probably not what its author meant.

None of these stop a build: a name the book never uses, a voice of the other
gender, two characters sharing one voice, an alias that is another
character's name. Each message names the character and says what to change.
"""

from __future__ import annotations

from collections import defaultdict

from audiobook.model import NARRATOR, Cast, CastEntry, Document, Gender, Script
from audiobook.text.words import WordFinder

LOW_PITCH, HIGH_PITCH = 20, 80  # engine scale 0-100, default 50


def check_cast(prepared) -> list[str]:
    """Warnings about the cast file ``prepared`` was made with (none without one)."""
    if prepared.file_cast is None:
        return []
    genders = {v.id: v.gender for v in prepared.tts.voices()} if prepared.tts else {}
    return cast_warnings(
        prepared.file_cast, prepared.cast, prepared.script, prepared.documents, genders.get
    )


def cast_warnings(
    file_cast: Cast, cast: Cast, script: Script, documents: list[Document], voice_gender
) -> list[str]:
    """Warnings for the cast file ``file_cast`` as used for this book.

    ``cast`` is the final cast (automatic voices included), ``voice_gender``
    maps a voice id to the gender the engine gives it (or None).
    """
    text = "\n".join(d.text for d in documents)
    speakers = {
        s.speaker for c in script.chapters for s in c.segments if s.kind == "dialogue" and s.speaker
    }
    out = _unused_names(file_cast, text, speakers)
    out += _alias_clashes(file_cast)
    out += _gender_mismatches(file_cast, cast, voice_gender)
    out += _shared_voices(cast)
    return out


def _unused_names(file_cast: Cast, text: str, speakers: set[str]) -> list[str]:
    out = []
    words = WordFinder(text)
    for name, entry in file_cast.characters.items():
        # A character who speaks only through [lines] fixes needs no name in the text.
        if name not in speakers and not words.occurs(name):
            out.append(f"character {name!r} never occurs in the book; remove it or fix the name")
        for alias in entry.aliases:
            if not words.occurs(alias):
                out.append(f"alias {alias!r} of {name!r} never occurs in the book")
    return out


def _alias_clashes(file_cast: Cast) -> list[str]:
    owners: dict[str, list[str]] = defaultdict(list)
    for name, entry in file_cast.characters.items():
        for alias in dict.fromkeys(a.casefold() for a in entry.aliases):
            owners[alias].append(name)
    keys = {name.casefold(): name for name in file_cast.characters}
    out = []
    for name, entry in file_cast.characters.items():
        for alias in entry.aliases:
            other = keys.get(alias.casefold())
            if other is not None and other != name:
                out.append(
                    f"alias {alias!r} of {name!r} is the name of character {other!r}: "
                    "a line tagged with it may go to either; remove the alias or merge the two"
                )
    for alias, names in owners.items():
        if len(names) > 1 and alias not in keys:
            listed = ", ".join(repr(n) for n in names)
            out.append(f"alias {alias!r} belongs to several characters ({listed}); keep it in one")
    return out


def _gender_mismatches(file_cast: Cast, cast: Cast, voice_gender) -> list[str]:
    out = []
    for entry in [cast.narrator, *cast.characters.values()]:
        given = file_cast.entry(entry.name) if entry.name != NARRATOR else file_cast.narrator
        gender: Gender | None = entry.gender or (given.gender if given else None)
        if gender is None:
            continue
        sounds = voice_gender(entry.voice)
        if sounds is not None and sounds != gender:
            out.append(
                f"{_who(entry)} is {gender} but voice {entry.voice!r} is a {sounds} voice; "
                "pick another with `audiobook voices`"
            )
        elif entry.pitch is not None and (
            (gender == "female" and entry.pitch <= LOW_PITCH)
            or (gender == "male" and entry.pitch >= HIGH_PITCH)
        ):
            out.append(f"{_who(entry)} is {gender} but pitch {entry.pitch} sounds otherwise")
    return out


def _shared_voices(cast: Cast) -> list[str]:
    users: dict[tuple, list[CastEntry]] = defaultdict(list)
    for entry in [cast.narrator, *cast.characters.values()]:
        users[(entry.voice, entry.rate, entry.pitch)].append(entry)
    out = []
    for (voice, _, _), entries in users.items():
        if len(entries) > 1:
            names = " and ".join(_who(e) for e in entries)
            out.append(f"{names} share voice {voice!r}; listeners cannot tell them apart")
    return out


def _who(entry: CastEntry) -> str:
    return "the narrator" if entry.name == NARRATOR else repr(entry.name)
