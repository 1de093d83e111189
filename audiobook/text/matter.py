"""Front and back matter: what a listener does not want read aloud.

A book is cut into units (a chapter of a plain text, a TOC entry of an EPUB)
before this module decides, for each, whether it is the story or matter:
cover, title page, contents, list of illustrations, copyright and licence
pages (the Project Gutenberg header, licence and footer), dedication,
colophon, notes, bibliography and index. Matter is left out by default and
listed as skipped; ``include`` puts it back. Stray front text (a few lines
with no chapter heading before the first real chapter) is title-page text and
skipped, so no short file is made of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from audiobook.model import Chapter, Skipped

# Fewer words than this is no chapter of its own (a title page, a stray line).
MIN_WORDS = 60
# Fewer words than this is a bare title, never a file of its own.
HEADING_WORDS = 8
MatterKind = str  # "front" | "back"

_TITLE_RULES: list[tuple[re.Pattern[str], str, str | None]] = [
    (
        re.compile(r"^(?:table of )?contents?\b|^index of chapters|^brief contents", re.I),
        "contents",
        "front",
    ),
    (
        re.compile(r"^(?:list of )?(?:illustrations|plates|figures)\b", re.I),
        "illustrations",
        "front",
    ),
    (re.compile(r"licen[cs]e\b", re.I), "licence", None),
    (re.compile(r"^(?:the )?(?:full )?project gutenberg", re.I), "Project Gutenberg text", None),
    (re.compile(r"^uncopyright|^copyright|^imprint|^colophon|^legal", re.I), "copyright", None),
    (re.compile(r"^dedication|^to my\b|^dedicated to", re.I), "dedication", "front"),
    (
        re.compile(r"^(?:half[- ]?)?title ?page|^titlepage|^half[- ]title", re.I),
        "title page",
        "front",
    ),
    (re.compile(r"^cover\b", re.I), "cover", "front"),
    (
        re.compile(
            r"^(?:original )?transcriber'?’?s? notes?|^editions?\b|^there are several editions",
            re.I,
        ),
        "transcriber's note",
        None,
    ),
    (re.compile(r"^(?:end ?notes|foot ?notes|notes)\b", re.I), "notes", "back"),
    (
        re.compile(r"^(?:bibliography|references|works cited|sources|further reading)\b", re.I),
        "bibliography",
        "back",
    ),
    (re.compile(r"^index\b", re.I), "index", "back"),
    (
        re.compile(r"^(?:about the (?:author|publisher)|also by|other books by)\b", re.I),
        "about the author",
        "back",
    ),
]
_TYPE_REASONS = {
    "cover": "cover",
    "titlepage": "title page",
    "halftitlepage": "title page",
    "title-page": "title page",
    "toc": "contents",
    "doc-toc": "contents",
    "loi": "illustrations",
    "lot": "contents",
    "landmarks": "contents",
    "copyright-page": "copyright",
    "imprint": "copyright",
    "dedication": "dedication",
    "doc-dedication": "dedication",
    "colophon": "colophon",
    "doc-colophon": "colophon",
    "uncopyright": "copyright",
    "bibliography": "bibliography",
    "doc-bibliography": "bibliography",
    "index": "index",
    "doc-index": "index",
    "endnotes": "notes",
    "rearnotes": "notes",
    "doc-endnotes": "notes",
    "glossary": "glossary",
}
_PG_START = re.compile(r"^\*{3} ?START OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*$", re.I | re.M)
_PG_END = re.compile(
    r"^(?:\*{3} ?END OF (?:THE|THIS) PROJECT GUTENBERG[^\n]*"
    r"|End of (?:the )?Project Gutenberg'?s? [^\n]*)$",
    re.I | re.M,
)
_PG_LICENCE = re.compile(r"START: FULL LICEN[CS]E|Project Gutenberg(?:-tm|™) License", re.I)
_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_LINE_ITEM = re.compile(
    r"^\s*(?:chapter|stave|book|part|letter|canto|section|[ivxlcdm]+\b|\d+\b)", re.I
)


@dataclass
class Unit:
    """A candidate chapter: its pieces (one per source document), before the decision."""

    title: str
    pieces: list[Chapter]
    text: str  # its text (for the rules), headings included
    body_words: int  # words outside its headings
    types: set[str] = field(default_factory=set)  # epub:type of its document(s)
    forced: tuple[str, MatterKind | None] | None = None  # (reason, kind) known from markup
    continues: bool = False  # joins the unit before (no heading of its own)
    headed: bool = False  # starts with a chapter heading ("Chapter 3"), however short


@dataclass
class Plan:
    chapters: list[list[Chapter]]
    titles: list[str]
    skipped: list[Skipped]


def gutenberg_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the book inside a Project Gutenberg file's header and licence."""
    start = _PG_START.search(text)
    end = _PG_END.search(text, start.end() if start else 0)
    if not start and not end:
        return None
    return (start.end() if start else 0, end.start() if end else len(text))


def classify(unit: Unit) -> tuple[str, MatterKind | None] | None:
    """(reason, kind) when the unit is matter; kind None when position decides."""
    if unit.forced:
        return unit.forced
    for kind in unit.types:
        if kind in _TYPE_REASONS:
            return _TYPE_REASONS[kind], None
    title = " ".join(unit.title.split())
    for pattern, reason, side in _TITLE_RULES:
        if pattern.search(title):
            return reason, side
    head = unit.text[:3000]
    if _PG_START.search(head) or "Project Gutenberg" in head[:400] and unit.body_words < 400:
        return "Project Gutenberg header", "front"
    if _PG_LICENCE.search(unit.text) and unit.body_words < 6000 and _mostly_licence(unit.text):
        return "Project Gutenberg licence", "back"
    if _contents_list(unit.text):
        return "contents", None
    return None


def plan(units: list[Unit], include: frozenset[str]) -> Plan:
    """Which units are chapters (joined where one continues another) and which are skipped."""
    verdicts = [classify(u) for u in units]
    story = [i for i, v in enumerate(verdicts) if v is None and units[i].body_words >= MIN_WORDS]
    first = story[0] if story else 0
    last = story[-1] if story else len(units) - 1
    chapters: list[list[Chapter]] = []
    titles: list[str] = []
    skipped: list[Skipped] = []
    carry: list[Chapter] = []
    for i, unit in enumerate(units):
        verdict = verdicts[i]
        side = "front" if i < first else "back" if i > last else None
        if verdict is None and side == "front" and unit.body_words < MIN_WORDS and not unit.headed:
            verdict = ("title page", "front")  # stray lines before the first chapter
        if verdict is not None:
            reason, kind = verdict
            kind = kind or side or ("front" if 2 * i < first + last else "back")
            if kind not in include:
                skipped.extend(
                    Skipped(unit.title or reason, p.source, p.start, p.end, kind, reason)
                    for p in unit.pieces
                )
                continue
        elif unit.continues and chapters:
            chapters[-1].extend(unit.pieces)
            continue
        if unit.body_words < HEADING_WORDS and not unit.headed:
            # A bare title line: read as text at the start of the next chapter, whose own
            # heading stays the one the narrator announces.
            carry.extend(replace(p, heading=None) for p in unit.pieces)
            continue
        chapters.append(carry + list(unit.pieces))
        titles.append(unit.title)
        carry = []
    if carry and chapters:
        chapters[-1].extend(carry)
    elif carry:
        chapters.append(carry)
        titles.append(carry[0].title)
    return Plan(chapters, titles, skipped)


# Two words or more ending a sentence: prose, never a contents entry.
_PROSE = re.compile(r"\w+[ \t]+[^\W\d_]{2,}[.!?\u2026]+[\"'\u201d\u2019)]*$")


def _contents_list(text: str) -> bool:
    """Most lines are short chapter names: a table of contents."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) < 4:
        return False
    is_item = [len(line) < 80 and bool(_LINE_ITEM.match(line)) for line in lines]
    items = sum(is_item)
    short = sum(1 for line in lines if len(line) < 60)
    if not (items >= 0.5 * len(lines) or (short >= 0.9 * len(lines) and items >= 3)):
        return False  # a chapter of prose: the prose test below is not needed (it is slow)
    # Lines of prose between the numerals ("I / She woke. / II / She ate.") are a very short
    # story, not a contents list: skipping it would lose the book's text.
    prose = sum(
        1 for line, item in zip(lines, is_item, strict=True) if not item and _PROSE.search(line)
    )
    return prose < max(1.0, 0.25 * len(lines))


def _mostly_licence(text: str) -> bool:
    found = _PG_LICENCE.search(text)
    return found is not None and found.start() < 0.5 * len(text) + 2000


def pretty_title(title: str) -> str:
    """An all-capitals title in title case ("STAVE ONE. MARLEY'S GHOST." -> "Stave One. ...")."""
    title = " ".join(title.split()).rstrip(".:")
    if not title or title != title.upper() or not any(c.isalpha() for c in title):
        return title
    words = []
    for word in title.split(" "):
        core = word.strip(".,:;!?()\"'\u2018\u2019\u201c\u201d")
        if re.fullmatch(r"[IVXLCDM]+", core) and core not in ("I", "MIX", "DIM", "MID", "LID"):
            words.append(word)
        else:
            words.append(word[:1] + word[1:].lower())
    return " ".join(words)
