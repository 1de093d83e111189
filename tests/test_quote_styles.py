"""Quote conventions of real books, each as an invented passage with the quotes a reader
finds in it: dash dialogue and the tags inside its paragraphs, single marks among
apostrophes and dropped letters, nested and multi-paragraph quotes, a quote never closed,
mixed curly and straight marks, parentheses, letters, songs, and the quotes that are the
narrator's own words (titles, scare quotes, a quote used as a noun).
"""

from __future__ import annotations

import pytest

from audiobook.speakers import attribution, roster
from audiobook.text.quotes import find_quotes


def pieces(text: str) -> list[tuple[str, int]]:
    """Each speech quote's content and its utterance, numbered from 0 in order."""
    found = [q for q in find_quotes(text) if q.is_speech]
    order = list(dict.fromkeys(q.group for q in found))
    return [(text[q.start : q.end], order.index(q.group)) for q in found]


def speakers(text: str) -> list[tuple[str, str | None]]:
    found = find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    return [(text[q.start : q.end], a.speaker) for q, a in zip(found, said, strict=True)]


DASH_DIALOGUE = """Tall Fergus Doyle came up the ladder with a lantern.

{d}Wake up, Aidan! Wake up, you lazy scholar!

Aidan Rooney rolled over in the straw.

{d}Go away, Aidan said sleepily.

{d}The cheek of it! Fergus said, grinning. The cows are waiting, man!

{d}Is it raining?

{d}It is not.

{d}Then I said I would come, and I will come. Give me a minute, he said.

{d}Hurry, cried Fergus. Come on, Aidan said to himself, get up.
"""


@pytest.mark.parametrize("dash", ["\u2014", "--"])
def test_dash_dialogue_tags_inside_the_paragraph(dash):
    # Paragraphs opened by a dash (an em dash, or the "--" of plain-text editions) are
    # speech; a tag after the speech's comma, ! or ? ends it, and speech after the tag
    # goes on as the same utterance unless it has a tag of its own.
    text = DASH_DIALOGUE.format(d=dash)
    assert pieces(text) == [
        ("Wake up, Aidan! Wake up, you lazy scholar!", 0),
        ("Go away,", 1),
        ("The cheek of it!", 2),
        ("The cows are waiting, man!", 2),  # "said, grinning." is the tag's
        ("Is it raining?", 3),
        ("It is not.", 4),
        # "I said I would come" is speech: a tag ends at its verb, an adverb or "to whom".
        ("Then I said I would come, and I will come. Give me a minute,", 5),
        ("Hurry,", 6),
        ("Come on,", 7),  # its own tag: another utterance, another speaker
        ("get up.", 7),
    ]
    # Each tag names its speaker; the untagged lines between alternate.
    assert [who for _, who in speakers(text)] == [
        "Fergus", "Aidan", "Fergus", "Fergus", "Aidan", "Fergus", "Aidan", "Fergus", "Aidan",
        "Aidan",
    ]  # fmt: skip


def test_single_quotes_with_dropped_letters():
    # In a book quoted with single marks, a mark after a letter is an elision (comin',
    # cryin'., the lads') while the quote closes further on, after sentence punctuation, before
    # any new quote opens; 'a trifle'. closes where it stands since a new quote follows.
    text = (
        "'Where's the lads' dinner?' asked Mrs. Pell. 'It's gone one o'clock.'\n\n"
        "'I put it by the boys' beds,' said Nan, 'an' the dogs got it.'\n\n"
        "'Well, 'tis no use cryin'. He said to me, \"Keep it warm,\" and I never.'\n\n"
        "''Twas the same last week,' said Nan. 'I'm starvin'.'\n\n"
        "She called it 'a trifle'. Then she said, 'No, a great deal.'\n\n"
        "'Are you comin', Tom?' called Pell. 'We've the top field to do.'"
    )
    assert pieces(text) == [
        ("Where's the lads' dinner?", 0),
        ("It's gone one o'clock.", 1),
        ("I put it by the boys' beds,", 2),
        ("an' the dogs got it.", 2),
        ("Well, 'tis no use cryin'. He said to me, \"Keep it warm,\" and I never.", 3),
        ("'Twas the same last week,", 4),
        ("I'm starvin'.", 4),
        ("No, a great deal.", 5),
        ("Are you comin', Tom?", 6),
        ("We've the top field to do.", 6),
    ]
    assert "a trifle" in [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(  # nested quotes of the other kind are text of the outer quote
            "\"He said to me, 'Go home,' and I went,\" said Tom. \"So I did.\"\n\n"
            "\"I told him, 'You can't,'\" said Tom.",
            [("He said to me, 'Go home,' and I went,", 0), ("So I did.", 0),
             ("I told him, 'You can't,'", 1)],
            id="nested",
        ),
        pytest.param(  # a speech over paragraphs: no closing mark until the last one
            '"I was born in York," he began, "in 1632.\n\n"My father came from Bremen.\n\n'
            '"That is all."\n\n"Thank you," said she.',
            [("I was born in York,", 0), ("in 1632.", 0), ("My father came from Bremen.", 0),
             ("That is all.", 0), ("Thank you,", 1)],
            id="multi-paragraph",
        ),
        pytest.param(  # a quote opened and never closed ends with its paragraph
            '"Wait for me, she cried.\n\nThe door closed. "Too late," said Tom.',
            [("Wait for me, she cried.", 0), ("Too late,", 1)],
            id="unclosed",
        ),
        pytest.param(  # curly and straight marks mixed in one book
            "\u201cWhere to?\u201d said Tom. \"To the market,\" she answered.\n\n"
            "\"I don't know,\" he said. \u201cNor do I.\u201d",
            [("Where to?", 0), ("To the market,", 1), ("I don't know,", 2), ("Nor do I.", 2)],
            id="curly-and-straight",
        ),
        pytest.param(  # speech inside parentheses
            'He was tired ("I have walked all day," he said) and sat down.\n\n'
            "(\u201cNever mind,\u201d said she, \u201cnot ever.\u201d) He went on.",
            [("I have walked all day,", 0), ("Never mind,", 1), ("not ever.", 1)],
            id="parentheses",
        ),
        pytest.param(  # a letter read out, each paragraph reopened, signed at the end
            'The letter ran thus:\n\n"DEAR SIR,--Your son is well.\n\n"Yours truly,\n"JOHN SMITH."'
            '\n\n"Well!" said Mr. Brown.',
            [("DEAR SIR,--Your son is well.", 0), ('Yours truly,\n"JOHN SMITH.', 0),
             ("Well!", 1)],
            id="letter",
        ),
        pytest.param(  # a song over several lines is one quote
            "Then the sailors sang:\n\n\"Fifteen men on the dead man's chest--\n"
            'Yo-ho-ho, and a bottle of rum!"\n\n"That\'ll do," said the captain.',
            [("Fifteen men on the dead man's chest--\nYo-ho-ho, and a bottle of rum!", 0),
             ("That'll do,", 1)],
            id="song",
        ),
        pytest.param(  # a chapter that opens with speech whose opening mark went with the
            # drop cap: the first mark closes after a stop, and a tag follows
            "CHAPTER IV\n\nFirst, sir,\u201d said the innkeeper, \u201cyou must promise.\u201d\n\n"
            "\u201cI promise,\u201d said the priest.\n\nHe was six feet tall.\u201d Then she left.",
            [("First, sir,", 0), ("you must promise.", 0), ("I promise,", 1)],
            id="lost-opening",
        ),
        pytest.param(  # a curly mark typed for an apostrophe inside a word
            "\u201cI don\u201ct know,\u201d he said. \u201cNor I.\u201d\n\n"
            "\u201cIt\u201ds late,\u201d said Ann. \u201cGo home.\u201d",
            [("I don\u201ct know,", 0), ("Nor I.", 0), ("It\u201ds late,", 1),
             ("Go home.", 1)],
            id="curly-apostrophe",
        ),
        pytest.param(  # a mark inside a word or a name is no quote of its own
            "\u201cCome in,\u201d said the Hon. Bertie Wooster, reading the \u201cTimes.\u201d",
            [("Come in,", 0)],
            id="in-a-name",
        ),
    ],
)  # fmt: skip
def test_conventions(text, expected):
    assert pieces(text) == expected


@pytest.mark.parametrize(
    "text, quoted",
    [
        ('He had read "Paradise Lost" twice. She called it "a trifle."', "Paradise Lost"),
        ('He had read "Paradise Lost" twice. She called it "a trifle."', "a trifle."),
        ("The dogs kept up a \u201cyo! yo, o, o!\u201d all night.", "yo! yo, o, o!"),
        ("Then the dogs began their \u201cHo! ho!\u201d again.", "Ho! ho!"),
        (
            "The girls begged God to \u201cguide our feet along the narrow paths of the "
            "greatest usefulness.\u201d",
            None,
        ),
        ("I told him my joke about the \u201cfrayed\u201d shirts. I thought he would laugh.", None),
        ("They called at the \u201cAngel.\u201d Mr. James paid.", None),
    ],
)
def test_titles_scare_quotes_nouns_and_infinitives_are_narration(text, quoted):
    # A title, a scare quote, a quote used as a noun ("a", "their" before it) or after "to"
    # is part of the narrator's sentence; "twice. She called" is no speech tag either.
    found = find_quotes(text)
    if quoted is None:
        [quote] = found
    else:
        [quote] = [q for q in found if text[q.start : q.end] == quoted]
    assert not quote.is_speech


def test_japanese_corner_brackets():
    # 「 」 mark dialogue, 『 』 a quote inside it or a title; the quoting と after 」 is the
    # quote's own tag, so the next quote in the paragraph is another utterance.
    text = (
        "\u300c\u3069\u3053\u3078\u884c\u304f\u306e\uff1f\u300d\u3068\u30c8\u30e0\u306f"
        "\u8a00\u3063\u305f\u3002\u300c\u5e02\u5834\u3078\u300d\u3068\u5f7c\u5973\u306f"
        "\u7b54\u3048\u305f\u3002\n\n"
        "\u300c\u3060\u3081\u3060\u3002\u300e\u884c\u304f\u306a\u300f\u3068\u7236\u304c"
        "\u8a00\u3063\u305f\u300d\u3068\u5f7c\u306f\u8a00\u3063\u305f\u3002\n\n"
        "\u5f7c\u306f\u300e\u574a\u3063\u3061\u3083\u3093\u300f\u3092\u8aad\u3093\u3060\u3002"
    )
    assert pieces(text) == [
        ("\u3069\u3053\u3078\u884c\u304f\u306e\uff1f", 0),
        ("\u5e02\u5834\u3078", 1),
        ("\u3060\u3081\u3060\u3002\u300e\u884c\u304f\u306a\u300f\u3068\u7236\u304c\u8a00\u3063"
         "\u305f", 2),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            "``Where to?'' said Tom. ``To the market,'' she said, ``and home.''\n\n"
            "``Don't,'' he said. ``It's late.''",
            [("Where to?", 0), ("To the market,", 1), ("and home.", 1), ("Don't,", 2),
             ("It's late.", 2)],
            id="tex-doubles",
        ),
        pytest.param(
            "`Well!' thought Alice. `After such a fall, I shan't mind stairs!'\n\n"
            "`I wish I hadn't cried so much!' said Alice. `I shall be drowned!'\n\n"
            "`Which way?' `That depends,' said the Cat.",
            [("Well!", 0), ("After such a fall, I shan't mind stairs!", 0),
             ("I wish I hadn't cried so much!", 1), ("I shall be drowned!", 1),
             ("Which way?", 2), ("That depends,", 3)],
            id="backtick-singles",
        ),
    ],
)  # fmt: skip
def test_typewriter_marks_of_old_plain_text_editions(text, expected):
    assert pieces(text) == expected
    # Offsets point into the book as it is: the marks stay outside every quote's content.
    for q in find_quotes(text):
        assert text[q.outer_start] == "`" and text[q.start] not in "`' "
