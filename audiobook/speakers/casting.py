"""Casting: a distinct voice for the narrator and for every character who speaks.

The same book always gets the same cast: characters are cast in order of how
much they speak (then by name), so the lead characters get the most distinct
voices and adding a minor character never recasts a major one. Each choice is
the voice (variant, accent, pitch) that stands furthest from the voices of
the people this character talks to, the narrator most of all (see
voicespace). A character of unknown gender gets a light man's voice, pitched
where men's and women's voices meet: one pool, never a coin toss between pools,
and never a woman's voice for a man the book never calls "he"; a character
without a line gets no voice. The narrator has a man's voice unless a cast file says
otherwise or the book says its first-person narrator is a woman (narrator_gender.py).
A cast file's choices are kept as they are; automatic choices avoid them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from audiobook.errors import EngineError
from audiobook.model import NARRATOR, Cast, CastEntry, Gender, Script, Segment, VoiceSettings
from audiobook.speakers import voicespace
from audiobook.speakers.voicespace import TARGET, Voice

FALLBACK_LANGUAGE = "en"
# Pace: words per minute of the built book, pauses included. Commercial audiobooks
# run at about 150-160. A rate is espeak-ng's words per minute (Piper's is matched to
# it); espeak really speaks SPEECH_PER_RATE times faster than its rate says, and the
# pauses between clips add PAUSE_MINUTES_PER_WORD per word on average (both measured
# on Great Expectations' first chapters with bench/bench_voices.py).
DEFAULT_PACE = 158
SPEECH_PER_RATE = 1.14
PAUSE_MINUTES_PER_WORD = 0.00042
# A voice for someone of unknown gender: a man's voice family (a speaker the text never
# gives a gender was a man 10 times in 11 on LitBank, and 71% of its gendered quotes are
# men's; a woman's variant at a low pitch still sounds like a woman), at a median pitch
# where men's and women's voices overlap.
NEUTRAL_HZ = (120.0, 180.0)
# Separation is measured against the narrator and the leads only: enough to keep
# the voices a listener hears most apart, and casting a crowd stays fast.
LEADS = 8
FRESH_VOICES = 40  # unused voice ids tried per character (each at every pitch step)


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
    nearest: str | None = None  # the cast member whose voice is closest
    apart: float | None = None  # and how far: semitones of median pitch (None: not comparable)


def dialogue_lines(script: Script) -> Counter[str]:
    """Number of dialogue segments per speaker (the first-person narrator included)."""
    return Counter(
        seg.speaker
        for chapter in script.chapters
        for seg in chapter.segments
        if seg.kind == "dialogue" and seg.speaker
    )


def make_cast(
    script: Script,
    engine,
    cast_file: Cast | None = None,
    voice_silent: bool = False,
    also: frozenset[str] = frozenset(),
) -> Cast:
    """The voice mapping for ``script``: the cast file's choices, the rest automatic.

    ``voice_silent`` also casts characters without a line (a cast without a book);
    ``also`` names speakers to cast even without a line in ``script`` (they are cast
    last, so they never move anyone else's voice).
    """
    lines = dialogue_lines(script)
    given = cast_file.characters if cast_file else {}
    names = {c.name for c in script.roster.characters} | set(given)
    names |= {n for n in lines if n != NARRATOR} | (also - {NARRATOR})
    order = sorted(names, key=lambda name: (-lines[name], name))

    picker = _Picker(
        engine, script.main_language, voicespace.partners(voicespace.conversations(script), lines)
    )
    narrator_given = cast_file.narrator if cast_file else None
    fixed = [(NARRATOR, narrator_given)] + list(given.items())
    for name, entry in fixed:
        if entry is not None and entry.voice:
            picker.keep(name, entry.voice, entry.pitch)

    narrator = CastEntry(NARRATOR, "", from_file=bool(narrator_given and narrator_given.voice))
    if narrator_given is not None:
        narrator.voice, narrator.gender, narrator.rate, narrator.pitch = (
            narrator_given.voice,
            narrator_given.gender,
            narrator_given.rate,
            narrator_given.pitch,
        )
    if not narrator.voice:
        roster = script.roster
        if narrator.gender is None and roster.first_person and roster.narrator_gender == "female":
            # A woman telling her own story is read in a woman's voice. A man's is the
            # narrator's default already, on an accent of its own (the engine's pool for
            # no gender), so a man the book says the narrator is changes nothing.
            narrator.gender = "female"
        narrator.voice, narrator.pitch = picker.pick(NARRATOR, narrator.gender, narrator.pitch)

    characters: dict[str, CastEntry] = {}
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
        if not cast.voice and (lines[name] or voice_silent or name in also):
            cast.voice, cast.pitch = picker.pick(name, gender, cast.pitch, neutral=not gender)
        characters[name] = cast
    if cast_file is None:
        return Cast(narrator, characters)
    return Cast(narrator, characters, cast_file.lexicon, dict(cast_file.lines), cast_file.pace)


class _Picker:
    """Hands out (voice, pitch) pairs, each at most once, as far apart as they must be."""

    def __init__(self, engine, language: str, partners: dict[str, Counter[str]]) -> None:
        self.engine = engine
        self.language = language
        if not engine.casting_pool(language, "female") and not engine.casting_pool(
            language, "male"
        ):
            self.language = FALLBACK_LANGUAGE  # the engine does not speak the book's language
        self.partners = partners
        self.cast: dict[str, Voice] = {}  # who has which voice, in casting order
        self.taken: set[tuple[str, int | None]] = set()
        self.uses: Counter[str] = Counter()
        self._described: dict[tuple[str, int | None], Voice] = {}

    def _describe(self, voice: str, pitch: int | None) -> Voice:
        # Each (voice, pitch) is weighed for every character cast: describe it once.
        key = (voice, pitch)
        found = self._described.get(key)
        if found is None:
            found = self._described[key] = voicespace.describe(self.engine, voice, pitch)
        return found

    def _pitch(self, pitch: int | None) -> int | None:
        steps = self.engine.pitch_steps
        return (steps[0] if pitch is None else pitch) if steps else None

    def keep(self, name: str, voice: str, pitch: int | None) -> None:
        """A voice the cast file chose: automatic picks stay clear of it."""
        self.cast[name] = self._describe(voice, pitch)
        self.taken.add((voice, self._pitch(pitch)))
        self.uses[voice] += 1

    def pool(self, gender: Gender | None, neutral: bool) -> list[str]:
        if neutral:
            gender = "male"  # the lightest men's voices: see NEUTRAL_HZ
        other: Gender = "male" if gender == "female" else "female"
        pool = self.engine.casting_pool(self.language, gender)
        # Running out of one gender's voices: the other gender's pool beats a repeat.
        return pool + [v for v in self.engine.casting_pool(self.language, other) if v not in pool]

    def candidates(self, gender: Gender | None, pitch: int | None, neutral: bool) -> list[Voice]:
        pool = self.pool(gender, neutral)
        if not pool:
            raise EngineError(
                f"the {self.engine.name} engine offers no voice for "
                f"language {self.language!r}; name voices in a cast file"
            )
        fresh = [v for v in pool if not self.uses[v]][:FRESH_VOICES]
        voices = fresh or pool
        # A pitch the cast file set stays; otherwise casting may move it.
        steps = [pitch] if pitch is not None else list(self.engine.pitch_steps) or [None]
        found = [
            self._describe(v, p)
            for v in voices
            for p in steps
            if (v, self._pitch(p)) not in self.taken
        ]
        if neutral:
            middle = [c for c in found if c.hz and NEUTRAL_HZ[0] <= c.hz <= NEUTRAL_HZ[1]]
            found = middle or found
        if not found:  # every pitch of every voice taken: a cast of thousands
            found = [self._describe(v, p) for v in pool for p in steps]
        return found

    def pick(
        self, name: str, gender: Gender | None, pitch: int | None, neutral: bool = False
    ) -> tuple[str, int | None]:
        must = self.partners.get(name, Counter())
        leads = list(self.cast.items())[:LEADS]
        against = [
            (other, self.cast[other], weight)
            for other, weight in must.items()
            if other in self.cast
        ]
        order = {v: i for i, v in enumerate(self.pool(gender, neutral))}
        default = self._pitch(None)

        def score(c: Voice) -> tuple[float, float, int, int]:
            shortfall = sum(
                weight * max(0.0, TARGET - voicespace.separation(c, voice))
                for _, voice, weight in against
            )
            spread = min(
                (min(TARGET, voicespace.separation(c, v)) for _, v in leads), default=TARGET
            )
            strain = abs((c.pitch or 0) - (default or 0))
            return (-shortfall, spread, -strain, -order.get(c.voice, 0))

        best = max(self.candidates(gender, pitch, neutral), key=score)
        self.cast[name] = best
        self.taken.add((best.voice, self._pitch(best.pitch)))
        self.uses[best.voice] += 1
        # The engine's default pitch is written as no pitch: cast files stay clean.
        return best.voice, (None if pitch is None and best.pitch == default else best.pitch)


def assign_voices(script: Script, cast: Cast, engine) -> None:
    """Set ``seg.voice`` for every segment: its speaker's voice, in its language.

    A voice that cannot speak a segment's language (a Piper voice trained on one
    language) hands that segment to the main engine's first voice of the
    speaker's gender in that language.
    """
    variants: dict[tuple[str, str], str] = {}
    for chapter in script.chapters:
        for seg in chapter.segments:
            entry = speaker_entry(cast, seg)
            key = (entry.voice, seg.language)
            if key not in variants:
                variants[key] = _in_language(engine, entry, seg.language)
            seg.voice = variants[key]


def _in_language(engine, entry: CastEntry, language: str) -> str:
    variant = engine.language_variant(entry.voice, language)
    if variant:
        return variant
    gender = entry.gender or engine.gender(entry.voice)
    stand_in = engine.casting_pool(language, gender)
    return stand_in[0] if stand_in else entry.voice


def speaker_entry(cast: Cast, seg: Segment) -> CastEntry:
    """The cast entry that speaks ``seg``: narration is always the narrator's."""
    return cast.entry(seg.speaker if seg.kind == "dialogue" else None)


def pace_rate(pace: int | None) -> int:
    """The speaking rate that makes a book ``pace`` words per minute, pauses included."""
    speech = 1 / (1 / (pace or DEFAULT_PACE) - PAUSE_MINUTES_PER_WORD)
    return round(speech / SPEECH_PER_RATE)


def voice_settings(cast: Cast, seg: Segment) -> VoiceSettings:
    """How ``seg`` sounds: its voice (language variant included), the speaker's rate and pitch.

    A speaker without a rate of their own speaks at the book's pace.
    """
    entry = speaker_entry(cast, seg)
    return VoiceSettings(seg.voice or entry.voice, speaker_rate(cast, entry), entry.pitch)


def speaker_rate(cast: Cast, entry: CastEntry) -> int:
    """The entry's own rate, else the one that keeps the book at its pace."""
    return entry.rate if entry.rate is not None else pace_rate(cast.pace)


def describe_cast(script: Script, cast: Cast, engine=None) -> list[CastRow]:
    """The narrator, then every character in casting order, with lines and languages
    (a character the book names but never hears is left out, unless the cast file lists it).

    With the ``engine``, each row also names the nearest other voice and how far it is.
    """
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
        if entry.name != NARRATOR and not (lines[entry.name] or entry.voice or entry.from_file):
            continue  # named in the book but never heard: no voice, no row
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
    if engine is not None:
        _nearest(rows, engine)
    return rows


def _nearest(rows: list[CastRow], engine) -> None:
    """Fill in each voiced row's closest other voice: what a listener might confuse."""
    voiced = [(r, voicespace.describe(engine, r.voice, r.pitch)) for r in rows if r.voice]
    for row, voice in voiced:
        others = [(voicespace.separation(voice, v), o, v) for o, v in voiced if o is not row]
        if not others:
            continue
        _, other, near = min(others, key=lambda t: t[0])
        row.nearest = other.name
        apart = voicespace.semitones(voice, near)
        row.apart = None if apart is None else round(apart, 1)
