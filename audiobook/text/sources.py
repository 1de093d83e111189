"""Every kind of input to one Manuscript: plain text, Markdown, EPUB, or `-` (stdin).

Plain text and Markdown are cut into chapters at their headings (chapters.py,
or ``#``/``##`` in Markdown); an EPUB by its table of contents (epub.py). All
of them then go through the same front and back matter decision (matter.py),
so a Project Gutenberg licence is skipped whatever the format.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from audiobook.errors import InputError
from audiobook.model import BookInfo, Chapter, Document, Manuscript
from audiobook.text import matter
from audiobook.text.chapters import split_chapters

STDIN = "-"
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
_ZIP = b"PK\x03\x04"
_BODY_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_PG_FIELD = re.compile(r"^(Title|Author):[ \t]*(\S[^\r\n]*)$", re.M)
_SENTENCE_END = re.compile(r"\.[\"'”’)]*$")
_BY = re.compile(r"^\s*by\s+(\S.{1,80}?)\s*$", re.I | re.M)


def read_manuscript(
    paths: list[Path], encoding: str | None = None, include: frozenset[str] = frozenset()
) -> Manuscript:
    """The book named by ``paths``: documents, chapters, skipped matter, what it says of itself."""
    from audiobook.text import reader

    _check_include(include)
    if not paths:
        raise InputError("no input given: name a .txt, .md or .epub file, or a folder of them")
    epubs = [p for p in paths if str(p) != STDIN and Path(p).suffix.lower() == ".epub"]
    if epubs:
        if len(paths) > 1:
            raise InputError("give one EPUB at a time (an EPUB is a whole book)")
        return _epub(
            Path(epubs[0]).read_bytes() if _readable(epubs[0]) else b"", str(epubs[0]), include
        )
    if any(str(p) == STDIN for p in paths):
        if len(paths) > 1:
            raise InputError("`-` (standard input) must be the only input")
        data = sys.stdin.buffer.read()
        if data.startswith(_ZIP):
            return _epub(data, STDIN, include)
        documents = [Document(STDIN, reader.decode_bytes(STDIN, data, encoding))]
    else:
        documents = reader.read_inputs(paths, encoding)
    return _plain(documents, include)


def _readable(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


def _epub(data: bytes, display: str, include: frozenset[str]) -> Manuscript:
    from audiobook.text.epub import read_epub

    if not data:
        raise InputError(f"{display} is empty or not a file: give an .epub file")
    return read_epub(data, display, include)


def _check_include(include: frozenset[str]) -> None:
    unknown = sorted(include - {"front", "back"})
    if unknown:
        raise InputError(f"--include takes front, back or both, not {', '.join(unknown)}")


def _plain(documents: list[Document], include: frozenset[str]) -> Manuscript:
    from audiobook.text.markdown import chapter_headings, markdown_text

    units: list[matter.Unit] = []
    read: list[Document] = []
    for doc in documents:
        if doc.path.lower().endswith((".md", ".markdown")):
            text = markdown_text(doc.text)
            # Headings inside code blocks were blanked with the code: not chapters.
            heads = [h for h in chapter_headings(doc.text) if text[h[0] : h[1]].strip()]
            doc = Document(doc.path, text)
            chapters = _markdown_chapters(doc, heads)
        else:
            chapters = split_chapters(doc)
        read.append(doc)
        units.extend(_text_units(doc, chapters))
    decided = matter.plan(units, include)
    chapters_out = [
        [Chapter(title, p.source, p.start, p.end, p.heading) for p in pieces]
        for pieces, title in zip(decided.chapters, decided.titles, strict=True)
    ]
    return Manuscript(read, chapters_out, decided.skipped, _text_info(read))


def _markdown_chapters(doc: Document, heads: list[tuple[int, int, str]]) -> list[Chapter]:
    if not heads:
        return split_chapters(doc)
    text = doc.text
    out = []
    if _BODY_WORD.search(text, 0, heads[0][0]):
        out.append(Chapter("Opening", doc.path, *_strip(text, 0, heads[0][0])))
    for i, (start, end, title) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        a, b = _strip(text, start, stop)
        out.append(Chapter(title, doc.path, a, max(b, end), (start, end)))
    return out


def _text_units(doc: Document, chapters: list[Chapter]) -> list[matter.Unit]:
    text = doc.text
    span = matter.gutenberg_span(text)
    lo, hi = span if span else (0, len(text))
    units = []
    if span and _BODY_WORD.search(text, 0, lo):
        units.append(_forced(doc, 0, lo, "Project Gutenberg header", "front"))
    for chapter in chapters:
        start, end = max(chapter.start, lo), min(chapter.end, hi)
        start, end = _strip(text, start, end)
        if start >= end or not _BODY_WORD.search(text, start, end):
            continue
        heading = chapter.heading if chapter.heading and chapter.heading[0] >= start else None
        body = len(_BODY_WORD.findall(text, start, end))
        if heading:
            body -= len(_BODY_WORD.findall(text, heading[0], heading[1]))
        piece = Chapter(chapter.title, doc.path, start, end, heading)
        units.append(
            matter.Unit(chapter.title, [piece], text[start:end], body, headed=heading is not None)
        )
    if span and _BODY_WORD.search(text, hi):
        units.append(_forced(doc, hi, len(text), "Project Gutenberg licence", "back"))
    return units


def _forced(doc: Document, start: int, end: int, reason: str, kind: str) -> matter.Unit:
    start, end = _strip(doc.text, start, end)
    piece = Chapter(reason, doc.path, start, end)
    return matter.Unit(reason, [piece], doc.text[start:end], 0, forced=(reason, kind))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _text_info(documents: list[Document]) -> BookInfo:
    """Title and author from a Project Gutenberg header or a title page."""
    info = BookInfo()
    if not documents:
        return info
    text = documents[0].text[:20000]
    fields = {k.lower(): v.strip() for k, v in _PG_FIELD.findall(text)}
    if fields.get("title"):
        info.title = fields["title"]
        if fields.get("author"):
            info.authors = [fields["author"]]
        return info
    span = matter.gutenberg_span(text)
    head = text[span[0] if span else 0 :][:1500]
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    if not lines or len(lines[0]) > 80 or not re.search(r"[^\W\d_]", lines[0]):
        return info
    from audiobook.text.chapters import heading_words

    if heading_words(lines[0]):
        return info  # the text starts with "Chapter 1": no title page
    by = _BY.search(head)
    if by is None and (len(lines) == 1 or len(lines[1]) > 80 or _SENTENCE_END.search(lines[0])):
        # A first line followed by prose, the only line there is, or a sentence ("Anna
        # rowed out."; a title does not end in a full stop): the story starts at once.
        return info
    info.title = _titlecase(lines[0])
    if by:
        info.authors = [by.group(1).strip()]
    return info


def _titlecase(line: str) -> str:
    return matter.pretty_title(line)
