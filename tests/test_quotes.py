import json

import pytest

from audiobook.text.quotes import find_quotes, paragraph_spans
from audiobook.text.reader import read_inputs


def contents(text):
    return [text[q.start : q.end] for q in find_quotes(text)]


def speech(text):
    return [text[q.start : q.end] for q in find_quotes(text) if q.is_speech]


def test_seed_002_has_exactly_its_five_speech_quotes(seeds_dir):
    [doc] = read_inputs([seeds_dir / "002_ae557fbbbf91644b.txt"])
    quotes = find_quotes(doc.text)
    said = [q for q in quotes if q.is_speech]
    assert [doc.text[q.start : q.end] for q in said] == [
        "You killed it out there, mila,",
        "How did you feel out there?",
        "I don't know,",
        "It was like I was trying to hold onto something, but it kept slipping away.",
        "La vida es un viaje sin destino",
    ]
    assert said[2].group == said[3].group
    assert len({said[0].group, said[1].group, said[2].group, said[4].group}) == 4
    for q in said:
        assert doc.text[q.outer_start] == '"' and doc.text[q.outer_end - 1] == '"'


def test_seed_000_song_titles_are_not_speech(seeds_dir):
    [doc] = read_inputs([seeds_dir / "000_eeeebb6e84d7bbbd.txt"])
    quotes = find_quotes(doc.text)
    assert [doc.text[q.start : q.end] for q in quotes] == ["Lost in the Haze,", "Lost in the Haze"]
    assert not any(q.is_speech for q in quotes)


def overlap_matches(pred, gold):
    hits = 0
    for gs, ge in gold:
        if any(min(pe, ge) - max(ps, gs) >= 0.5 * max(pe - ps, ge - gs) for ps, pe in pred):
            hits += 1
    return hits


def test_steppe_excerpt_against_gold(data_dir):
    [doc] = read_inputs([data_dir / "manuscript" / "steppe_excerpt.txt"])
    gold = json.loads(
        (data_dir / "manuscript" / "steppe_excerpt.gold.json").read_text(encoding="utf-8")
    )
    quotes = find_quotes(doc.text)
    for wanted, label in ((lambda g: True, "all"), (lambda g: g["speech"], "speech")):
        gold_spans = [(g["start"], g["end"]) for g in gold if wanted(g)]
        pred = [(q.start, q.end) for q in quotes if label == "all" or q.is_speech]
        hits = overlap_matches(pred, gold_spans)
        assert hits / len(gold_spans) >= 0.95, label
        assert overlap_matches(gold_spans, pred) / len(pred) >= 0.95, label
    not_speech = {doc.text[g["start"] : g["end"]] for g in gold if not g["speech"]}
    assert "going his rounds in these parts," in not_speech
    found = {doc.text[q.start : q.end] for q in quotes if not q.is_speech}
    assert len(not_speech & found) >= 5


def test_curly_hard_wrapped_quotes(data_dir):
    [doc] = read_inputs([data_dir / "manuscript" / "great_expectations_opening.txt"])
    text = doc.text
    quotes = find_quotes(text)
    by_text = {text[q.start : q.end]: q for q in quotes}
    first = by_text["Oh! Don\u2019t cut my throat, sir,"]
    second = by_text["Pray don\u2019t do it,\nsir."]
    assert first.is_speech and second.is_speech and first.group == second.group
    assert not by_text["_Also Georgiana Wife of the Above_,"].is_speech
    assert by_text["Hold your noise!"].is_speech
    assert all("\u2019" not in text[q.outer_start] for q in quotes)


def test_interrupted_quote_shares_a_group():
    text = '"Well," said he, "I suppose so."\n\n"No," she said.'
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["Well,", "I suppose so.", "No,"]
    assert quotes[0].group == quotes[1].group != quotes[2].group
    assert all(q.is_speech for q in quotes)


@pytest.mark.parametrize("open_, close", [('"', '"'), ("\u201c", "\u201d")])
def test_multi_paragraph_quote(open_, close):
    text = (
        f"{open_}I went down to the river,\nand the water was high.\n\n"
        f"{open_}Then I came home,{close} he said.\n\nShe nodded."
    )
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "I went down to the river,\nand the water was high.",
        "Then I came home,",
    ]
    assert quotes[0].group == quotes[1].group
    assert quotes[0].paragraph == 0 and quotes[1].paragraph == 1


def test_nested_quote_stays_inside():
    text = (
        "\u201cHe told me \u2018go away\u2019 and left,\u201d she said. \u201cThat\u2019s "
        "all.\u201d"
    )
    assert contents(text) == ["He told me \u2018go away\u2019 and left,", "That\u2019s all."]


def test_nested_curly_double_quotes_open_a_level():
    # Dickens nests “ inside “: the inner ” must not close the outer quote.
    text = (
        "\u201cNow, he said to me, \u201cHold your noise!\u201d and I held it,\u201d said Pip. "
        "\u201cWhat else?\u201d"
    )
    assert contents(text) == [
        "Now, he said to me, \u201cHold your noise!\u201d and I held it,",
        "What else?",
    ]


def test_nested_close_right_before_a_new_quote_closes_both_levels():
    text = (
        "\u201cHe said, \u201cWhat then?\u201d \u201cTo sum up, sir,\u201d said Wemmick, "
        "\u201cwe won.\u201d"
    )
    assert contents(text) == ["He said, \u201cWhat then?", "To sum up, sir,", "we won."]


def test_nested_level_that_never_closes_gives_back_the_outer_close():
    text = "\u201cShe wrote \u201cgo home and stay,\u201d said Tom, and sat down.\n\nThen he slept."
    assert contents(text) == ["She wrote \u201cgo home and stay,"]


def test_spaced_opening_mark_inside_a_quote_is_a_mistyped_close():
    text = "\u201cWhere are you from, sir? \u201c said he \u201cYou look lost.\u201d"
    assert contents(text) == ["Where are you from, sir?", "You look lost."]


def test_straight_marks_inside_a_curly_quote_are_text():
    text = '\u201cType <prosody rate="slow">this</prosody> now,\u201d said Tom. \u201cGo.\u201d'
    assert contents(text) == ['Type <prosody rate="slow">this</prosody> now,', "Go."]


def test_nested_double_inside_single_style():
    text = "'He shouted \"Fire!\" twice,' said Tom.\n\n'Then we ran,' said Ann. 'Fast.'"
    assert contents(text) == ['He shouted "Fire!" twice,', "Then we ran,", "Fast."]


def test_apostrophes_are_not_quotes_in_single_quoted_books():
    text = (
        "'It is the season,' she said. 'We played rock 'n' roll like in the '90s, "
        "and filled the dogs' bowls. Don't you remember?'\n\n"
        "'I do,' he said. ''Twas a good year, o' course.'\n\n"
        "'Yes,' said Ann. 'It was.'"
    )
    assert contents(text) == [
        "It is the season,",
        "We played rock 'n' roll like in the '90s, and filled the dogs' bowls. Don't you remember?",
        "I do,",
        "'Twas a good year, o' course.",
        "Yes,",
        "It was.",
    ]


def test_apostrophes_in_double_quoted_books_are_ignored():
    text = "Rock 'n' roll in the '90s, 'tis said; the dogs' bowls. \"Don't,\" said Jo."
    assert contents(text) == ["Don't,"]


def test_stray_mark_closes_at_paragraph_end():
    text = '"Wait for me, she cried.\n\nThe door closed. Nobody answered.'
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["Wait for me, she cried."]
    assert quotes[0].outer_end <= text.index("\n")


def test_guillemets():
    text = "\u00ab Bonjour \u00bb, dit Marie. \u00ab Comment vas-tu\u00a0? \u00bb\n\nIl sourit."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["Bonjour", "Comment vas-tu\u00a0?"]
    assert quotes[0].group == quotes[1].group and all(q.is_speech for q in quotes)


def test_german_low_quotes():
    text = "\u201eGuten Tag\u201c, sagte er. \u201eWie geht es?\u201c\n\nSie lachte."
    assert contents(text) == ["Guten Tag", "Wie geht es?"]


def test_spanish_dialogue_dashes():
    text = (
        "Sof\u00eda entr\u00f3 en la cocina.\n\n"
        "\u2014\u00bfC\u00f3mo est\u00e1s? \u2014pregunt\u00f3 Sof\u00eda.\n\n"
        "\u2014Bien \u2014dijo Ana\u2014. \u00bfY t\u00fa?\n\n"
        "La tarde ca\u00eda."
    )
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "\u00bfC\u00f3mo est\u00e1s?",
        "Bien",
        "\u00bfY t\u00fa?",
    ]
    assert quotes[1].group == quotes[2].group != quotes[0].group
    assert all(q.is_speech for q in quotes)


@pytest.mark.parametrize(
    "text, quoted, is_speech",
    [
        ('Her latest single, "Lost in the Haze," had become a hit.', "Lost in the Haze,", False),
        ('The crowd cheered as "Lost in the Haze" kicked off.', "Lost in the Haze", False),
        (
            'He was always "going his rounds in these parts," and never home.',
            "going his rounds in these parts,",
            False,
        ),
        (
            'An engraving with the inscription, "The Indifference of Man." hung there.',
            "The Indifference of Man.",
            False,
        ),
        (
            'She hummed, the words echoing in her mind: "La vida es un viaje sin destino" and '
            "smiled.",
            "La vida es un viaje sin destino",
            True,
        ),
        ('He turned. "Come here." She came.', "Come here.", True),
        ('He shouted "Stop!" and ran.', "Stop!", True),
        ('She said, "we should go."', "we should go.", True),
        ('The sign read "Closed" all day.', "Closed", False),
    ],
)
def test_speech_or_not(text, quoted, is_speech):
    [quote] = [q for q in find_quotes(text) if text[q.start : q.end] == quoted]
    assert quote.is_speech is is_speech


def test_crlf_text():
    text = '"One," he said.\r\n\r\n"Two,\r\nthree," she said.\r\n'
    assert contents(text) == ["One,", "Two,\r\nthree,"]


def test_paragraph_spans_blank_lines_and_wrapping():
    text = (
        "First line\nwraps here.\n\n  \nSecond para.\n   Indented starts\nthe third.\n\n\nFourth."
    )
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "First line\nwraps here.",
        "Second para.",
        "Indented starts\nthe third.",
        "Fourth.",
    ]


def test_paragraph_spans_are_split_once_per_text_and_each_caller_gets_its_own_list():
    text = "One.\n\nTwo."
    first = paragraph_spans(text)
    first.append((99, 100))  # a caller's own list: the next caller's is whole
    assert paragraph_spans(text) == [(0, 4), (6, 10)]
    edited = text.replace("Two.", "Two more.")  # another text: split anew
    assert paragraph_spans(edited) == [(0, 4), (6, 15)]


def test_paragraph_spans_any_line_ending():
    for newline in ("\n", "\r\n", "\r"):
        text = newline.join(["One line", "wraps here.", "", "Two.", " \t", "", "Three"])
        spans = [" ".join(text[a:b].split()) for a, b in paragraph_spans(text)]
        assert spans == ["One line wraps here.", "Two.", "Three"], repr(newline)


def test_paragraph_spans_unwrapped_lines_are_paragraphs():
    line = "This is a long paragraph written on a single line, as word processors save it, " * 2
    text = f"{line}\n{line}\n{line}"
    assert len(paragraph_spans(text)) == 3


def test_short_indented_lines_that_end_sentences_are_paragraphs():
    # One paragraph per line, each indented, no blank lines: dialogue-heavy books saved from a
    # word processor.
    lines = [
        "\t\u201cHi,\u201d he said.",
        "\t\u201cHello.\u201d",
        "\tThey walked on.",
        "\t\u201cWhere to?\u201d",
    ]
    text = "\n".join(lines)
    assert [text[a:b] for a, b in paragraph_spans(text)] == [line.strip() for line in lines]
    assert [q.group for q in find_quotes(text)] == [0, 1, 2]


def test_wrapped_lines_ending_mid_sentence_stay_one_paragraph():
    text = "  He walked on\n  down the lane.\n  Then he stopped\n  and looked back\n  at the house."
    assert len(paragraph_spans(text)) == 1


def test_single_quote_full_of_possessives_is_one_quote():
    # Each plural possessive inside an open quote asks whether a real close follows
    # (its speed, side by side with plain text, is in bench/bench_stages.py).
    text = "'Yes,' she said. 'The cats' beds" + " and the dogs' bowls" * 5000 + " are empty.'\n"
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == ["Yes,", text[18:-2]]


def test_large_book_finds_every_quote():
    para = (
        '"Where are you going?" asked the man. He walked on, and she said, "Home," and smiled.\n\n'
    )
    text = para * 10000
    quotes = find_quotes(text)
    assert len(quotes) == 20000


def test_french_dialogue_dash_with_inserted_tag():
    text = (
        "Il entra.\n\n\u2014 Bonjour, dit Marie. Comment vas-tu\u00a0?\n\n"
        "\u2014 Bien, r\u00e9pondit-il.\n\n\u2014 Et toi\u00a0?"
    )
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "Bonjour,",
        "Comment vas-tu\u00a0?",
        "Bien,",
        "Et toi\u00a0?",
    ]
    assert quotes[0].group == quotes[1].group
    assert len({quotes[1].group, quotes[2].group, quotes[3].group}) == 3


def test_a_title_cased_line_followed_by_its_speech_tag_is_speech():
    text = (
        "He looked up, and then, \u201cSay, Merc\u00e9d\u00e8s,\u201d he said, \u201cwill you "
        "come?\u201d"
    )
    found = find_quotes(text)
    assert [text[q.start : q.end] for q in found if q.is_speech] == [
        "Say, Merc\u00e9d\u00e8s,",
        "will you come?",
    ]


@pytest.mark.parametrize(
    "text, groups",
    [
        ('"Well," said he, "I suppose so."', 1),  # one utterance broken by its tag
        ('"The idea of its being you!" said he. "The idea of its being you!" said I.', 2),
        ('"Yes." "No."', 2),  # nothing between: two utterances
    ],
)
def test_a_quote_with_its_own_tag_starts_a_new_utterance(text, groups):
    assert len({q.group for q in find_quotes(text)}) == groups
