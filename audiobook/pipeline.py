"""The manuscript half of the pipeline, end to end: files in, a cast script out.

manuscript -> chapters -> quotes -> roster -> attributions -> segments
-> languages -> cast -> voices. Every stage is a function of its own module;
this module only wires them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from audiobook.audio.engines import DEFAULT_ENGINE, Engine, get_engine
from audiobook.errors import InputError
from audiobook.model import Cast, ChapterScript, Character, Document, Roster, Script


@dataclass
class Prepared:
    script: Script
    cast: Cast
    documents: list[Document]
    lexicon: object | None = None  # lexicon.Lexicon
    engine_name: str = DEFAULT_ENGINE
    tts: Engine | None = None  # the checked engine instance the cast was made for


def prepare(
    inputs: list[Path],
    cast_file: Path | None = None,
    encoding: str | None = None,
    engine: str = DEFAULT_ENGINE,
) -> Prepared:
    # Stage modules load here, not at import: `audiobook --help` stays instant.
    from audiobook.speakers import attribution, castfile, roster
    from audiobook.text import chapters, language, quotes, reader, segments

    tts = get_engine(engine)
    file_cast = castfile.load_cast_file(cast_file, tts) if cast_file else None
    documents = reader.read_inputs(inputs, encoding)
    if not any(doc.text.strip() for doc in documents):
        names = ", ".join(doc.path for doc in documents)
        raise InputError(f"no text to read in {names}: the input is empty")
    chapter_scripts: list[ChapterScript] = []
    merged = Roster()
    for doc in documents:
        found = quotes.find_quotes(doc.text)
        cast_roster = roster.build_roster(doc.text, found, file_cast)
        said = attribution.attribute(doc.text, found, cast_roster)
        speakers = dict(enumerate(said))
        for chapter in chapters.split_chapters(doc):
            if not chapter.title:
                chapter = replace(chapter, title=f"Chapter {len(chapter_scripts) + 1}")
            segs = segments.segment_chapter(doc, chapter, found, speakers)
            chapter_scripts.append(ChapterScript(chapter, segs))
        _merge_roster(merged, cast_roster)
    all_text = "\n\n".join(d.text for d in documents)
    main = language.main_language(all_text)
    every_segment = [s for c in chapter_scripts for s in c.segments]
    language.detect_languages(every_segment, main, tts.supported_languages())
    return _finish(Script(chapter_scripts, merged, main), file_cast, documents, tts, engine)


def prepare_from_cast(
    cast_file: Path | None, engine: str = DEFAULT_ENGINE, main_language: str = "en"
) -> Prepared:
    """A cast without a manuscript: the cast file's characters, nothing to read.

    For `audiobook preview --text`, which speaks a given line in a character's voice.
    """
    from audiobook.speakers import castfile

    tts = get_engine(engine)
    file_cast = castfile.load_cast_file(cast_file, tts) if cast_file else None
    people = [
        Character(e.name, list(e.aliases), e.gender, from_cast=True)
        for e in (file_cast.characters.values() if file_cast else ())
    ]
    script = Script([], Roster(people), main_language)
    return _finish(script, file_cast, [], tts, engine, voice_silent=True)


def _finish(
    script: Script,
    file_cast: Cast | None,
    documents: list[Document],
    tts: Engine,
    engine: str,
    voice_silent: bool = False,
) -> Prepared:
    from audiobook.speakers import casting

    cast = casting.make_cast(script, tts, file_cast, voice_silent)
    casting.assign_voices(script, cast, tts)
    lex = None
    if cast.lexicon:
        from audiobook.text.lexicon import Lexicon

        lex = Lexicon.load(Path(cast.lexicon))
    return Prepared(script, cast, documents, lex, engine, tts)


def _merge_roster(into: Roster, other: Roster) -> None:
    """Characters of several files are one cast: same name, same character."""
    for character in other.characters:
        known = into.get(character.name)
        if known is None:
            into.characters.append(character)
        else:
            known.mentions += character.mentions
            known.aliases = sorted(set(known.aliases) | set(character.aliases))
            known.gender = known.gender or character.gender
    into.first_person = into.first_person or other.first_person
