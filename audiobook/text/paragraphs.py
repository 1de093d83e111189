"""The paragraphs of a document: blank lines, indentation, and hard-wrapped text.

Quotes, attribution, line ids and segments all need to agree on what a
paragraph is ("the same paragraph" means the same to each of them), so it is
decided here, once.
"""

from __future__ import annotations

import re
from functools import lru_cache

SPACE = " \t\r\n\f\v\u00a0\u202f\u2009\ufeff"
SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
_BLANK_LINE = re.compile(rf"{_NEWLINE}[ \t\f\v\u00a0\ufeff]*{_NEWLINE}")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_WRAP_WIDTH = 100


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph, whitespace trimmed, in order.

    Blank lines always separate paragraphs. In hard-wrapped text a single
    newline does not, but a line indented after an unindented one starts a
    paragraph; in text whose lines are whole paragraphs (long lines, no
    wrapping) every newline does.
    """
    return list(_paragraph_spans(text))


# Quotes, line ids and attribution each ask for the spans of the same whole text: one split.
@lru_cache(maxsize=4)
def _paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        spans.extend(_split_block(text, pos, m.start() + 1))
        pos = m.end() - 1
    spans.extend(_split_block(text, pos, len(text)))
    return tuple(spans)


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines = [m for m in _LINE.finditer(text, start, end) if m.group()]
    wrapped = sum(len(m.group()) <= _WRAP_WIDTH for m in lines) * 5 >= len(lines) * 4
    if wrapped and len(lines) >= 3:
        # Short lines that nearly all end a sentence are whole paragraphs (a
        # dialogue-heavy book, one indented paragraph per line), not wrapped text.
        ended = sum(bool(SENTENCE_END.search(m.group().rstrip(SPACE))) for m in lines)
        wrapped = ended * 5 < len(lines) * 4
    spans: list[tuple[int, int]] = []
    cur: list[int] | None = None
    prev_indented = True
    for m in lines:
        line = m.group()
        body = line.strip(SPACE)
        if not body:
            continue
        indented = line[0] in " \t\u00a0\u3000"
        if cur is None or not wrapped or (indented and not prev_indented):
            if cur is not None:
                spans.append((cur[0], cur[1]))
            cur = [m.start(), m.end()]
        else:
            cur[1] = m.end()
        prev_indented = indented
    if cur is not None:
        spans.append((cur[0], cur[1]))
    return [t for t in (trim(text, a, b) for a, b in spans) if t[0] < t[1]]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end."""
    while start < end and text[start] in SPACE:
        start += 1
    while end > start and text[end - 1] in SPACE:
        end -= 1
    return start, end
