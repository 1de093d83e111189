"""Conversation logic on short invented passages: who takes each untagged turn.

Each row: (rule under test, passage, expected speaker of each speech quote in order).
"""

from __future__ import annotations

import pytest
from test_attribution import assert_speakers, speakers

from audiobook.model import NARRATOR
from audiobook.text.sentences import last_sentence

TURNS = [
    (
        "a name after 'my cousin,' says who the cousin is; it calls nobody to answer",
        "Martha Greene had stayed at home. Peter and Hugh Drummond sat by the fire with the "
        'boy.\n\n"And who is this young man?" asked Hugh Drummond.\n\n'
        '"The son of my cousin, Martha Greene," said Peter.\n\n"Is he at school?"\n\n"Not yet."',
        ["Hugh Drummond", "Peter", "Hugh Drummond", "Peter"],
    ),
    (
        "a pause in the talk: a narration paragraph naming nobody keeps the turns",
        "Harold met Agnes at the gate of the mill.\n\n"
        '"Where is the miller?" asked Harold.\n\n"Gone to town," said Agnes.\n\n'
        '"And the key?"\n\n"He took it."\n\nHe frowned and kicked the gate.\n\n'
        '"Then we wait!"\n\n"We wait."',
        ["Harold", "Agnes", "Harold", "Agnes", "Harold", "Agnes"],
    ),
    (
        "a narration paragraph that names someone ends the turns",
        "Harold met Agnes at the gate of the mill.\n\n"
        '"Where is the miller?" asked Harold.\n\n"Gone to town," said Agnes.\n\n'
        "Agnes sat down on the step and looked at the road.\n\n"
        '"He will be back by dark."',
        ["Harold", "Agnes", "Agnes"],
    ),
    (
        "a lead-in paragraph ('...and read:') is no pause: its subject speaks",
        "Harold met Agnes at the gate of the mill.\n\n"
        '"Where is the miller?" asked Harold.\n\n"Gone to town," said Agnes.\n\n'
        "Harold took a note from the gate and read:\n\n"
        '"Back at six."',
        ["Harold", "Agnes", "Harold"],
    ),
    (
        "a title said alone ('Surely, uncle,') calls the one person the book gives it",
        "John Linden had come home early. Florence Linden was in the library with her "
        "cousin, Curtis Waring, and Curtis was reading.\n\n"
        '"Uncle, you are not looking well to-night."\n\n"I am not well, Florence."\n\n'
        '"Surely, uncle, you cannot mean that?"\n\n"I do, my child."\n\n'
        '"I love you, Uncle John," said Florence.',
        ["Florence Linden", "John Linden", "Florence Linden", "John Linden", "Florence Linden"],
    ),
    (
        "an answer without words ('A nod was the answer.') is the other's turn",
        "I rode up to the gate, where a tall man stood with his hands in his pockets. Joseph "
        "was digging in the yard.\n\n"
        "'Mr. Heathcliff?' I said.\n\nA nod was the answer.\n\n"
        "'I am your new tenant, sir.'",
        ["narrator", "narrator"],
    ),
    (
        "a shake of the head answers: the one who asked speaks again",
        "Harold met Agnes at the gate of the mill.\n\n"
        '"Where is the miller?" asked Harold.\n\n"Gone to town," said Agnes.\n\n'
        '"Will he be back to-night?"\n\nShe shook her head.\n\n"Then we wait till morning."\n\n'
        '"Wait, then."',
        ["Harold", "Agnes", "Harold", "Harold", "Agnes"],
    ),
    (
        "a call opening the book ('HAROLD!') is never nobody's: the next most talked-of",
        '"HAROLD!"\n\nNo answer.\n\n"HAROLD!"\n\n'
        "Aunt Agnes pulled her spectacles down and looked over them about the room. Aunt Agnes "
        "was vexed, as Aunt Agnes always was when Harold hid. Harold was in the closet, and "
        "Harold kept still.",
        ["Aunt Agnes", "Aunt Agnes"],
    ),
    (
        "a title two people bear calls nobody in particular",
        "Aunt Jane and Aunt Mary sat by the fire. Tom came in from the yard.\n\n"
        '"Where have you been, Tom?" said Aunt Jane.\n\n"In the yard, aunt."\n\n'
        '"Wash your hands," said Aunt Mary.',
        ["Aunt Jane", "Tom", "Aunt Mary"],
    ),
    (
        "a run tagged for two people: the one a line calls by name may answer it untagged",
        "Danglars, Caderousse and Fernand sat at the table under the arbour.\n\n"
        '"Do you know them, Fernand?" said Danglars.\n\n"Yes," was the reply.\n\n'
        '"And I did not see them!" said Caderousse.',
        ["Danglars", "Fernand", "Caderousse"],
    ),
    (
        "words the first-person narrator reports ('I stammered that...') are the narrator's "
        "turn: the other speaks next",
        "Mr. Hobbes the attorney received me in his office, and I sat down.\n\n"
        '"You are to have a small income," said Mr. Hobbes. "Do you object?"\n\n'
        "Once more, I stammered with difficulty that I had no objection.\n\n"
        '"Very well. You will call here on the first of each month."\n\n'
        "I answered that I would, and thanked him.\n\n"
        '"Good day, then."',
        ["Mr. Hobbes", "Mr. Hobbes", "Mr. Hobbes", "Mr. Hobbes"],
    ),
    (
        "a reported answer that ends in a comma leads in the quote after it: not a turn",
        "Mr. Hobbes the attorney received me in his office, and Ellen Gray was there too.\n\n"
        '"Do you know this lady?" said Mr. Hobbes.\n\n'
        "Ellen answered with a sad smile,\n\n"
        '"He does not, sir."',
        ["Mr. Hobbes", "Ellen Gray"],
    ),
    (
        "in a first-person book, the narrator doing something between two lines is the "
        "narrator's turn without words, and the talk goes on",
        "Cousin Robert found me in the library with a book on my knee.\n\n"
        '"What are you reading?" said Robert.\n\n"A book of birds."\n\n"Show it."\n\n'
        "I went to the window and fetched it.\n\n"
        '"You have no business to read our books."',
        ["Robert", "narrator", "Robert", "Robert"],
    ),
]


@pytest.mark.parametrize("rule,text,expected", TURNS, ids=[t[0] for t in TURNS])
def test_turns(rule, text, expected):
    assert_speakers(text, expected)


def test_an_adverb_before_i_leaves_the_lead_in_a_tag():
    # "Therefore I" is no capitalised name: the lead-in is the narrator's own tag.
    text = (
        "I had known Rose all my life, and Robert too. Rose waited for an answer. "
        "Therefore I said:\n\n"
        '"I will go with Sir Jacob."'
    )
    assert [(who, rule) for _, who, rule in speakers(text)] == [(NARRATOR, "pronoun-tag")]


def test_the_last_sentence_of_narration_runs_past_titles_and_initials():
    # "Mr. Jaggers" and "J. R. Hobbes" end no sentence: the report is read whole.
    narration = (
        "This was bad ground. I answered that I had seen Mr. Jaggers and J. R. Hobbes there."
    )
    assert (
        last_sentence(narration) == "I answered that I had seen Mr. Jaggers and J. R. Hobbes there."
    )
    assert last_sentence("He went out. “Go,” she said.") == "“Go,” she said."


def test_a_named_person_reporting_words_takes_a_turn_in_a_third_person_book():
    text = (
        "Harold met Agnes at the gate of the mill.\n\n"
        '"Where is the miller?" asked Harold.\n\n"Gone to town," said Agnes.\n\n'
        "Harold said that he would wait for him all the same.\n\n"
        '"You will wait a long time."'
    )
    assert_speakers(text, ["Harold", "Agnes", "Agnes"])
