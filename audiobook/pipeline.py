"""The manuscript half of the pipeline, end to end: files in, a cast script out.

manuscript -> chapters -> quotes -> roster -> attributions -> segments
-> languages -> cast -> voices. Every stage is a function of its own module;
this module only wires them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook.audio.engines import DEFAULT_ENGINE, Engine, get_engine
from audiobook.errors import InputError
from audiobook.frontcache import FrontCache
from audiobook.model import Cast, ChapterScript, Character, Document, Roster, Script


@dataclass
class Prepared:
    script: Script
    cast: Cast
    documents: list[Document]
    lexicon: object | None = None  # lexicon.Lexicon
    engine_name: str = DEFAULT_ENGINE
    tts: Engine | None = None  # the checked engine instance the cast was made for
    warnings: list[str] = field(default_factory=list)  # for the CLI to show; never fatal
    file_cast: Cast | None = None  # the cast file as written, before automatic choices


def prepare(
    inputs: list[Path],
    cast_file: Path | None = None,
    encoding: str | None = None,
    engine: str = DEFAULT_ENGINE,
    memo: FrontCache | None = None,
) -> Prepared:
    """The cast script of ``inputs``; with ``memo``, results of an identical earlier run
    (and the languages of spans seen before) are reused instead of computed again."""
    from audiobook.speakers import castfile
    from audiobook.text import reader

    tts = get_engine(engine)
    file_cast = castfile.load_cast_file(cast_file, tts) if cast_file else None
    documents = reader.read_inputs(inputs, encoding)
    if not any(doc.text.strip() for doc in documents):
        names = ", ".join(doc.path for doc in documents)
        raise InputError(f"no text to read in {names}: the input is empty")
    if memo is None:
        return _prepare(documents, cast_file, file_cast, tts, engine, None)
    cast_bytes = cast_file.read_bytes() if cast_file else None
    key = memo.key(documents, cast_bytes, encoding, engine, tts.version())
    hit = memo.load(key)
    if hit is not None:
        script, cast, warnings = hit
        return Prepared(
            script, cast, documents, _lexicon(cast), engine, tts, warnings, file_cast=file_cast
        )
    prepared = _prepare(documents, cast_file, file_cast, tts, engine, memo)
    memo.store(key, (prepared.script, prepared.cast, prepared.warnings))
    memo.save()
    return prepared


def _prepare(documents, cast_file, file_cast, tts, engine, memo) -> Prepared:
    # Stage modules load here, not at import: `audiobook --help` stays instant.
    from audiobook.speakers import attribution, lines, roster
    from audiobook.text import chapters, language, quotes, segments

    chapter_scripts: list[ChapterScript] = []
    overrides = lines.Overrides(file_cast.lines if file_cast else {})
    found_quotes = [quotes.find_quotes(doc.text) for doc in documents]
    line_ids = lines.line_ids([(d.text, q) for d, q in zip(documents, found_quotes, strict=True)])
    attributed: dict[str, str | None] = {}  # line id -> speaker before any override
    # One roster for the whole book, however many files it comes in.
    cast_roster = roster.build_book_roster(
        [(d.text, q) for d, q in zip(documents, found_quotes, strict=True)], file_cast
    )
    for doc, found, ids in zip(documents, found_quotes, line_ids, strict=True):
        said = attribution.attribute(doc.text, found, cast_roster)
        for index, line in ids.items():
            attributed.setdefault(line, said[index].speaker)
        said = lines.apply_overrides(said, ids, overrides, file_cast, cast_roster)
        speakers = dict(enumerate(said))
        for chapter in chapters.split_chapters(doc):
            if not chapter.title:
                chapter = replace(chapter, title=f"Chapter {len(chapter_scripts) + 1}")
            segs = segments.segment_chapter(doc, chapter, found, speakers, ids)
            chapter_scripts.append(ChapterScript(chapter, segs))
    all_text = "\n\n".join(d.text for d in documents)
    main = language.main_language(all_text)
    every_segment = [s for c in chapter_scripts for s in c.segments]
    language.detect_languages(every_segment, main, tts.supported_languages(), memo)
    script = Script(chapter_scripts, cast_roster, main)
    # Voices are cast from the script as attributed: fixing a line moves that line
    # to another voice, never the rest of the cast around (only its clips re-render).
    view, also = lines.casting_view(script, attributed)
    prepared = _finish(script, file_cast, documents, tts, engine, cast_from=view, also=also)
    prepared.warnings += [
        f"{cast_file}: [lines] {line!r} names no line of this book (the text around it "
        "changed?); remove it or fix it with `audiobook studio`"
        for line in overrides.stale()
    ]
    return prepared


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
    cast_from: Script | None = None,
    also: frozenset[str] = frozenset(),
) -> Prepared:
    """Cast (from ``cast_from`` when given, else ``script``) and voice ``script``."""
    from audiobook.speakers import casting

    cast = casting.make_cast(cast_from or script, tts, file_cast, voice_silent, also)
    casting.assign_voices(script, cast, tts)
    return Prepared(script, cast, documents, _lexicon(cast), engine, tts, file_cast=file_cast)


def _lexicon(cast: Cast):
    if not cast.lexicon:
        return None
    from audiobook.text.lexicon import Lexicon

    return Lexicon.load(Path(cast.lexicon))
