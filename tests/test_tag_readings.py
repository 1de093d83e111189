"""Readings of English in speech tags and names that are right for any novel: a table of
invented passages per reading, each with the speakers it must give (issue 10, branch tags5)."""

from __future__ import annotations

import pytest
from rosters import build, decided, speakers, who

from audiobook.speakers.names import compile_names
from audiobook.speakers.tags import TagReader
from audiobook.text.quotes import find_quotes

# --- Perception tags: the one heard speaks, never the hearer ("Mary heard her say").

HEARD = [
    (  # an object pronoun after the quote; Mary hears, so "her" is Jane
        """"Good morning," said Mary Lane, and she sat down with her book.

"Good morning," said Jane Hill from the door.

"It is late," Mary heard her say.

"It is," said Mary.""",
        ["Mary", "Jane Hill", "Jane Hill", "Mary"],
    ),
    (  # the same as a lead-in
        """"Good morning," said Mary Lane, and she sat down with her book.

"Good morning," said Jane Hill from the door. Mary went on reading.
Then Mary heard her say:

"It is late."

"It is," said Mary.""",
        ["Mary", "Jane Hill", "Jane Hill", "Mary"],
    ),
    (  # the first line of a scene, told from the child who listens
        """Mary Lane sat on the stairs. Mrs. Lane stood below in the hall with Mr. Grant,
and she was pale.

"Is it so very bad?" Mary heard her say.

"Very bad," said Mr. Grant.

"Good night," said Mary.""",
        ["Mrs. Lane", "Mr. Grant", "Mary"],
    ),
    (  # a named object after the quote
        """"Good day," said Tom Brown to Mr. Grant.

"Good day," answered Mr. Grant.

"Stop, thief!" Tom heard Dick Smith cry from the road.

"Who?" asked Tom.""",
        ["Tom", "Mr. Grant", "Dick Smith", "Tom"],
    ),
    (  # a described object: whoever the old man is, he is not Tom
        """"Good day," said Tom Brown to Mr. Grant.

"Good day," answered Mr. Grant.

"Stop, thief!" Tom heard the old man cry.""",
        ["Tom Brown", "Mr. Grant", "the old man"],
    ),
    (  # a first-person narrator hears a named person, with a comma lead-in
        """"Sit down, Tom," said Mr. Grant.

"Thank you," said Tom Brown.

I sat in the corner and said nothing. Then I heard Tom say, "It is late.\"""",
        ["Mr. Grant", "Tom Brown", "Tom Brown"],
    ),
    (  # "overheard", with a parenthesis between the verb and the quote
        """"Play cards with this boy," said Mrs. Lane to Jane.

"With this boy? Why, he is a common boy!" said Jane.

I thought I overheard Mrs. Lane answer, only it seemed so unlikely,
"Well? You can break his heart."

"What do you play, boy?" asked Jane of me.""",
        ["Mrs. Lane", "Jane", "Mrs. Lane", "Jane"],
    ),
    (  # a reflexive object is the hearer
        """"Will you come?" asked Tom Brown.

"No," Mary heard herself say.

"Why not?" said Tom.

"Because," said Mary.""",
        ["Tom Brown", "Mary", "Tom Brown", "Mary"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEARD)
def test_the_one_heard_speaks(text, expected):
    assert speakers(text) == expected


def test_a_heard_lead_in_is_a_named_tag_not_a_guess():
    text = """I went out with Joe Gargery to the forge that night. When we were there
I heard Joe call out:

"Pip, old chap!"

"Coming," said I."""
    assert decided(text)[0] == ("Joe Gargery", "named-tag")


@pytest.mark.parametrize(
    ("tag", "kind", "text", "other"),
    [
        (" Mary heard her say.", "pronoun", "she", "Mary"),
        (" he heard him whisper.", "pronoun", "he", None),
        (" I heard Joe calling.", "name", "Joe", None),
        (" Mary heard Joe say, quietly.", "name", "Joe", "Mary"),
        (" Joe heard me say.", "narrator", "I", "Joe"),
        (" Mary heard herself say.", "name", "Mary", None),
        (" Mary heard her mother say.", "description", "her mother", "Mary"),
    ],
)
def test_a_perception_tag_reads_the_one_heard(tag, kind, text, other):
    found = TagReader(compile_names(["Mary", "Joe"])).after(tag)
    assert found is not None
    assert (found.kind, found.text, found.other) == (kind, text, other)


def test_hearing_without_a_speech_verb_is_no_tag():
    # "Mary heard her." names nobody who speaks: no verb of speech follows.
    assert TagReader(compile_names(["Mary"])).after(" Mary heard her.") is None


# --- Given names that are English words ("said Will Green", "cried Grace", "said Rose").

WILL = """Will Green came in with Ann Black. He said he will not stay long, and she rose and
went to the window with good grace.

"Good morning," said Will Green.

"Good morning to you," said Ann.

"It will rain," said Will. "I know it."

"Then stay," said Ann. Will sat down.
"""

ROSE = """Rose Hall and Grace Miller sat at the table. Rose rose and went to the window; Grace
said grace. There was no hope of rain, and Hope Carter knew it.

"Pass the bread," said Hope Carter.

"Here," cried Grace.

"And the butter," said Rose Hall.

"No," said Rose.

"Yes," said Hope.
"""


def test_a_modal_before_a_surname_is_a_given_name():
    r = build(WILL)
    will = who(r, "Will")
    assert will is not None and will is who(r, "Will Green")
    assert speakers(WILL) == ["Will Green", "Ann", "Will Green", "Will Green", "Ann"]


def test_common_nouns_and_verbs_said_as_names_keep_the_full_name():
    r = build(ROSE)
    assert who(r, "Rose") is who(r, "Rose Hall") is not None
    assert who(r, "Grace") is who(r, "Grace Miller") is not None
    assert who(r, "Hope") is who(r, "Hope Carter") is not None
    assert speakers(ROSE) == ["Hope Carter", "Grace", "Rose Hall", "Rose Hall", "Hope Carter"]


def test_a_kinship_is_no_given_name():
    text = """Raymond was a cousin of the house.

"We are to love our neighbour," said Sarah Pocket.

"If a man is not his own neighbour, who is?" returned Cousin Raymond.

"Quite so," said Raymond.
"""
    r = build(text)
    assert who(r, "Cousin Raymond") is None and who(r, "Raymond") is not None


# --- Names with a lower-case particle ("d'Artagnan", "de Villefort", "van Helsing").

DART = """d'Artagnan came into the room where Porthos waited. Porthos looked up at him.

"Good day," said d'Artagnan.

"Good day to you," said Porthos.

d'Artagnan's face fell. "You are late," he said.

"I am never late," Porthos replied.

"You are," d'Artagnan said.

D'Artagnan sat down by the window.
"""

PARTICLES = """Monsieur de Villefort entered with Doctor van Helsing and Madame Danglars.

"Sit down," said de Villefort.

"Thank you," said van Helsing.

"And I?" asked Madame Danglars.

"Well?" asked Villefort.

"Nothing," van Helsing replied.
"""

CELTIC = """Pat O'Brien met Angus M'Gregor and Hans von Arnim at the gate.

"Fine day," said O'Brien.

"Aye," said M'Gregor.

"Ja," said von Arnim.
"""


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_an_elided_particle_name_speaks_and_is_one_person(apostrophe):
    text = DART.replace("'", apostrophe)
    name = "d'Artagnan".replace("'", apostrophe)
    r = build(text)
    # "D'Artagnan" opening a sentence is the same man, not a second character.
    assert [c.name for c in r.characters if "Artagnan" in c.name] == [name]
    assert speakers(text) == [name, "Porthos", name, "Porthos", name]


def test_a_particle_before_a_surname_in_a_tag_names_the_person():
    assert decided(PARTICLES) == [
        ("Villefort", "named-tag"),
        ("Helsing", "named-tag"),
        ("Madame Danglars", "named-tag"),
        ("Villefort", "named-tag"),
        ("Helsing", "named-tag"),
    ]
    r = build(PARTICLES)
    assert who(r, "Doctor van Helsing") is who(r, "Helsing")


def test_celtic_and_german_surnames_speak_as_themselves():
    assert speakers(CELTIC) == ["Pat O'Brien", "Angus M'Gregor", "Hans von Arnim"]


def test_a_capitalised_particle_at_a_sentence_start_is_the_book_s_lower_case_name():
    text = """"Come in," said M. d'Avrigny to Valentine.

D'Avrigny smiled sadly. "You sent for me," he said.

"I did," said Valentine.
"""
    r = build(text)
    assert [c.name for c in r.characters if "Avrigny" in c.name] == ["M. d'Avrigny"]
    assert speakers(text) == ["M. d'Avrigny", "M. d'Avrigny", "Valentine"]


# --- "X said: '…' Y said: '…'": each colon lead-in introduces the quote after it.

DIARY = """I went home early with Carrie, and I found Gowing at the gate. I was tired and
I was cross with him. I said: "You are late again, Gowing." Gowing
said: "The trains were bad." Carrie
said: "They always are." I said: "Come in, then."
"""

SILENT = """Mr. Perkupp called me and Lupin into his room. I was frightened. He said:
"Sit down." Lupin said: "Thank you, sir." I said nothing. My knees shook.
"""


def test_a_colon_lead_in_broken_by_the_book_s_line_wrap_is_the_next_quote_s():
    # The hard wrap inside "Gowing\\nsaid:" is no sentence stop: the lead-in belongs to the
    # quote after it, not to the narrator's line before.
    assert speakers(DIARY) == ["narrator", "Gowing", "Carrie", "narrator"]


def test_saying_nothing_is_no_tag():
    assert speakers(SILENT) == ["Mr. Perkupp", "Lupin"]
    assert TagReader(compile_names(["Lupin"])).after(" I said nothing.") is None
    assert TagReader(compile_names(["Lupin"])).after(" Lupin said no more.") is None


@pytest.mark.parametrize("joint", ["", "and ", "to which ", "whereupon "])
def test_each_colon_lead_in_opens_a_new_utterance(joint):
    # 'I said: "A." Carrie said: "B."' is two utterances, not one broken by a tag: the
    # quote finder keeps them apart (one line each), and the lead-in names the second.
    text = (
        "I went home early with Carrie, and I found Gowing at the gate. I was tired and I\n"
        "was cross with him, and I told him so.\n\n"
        f'I said: "You are late." {joint}Gowing said: "The trains were bad." {joint}Carrie\n'
        'said: "They always are"\n'
    )
    found = [q for q in find_quotes(text) if q.is_speech]
    assert len({q.group for q in found}) == 3
    assert speakers(text) == ["narrator", "Gowing", "Carrie"]


def test_a_tag_and_a_lead_in_after_one_quote_stay_that_speaker_s():
    # '"Yes," said John, and added:' and '"So!" she said:' tag the quote before them too.
    text = """"Come in," said Ann Black to John Brown.

"Yes," said John, and added: "I will."

"So!" she said: "you came."
"""
    found = [q for q in find_quotes(text) if q.is_speech]
    assert found[1].group == found[2].group and found[3].group == found[4].group
    assert speakers(text) == ["Ann Black", "John Brown", "John Brown", "Ann Black", "Ann Black"]
