"""Casting: a distinct voice for the narrator and for every character.

The same book always gets the same cast: characters are cast in order of how
much they speak (then by name), so the lead characters get the most distinct
voices of the pool and adding a minor character never recasts a major one.
A cast file's choices are kept as they are; automatic choices avoid them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from audiobook.errors import EngineError
from audiobook.model import NARRATOR, Cast, CastEntry, Gender, Script, Segment, VoiceSettings

FALLBACK_LANGUAGE = "en"
# When every voice of a language is taken, voices are reused at these pitch
# offsets (engine scale 0-100, default 50) so that no two entries sound alike.
PITCH_STEPS = (-12, 12, -24, 24, -36, 36)


@dataclass
class CastRow:
    """One line of `audiobook cast`: who, how much they speak, in which voices."""

    name: str
    gender: Gender | None
    lines: int  # dialogue lines; for the narrator, every segment it reads
    languages: list[str]
    voice: str
    voices: dict[str, str] = field(default_factory=dict)  # language -> voice id
    rate: int | None = None
    pitch: int | None = None
    aliases: list[str] = field(default_factory=list)
    from_file: bool = False


def dialogue_lines(script: Script) -> Counter[str]:
    """Number of dialogue segments per speaker (the first-person narrator included)."""
    return Counter(
        seg.speaker
        for chapter in script.chapters
        for seg in chapter.segments
        if seg.kind == "dialogue" and seg.speaker
    )


def make_cast(script: Script, engine, cast_file: Cast | None = None) -> Cast:
    """The voice mapping for ``script``: the cast file's choices, the rest automatic."""
    lines = dialogue_lines(script)
    given = cast_file.characters if cast_file else {}
    names = {c.name for c in script.roster.characters} | set(given)
    names |= {n for n in lines if n != NARRATOR}
    order = sorted(names, key=lambda name: (-lines[name], name))

    picker = _Picker(engine, script.main_language)
    narrator_given = cast_file.narrator if cast_file else None
    for entry in [narrator_given, *given.values()]:
        if entry is not None and entry.voice:
            picker.taken.add(entry.voice)

    narrator = CastEntry(NARRATOR, "", from_file=bool(narrator_given and narrator_given.voice))
    if narrator_given is not None:
        narrator.voice, narrator.gender, narrator.rate, narrator.pitch = (
            narrator_given.voice,
            narrator_given.gender,
            narrator_given.rate,
            narrator_given.pitch,
        )
    if not narrator.voice:
        narrator.voice, narrator.pitch = picker.pick(narrator.gender, narrator.pitch)

    characters: dict[str, CastEntry] = {}
    balance = Counter()  # voices of each gender cast so far, for unknown genders
    for name in order:
        known = script.roster.get(name)
        entry = given.get(name)
        gender = (entry.gender if entry else None) or (known.gender if known else None)
        aliases = (
            list(entry.aliases) if entry and entry.aliases else list(known.aliases if known else [])
        )
        cast = CastEntry(
            name,
            entry.voice if entry else "",
            gender,
            aliases,
            rate=entry.rate if entry else None,
            pitch=entry.pitch if entry else None,
            from_file=entry is not None,
        )
        if not cast.voice:
            # Unknown gender: whichever pool has been used less, so voices stay
            # as far apart as possible; a tie goes to female, the narrator
            # having taken the first male-or-neutral voice.
            pool_gender = gender or ("female" if balance["female"] <= balance["male"] else "male")
            cast.voice, cast.pitch = picker.pick(pool_gender, cast.pitch)
            balance[pool_gender] += 1
        elif gender:
            balance[gender] += 1
        characters[name] = cast
    return Cast(narrator, characters, cast_file.lexicon if cast_file else None)


class _Picker:
    """Hands out voices of one language, each at most once."""

    def __init__(self, engine, language: str) -> None:
        self.engine = engine
        self.language = language
        if not engine.casting_pool(language, "female") and not engine.casting_pool(
            language, "male"
        ):
            self.language = FALLBACK_LANGUAGE  # the engine does not speak the book's language
        self.taken: set[str] = set()
        self.reused: Counter[str] = Counter()

    def pool(self, gender: Gender | None) -> list[str]:
        other: Gender = "male" if gender == "female" else "female"
        pool = self.engine.casting_pool(self.language, gender)
        # Running out of one gender's voices: the other gender's pool beats a repeat.
        return pool + [v for v in self.engine.casting_pool(self.language, other) if v not in pool]

    def pick(self, gender: Gender | None, pitch: int | None) -> tuple[str, int | None]:
        pool = self.pool(gender)
        if not pool:
            raise EngineError(
                f"the {self.engine.name} engine offers no voice for "
                f"language {self.language!r}; name voices in a cast file"
            )
        for voice in pool:
            if voice not in self.taken:
                self.taken.add(voice)
                return voice, pitch
        # Every voice taken (a cast of hundreds): reuse the pool at a shifted pitch.
        voice = pool[sum(self.reused.values()) % len(pool)]
        step = PITCH_STEPS[self.reused[voice] % len(PITCH_STEPS)]
        self.reused[voice] += 1
        return voice, max(0, min(100, (pitch if pitch is not None else 50) + step))


def assign_voices(script: Script, cast: Cast, engine) -> None:
    """Set ``seg.voice`` for every segment: its speaker's voice, in its language."""
    variants: dict[tuple[str, str], str] = {}
    for chapter in script.chapters:
        for seg in chapter.segments:
            voice = speaker_entry(cast, seg).voice
            key = (voice, seg.language)
            if key not in variants:
                variants[key] = engine.language_variant(voice, seg.language) or voice
            seg.voice = variants[key]


def speaker_entry(cast: Cast, seg: Segment) -> CastEntry:
    """The cast entry that speaks ``seg``: narration is always the narrator's."""
    return cast.entry(seg.speaker if seg.kind == "dialogue" else None)


def voice_settings(cast: Cast, seg: Segment) -> VoiceSettings:
    """How ``seg`` sounds: its voice (language variant included), with the speaker's rate and pitch."""
    entry = speaker_entry(cast, seg)
    return VoiceSettings(seg.voice or entry.voice, entry.rate, entry.pitch)


def describe_cast(script: Script, cast: Cast) -> list[CastRow]:
    """The narrator, then every character in casting order, with lines and languages."""
    lines = dialogue_lines(script)
    spoken: dict[str, dict[str, str]] = {}
    for chapter in script.chapters:
        for seg in chapter.segments:
            name = speaker_entry(cast, seg).name
            spoken.setdefault(name, {}).setdefault(seg.language, seg.voice)
            if name == NARRATOR and seg.speaker != NARRATOR:
                lines[NARRATOR] += 1
    rows = []
    for entry in [cast.narrator, *cast.characters.values()]:
        voices = spoken.get(entry.name, {})
        rows.append(
            CastRow(
                entry.name,
                entry.gender,
                lines[entry.name],
                sorted(voices),
                entry.voice,
                dict(sorted(voices.items())),
                entry.rate,
                entry.pitch,
                list(entry.aliases),
                entry.from_file,
            )
        )
    return rows
