"""EPUB 2 and 3 in: one Document per spine file, chapters from the table of contents.

ebooklib reads the container, package, spine and navigation (the EPUB 3 nav
document, else the NCX); lxml turns each XHTML file into text (html_text).
Each spine file becomes a Document named ``BOOK.epub#PATH/IN/ZIP.xhtml`` whose
text is the extracted text, so offsets in `script --json` index exactly what
`script` shows.

Chapters come from the TOC entries mapped onto the spine: several entries in
one file cut it at their anchors; a file no entry points at continues the
chapter before it (one chapter over several files). Entries are taken in
spine order, whatever order the TOC lists them in. Entries that point at
the same place (a part title above a chapter number above a chapter title)
are one chapter, titled by all of them; an entry that points at a picture's
caption is no chapter.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

from lxml import etree

from audiobook.errors import InputError
from audiobook.model import Chapter, Document, Manuscript
from audiobook.text import matter
from audiobook.text.epub_meta import book_info
from audiobook.text.html_text import MARKER, Extracted, extract, parse_xhtml

_CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
# Font obfuscation (IDPF and Adobe) is not DRM: only fonts are touched.
_FONT_OBFUSCATION = (
    "http://www.idpf.org/2008/embedding",
    "http://ns.adobe.com/pdf/enc#RC",
)
_MAX_BYTES = 500 * 2**20
_BODY_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
# Fewer body words than this between two TOC targets: one heading block, one chapter.
_SAME_PLACE_WORDS = 8
_NUMBER_TITLE = re.compile(r"^(?:\d{1,4}|[IVXLCDM]+)\.?$")
# A title that names a chapter, however short its text ("Preface", "XII", "Chapter 3").
_HEADED = re.compile(
    r"^(?:chapter|book|part|stave|letter|canto|preface|foreword|introduction|prologue|"
    r"epilogue|afterword|(?:\d{1,4}|[IVXLCDM]+)\b)",
    re.I,
)
# A part or book title directly above its first chapter is announced with it.
_PART_TITLE = re.compile(r"^(?:part|book|volume|section)\b", re.I)


@dataclass
class _Entry:
    title: str
    spine: int
    offset: int
    depth: int


def read_epub(data: bytes, display: str, include: frozenset[str] = frozenset()) -> Manuscript:
    """The book in ``data`` (an .epub's bytes); ``display`` names it in sources and errors."""
    if len(data) > _MAX_BYTES:
        raise InputError(f"{display} is {len(data) // 2**20} MB, too large for an EPUB book")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(
            f"{display} is not an EPUB (not a ZIP archive): check the file, or convert it to EPUB"
        ) from None
    with archive:
        _refuse_drm(archive, display)
        opf_path = _opf_path(archive, display)
        book = _load(data, display)
        opf = _parse(archive.read(opf_path)) if opf_path in archive.namelist() else None
    opf_dir = posixpath.dirname(opf_path)
    return _manuscript(book, opf, opf_dir, display, include)


def _refuse_drm(archive: zipfile.ZipFile, display: str) -> None:
    names = set(archive.namelist())
    if "META-INF/rights.xml" in names:
        raise InputError(
            f"{display} is protected by DRM (META-INF/rights.xml): use a DRM-free copy of the book"
        )
    if "META-INF/encryption.xml" not in names:
        return
    root = _parse(archive.read("META-INF/encryption.xml"))
    if root is None:
        return
    for method in root.iter("{*}EncryptionMethod"):
        if method.get("Algorithm") not in _FONT_OBFUSCATION:
            raise InputError(
                f"{display} is encrypted (DRM, META-INF/encryption.xml): "
                "use a DRM-free copy of the book"
            )


def _opf_path(archive: zipfile.ZipFile, display: str) -> str:
    try:
        container = _parse(archive.read("META-INF/container.xml"))
    except KeyError:
        container = None
    rootfile = None if container is None else container.find(f".//{{{_CONTAINER}}}rootfile")
    path = rootfile.get("full-path") if rootfile is not None else None
    if not path:
        raise InputError(
            f"{display} is not a valid EPUB (no META-INF/container.xml naming the package file)"
        )
    return path


def _load(data: bytes, display: str):
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except Exception as exc:  # noqa: BLE001 - ebooklib raises anything from KeyError to lxml's
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"{display} is a damaged EPUB ({detail}): check the file") from None


def _parse(data: bytes):
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def _manuscript(book, opf, opf_dir: str, display: str, include: frozenset[str]) -> Manuscript:
    import ebooklib

    documents: list[Document] = []
    extracted: list[Extracted] = []
    names: list[str] = []
    linear: list[bool] = []
    for idref, is_linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() not in (
            ebooklib.ITEM_DOCUMENT,
            ebooklib.ITEM_NAVIGATION,
        ):
            continue
        root = parse_xhtml(item.get_content())
        if root is None:
            continue
        name = posixpath.normpath(posixpath.join(opf_dir, item.get_name()))
        ex = extract(root)
        documents.append(Document(f"{display}#{name}", ex.text))
        extracted.append(ex)
        names.append(name)
        linear.append(str(is_linear).lower() != "no")
    if not any(_BODY_WORD.search(d.text) for d in documents):
        raise InputError(f"{display} has no text in its spine: is it a picture book or damaged?")
    entries = _toc_entries(book.toc, names, extracted, opf_dir)
    units = _units(documents, extracted, entries, linear)
    decided = matter.plan(units, include)
    chapters = [
        [_retitle(p, title) for p in pieces]
        for pieces, title in zip(decided.chapters, decided.titles, strict=True)
    ]
    languages = {d.path: ex.languages for d, ex in zip(documents, extracted, strict=True)}
    info = book_info(book, opf)
    return Manuscript(documents, chapters, decided.skipped, info, languages)


def _retitle(piece: Chapter, title: str) -> Chapter:
    return Chapter(title, piece.source, piece.start, piece.end, piece.heading)


def _flatten(toc, depth: int = 0):
    for entry in toc:
        if isinstance(entry, tuple | list) and len(entry) == 2:
            section, children = entry
            yield getattr(section, "title", "") or "", getattr(section, "href", "") or "", depth
            yield from _flatten(children, depth + 1)
        else:
            yield getattr(entry, "title", "") or "", getattr(entry, "href", "") or "", depth


def _toc_entries(toc, names: list[str], extracted: list[Extracted], opf_dir: str) -> list[_Entry]:
    by_name = {n: i for i, n in enumerate(names)}
    entries = []
    for title, href, depth in _flatten(toc):
        if not href:
            continue
        path, _, anchor = unquote(href).partition("#")
        full = posixpath.normpath(posixpath.join(opf_dir, path)) if path else ""
        index = by_name.get(full)
        if index is None:  # an href relative to another folder: match the file name
            tail = PurePosixPath(path).name
            index = next((i for i, n in enumerate(names) if PurePosixPath(n).name == tail), None)
        if index is None:
            continue
        ex = extracted[index]
        if anchor and anchor in ex.illustrations:
            continue  # a picture's caption listed in the TOC
        offset = ex.anchors.get(anchor, 0) if anchor else 0
        entries.append(_Entry(" ".join(title.split()), index, offset, depth))
    # The spine order wins over the order the TOC lists things in.
    entries.sort(key=lambda e: (e.spine, e.offset))
    merged: list[_Entry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        # A child entry right at its parent's place (a part, then a chapter number, then
        # the chapter's name) is one chapter; siblings are not, however close.
        if (
            last is not None
            and last.spine == entry.spine
            and (entry.depth > last.depth or _PART_TITLE.match(last.title))
            and _body_words(extracted[entry.spine], last.offset, entry.offset) < _SAME_PLACE_WORDS
        ):
            if entry.title and entry.title not in last.title:
                last.title = _join_titles(last.title, entry.title)
            last.depth = entry.depth
            continue
        merged.append(_Entry(entry.title, entry.spine, entry.offset, entry.depth))
    return merged


def _join_titles(first: str, second: str) -> str:
    if not first:
        return second
    if _NUMBER_TITLE.match(first):
        return f"{first.rstrip('.')}. {second}"
    return f"{first.rstrip('.:')}. {second}"


def _body_words(ex: Extracted, start: int, end: int) -> int:
    """Words in [start, end) outside headings."""
    words = len(_BODY_WORD.findall(ex.text, start, end))
    for hs, he in ex.headings:
        if hs < end and he > start:
            words -= len(_BODY_WORD.findall(ex.text, max(hs, start), min(he, end)))
    return max(words, 0)


def _units(
    documents: list[Document], extracted: list[Extracted], entries: list[_Entry], linear: list[bool]
) -> list[matter.Unit]:
    """Cut the spine at TOC targets and at marked matter; one unit per candidate chapter."""
    cuts: dict[int, list[tuple[int, str, tuple[str, str | None] | None]]] = {}
    for entry in entries:
        cuts.setdefault(entry.spine, []).append((entry.offset, entry.title, None))
    for i, ex in enumerate(extracted):
        marked = list(ex.matter)
        # Older Project Gutenberg files mark their header and licence in the text only.
        span = matter.gutenberg_span(ex.text)
        if span and span[0] > 0:
            marked.append((0, span[0], "Project Gutenberg header", "front"))
        if span and span[1] < len(ex.text):
            marked.append((span[1], len(ex.text), "Project Gutenberg licence", "back"))
        for start, end, reason, kind in marked:
            cuts.setdefault(i, []).append((start, "", (reason, kind)))
            if end < len(ex.text) and _BODY_WORD.search(ex.text, end):
                cuts[i].append((end, "", None))
    units: list[matter.Unit] = []
    for i, (doc, ex) in enumerate(zip(documents, extracted, strict=True)):
        text = doc.text
        if not _BODY_WORD.search(text):
            if MARKER in text:  # a page that is only a picture: a cover, an image title page
                name = doc.path.rsplit("#", 1)[-1].lower()
                reason = "cover" if "cover" in name or not units else "picture page"
                piece = Chapter(reason, doc.path, 0, len(text))
                units.append(matter.Unit(reason, [piece], text, 0, forced=(reason, None)))
            continue
        points = sorted(cuts.get(i, []), key=lambda c: c[0])
        if not points or points[0][0] > 0:
            points.insert(0, (0, "", None))
        for k, (start, title, forced) in enumerate(points):
            end = points[k + 1][0] if k + 1 < len(points) else len(text)
            start, end = _strip(text, start, end)
            if start >= end or not _BODY_WORD.search(text, start, end):
                continue
            heading = _heading_block(ex, start, end)
            # A stretch no TOC entry names continues the chapter before it, unless it
            # is matter by its markup or the first stretch of a file that has a heading.
            continues = not title and forced is None and heading is None
            types = ex.kinds if k == 0 else set()
            if not linear[i] and forced is None:
                forced = (
                    "cover" if "cover" in (doc.path.lower() + title.lower()) else "non-linear page",
                    "front",
                )
            if not title:
                title = " ".join(text[heading[0] : heading[1]].split()) if heading else ""
            units.append(
                matter.Unit(
                    matter.pretty_title(title),
                    [Chapter(title, doc.path, start, end, heading)],
                    text[start:end],
                    _body_words(ex, start, end),
                    types,
                    forced,
                    continues,
                    headed=bool(_HEADED.match(title)),
                )
            )
    return units


def _heading_block(ex: Extracted, start: int, end: int) -> tuple[int, int] | None:
    """The run of headings a chapter opens with ("34", "And Last"): the narrator reads the
    TOC title in their place, once."""
    block = None
    for a, b in sorted(ex.headings):
        if a < start or a >= end:
            continue
        gap = ex.text[block[1] if block else start : a]
        if gap.strip(" \n" + MARKER):
            break  # text between: the chapter's body has begun
        block = (block[0] if block else a, b)
    return block


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
