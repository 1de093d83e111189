"""The typed model the pipeline stages pass along.

manuscript (Document) -> chapters (Chapter) -> quotes (Quote) -> attributions
-> segments (Segment) -> cast (Cast) -> clips (Clip) -> chapter files.

Every offset is a Python ``str`` index into ``Document.text`` (the decoded
source file), end exclusive, so a segment can always be traced back to the
exact characters of the manuscript it speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["narration", "dialogue"]
Gender = Literal["female", "male"]
# Where a segment sits relative to the previous one; drives the pause length.
Boundary = Literal["none", "sentence", "paragraph", "scene", "chapter"]


@dataclass(frozen=True)
class Document:
    """One input file, decoded."""

    path: str  # as given by the user (shown in `source`)
    text: str


@dataclass(frozen=True)
class Chapter:
    title: str
    source: str  # Document.path
    start: int  # offsets of the chapter body (heading included) in the document
    end: int
    heading: tuple[int, int] | None = None  # span of the heading line, if any


@dataclass(frozen=True)
class Skipped:
    """Front or back matter left out of the reading (put back with ``--include``)."""

    title: str
    source: str
    start: int
    end: int
    kind: str  # "front" | "back"
    reason: str  # "contents", "Project Gutenberg licence", "title page", ...


ImageKind = Literal["jpeg", "png", "svg"]


def image_kind(data: bytes) -> ImageKind | None:
    """What a cover's bytes are, by their signature (an SVG by its root element)."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "svg"
    return None


@dataclass
class BookInfo:
    """What the book says about itself (EPUB metadata, a title page, book.toml)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    narrator: str | None = None
    language: str | None = None
    series: str | None = None
    series_index: str | None = None
    description: str | None = None
    publisher: str | None = None
    date: str | None = None
    cover: bytes | None = None  # JPEG, PNG or SVG data (see image_kind)

    @property
    def author(self) -> str | None:
        return " & ".join(self.authors) or None


@dataclass
class Manuscript:
    """Everything read from the input: documents, chapters in reading order, matter left out.

    A chapter is one piece per document it spans (an EPUB chapter may run over
    several files); plain text chapters are one piece each.
    """

    documents: list[Document]
    chapters: list[list[Chapter]]
    skipped: list[Skipped] = field(default_factory=list)
    info: BookInfo = field(default_factory=BookInfo)
    # Spans an element's own ``lang`` names: document path -> (start, end, ISO 639-1).
    languages: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """A quoted span of the document.

    ``start``/``end`` cover the content without the quotation marks;
    ``outer_start``/``outer_end`` include them. A quote broken by a speech tag
    ("Well," said he, "I suppose.") is two Quote objects that share a ``group``.
    A multi-paragraph quote is one Quote per paragraph, also sharing a group.
    """

    start: int
    end: int
    outer_start: int
    outer_end: int
    paragraph: int  # index of the paragraph (blank-line or indent separated) it sits in
    group: int  # quotes of one utterance share a group id
    is_speech: bool = True  # False for titles, scare quotes, quoted words


@dataclass
class Character:
    name: str  # canonical name: the cast file's key when a cast is given
    aliases: list[str] = field(default_factory=list)
    gender: Gender | None = None
    mentions: int = 0
    from_cast: bool = False
    # Brought in by a description just before a pronoun tag of theirs ("A tall old woman
    # came out. '...,' she said"): known to attribution by that tag alone, never by the
    # description wherever else it stands (newcomers.py).
    newcomer: bool = False


@dataclass
class Roster:
    characters: list[Character] = field(default_factory=list)
    # The first-person narrator speaks as the narrator, never as "I".
    first_person: bool = False
    # What the book says the first-person narrator is (narrator_gender.py), for their voice.
    narrator_gender: Gender | None = None

    def get(self, name: str) -> Character | None:
        for c in self.characters:
            if c.name == name:
                return c
        return None


@dataclass(frozen=True)
class Attribution:
    speaker: str | None  # Character.name, or NARRATOR for a first-person narrator
    rule: str  # which sieve rule decided, for `script --explain`
    addressee: str | None = None
    # How sure, in [0, 1]: the measured accuracy of the rule in its situation on the dev
    # sets (bench/score_devsets.py reports accuracy per band); an override is 1.0.
    confidence: float | None = None


NARRATOR = "narrator"
# Attributions below this confidence are worth a listen before publishing.
LOW_CONFIDENCE = 0.5


@dataclass
class Segment:
    kind: Kind
    text: str  # what is spoken
    start: int
    end: int
    speaker: str | None = None
    language: str = "en"
    voice: str = ""
    boundary: Boundary = "sentence"  # pause before this segment
    rule: str | None = None  # attribution rule, dialogue only
    line: str | None = None  # stable id of the quotation, dialogue only
    confidence: float | None = None  # how sure the attribution is, dialogue only
    # The document the offsets index when it is not the chapter's own (the rest of an
    # EPUB chapter that runs over several files, or generated credits).
    source: str | None = None


@dataclass
class ChapterScript:
    chapter: Chapter
    segments: list[Segment]


@dataclass
class Script:
    chapters: list[ChapterScript]
    roster: Roster
    main_language: str = "en"
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers."""

    id: str
    name: str
    language: str  # ISO 639-1 where the engine says; else its own tag
    gender: Gender | None = None


@dataclass
class CastEntry:
    name: str  # "narrator" or a character name
    voice: str  # voice id in the main language
    gender: Gender | None = None
    aliases: list[str] = field(default_factory=list)
    rate: int | None = None  # words per minute; None = engine default
    pitch: int | None = None  # 0-100; None = engine default
    from_file: bool = False


@dataclass
class Cast:
    narrator: CastEntry
    characters: dict[str, CastEntry] = field(default_factory=dict)
    lexicon: str | None = None  # path of a pronunciation lexicon
    lines: dict[str, str] = field(default_factory=dict)  # line id -> speaker ([lines])
    pace: int | None = None  # words per minute of the finished book, pauses included

    def entry(self, speaker: str | None) -> CastEntry:
        if speaker is None or speaker == NARRATOR:
            return self.narrator
        return self.characters.get(speaker, self.narrator)

    def voices(self) -> set[str]:
        """The voice ids this cast names (a cast file's may leave some to casting: "")."""
        entries = [self.narrator, *self.characters.values()]
        return {e.voice for e in entries if e.voice}


@dataclass(frozen=True)
class VoiceSettings:
    """Everything that decides how a clip sounds; part of the cache key."""

    voice: str
    rate: int | None = None
    pitch: int | None = None


@dataclass(frozen=True)
class Clip:
    """One unit of synthesis: a segment's text (after the lexicon) in a voice."""

    text: str
    settings: VoiceSettings
    chapter: int
    segment: int
