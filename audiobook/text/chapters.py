"""Split a Document into chapters at its heading lines.

A heading is a short line on its own (blank line or file start above it):
"Chapter 3", "CHAPTER III. The Storm", "Chapter Four", "Book II", "PROLOGUE",
or a lone numeral ("II", "12") with blank lines on both sides. Headings with no
text before the next heading are merged into it ("VOLUME ONE" above
"Chapter 1"), and three or more in a row are a contents list, which stays text
of the chapter it sits in. Text before the first heading is kept as a chapter
titled "Opening". A file without headings is one chapter titled from the words
of its file name: ``003_the_storm.txt`` -> "The Storm"; with none
(``002_ae557fbbbf91644b.txt``: numbers and hashes carry no meaning) the title
is left empty and the pipeline numbers the chapter by its place in the book.
"""

from __future__ import annotations

import itertools
import re
from pathlib import PurePath

from audiobook.model import Chapter, Document

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final|"
    "uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
)
_ROMAN = r"(?=[IVXLCDM]+\b)M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)"
_KEYWORD = (
    r"chapter|chap\.|book|part|volume|vol\.|section|canto|"
    r"cap[íi]tulo|libro|parte|chapitre|livre|partie|tome"
)
_KEYWORD_HEADING = re.compile(
    rf"^(?:#+\s*)?(?:{_KEYWORD})\s+{_NUMBER}\s*"
    r"(?:[.:\-\u2013\u2014]+\s*\S.{0,80}|[.:]?|\s(?-i:[A-Z\"'\u201c\u2018]).{0,80})$",
    re.IGNORECASE,
)
_SPECIAL_HEADING = re.compile(
    r"^(?:#+\s*)?(?:prologue|epilogue|preface|foreword|introduction|afterword|interlude|"
    r"pr[óo]logo|ep[íi]logo|[ée]pilogue|avant-propos)\s*(?:[.:\-\u2013\u2014]+\s*\S.{0,80})?\.?$",
    re.IGNORECASE,
)
_LONE_NUMERAL = re.compile(rf"^(?:{_ROMAN}|\d{{1,4}})\.?$")
# A line ends at LF, CRLF or a lone CR (classic Mac OS files).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_WORD = re.compile(r"\w")
# Fewer real words than this between two headings is no chapter: an illustration
# tag or a dedication line under "VOLUME TWO" is part of the next heading block.
_BODY_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
_MIN_BODY_WORDS = 4
# A sentence (a word, then . ! ? or an ellipsis, maybe a closing quote) is text, however
# short: a very short chapter under a lone numeral keeps it.
_SENTENCE = re.compile(r"[^\W\d_]{2,}[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_STRIP = " \t\r\n\f\v\ufeff\u00a0"
_MAX_HEADING = 100
_CONTENTS_RUN = 3


def split_chapters(doc: Document) -> list[Chapter]:
    """The chapters of ``doc`` in order; together they hold every word of it."""
    text = doc.text
    heads = _merge_heads(text, _find_headings(text))
    chapters: list[Chapter] = []
    first = heads[0][0] if heads else len(text)
    if _WORD.search(text, 0, first):
        title = "Opening" if heads else title_from_name(doc.path, text)
        chapters.append(Chapter(title, doc.path, _skip_space(text, 0), _trim_end(text, 0, first)))
    for i, (start, end, title) in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        # max(): str.isspace() counts separators (U+001C-U+001F) that a heading line keeps.
        chapters.append(
            Chapter(title, doc.path, start, max(end, _trim_end(text, start, stop)), (start, end))
        )
    return chapters


def heading_words(heading: str) -> str:
    """What the narrator reads for a heading line or block: its heading lines as sentences."""
    parts = []
    for line in heading.splitlines():
        line = " ".join(line.strip(_STRIP).lstrip("#").split())
        if _shape(line):
            parts.append(
                f"Chapter {line.rstrip('.')}" if _LONE_NUMERAL.match(line) else line.rstrip(".:")
            )
    return ". ".join(parts)


def is_heading_list(block: str) -> bool:
    """Two or more lines, each shaped like a heading: a contents list (read line by line)."""
    lines = [line.strip(_STRIP) for line in block.splitlines() if line.strip(_STRIP)]
    return len(lines) >= 2 and all(_shape(line) for line in lines)


def has_heading(text: str) -> bool:
    """Whether a chapter or part heading stands in this stretch of text (a new scene)."""
    return bool(_find_headings(text))


def _find_headings(text: str) -> list[tuple[int, int, str]]:
    """(line start, line end, title) of every heading-shaped line with a blank line above."""
    lines = [(m.start(), m.group()) for m in _LINE.finditer(text) if m.group()]
    shapes = [_shape(raw.strip(_STRIP)) for _, raw in lines]
    found = []
    for i, (start, raw) in enumerate(lines):
        kind = shapes[i]
        if kind is None:
            continue
        blank_above = i == 0 or not lines[i - 1][1].strip(_STRIP)
        below = lines[i + 1][1].strip(_STRIP) if i + 1 < len(lines) else ""
        if not blank_above:
            continue
        # A lone numeral is ordinary text unless it stands alone between blank lines;
        # a heading followed directly by another heading line is a contents entry.
        if below and (kind == "numeral" or shapes[i + 1] is not None):
            continue
        content = raw.strip(_STRIP)
        offset = start + raw.index(content)
        found.append((offset, offset + len(content), _title(content, kind)))
    return found


def _shape(line: str) -> str | None:
    if not line or len(line) > _MAX_HEADING:
        return None
    if _LONE_NUMERAL.match(line):
        return "numeral"
    if _KEYWORD_HEADING.match(line) or _SPECIAL_HEADING.match(line):
        return "keyword"
    return None


def _title(line: str, kind: str) -> str:
    # Titles reach terminals, tags and file names: no control characters.
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in line).lstrip("#").split())
    if kind == "numeral":
        return f"Chapter {line.rstrip('.')}"
    return line.rstrip(".:") or line


def _words_at_least(text: str, start: int, stop: int, count: int) -> bool:
    """``count`` body words or more in ``text[start:stop]`` (a chapter's words are not all
    counted to know it has four)."""
    found = _BODY_WORD.finditer(text, start, stop)
    return sum(1 for _ in itertools.islice(found, count)) >= count


def _merge_heads(text: str, heads: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Fold bodiless headings into the next one; drop contents lists."""
    merged: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []
    for i, head in enumerate(heads):
        stop = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        if (
            i + 1 < len(heads)
            and not _words_at_least(text, head[1], stop, _MIN_BODY_WORDS)
            and not _SENTENCE.search(text, head[1], stop)  # "She woke." is a chapter's text
        ):
            pending.append(head)
            continue
        if len(pending) >= _CONTENTS_RUN:
            pending = []  # a contents list: its lines stay text of the chapter before
        start = pending[0][0] if pending else head[0]
        merged.append((start, head[1], head[2]))
        pending = []
    return merged


def title_from_name(path: str, text: str) -> str:
    """Words of the file name, or "" when it has none (ids, hashes, numbers).

    A leading number only orders the files: the pipeline numbers untitled
    chapters by their place in the book, so "000_x" and "002_y" read as
    Chapter 1 and Chapter 2 rather than Chapter 0 and Chapter 2.
    """
    stem = PurePath(path).stem
    number = re.match(r"\d+", stem)
    words = [
        w
        for w in re.split(r"[\s_\-.]+", stem[number.end() :] if number else stem)
        if w and not _hashlike(w)
    ]
    return " ".join(w if not w.islower() else w.capitalize() for w in words)


def _hashlike(word: str) -> bool:
    """Hex digests, ids and numbers carry no meaning as a title."""
    return bool(
        re.fullmatch(r"[0-9a-fA-F]{6,}|\d+|[0-9a-zA-Z]*\d[0-9a-zA-Z]*", word)
    ) and not re.fullmatch(r"[A-Za-z]+", word)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and (text[pos].isspace() or text[pos] == "\ufeff"):
        pos += 1
    return pos


def _trim_end(text: str, start: int, stop: int) -> int:
    while stop > start and (text[stop - 1].isspace() or text[stop - 1] == "\ufeff"):
        stop -= 1
    return stop
