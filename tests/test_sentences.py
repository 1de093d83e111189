"""The one sentence splitter the attribution rules read narration with: titles, initials,
ellipses, quotes and dashes. Invented sentences."""

from __future__ import annotations

import pytest
from rosters import decided

from audiobook.model import NARRATOR
from audiobook.text.sentences import last_sentence, split_sentences

CASES = [
    # titles and honorifics before a name end nothing
    ("Mr. Pell came in. He sat down.", ["Mr. Pell came in. ", "He sat down."]),
    (
        "Mrs. Orme and Dr. Vane left. Then it rained.",
        ["Mrs. Orme and Dr. Vane left. ", "Then it rained."],
    ),
    (
        "Mme. Arnaud spoke to Mlle. Roux. She bowed.",
        ["Mme. Arnaud spoke to Mlle. Roux. ", "She bowed."],
    ),
    (
        "Messrs. Hale and Cobb sat. Capt. Dunn rose.",
        ["Messrs. Hale and Cobb sat. ", "Capt. Dunn rose."],
    ),
    ("We walked to St. Anne's. It was shut.", ["We walked to St. Anne's. ", "It was shut."]),
    # initials, but "I" alone ends a sentence
    ("I met J. T. Barlow there. He laughed.", ["I met J. T. Barlow there. ", "He laughed."]),
    ("M. Verlaine came. It was late.", ["M. Verlaine came. ", "It was late."]),
    ("Nobody went but I. Then the bell rang.", ["Nobody went but I. ", "Then the bell rang."]),
    # a stop before a small letter ends nothing
    ("They had pens, ink, etc. and little else.", ["They had pens, ink, etc. and little else."]),
    (
        "It was six p.m. when he came. Night fell.",
        ["It was six p.m. when he came. ", "Night fell."],
    ),
    # ellipses: three stops or the one character, before a capital
    ("He waited... Then he spoke.", ["He waited... ", "Then he spoke."]),
    ("He waited\u2026 Then he spoke.", ["He waited\u2026 ", "Then he spoke."]),
    ("He waited... and then he spoke.", ["He waited... and then he spoke."]),
    # quotes: a line that ends its sentence, a closing quote after the stop, an opening one
    ("“Stop!” cried the boy. Nobody stopped.", ["“Stop!” cried the boy. ", "Nobody stopped."]),
    ("He said “No.” Then he left.", ["He said “No.” ", "Then he left."]),
    ("She nodded. “Go,” she said.", ["She nodded. ", "“Go,” she said."]),
    ("He shouted 'Fire!' Everyone ran.", ["He shouted 'Fire!' ", "Everyone ran."]),
    # dashes and exclamations
    ("He began--no. It was nothing.", ["He began--no. ", "It was nothing."]),
    ("Then—silence! What was that?", ["Then—silence! ", "What was that?"]),
    ("Who is there?! Answer me.", ["Who is there?! ", "Answer me."]),
    # a paragraph ends its sentence whatever follows: a quote blanked out, a small letter
    (
        'He asked about the coat.\n\n"     " said she.',
        ["He asked about the coat.\n\n", '"     " said she.'],
    ),
    ("It ended.\n\nand so on", ["It ended.\n\n", "and so on"]),
    ("Mr.\nSmith came.", ["Mr.\nSmith came."]),
    # accented capitals start sentences too
    ("He waited. Édouard came.", ["He waited. ", "Édouard came."]),
]


@pytest.mark.parametrize(("text", "sentences"), CASES)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences
    assert last_sentence(text) == sentences[-1]


def test_the_pieces_cover_the_text():
    text = "A man came. “Who?” said Mr. Lane. He went--and came back... Nobody spoke."
    assert "".join(split_sentences(text)) == text
    assert split_sentences("") == []
    assert last_sentence("") == ""


def test_an_untagged_line_after_a_sentence_about_i_with_a_title_in_it():
    # The sentence before the line runs past "Mrs. Rudd": its "I" makes the line the
    # narrator's, not the last speaker's.
    text = (
        "I was alone with my aunt and Tom that night, and I was afraid of her. I sat still.\n\n"
        "“Where is he?” I asked.\n\n"
        "“Ask no questions, and you will be told no lies,” said Mrs. Rudd.\n\n"
        "It was not very polite, I thought. But she never was polite.\n\n"
        "At this point Tom opened his mouth very wide, to make a word that looked like"
        " “sulks.” Therefore, I naturally pointed to Mrs. Rudd, and put my mouth into the form"
        " of saying, “her?” But Tom would not hear of that.\n"
    )
    assert decided(text)[-1] == (NARRATOR, "fallback")
