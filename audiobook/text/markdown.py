"""Markdown manuscripts: the file's own text, with the markup blanked out.

Every markup character (``#`` of a heading, ``*``/``_`` of emphasis, a link's
brackets and address, fenced and indented code, HTML tags and comments) is
replaced by spaces of the same length, line ends kept. The text keeps its
length, so offsets into it are offsets into the file as the user wrote it,
and the plain-text stages read words only. ``#`` and ``##`` headings are
chapters: each one's line is put on a paragraph of its own as a heading line.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?(?:^\1?\2[`~]*[ \t]*$|\Z)", re.M | re.S)
_HTML_BLOCK = re.compile(r"<!--.*?-->|<(script|style|pre)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_INDENTED_CODE = re.compile(r"(?:(?<=\n\n)|\A)(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\n]*)\)|\[([^\]\n]+)\]\[[^\]\n]*\]")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")
_HEADING = re.compile(r"^( {0,3})(#{1,6})([ \t]+|$)([^\n]*?)([ \t]+#+)?[ \t]*$", re.M)
_SETEXT = re.compile(r"^([^\n]+)\n(=+|-+)[ \t]*$", re.M)
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3}|~~)(?=\S)(.+?)(?<=\S)\1", re.S)
_INLINE_CODE = re.compile(r"`+[^`\n]*`+")
_RULE = re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M)
_QUOTE_MARK = re.compile(r"^( {0,3}>[ \t]?)+", re.M)
_LIST_MARK = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+)", re.M)


def markdown_text(source: str) -> str:
    """``source`` with its markup replaced by spaces; same length, same line ends."""
    chars = list(source)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] not in "\r\n":
                chars[i] = " "

    text = source
    for pattern in (_FENCE, _HTML_BLOCK, _INDENTED_CODE, _IMAGE, _REF_DEF, _AUTOLINK):
        for m in pattern.finditer(text):
            blank(m.start(), m.end())
    text = "".join(chars)
    for m in _INLINE_CODE.finditer(text):
        blank(m.start(), m.end())
    text = "".join(chars)
    for m in _LINK.finditer(text):
        label = 1 if m.group(1) is not None else 3
        blank(m.start(), m.start(label))
        blank(m.end(label), m.end())
    text = "".join(chars)
    for m in _TAG.finditer(text):
        blank(m.start(), m.end())
    for m in _HEADING.finditer(text):
        blank(m.start(2), m.end(3))
        if m.group(5):
            blank(m.start(5), m.end(5))
    for m in _SETEXT.finditer(text):
        blank(m.start(2), m.end(2))
    for pattern in (_RULE,):
        for m in pattern.finditer(text):
            blank(m.start(), m.end())
    text = "".join(chars)
    for m in _QUOTE_MARK.finditer(text):
        blank(m.start(), m.end())
    for m in _LIST_MARK.finditer(text):
        blank(m.start(2), m.end(2))
    text = "".join(chars)
    for _ in range(2):  # nested emphasis: ***a** b*
        for m in _EMPHASIS.finditer(text):
            blank(m.start(), m.start(2))
            blank(m.end(2), m.end())
        text = "".join(chars)
    return text


def chapter_headings(source: str) -> list[tuple[int, int, str]]:
    """(start, end, title) of every ``#`` or ``##`` heading (offsets of its words)."""
    found = []
    for m in _HEADING.finditer(source):
        if len(m.group(2)) > 2 or not m.group(4).strip():
            continue
        title = markdown_text(m.group(4)).strip()
        title = " ".join(title.split())
        if title:
            start = m.start(4) + (len(m.group(4)) - len(m.group(4).lstrip()))
            found.append((start, start + len(m.group(4).strip()), title))
    return found
