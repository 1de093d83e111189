"""Casting on real espeak-ng voices: distinct, gendered, stable, and overridable."""

from __future__ import annotations

import math
import random

import pytest
from audio_utils import median_pitch_hz, pcm
from test_narrator_gender import HE_TELLS, NOBODY_SAYS, SHE_TELLS, THIRD_PERSON

from audiobook.audio.clips import make_clips
from audiobook.audio.engines import get_engine
from audiobook.audio.engines.espeak_catalog import variants
from audiobook.model import (
    NARRATOR,
    Cast,
    CastEntry,
    Chapter,
    ChapterScript,
    Character,
    Roster,
    Script,
    Segment,
    VoiceSettings,
)
from audiobook.speakers import roster
from audiobook.speakers.casting import assign_voices, describe_cast, make_cast, voice_settings
from audiobook.text.quotes import find_quotes

SENTENCE = "It was a bright cold day in April, and the clocks were striking thirteen."


@pytest.fixture(scope="module")
def engine():
    return get_engine()


def make_script(
    lines: list[tuple[str | None, str, str]], people: list[Character], main: str = "en"
) -> Script:
    """A one-chapter script; each line is (speaker or None for narration, text, language)."""
    segments, pos = [], 0
    for speaker, text, language in lines:
        kind = "dialogue" if speaker else "narration"
        segments.append(
            Segment(kind, text, pos, pos + len(text), speaker=speaker, language=language)
        )
        pos += len(text) + 1
    chapter = Chapter("Chapter 1", "book.txt", 0, pos)
    return Script([ChapterScript(chapter, segments)], Roster(people), main)


def mila_story() -> Script:
    people = [
        Character("Mila", gender="female"),
        Character("Sofia", gender="female"),
        Character("Carlos", gender="male"),
    ]
    return make_script(
        [
            (None, "Her manager, Carlos, handed her a glass of water.", "en"),
            ("Carlos", "You killed it out there, mila", "en"),
            ("Sofia", "How did you feel out there?", "en"),
            ("Mila", "I don't know", "en"),
            ("Mila", "It was like I was trying to hold onto something.", "en"),
            (None, "Mila smiled, feeling the words of her song:", "en"),
            ("Mila", "La vida es un viaje sin destino", "es"),
        ],
        people,
    )


def gender_of(voice: str) -> str | None:
    variant = voice.partition("+")[2]
    return variants()[variant].gender if variant in variants() else None


def test_the_seed_story_gets_four_distinct_voices_and_a_spanish_variant(engine):
    script = mila_story()
    cast = make_cast(script, engine, None)
    assign_voices(script, cast, engine)
    voices = {"narrator": cast.narrator.voice, **{n: e.voice for n, e in cast.characters.items()}}
    assert len(set(voices.values())) == 4
    assert gender_of(voices["Carlos"]) == "male"
    assert gender_of(voices["Mila"]) == gender_of(voices["Sofia"]) == "female"
    segments = script.chapters[0].segments
    spanish = next(s for s in segments if s.language == "es")
    assert spanish.voice != voices["Mila"]
    assert spanish.voice.split("+")[1] == voices["Mila"].split("+")[1]  # same variant
    assert engine.language_variant(spanish.voice, "es") == spanish.voice  # a Spanish voice
    for seg in segments:
        if seg.language == "en":
            assert seg.voice == voices[seg.speaker or "narrator"]


def test_every_character_and_the_narrator_differ_in_a_big_cast(engine):
    rng = random.Random(7)
    people = [
        Character(f"Person {i:03d}", gender=rng.choice(["female", "male", None])) for i in range(60)
    ]
    lines = [(rng.choice(people).name, "Hello there.", "en") for _ in range(300)]
    script = make_script(lines, people)
    cast = make_cast(script, engine, None)
    settings = [(e.voice, e.pitch) for e in [cast.narrator, *cast.characters.values()]]
    assert len(set(settings)) == len(settings) == 61
    for person in people:
        if person.gender:
            assert gender_of(cast.characters[person.name].voice) == person.gender


def test_more_characters_than_voices_still_sound_different(engine):
    # Twice as many women as female voices (espeak-ng: 104, so 208 women; 400 cost 5x the time).
    count = 2 * len(engine.casting_pool("en", "female"))
    people = [Character(f"Woman {i:03d}", gender="female") for i in range(count)]
    script = make_script([(p.name, "Yes.", "en") for p in people], people)
    cast = make_cast(script, engine, None)
    settings = [(e.voice, e.pitch) for e in [cast.narrator, *cast.characters.values()]]
    assert len(set(settings)) == len(settings)


def test_the_same_book_gets_the_same_cast_whatever_the_order(engine):
    script = mila_story()
    first = make_cast(script, engine, None)
    shuffled = mila_story()
    shuffled.roster.characters.reverse()
    second = make_cast(shuffled, engine, None)
    assert {n: e.voice for n, e in first.characters.items()} == {
        n: e.voice for n, e in second.characters.items()
    }
    assert first.narrator.voice == second.narrator.voice


def test_who_speaks_most_is_cast_first(engine):
    script = mila_story()
    cast = make_cast(script, engine, None)
    assert list(cast.characters) == ["Mila", "Carlos", "Sofia"]  # 3 lines, then 1 each by name
    female_pool = engine.casting_pool("en", "female")
    # The lead gets the first free female voice; the minor one a later one.
    assert female_pool.index(cast.characters["Mila"].voice) < female_pool.index(
        cast.characters["Sofia"].voice
    )


@pytest.mark.slow
def test_unknown_genders_get_one_voice_between_male_and_female(engine, tmp_path):
    people = [Character(name) for name in ("Alex", "Blake", "Casey", "Drew")]
    script = make_script([(p.name, "Hi.", "en") for p in people], people)
    cast = make_cast(script, engine, None)
    settings = [(cast.characters[p.name].voice, cast.characters[p.name].pitch) for p in people]
    assert len(set(settings)) == 4
    # One pool, never a coin toss between pools: a light man's voice, never a woman's
    # variant (a speaker the book never gives a gender is nearly always a man).
    assert {gender_of(voice) for voice, _ in settings} == {"male"}
    # The same choice every time, whatever else is in the book: no coin toss.
    again = make_cast(make_script([("Alex", "Hi.", "en")], people[:1]), engine, None)
    assert again.characters["Alex"].voice == cast.characters["Alex"].voice
    # Heard: a median pitch where a man's and a woman's voice overlap.
    entry = cast.characters["Alex"]
    path = tmp_path / "alex.wav"
    engine.render(SENTENCE, VoiceSettings(entry.voice, None, entry.pitch), path)
    assert 120 <= median_pitch_hz(pcm(path)) <= 190


def test_a_character_without_a_line_gets_no_voice(engine):
    people = [Character("Ann", gender="female"), Character("Bob", gender="male")]
    script = make_script([("Ann", "Hi.", "en")], people)
    cast = make_cast(script, engine, None)
    assert cast.characters["Ann"].voice and cast.characters["Bob"].voice == ""
    assert make_cast(script, engine, None, voice_silent=True).characters["Bob"].voice


@pytest.mark.slow
def test_people_who_talk_to_each_other_sound_apart(engine, tmp_path):
    """Four men in conversation and a narrator: every pair that talks differs by 2+ semitones."""
    men = [Character(n, gender="male") for n in ("Joe", "Pip", "Pumblechook", "Wopsle")]
    lines = []
    for a, b in [("Joe", "Pip"), ("Pip", "Pumblechook"), ("Joe", "Wopsle"), ("Joe", "Pip")] * 5:
        lines += [(a, "Well, old chap.", "en"), (None, "he said.", "en"), (b, "Yes.", "en")]
    script = make_script(lines, men)
    cast = make_cast(script, engine, None)
    heard = {}
    for entry in [cast.narrator, *cast.characters.values()]:
        path = tmp_path / f"{entry.name}.wav"
        engine.render(SENTENCE, VoiceSettings(entry.voice, None, entry.pitch), path)
        heard[entry.name] = median_pitch_hz(pcm(path))
    pairs = [("Joe", "Pip"), ("Pip", "Pumblechook"), ("Joe", "Wopsle")]
    pairs += [(NARRATOR, m.name) for m in men]
    for a, b in pairs:
        assert abs(12 * math.log2(heard[a] / heard[b])) >= 2.0, (a, b, heard)
    rows = {r.name: r for r in describe_cast(script, cast, engine)}
    assert rows["Joe"].nearest in rows and rows["Joe"].apart is not None


@pytest.mark.slow
@pytest.mark.parametrize("voice,pitch", [("en-us+m3", 50), ("en-gb+f2", 70), ("en-us+m8", 30)])
def test_the_pitch_casting_expects_is_the_pitch_heard(engine, tmp_path, voice, pitch):
    path = tmp_path / "v.wav"
    engine.render(SENTENCE, VoiceSettings(voice, None, pitch), path)
    heard = median_pitch_hz(pcm(path))
    assert abs(12 * math.log2(heard / engine.pitch_hz(voice, pitch))) < 1.0


def test_a_cast_file_overrides_any_choice(engine):
    script = mila_story()
    automatic = make_cast(script, engine, None)
    taken = automatic.characters["Sofia"].voice  # give Sofia's automatic voice to Mila
    file_cast = Cast(
        CastEntry(NARRATOR, "en-gb+m3", rate=150, from_file=True),
        {
            "Mila": CastEntry("Mila", taken, "female", ["Miss Arias"], pitch=70, from_file=True),
            "Carlos": CastEntry("Carlos", "", "female", from_file=True),
            "Kamila Cara": CastEntry("Kamila Cara", "", "female", from_file=True),
        },
    )
    cast = make_cast(script, engine, file_cast)
    assert cast.narrator.voice == "en-gb+m3" and cast.narrator.rate == 150
    assert cast.characters["Mila"].voice == taken and cast.characters["Mila"].pitch == 70
    assert cast.characters["Mila"].aliases == ["Miss Arias"]
    assert gender_of(cast.characters["Carlos"].voice) == "female"  # the file's gender wins
    assert "Kamila Cara" in cast.characters  # listed, even without a line
    voices = [e.voice for e in [cast.narrator, *cast.characters.values()] if e.voice]
    assert len(set(voices)) == len(voices)  # automatic picks avoid the file's voices


def test_a_narrator_gender_picks_from_that_pool(engine):
    file_cast = Cast(CastEntry(NARRATOR, "", "female", from_file=True), {})
    cast = make_cast(mila_story(), engine, file_cast)
    assert gender_of(cast.narrator.voice) == "female"
    voices = [e.voice for e in [cast.narrator, *cast.characters.values()]]
    assert len(set(voices)) == len(voices)


def test_voice_settings_keep_rate_and_pitch_in_another_language(engine):
    script = mila_story()
    file_cast = Cast(
        CastEntry(NARRATOR, "", from_file=True),
        {"Mila": CastEntry("Mila", "en-us+f3", "female", rate=150, pitch=65, from_file=True)},
    )
    cast = make_cast(script, engine, file_cast)
    assign_voices(script, cast, engine)
    spanish = next(s for s in script.chapters[0].segments if s.language == "es")
    assert voice_settings(cast, spanish) == VoiceSettings("es+f3", 150, 65)
    # ...and that is what the build renders: the clip of that segment.
    clips = make_clips(script, cast, None)
    index = script.chapters[0].segments.index(spanish)
    assert next(c for c in clips if c.segment == index).settings == VoiceSettings("es+f3", 150, 65)


def test_a_spanish_book_is_cast_in_spanish_voices(engine):
    people = [Character("Lucía", gender="female"), Character("Mateo", gender="male")]
    script = make_script(
        [("Lucía", "¿Dónde estás?", "es"), ("Mateo", "Aquí.", "es"), (None, "Dijo él.", "es")],
        people,
        main="es",
    )
    cast = make_cast(script, engine, None)
    assign_voices(script, cast, engine)
    for entry in [cast.narrator, *cast.characters.values()]:
        assert engine.language_variant(entry.voice, "es") == entry.voice


def test_the_first_person_narrator_speaks_in_the_narrators_voice(engine):
    people = [Character("Ann", gender="female")]
    script = make_script(
        [(None, "I looked up.", "en"), (NARRATOR, "Hello,", "en"), ("Ann", "Hi.", "en")], people
    )
    cast = make_cast(script, engine, None)
    assign_voices(script, cast, engine)
    segs = script.chapters[0].segments
    assert segs[1].voice == cast.narrator.voice != segs[2].voice
    rows = {row.name: row for row in describe_cast(script, cast)}
    assert rows[NARRATOR].lines == 2 and rows["Ann"].lines == 1  # narration counts for it
    assert rows["Ann"].languages == ["en"]


def test_a_character_never_heard_gets_no_voice_and_no_row(engine):
    people = [Character("Ann", gender="female"), Character("Bob", gender="male")]
    script = make_script([(None, "Ann met Bob.", "en"), ("Ann", "Hello.", "en")], people)
    cast = make_cast(script, engine, None)
    assert cast.characters["Bob"].voice == "" and cast.characters["Ann"].voice
    assert [row.name for row in describe_cast(script, cast)] == [NARRATOR, "Ann"]
    # A cast file that lists Bob keeps his row: its author named him.
    listed = Cast(CastEntry(NARRATOR, ""), {"Bob": CastEntry("Bob", "", "male", from_file=True)})
    cast = make_cast(script, engine, listed)
    assert "Bob" in [row.name for row in describe_cast(script, cast)]


def narrated(text: str) -> Script:
    """A script whose roster is built from ``text``: a narration line and one of the narrator's."""
    r = roster.build_roster(text, find_quotes(text), None)
    segments = [
        Segment("narration", "I walked to the mill.", 0, 21),
        Segment("dialogue", "I know", 22, 28, speaker=NARRATOR),
    ]
    return Script([ChapterScript(Chapter("One", "book.txt", 0, 28), segments)], r, "en")


def test_a_woman_who_tells_her_story_is_read_in_a_woman_s_voice(engine):
    cast = make_cast(narrated(SHE_TELLS), engine, None)
    assert cast.narrator.gender == "female"
    assert gender_of(cast.narrator.voice) == "female"
    # A man, or a narrator nobody describes, keeps the narrator's default: a man's voice,
    # the same one as before any of this was known.
    default = make_cast(narrated(NOBODY_SAYS), engine, None).narrator.voice
    assert gender_of(default) == "male"
    assert make_cast(narrated(HE_TELLS), engine, None).narrator.voice == default
    # A cast file's narrator wins over what the book says.
    file_cast = Cast(CastEntry(NARRATOR, "", "male", from_file=True), {})
    assert gender_of(make_cast(narrated(SHE_TELLS), engine, file_cast).narrator.voice) == "male"


def test_a_third_person_book_keeps_the_narrator_s_default(engine):
    people = [Character("Mary", gender="female")]
    script = narrated(THIRD_PERSON)
    script.roster.characters = people
    assert gender_of(make_cast(script, engine, None).narrator.voice) == "male"


@pytest.mark.slow
def test_the_woman_narrator_is_heard_at_a_woman_s_pitch(engine, tmp_path):
    heard = {}
    for name, text in (("her", SHE_TELLS), ("default", NOBODY_SAYS)):
        narrator = make_cast(narrated(text), engine, None).narrator
        path = tmp_path / f"{name}.wav"
        engine.render(
            "I was a girl of twelve when we came to the mill.",
            VoiceSettings(narrator.voice, None, narrator.pitch),
            path,
        )
        heard[name] = median_pitch_hz(pcm(path))
    # espeak's women's variants speak at 143-286 Hz, its men's at 73-131 Hz.
    assert heard["her"] >= 150
    assert heard["default"] <= 135
