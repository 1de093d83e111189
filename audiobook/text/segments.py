"""Cut a chapter into the spoken segments: narration and dialogue, in order.

Dialogue segments span a speech quote's content (marks excluded); everything
else, speech tags, titles and scare quotes included, is narration. Long runs
are cut at sentence ends so no segment is much over ``MAX_CHARS`` (a single
longer sentence is cut at a clause, then at a space), which keeps one
synthesis call bounded however the manuscript is laid out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from audiobook.model import Attribution, Boundary, Chapter, Document, Kind, Quote, Segment
from audiobook.text.chapters import heading_words, is_heading_list
from audiobook.text.quotes import paragraph_spans

MAX_CHARS = 600
# Every mark text/quotes.py reads as a quotation mark: left at the ends of narration, not read.
_QUOTE_MARKS = "\"'`\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2039\u203a\u300c\u300d\u300e\u300f"
_SPACE = " \t\r\n\f\v\u00a0\u202f\ufeff"
_LEAD_JUNK = _SPACE + _QUOTE_MARKS + ",;:)]\u2014\u2015\u2013"
_TAIL_JUNK = _SPACE + _QUOTE_MARKS + "([\u2014\u2015\u2013"
_SPEAKABLE = re.compile(r"\w")
# Control characters (NUL, BEL, ESC...) are never spoken, and would reach a
# terminal that prints the script; whitespace controls become spaces via split().
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])
_SCENE_BREAK = re.compile(
    r"[\s*#~=\u2022\u00b7.\u2014\u2013-]*[*#~\u2022\u00b7][\s*#~=\u2022\u00b7.\u2014\u2013-]*"
)
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_CLAUSE_END = re.compile(r"[;:,\u2014\u2013)](?=\s)|\s[\u2014\u2013-]+\s")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Mt|Jr|Sr|Prof|Capt|Col|Gen|Lt|Sgt|Rev|Hon|No|vs|Sra|Srta|Mme|Mlle)|\b[A-Z])\.$"
)
_NEXT_WORD = re.compile(r"\s+(\w)")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026:][\"'\u201d\u2019)\]]*$")


def segment_chapter(
    doc: Document,
    chapter: Chapter,
    quotes: list[Quote],
    speakers: dict[int, Attribution],
    lines: dict[int, str] | None = None,
) -> list[Segment]:
    """The chapter's segments in text order, covering every word of it."""
    text = doc.text
    layout = _Layout(text, chapter.start, chapter.end)
    out: list[Segment] = []
    pos = chapter.start
    if chapter.heading:
        hs, he = chapter.heading
        if _SPEAKABLE.search(text, hs, he):
            # A Markdown heading is a heading whatever its words ("# The Harbour"), though
            # not shaped like one of plain text: then it is read as it stands.
            raw = text[hs:he]
            words = (heading_words(raw) or " ".join(raw.split()).rstrip(".:")).translate(_CONTROLS)
            out.append(Segment("narration", words, hs, he, boundary="chapter"))
        pos = max(pos, he)
    first = bisect_right(quotes, pos, key=lambda q: q.end)
    for index in range(first, len(quotes)):
        quote = quotes[index]
        if quote.start >= chapter.end:
            break
        if not quote.is_speech:
            continue
        start, end = max(quote.start, pos), min(quote.end, chapter.end)
        if start >= end:
            continue
        _add(out, layout, pos, start, "narration")
        _add(out, layout, start, end, "dialogue", speakers.get(index), (lines or {}).get(index))
        pos = end
    _add(out, layout, pos, chapter.end, "narration")
    return out


class _Layout:
    """Paragraph starts and scene breaks of a chapter, for the pause before each segment."""

    def __init__(self, text: str, start: int, end: int):
        self.text = text
        self.chapter_start = start
        spans = [(a + start, b + start) for a, b in paragraph_spans(text[start:end])]
        self.paragraphs = [a for a, _ in spans]
        self.scenes = [a for a, b in spans if _SCENE_BREAK.fullmatch(text, a, b)]
        self.spans = spans

    def boundary(self, previous: Segment | None, start: int) -> Boundary:
        if previous is None:
            return "chapter"
        lo = previous.end
        if bisect_right(self.scenes, start) > bisect_right(self.scenes, lo):
            return "scene"
        if bisect_right(self.paragraphs, start) > bisect_right(self.paragraphs, lo):
            return "paragraph"
        if self.text[start].islower():
            return "none"  # a speech tag or the rest of a sentence broken by a quote
        if _ENDS_SENTENCE.search(self.text, max(previous.start, previous.end - 4), previous.end):
            return "sentence"
        return "none"

    def paragraph_cuts(self, start: int, end: int) -> list[int]:
        """Paragraph starts strictly inside (start, end)."""
        return self.paragraphs[
            bisect_right(self.paragraphs, start) : bisect_left(self.paragraphs, end)
        ]


def _add(
    out: list[Segment],
    layout: _Layout,
    start: int,
    end: int,
    kind: Kind,
    said: Attribution | None = None,
    line: str | None = None,
) -> None:
    """Segments for [start, end): one run of narration or one speech quote's content."""
    text = layout.text
    lead, tail = (_LEAD_JUNK, _TAIL_JUNK) if kind == "narration" else (_SPACE, _SPACE)
    bounds = [start, *layout.paragraph_cuts(start, end), end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        for s, e in _sentence_chunks(text, a, b):
            while s < e and text[s] in lead:
                s += 1
            while e > s and text[e - 1] in tail:
                e -= 1
            if not _SPEAKABLE.search(text, s, e):
                continue  # nothing to say: a scene break, a lone mark
            words = " ".join(text[s:e].split())
            if kind == "narration" and is_heading_list(text[s:e]):
                words = heading_words(text[s:e])  # a contents list: one heading per sentence
            segment = Segment(kind, words.translate(_CONTROLS), s, e)
            segment.boundary = layout.boundary(out[-1] if out else None, s)
            if said is not None:
                segment.speaker, segment.rule = said.speaker, said.rule
                segment.confidence = said.confidence
            segment.line = line
            out.append(segment)


def _sentence_chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut after sentence ends into runs of at most MAX_CHARS where possible."""
    if end - start <= MAX_CHARS:
        return [(start, end)]
    # No cut after "Dr." or before a lower-case word ("10 p.m. and then"): neither ends a sentence.
    cuts = [
        m.end()
        for m in _SENTENCE_END.finditer(text, start, end)
        if not _ABBREVIATION.search(text, max(start, m.end() - 6), m.end())
        and not _lower_next(text, m.end(), end)
    ]
    chunks: list[tuple[int, int]] = []
    begin = start
    last = start
    for cut in [*cuts, end]:
        if cut - begin > MAX_CHARS and last > begin:
            chunks.append((begin, last))
            begin = last
        while cut - begin > MAX_CHARS:
            split = _clause_cut(text, begin, cut)
            chunks.append((begin, split))
            begin = split
        last = cut
    if begin < end:
        chunks.append((begin, end))
    return chunks


def _lower_next(text: str, pos: int, end: int) -> bool:
    m = _NEXT_WORD.match(text, pos, end)
    return m is not None and m[1].islower()


def _clause_cut(text: str, begin: int, stop: int) -> int:
    """Where to cut a sentence longer than MAX_CHARS: a clause end, else a space."""
    limit = begin + MAX_CHARS
    best = None
    for m in _CLAUSE_END.finditer(text, begin + MAX_CHARS // 3, limit):
        best = m.end()
    if best is None:
        space = max(
            text.rfind(" ", begin + 1, limit),
            text.rfind("\n", begin + 1, limit),
            text.rfind("\r", begin + 1, limit),
        )
        best = space if space > begin else limit
    return min(best, stop)
