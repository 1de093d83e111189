"""Find the quoted spans of a document and tell speech from titles and scare quotes.

The book's own dialogue style is detected once per document: double marks
(straight and curly together, since many files mix them), single marks, « »
(either direction), „ “, 「 」, the ``...'' and `...' of old plain-text editions,
and paragraphs opened by a dialogue dash (Spanish ``—¿Cómo estás? —preguntó Sofía.``,
read by text/dashes.py). Marks of the other styles are then plain characters, which
is what keeps nested quotes inside their outer quote and apostrophes out of the way
of double-quoted books.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audiobook.model import Quote
from audiobook.text.dashes import dash_paragraphs, scan_dash
from audiobook.text.paragraphs import SENTENCE_END as _SENTENCE_END
from audiobook.text.paragraphs import SPACE as _SPACE
from audiobook.text.paragraphs import paragraph_spans
from audiobook.text.paragraphs import trim as _trim
from audiobook.text.speechverbs import any_form
from audiobook.text.titles import TITLE_MAX_WORDS, title_case


@dataclass(frozen=True)
class _Style:
    opens: str
    closes: str
    straight: str = ""  # marks that open and close; role told by the letters around them

    @property
    def marks(self) -> re.Pattern[str]:
        return re.compile("[" + re.escape(self.opens + self.closes + self.straight) + "]")


_REOPEN = re.compile("[ \t\r\n\u00a0]+\u201c")
_STRONG_SINGLE_CLOSE = re.compile("[.,!?;\u2026\u2014-]['\u2019](?!\\w)")
# A quote after an article, a possessive or "to" is a noun or an infinitive of the sentence,
# not a line anybody says ("her" and "his" left out: "told her “Go!”", "his “Go!” rang out").
_NOUN_OR_INFINITIVE = re.compile(r"\b(?:a|an|the|its|my|our|your|their|to)$", re.I)
_WORD_END = " \t\r\n.,;:!?"
_DOUBLE = _Style("\u201c", "\u201d", '"')
_SINGLE = _Style("\u2018", "\u2019", "'")
_GUILLEMETS = _Style("\u00ab", "\u00bb")
_GUILLEMETS_REVERSED = _Style("\u00bb", "\u00ab")
_LOW9 = _Style("\u201e", "\u201c\u201d")
# Japanese and traditional Chinese dialogue: 「 」, with 『 』 for a quote inside a quote.
_CORNER = _Style("\u300c", "\u300d")
# Sentence ends and cries in the full-width punctuation those books write (。！？).
_WIDE_END = re.compile("[\u3002\uff01\uff1f\u300d\u300f]$")

# Words that begin with an apostrophe in English ('tis, 'em, rock 'n' roll, the '90s).
_ELISION = re.compile(
    r"(?:tis|twas|twere|twill|twould|em|n|cause|cos|bout|til|till|round|gainst|neath|nuff|"
    r"ere|im|is|er|ave|ad|ome|ow|un|uns|ud|ll|d|s|re|ve|m|t|\d\d?s?)\b",
    re.IGNORECASE,
)
# A single mark that opens a quote: after a space or bracket, before a letter ('tis aside).
_SINGLE_OPEN = re.compile(
    rf"(?<![^\s(\[\u2014\u2013])['\u2018](?=[^\W\d_])(?!{_ELISION.pattern})", re.IGNORECASE
)
_SPEECH_VERB = re.compile(rf"\b{any_form()}\b", re.IGNORECASE)
# Up to two words, then a speech verb; a word ends a sentence with its full stop unless it is
# an initial or a title ("Mr. Brown said"), so "twice. She called it" is no tag.
_TAG_AFTER = re.compile(
    rf"^[,;:\u2014\u2013-]?\s*(?:(?:mrs?|ms|dr|st|\w)\.\s*|[\w'\u2019]+\s+){{0,2}}?"
    rf"{_SPEECH_VERB.pattern}",
    re.I,
)


def find_quotes(text: str) -> list[Quote]:
    """Every quote of the document in order: speech and non-speech alike."""
    paragraphs = paragraph_spans(text)
    text = _typewriter_marks(text)
    style = _detect_style(text)
    dash = dash_paragraphs(text, paragraphs, len(style.marks.findall(text)) // 2 if style else 0)
    raw: list[_Raw] = []
    marks = style.marks if style else None
    for index, (ps, pe) in enumerate(paragraphs):
        if index in dash:
            raw.extend(
                _Raw(p.outer_start, p.outer_end, p.start, p.end, index, dash=True, joined=p.joined)
                for p in scan_dash(text, ps, pe)
            )
        elif style is not None and marks is not None and marks.search(text, ps, pe):
            next_start = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
            raw.extend(_scan(text, ps, pe, index, style, next_start))
    return _finish(text, raw, paragraphs)


# A backtick opening a quote, as old plain-text editions type ‘ (`Well,' said Alice).
_BACKTICK_OPEN = re.compile(r"(?:^|(?<=[\s(\[]))`(?=[^\W\d_])", re.MULTILINE)


def _typewriter_marks(text: str) -> str:
    """Old plain-text editions type “ ” as ``...'' and ‘ as a backtick (`Well,' said
    Alice). Where a book does, the marks they stand for, in a copy of the same length
    ("``" is "“ ", "''" is " ”") so that every offset still points into the book."""
    if "`" not in text:
        return text
    if text.count("``") >= 3:
        text = text.replace("``", "\u201c ").replace("''", " \u201d")
    if len(_BACKTICK_OPEN.findall(text)) >= 3:
        text = text.replace("`", "\u2018")
    return text


@dataclass
class _Raw:
    outer_start: int
    outer_end: int
    start: int
    end: int
    paragraph: int
    continues: bool = False  # runs on into the next paragraph
    dash: bool = False
    joined: bool = False  # a dash quote resumed after its speech tag


def _detect_style(text: str) -> _Style | None:
    def opening(marks: str) -> int:
        return len(re.findall(rf"(?:^|[\s(\[—–-])[{marks}][ \u00a0\u202f]?(?=[^\W_]|[¿¡])", text))

    counts = {
        _DOUBLE: text.count("\u201c") + (text.count('"') + 1) // 2,
        _LOW9: text.count("\u201e"),
        _CORNER: text.count("\u300c"),
        _GUILLEMETS: opening("\u00ab"),
        _GUILLEMETS_REVERSED: opening("\u00bb"),
        _SINGLE: sum(
            1
            for m in re.finditer(r"(?:^|[\s(\[—–-])['\u2018](?=\w)", text)
            if not _ELISION.match(text, m.end())
        ),
    }
    if counts[_LOW9]:
        counts[_DOUBLE] = 0  # “ closes in „ “ books
    # Double marks win unless singles clearly dominate: a double-quoted book has
    # many single marks (nested quotes, dialect elisions), not the other way round.
    counts[_SINGLE] = counts[_SINGLE] if counts[_SINGLE] > 2 * counts[_DOUBLE] else 0
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else None


def _scan(
    text: str, ps: int, pe: int, index: int, style: _Style, next_start: int | None
) -> list[_Raw]:
    found: list[_Raw] = []
    open_at: int | None = None
    single = style is _SINGLE
    # Curly marks say their direction, so “ inside an open “ starts a nested
    # level (Dickens: “... he said, “Hold your noise!” ...”) and straight marks
    # inside it are plain characters while a ” still follows to close it.
    curly = style is _DOUBLE
    depth = 0
    nested_close: int | None = None
    last_curly_close = text.rfind("\u201d", ps, pe) if curly else -1
    later_close = _LaterClose(text, pe)
    first = style.marks.search(text, ps, pe)
    first_mark = first.start() if first else pe
    for m in style.marks.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        left = text[i - 1] if i > ps else " "
        right = text[i + 1] if i + 1 < pe else " "
        if single and (left.isalnum() and right.isalnum()):
            continue  # don't, o'clock
        if curly and ch != '"' and left.isalpha() and right.isalpha():
            continue  # a curly mark typed for an apostrophe: don“t, It”s
        if open_at is None:
            closing = (ch in style.closes and ch not in style.opens) or (
                ch in style.straight and _closing_side(left, right)
            )
            if closing and i == first_mark and _lost_opening(text, ps, i, pe):
                found.append(_Raw(ps, i + 1, *_trim(text, ps, i), index))
                continue
            if closing:
                continue  # an apostrophe, 5' 10", or a typo
            if single and (left.isalnum() or _ELISION.match(text, i + 1, pe)):
                continue
            open_at, depth, nested_close = i, 0, None
        else:
            if curly and text[open_at] == "\u201c":
                if ch == '"' and i < last_curly_close:
                    continue
                if ch == "\u201c" and right not in _SPACE and not _closing_side(left, right):
                    depth += 1
                    continue
                # A ” or a mistyped “ ends the innermost level; one right before a
                # new “ (“... them?” “To sum up,” said he) ends both levels at once.
                if depth and not (depth == 1 and _REOPEN.match(text, i + 1, pe)):
                    depth -= 1
                    nested_close = i
                    continue
                depth = 0
            elif ch in style.opens and ch not in style.closes and ch not in style.straight:
                continue  # nested or mistyped: the outer quote goes on
            spaced = left in _SPACE and (single or (ch in style.straight and right not in _SPACE))
            if i == open_at + 1 or spaced:
                continue  # a closing mark has its quote's last letter on its left (« French »)
            if single and left.isalpha() and right in _WORD_END and later_close(i + 1):
                continue  # the dogs' bowls, "I'm comin', Tom," "no use cryin'. Go on."
            found.append(_raw(text, open_at, i + 1, index))
            open_at = None
    if open_at is not None:
        continues = next_start is not None and text[next_start] in style.opens + style.straight
        if nested_close is not None and not depth and not continues:
            # The nested level never closed: its ” was the outer quote's.
            found.append(_raw(text, open_at, nested_close + 1, index))
        else:
            quote = _raw(text, open_at, pe, index, closed=False)
            quote.continues = continues
            found.append(quote)
    return [q for q in found if q.start < q.end]


def _lost_opening(text: str, ps: int, i: int, pe: int) -> bool:
    """Does a paragraph open with speech whose opening mark was lost (with a drop cap, at
    a chapter's start: 'First, sir,” said Caderousse')? Its first mark closes after a stop
    and a speech tag follows."""
    return text[i - 1] in ",!?.\u2026\u2014-" and bool(
        _TAG_AFTER.match(" ".join(text[i + 1 : min(pe, i + 60)].split()))
    )


def _closing_side(left: str, right: str) -> bool:
    return (
        not left.isspace()
        and left not in "([{\u2014\u2013-"
        and (right.isspace() or not right.isalnum())
    )


class _LaterClose:
    """Does the open quote close further on in the paragraph, after sentence punctuation,
    before any new quote opens? Then a mark after a letter on the way is an apostrophe.

    Asked at increasing positions; each answer's marks are reused while they still lie
    ahead, so a paragraph full of "dogs' bowls" is searched once, not once per mark.
    """

    def __init__(self, text: str, end: int):
        self.text, self.end = text, end
        self.close = _Ahead(_STRONG_SINGLE_CLOSE, text, end)
        self.opening = _Ahead(_SINGLE_OPEN, text, end)

    def __call__(self, pos: int) -> bool:
        close = self.close.at(pos)
        if close is None:
            return False
        opening = self.opening.at(pos)
        return opening is None or close < opening


class _Ahead:
    """The next match of a pattern at or after a position, asked at increasing positions."""

    def __init__(self, pattern: re.Pattern[str], text: str, end: int):
        self.pattern, self.text, self.end = pattern, text, end
        self.searched_from = end + 1
        self.found: int | None = None

    def at(self, pos: int) -> int | None:
        if pos < self.searched_from or (self.found is not None and self.found < pos):
            m = self.pattern.search(self.text, pos, self.end)
            self.searched_from, self.found = pos, m.start() if m else None
        return self.found


def _raw(text: str, outer_start: int, outer_end: int, index: int, closed: bool = True) -> _Raw:
    start, end = _trim(text, outer_start + 1, outer_end - 1 if closed else outer_end)
    return _Raw(outer_start, outer_end, start, end, index)


def _finish(text: str, raw: list[_Raw], paragraphs: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    group = -1
    prev: _Raw | None = None
    prev_speech = False
    for _i, q in enumerate(raw):
        continued = prev is not None and prev.continues and q.paragraph == prev.paragraph + 1
        after_speech = prev is not None and prev_speech and q.paragraph == prev.paragraph
        # A piece going on in lower case after a comma ends the sentence of the piece before.
        resumed = text[q.start : q.start + 1].islower()
        tagged = (
            prev is not None
            and after_speech
            and (
                resumed
                or (
                    _tag_between(text, prev.outer_end, q.outer_start)
                    and not _own_tag(text, q, paragraphs[q.paragraph])
                    # 'I said: "Out." Carrie said: "In."': a new utterance, led in.
                    and not leads_in(
                        text[prev.start : prev.end], text[prev.outer_end : q.outer_start]
                    )
                )
            )
        )
        speech = (
            continued
            or q.continues
            or q.dash
            or _is_speech(text, q, paragraphs[q.paragraph], after_speech)
        )
        same = speech and prev_speech and (q.joined or continued or tagged)
        if not same:
            group += 1
        quotes.append(Quote(q.start, q.end, q.outer_start, q.outer_end, q.paragraph, group, speech))
        prev, prev_speech = q, speech
    return quotes


def leads_in(content: str, post: str) -> bool:
    """'I said: "Where have you been?" He said: "Out." and Carrie said: "..."': after a quote
    that ends its sentence, a new sentence ending in a colon introduces the quote after it
    (tag_before), never the one before ('"Yes," said John, and added:' is John's)."""
    return (
        post.rstrip().endswith(":")
        # One sentence; a line break inside a paragraph is the book's hard wrap, no stop.
        and not re.search(r"[.!?;]|\n\s*\n", post.rstrip()[:-1])
        # The quote ends its sentence: a stop, a dash of broken speech, or nothing at all
        # ('"You are late" Gowing said: "..."'); a comma hands it to the tag after it.
        and re.search(r"[,;]\W*\Z", content) is None
        and _NEW_SUBJECT.match(post) is not None
    )


# The lead-in opens on its own subject ("He said:", "and Carrie said:", "to which Gowing
# replied:"), not on the verb of an inverted tag ("said John, and added:"); a bare "she said:"
# after "So!" is that quote's own tag.
_NEW_SUBJECT = re.compile(
    r"\s*(?:[A-Z]|(?:and|but|then|so|whereupon|when|(?:to|upon|on|at)\s+which)\s+"
    r"(?:[A-Z]|(?:he|she|they|we)\b))"
)


def _own_tag(text: str, q: _Raw, paragraph: tuple[int, int]) -> bool:
    """A quote with its own tag after it ('"No," said I.', Japanese 「いいえ」と彼は言った)
    starts a new utterance."""
    if text.startswith(("\u3068", "\u3063\u3066"), q.outer_end):  # the quoting と, って
        return True
    return bool(
        _TAG_AFTER.match(" ".join(text[q.outer_end : min(paragraph[1], q.outer_end + 60)].split()))
    )


def _tag_between(text: str, start: int, end: int) -> bool:
    """Narration short enough to be one speech tag: at most one sentence.

    Nothing at all between two quotes is no tag: they are two utterances.
    """
    between = text[start:end].strip(_SPACE)
    if not between or len(between) > 200:
        return False
    return not re.search(r"[.!?\u2026][\"'\u201d\u2019)]*\s+\S", between)


def _is_speech(text: str, q: _Raw, paragraph: tuple[int, int], after_speech: bool) -> bool:
    content = text[q.start : q.end]
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", content)
    if not words:
        return False
    # A bounded look back keeps a huge paragraph full of quotes linear.
    before = " ".join(text[max(paragraph[0], q.outer_start - 200) : q.outer_start].split())
    after = " ".join(text[q.outer_end : min(paragraph[1], q.outer_end + 60)].split())
    short = len(words) <= TITLE_MAX_WORDS and len(re.findall(r"[.!?\u2026]\s+\S", content)) == 0
    titled = short and title_case(words)
    tag_before = bool(_SPEECH_VERB.search(before[-40:]))
    tag_after = bool(_TAG_AFTER.match(after))
    if (
        not before
        or _SENTENCE_END.search(before)
        or _WIDE_END.search(before)
        or before.endswith(("\u201d", '"'))
    ):
        # Standing as its own sentence: speech, unless a title that the sentence goes on from.
        bare = not re.search(r"[,.!?;:\u2026\u2014-]$", content)
        return not (titled and bare and re.match(r"^[a-z]", after) and not tag_after)
    if before.endswith(":"):
        return not titled or tag_before
    if after_speech and before.endswith((",", ";", "\u2014", "\u2013", "-")):
        return True  # the second half of a quote broken by its speech tag
    if tag_before and (
        before.endswith(",") or re.search(rf"{_SPEECH_VERB.pattern}\W*$", before, re.I)
    ):
        return True
    if _NOUN_OR_INFINITIVE.search(before):
        return False  # "kept up a “yo! yo!”", "their “Hurrah!”", "begged God to “guide us.”"
    if not short:
        return True
    if titled and not tag_after:
        return False  # a title ("Lost in the Haze," had become...), unless a tag follows
    ending = content.rstrip("\"'\u201d\u2019 ")
    if re.search("[!?\uff01\uff1f]$", ending) or tag_after:
        return True  # an exclamation or a cry, even without a speech verb
    sentence = bool(re.search("[.\u2026\u3002]$", ending)) and not words[0][0].islower()
    if before.endswith((",", ";", "\u2014", "\u2013", "-", "(")):
        return sentence
    # Quoted words inside a running sentence are a scare quote or a quoted phrase,
    # unless they form a whole sentence of their own (a thought, a line read out).
    return sentence
