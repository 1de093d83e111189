"""The manuscript half of the pipeline, end to end: files in, a cast script out.

manuscript -> chapters -> quotes -> roster -> attributions -> segments
-> languages -> cast -> voices. Every stage is a function of its own module;
this module only wires them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.audio.engines import DEFAULT_ENGINE, Engine, get_engine
from audiobook.errors import InputError
from audiobook.frontcache import FrontCache
from audiobook.model import (
    BookInfo,
    Cast,
    ChapterScript,
    Character,
    Document,
    Manuscript,
    Roster,
    Script,
    Segment,
)

if TYPE_CHECKING:
    from audiobook.text.lexicon import Lexicon


@dataclass
class Prepared:
    script: Script
    cast: Cast
    documents: list[Document]
    lexicon: Lexicon | None = None
    engine_name: str = DEFAULT_ENGINE
    tts: Engine | None = None  # the checked engine instance the cast was made for
    warnings: list[str] = field(default_factory=list)  # for the CLI to show; never fatal
    file_cast: Cast | None = None  # the cast file as written, before automatic choices
    info: BookInfo = field(default_factory=BookInfo)  # title, author, cover... for the tags
    memo: FrontCache | None = None  # what the build may remember between runs, if anything


@dataclass
class Request:
    """What ``prepare`` reads before any work: the manuscript, the cast file, the engine,
    and (with a memo) the key of the result, which names everything the result depends on."""

    book: Manuscript
    info: BookInfo
    tts: Engine
    engine: str
    cast_file: Path | None
    file_cast: Cast | None
    credits: bool
    memo: FrontCache | None = None
    key: str | None = None  # the memo's key for this exact input (None without a memo)
    version: str = ""  # the engine's version, as the key holds it


def read_request(
    inputs: list[Path],
    cast_file: Path | None = None,
    encoding: str | None = None,
    engine: str = DEFAULT_ENGINE,
    memo: FrontCache | None = None,
    include: frozenset[str] = frozenset(),
    credits: bool = True,
    info_overrides: BookInfo | None = None,
) -> Request:
    """Read the inputs and the cast file and check the engine; nothing is computed yet."""
    from audiobook.speakers import castfile
    from audiobook.text import bookinfo, sources

    tts = get_engine(engine)
    file_cast = castfile.load_cast_file(cast_file, tts) if cast_file else None
    book = sources.read_manuscript(inputs, encoding, include)
    documents = book.documents
    if not any(doc.text.strip() for doc in documents):
        names = ", ".join(doc.path for doc in documents)
        raise InputError(f"no text to read in {names}: the input is empty")
    info = bookinfo.resolve(inputs, book.info, info_overrides)
    request = Request(book, info, tts, engine, cast_file, file_cast, credits, memo)
    if memo is not None:
        cast_bytes = cast_file.read_bytes() if cast_file else None
        # What is read and what the credits say are part of the result too.
        variant = (engine, sorted(include), credits, repr(replace(info, cover=None)))
        request.version = tts.version()
        # Casting chooses from the engine's voices, and the cast file may name voices that
        # are files: one added, removed or replaced is a different book.
        named = sorted(file_cast.voices()) if file_cast else []
        voices = [tts.voices_stamp(), *(f"{v}={tts.voice_stamp(v)}" for v in named)]
        request.key = memo.key(
            documents, cast_bytes, encoding, repr(variant), f"{request.version} {voices}"
        )
    return request


def prepare(
    inputs: list[Path],
    cast_file: Path | None = None,
    encoding: str | None = None,
    engine: str = DEFAULT_ENGINE,
    memo: FrontCache | None = None,
    include: frozenset[str] = frozenset(),
    credits: bool = True,
    info_overrides: BookInfo | None = None,
) -> Prepared:
    """The cast script of ``inputs``; with ``memo``, results of an identical earlier run
    (and the languages of spans seen before) are reused instead of computed again.

    ``include`` puts front and/or back matter back in; ``credits`` adds the opening
    and closing credits; ``info_overrides`` (options such as --title) win over
    book.toml, which wins over what the book says of itself (EPUB metadata, title page).
    """
    request = read_request(
        inputs, cast_file, encoding, engine, memo, include, credits, info_overrides
    )
    return prepare_request(request)


def prepare_request(request: Request) -> Prepared:
    """``prepare`` for inputs already read."""
    memo, key = request.memo, request.key
    if memo is None or key is None:
        return _prepare(request, None)
    hit = memo.load(key)
    if hit is not None:
        script, cast, warnings = hit
        return Prepared(
            script,
            cast,
            request.book.documents,
            _lexicon(cast),
            request.engine,
            request.tts,
            warnings,
            file_cast=request.file_cast,
            info=request.info,
            memo=memo,
        )
    prepared = _prepare(request, memo)
    memo.store(key, (prepared.script, prepared.cast, prepared.warnings))
    memo.save()
    prepared.memo = memo
    return prepared


def _prepare(request: Request, memo: FrontCache | None) -> Prepared:
    # Stage modules load here, not at import: `audiobook --help` stays instant.
    from audiobook.speakers import attribution, lines, roster
    from audiobook.text import bookinfo, language, quotes, segments
    from audiobook.text.apostrophes import plain_apostrophes

    book, info, file_cast, tts = request.book, request.info, request.file_cast, request.tts
    documents = book.documents
    by_path = {doc.path: doc for doc in documents}
    # Only documents with chapters are read: no names from a licence or a skipped page.
    read_docs = [
        by_path[path]
        for path in dict.fromkeys(p.source for pieces in book.chapters for p in pieces)
    ]
    read: dict[str, tuple[list, dict, dict]] = {}
    overrides = lines.Overrides(file_cast.lines if file_cast else {})
    found_quotes = [quotes.find_quotes(doc.text) for doc in read_docs]
    line_ids = lines.line_ids([(d.text, q) for d, q in zip(read_docs, found_quotes, strict=True)])
    attributed: dict[str, str | None] = {}  # line id -> speaker before any override
    # Names and tags are read with straight apostrophes: one copy of each file, for the
    # roster and the attribution both.
    plains = [plain_apostrophes(d.text) for d in read_docs]
    # One roster for the whole book, however many files it comes in.
    cast_roster = roster.build_book_roster(
        [(d.text, q) for d, q in zip(read_docs, found_quotes, strict=True)], file_cast, plains
    )
    for doc, plain, found, ids in zip(read_docs, plains, found_quotes, line_ids, strict=True):
        said = attribution.attribute(doc.text, found, cast_roster, plain)
        for index, line in ids.items():
            attributed.setdefault(line, said[index].speaker)
        said = lines.apply_overrides(said, ids, overrides, file_cast, cast_roster)
        read[doc.path] = (found, dict(enumerate(said)), ids)
    chapter_scripts = [_chapter_script(pieces, by_path, read, segments) for pieces in book.chapters]
    for n, chapter_script in enumerate(chapter_scripts, 1):
        if not chapter_script.chapter.title:
            chapter_script.chapter = replace(chapter_script.chapter, title=f"Chapter {n}")
    all_text = "\n\n".join(d.text for d in read_docs)
    main = language.main_language(all_text or documents[0].text)
    every_segment = [s for c in chapter_scripts for s in c.segments]
    supported = tts.supported_languages()
    language.detect_languages(every_segment, main, supported, memo)
    _language_hints(chapter_scripts, book.languages, supported)
    script = Script(chapter_scripts, cast_roster, main, book.skipped)
    # Voices are cast from the script as attributed: fixing a line moves that line
    # to another voice, never the rest of the cast around (only its clips re-render).
    view, also = lines.casting_view(script, attributed)
    prepared = _finish(script, file_cast, documents, tts, request.engine, cast_from=view, also=also)
    prepared.info = info
    if request.credits and chapter_scripts:
        # After casting: the credits are the narrator's, and weigh in no casting choice.
        from audiobook.speakers import casting

        bookinfo.add_credits(chapter_scripts, info, main)
        casting.assign_voices(script, prepared.cast, tts)
    prepared.warnings += [
        f"{request.cast_file}: [lines] {line!r} names no line of this book (the text around it "
        "changed?); remove it or fix it with `audiobook studio`"
        for line in overrides.stale()
    ]
    return prepared


def _chapter_script(pieces, by_path, read, segments) -> ChapterScript:
    """One chapter from its pieces: an EPUB chapter may run over several files."""
    segs: list[Segment] = []
    for k, piece in enumerate(pieces):
        doc = by_path[piece.source]
        found, speakers, ids = read[doc.path]
        part = segments.segment_chapter(doc, piece, found, speakers, ids)
        if k and part:
            part[0].boundary = "paragraph"  # the same chapter, in the next file
            for seg in part:
                seg.source = piece.source
        segs.extend(part)
    chapter = pieces[0]
    # An EPUB chapter is announced as its TOC names it, in place of its heading block.
    headed = next((p for p in pieces if p.heading), None)
    if headed is not None and headed.heading and "#" in headed.source:
        for seg in segs:
            if (seg.source or chapter.source) == headed.source and seg.start == headed.heading[0]:
                seg.text = chapter.title
                break
    return ChapterScript(chapter, segs)


def _language_hints(
    chapters: list[ChapterScript], spans: dict[str, list[tuple[int, int, str]]], supported: set[str]
) -> None:
    """An element's own ``lang`` (an EPUB's <i lang="fr">) is the language of what it holds."""
    if not any(spans.values()):
        return
    for chapter in chapters:
        for seg in chapter.segments:
            found = spans.get(seg.source or chapter.chapter.source)
            for start, end, lang in found or ():
                inside = min(end, seg.end) - max(start, seg.start)
                if inside * 2 >= seg.end - seg.start and lang in supported:
                    seg.language = lang
                    break


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


def _lexicon(cast: Cast) -> Lexicon | None:
    if not cast.lexicon:
        return None
    from audiobook.text.lexicon import Lexicon

    return Lexicon.load(Path(cast.lexicon))
