"""XHTML of an EPUB document -> the plain text our stages read, with where things are.

Blocks (paragraphs, headings, list items...) are separated by a blank line,
``<br>`` by a line break, so paragraph boundaries survive. Images, tables,
scripts, maths and the like are not text: each leaves one ``MARKER`` (U+FFFC,
OBJECT REPLACEMENT CHARACTER) in a paragraph of its own, which has no word in
it and so never becomes speech, while the text after an illustration is kept.
Footnote references are dropped and notes sections (``epub:type`` footnote,
endnote...) left out, so neither is read inline.

Besides the text, the walk records the offset of every ``id`` (TOC targets),
of every heading, of every element that names its own language (``lang``),
and of every element marked as front or back matter by its ``epub:type`` or
as Project Gutenberg boilerplate (``pg-header``, ``pg-footer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

MARKER = "\ufffc"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_BLOCKS = _words(
    "p div section article aside header footer nav main blockquote li ul ol dl dt dd "
    "h1 h2 h3 h4 h5 h6 pre hr figure figcaption address center tr body hgroup details "
    "summary"
)
_HEADINGS = _words("h1 h2 h3 h4 h5 h6")
# Not text: left out with a marker.
_OBJECTS = _words("img svg math table object iframe video audio canvas embed image")
# Never text, and no marker either.
_SILENT = _words("script style head title noscript template rt rp link meta")
_NOTE_TYPES = _words(
    "footnote footnotes endnote endnotes rearnote rearnotes note notes "
    "doc-footnote doc-endnote doc-endnotes doc-footnotes"
)
_NOTEREF = _words("noteref doc-noteref")
FRONT_TYPES = _words(
    "cover titlepage halftitlepage title-page toc landmarks loi lot copyright-page imprint "
    "dedication frontmatter colophon-front seriespage other-credits contributors "
    "doc-toc doc-dedication doc-colophon doc-pagelist"
)
BACK_TYPES = _words(
    "colophon uncopyright backmatter bibliography index glossary endnotes rearnotes "
    "copyright doc-bibliography doc-index doc-endnotes"
)
_NOTE_REF_TEXT = re.compile(r"\s*[\[(]?(?:\d{1,3}|[*\u2020\u2021\u00a7]+|[a-z])[\])]?\s*")
_IMAGE_LABEL = re.compile(r"\s*\d{3,5}m\s*")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


@dataclass
class Extracted:
    """The plain text of one XHTML document and the offsets of what it holds."""

    text: str
    anchors: dict[str, int] = field(default_factory=dict)  # id -> offset
    headings: list[tuple[int, int]] = field(default_factory=list)
    languages: list[tuple[int, int, str]] = field(default_factory=list)  # lang spans
    # (start, end, reason, kind): kind "front"/"back" when the markup says, else None.
    matter: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # epub:type values of html/body/section
    illustrations: set[str] = field(default_factory=set)  # ids right after an image


def parse_xhtml(data: bytes):
    """The document's root element: XHTML as XML, else forgiving HTML; None if neither."""
    parser = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None or not any(_local(el) == "body" for el in root.iter(etree.Element)):
        try:
            root = html.document_fromstring(data)
        except (etree.ParserError, ValueError):
            return None
    return root


def extract(root) -> Extracted:
    walker = _Walker()
    body = next((el for el in root.iter(etree.Element) if _local(el) == "body"), root)
    for el in (root, body):
        walker.out.kinds |= _types(el)
    walker.walk(body, _lang(root) or "")
    walker.finish()
    return walker.out


def _local(el) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _types(el) -> set[str]:
    words = (el.get(_OPS_TYPE) or "") + " " + (el.get("role") or "")
    return {w.split(":")[-1].lower() for w in words.split()}


def _lang(el) -> str | None:
    value = el.get(_XML_LANG) or el.get("lang")
    return value.strip().lower().split("-")[0] if value and value.strip() else None


class _Walker:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.pending_break = ""
        self.waiting: list[str] = []  # ids whose offset is the next text written
        self.out = Extracted("")
        self.after_image = False

    # Text is written through here only, so offsets are always len(written).
    def write(self, text: str) -> None:
        if not text:
            return
        if self.length and self.pending_break:
            self._put(self.pending_break)
        self.pending_break = ""
        for ident in self.waiting:
            self.out.anchors.setdefault(ident, self.length)
        self.waiting = []
        self._put(text)

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def trim(self) -> None:
        """No trailing spaces before a break (nothing recorded points past them yet)."""
        while self.parts and not self.pending_break and self.parts[-1].endswith(" "):
            last = self.parts.pop()
            kept = last.rstrip(" ")
            self.length -= len(last) - len(kept)
            if kept:
                self.parts.append(kept)
                break

    def block_break(self) -> None:
        self.pending_break = "\n\n"

    def line_break(self) -> None:
        if self.length and self.pending_break != "\n\n":
            self.pending_break = "\n"

    def marker(self) -> None:
        self.block_break()
        self.write(MARKER)
        self.block_break()

    def text_of(self, raw: str | None, pre: bool) -> None:
        if not raw:
            return
        if pre:
            self.write(raw)
            return
        text = _SPACES.sub(" ", raw)
        at_line_start = not self.length or self.pending_break or self.parts[-1].endswith("\n")
        if at_line_start or self.parts[-1].endswith(" "):
            text = text.lstrip(" ")
        if text.strip():
            self.after_image = False
        self.write(text)

    def start_of_next_text(self) -> int:
        """Where the next text will start (after any pending break)."""
        return self.length + (len(self.pending_break) if self.length else 0)

    def walk(self, el, lang: str, pre: bool = False) -> None:
        name = _local(el)
        if name in _SILENT or not name:
            return
        types = _types(el)
        if types & _NOTE_TYPES or (name == "aside" and types):
            return  # a notes section or a footnote: not read inline
        if types & _NOTEREF or (name in ("a", "sup") and _is_note_ref(el)):
            return
        if name in _OBJECTS:
            self._object(el)
            return
        if name in ("p", "span", "div") and _IMAGE_LABEL.fullmatch("".join(el.itertext())):
            return  # a leftover picture file label ("0051m") of old Gutenberg builds
        ident = el.get("id")
        if ident:
            self.waiting.append(ident)
            if self.after_image:
                self.out.illustrations.add(ident)
        own = _lang(el)
        block = name in _BLOCKS
        if block and name not in _HEADINGS and name not in ("div", "figure", "figcaption"):
            self.after_image = False  # a paragraph or a rule after the picture: no caption
        if block:
            self.block_break()
        elif name == "br":
            self.line_break()
        start = self.start_of_next_text()
        pre = pre or name == "pre"
        self.text_of(el.text, pre)
        for child in el:
            self.walk(child, own or lang, pre)
            self.text_of(child.tail, pre)
        if block:
            self.trim()
            self.block_break()
        end = self.length
        if end > start:
            if name in _HEADINGS:
                self.out.headings.append((start, end))
            if own and own != lang:
                self.out.languages.append((start, end, own))
            found = _matter_kind(el, types)
            if found:
                self.out.matter.append((start, end, *found))
        if name in ("section", "body", "article", "div") and types:
            self.out.kinds |= types & (FRONT_TYPES | BACK_TYPES)

    def _object(self, el) -> None:
        alt = (el.get("alt") or "").strip()
        if len(alt) == 1 and alt.isalpha():
            self.write(alt)  # a drop cap drawn as an image: its letter is the text
            return
        ident = el.get("id")
        if ident:
            self.waiting.append(ident)
        self.marker()
        # A heading right after a picture is its caption, not a chapter (for TOC entries).
        self.after_image = _local(el) in ("img", "image", "svg")

    def finish(self) -> None:
        for ident in self.waiting:
            self.out.anchors.setdefault(ident, self.length)
        self.out.text = "".join(self.parts)
        for ident, offset in self.out.anchors.items():
            self.out.anchors[ident] = min(offset, self.length)


def _is_note_ref(el) -> bool:
    """A footnote number: a link (or superscript link) whose text is just '1', '[2]', '*'."""
    text = "".join(el.itertext())
    if not _NOTE_REF_TEXT.fullmatch(text or " "):
        return False
    if _local(el) == "sup":
        return any(_local(a) == "a" for a in el.iter(etree.Element)) or text.strip().isdigit()
    href = el.get("href") or ""
    return "#" in href and _local(el.getparent()) == "sup" or "note" in href.lower()


def _matter_kind(el, types: set[str]) -> tuple[str, str | None] | None:
    """(reason, kind) of an element that is matter by its markup."""
    ident = (el.get("id") or "").lower()
    classes = (el.get("class") or "").lower()
    if ident in ("pg-header", "pg-footer") or "pg-boilerplate" in classes:
        text = "".join(el.itertext())
        if re.search(r"\*\*\* ?END OF|Full Project Gutenberg", text):
            return "Project Gutenberg licence", "back"
        return "Project Gutenberg header", "front"
    for kind in sorted(types & (FRONT_TYPES | BACK_TYPES)):
        if kind not in ("frontmatter", "backmatter"):
            return kind.removeprefix("doc-").replace("-", " "), None
    return None
