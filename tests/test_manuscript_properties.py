"""For any text: quotes, chapters and segments never crash and keep their layout promises."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.model import Document
from audiobook.text.chapters import split_chapters
from audiobook.text.quotes import find_quotes, paragraph_spans
from audiobook.text.segments import segment_chapter

# Pieces that exercise the tricky paths: marks of every style, headings, breaks, CRLF.
PIECES = [
    '"',
    "'",
    "\u201c",
    "\u201d",
    "\u2018",
    "\u2019",
    "\u00ab",
    "\u00bb",
    "\u201e",
    "\u2014",
    "\u2013",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "  ",
    "\t",
    " ",
    ".",
    ",",
    "!",
    "?",
    "\u00bf",
    ":",
    ";",
    "_",
    "#",
    "* * *",
    "Chapter 1",
    "CHAPTER II. The Storm",
    "II",
    "PROLOGUE",
    "said he",
    "Mr.",
    "don't",
    "'tis",
    "the dogs'",
    "\ufeff",
    "\x00",
    "caf\u00e9",
    "\u4e2d\u6587",
    "Hello",
    "x",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=80).map("".join),
)


def check(text: str) -> None:
    doc = Document("prop.txt", text)
    quotes = find_quotes(text)
    for q in quotes:
        assert q.outer_start <= q.start <= q.end <= q.outer_end <= len(text)
    assert [q.outer_start for q in quotes] == sorted(q.outer_start for q in quotes)
    for a, b in paragraph_spans(text):
        assert 0 <= a < b <= len(text)
    chapters = split_chapters(doc)
    last = 0
    covered = bytearray(len(text))
    for chapter in chapters:
        assert last <= chapter.start <= chapter.end <= len(text)
        last = chapter.end
        previous = chapter.start
        for seg in segment_chapter(doc, chapter, quotes, {}):
            assert previous <= seg.start < seg.end <= chapter.end
            assert re.search(r"\w", seg.text)
            previous = seg.end
            covered[seg.start : seg.end] = b"\x01" * (seg.end - seg.start)
    for m in re.finditer(r"\w+", text):
        assert all(covered[m.start() : m.end()]), (m.group(), text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_segments_cleanly(text):
    check(text)


def test_known_hard_cases():
    for text in [
        '"',
        '""',
        "\u2014",
        "\u2014\u2014a\u2014",
        "II\n\nII\n\nII",
        'Chapter 1\n"open\n\nChapter 2\nclose"',
        "\ufeffChapter 1\r\n\r\n'tis 'x",
        "a\u00ab\u00bbb",
        "\u2014Hola \u2014dijo\u2014. \u00bfY?\n\n\u2014S\u00ed.",
        "_" * 5,
        "CHAPTER 0\x1f",
    ]:
        check(text)
