"""Who a tag names when the plain lookups fail: one table row per rule, each a short
invented passage with the speaker (or the speaker's gender) expected for its quotes."""

from __future__ import annotations

import pytest
from casts import listed

from audiobook.speakers import attribution, roster
from audiobook.text import quotes


def voiced(text: str) -> list[tuple[str | None, str | None]]:
    """(speaker, speaker's gender in the roster) of each speech quote, in order."""
    found = quotes.find_quotes(text)
    people = roster.build_roster(text, found)
    gender = {c.name: c.gender for c in people.characters}
    said = attribution.attribute(text, found, people)
    return [
        (a.speaker, gender.get(a.speaker or ""))
        for q, a in zip(found, said, strict=True)
        if q.is_speech
    ]


# (rule under test, passage, expected (speaker or None, gender or None) per quote; a None
# is left unchecked)
PASSAGES = [
    (
        "a lead-in tag nobody in view fits still keeps its gender ('The old lady ... said:')",
        '"Tom!"\n\nNo answer. "Tom!"\n\nThe old lady looked perplexed for a moment, and then '
        "said, not fiercely, but loud enough for the furniture to hear:\n\n"
        '"Well, if I get hold of you, I will--"\n\n'
        "Tom had gone to the river with Joe. Tom and Joe fished all day. Aunt Martha sighed.",
        [(None, None), (None, None), ("Aunt Martha", "female")],
    ),
    (
        "'she lifted up her voice and shouted:' is her tag",
        '"Tom!"\n\nNo answer. "Tom!"\n\nThe old lady looked about. So she lifted up her voice '
        "at an angle calculated for distance and shouted:\n\n"
        '"You, Tom!"\n\n'
        "Tom had gone to the river with Joe. Tom and Joe fished all day. Aunt Martha sighed.",
        [(None, None), (None, None), ("Aunt Martha", "female")],
    ),
    (
        "a common word the book uses as a name in its tags ('remarked Good.') is a person",
        "Then there was Good, who is short and stout, with an eyeglass in his eye.\n\n"
        "'Three years,' said Good. 'Why do you ask?'\n\n"
        "'Because I mean to go,' said Sir Henry.\n\n"
        "'Ditto,' remarked Good, and he polished his eyeglass.",
        [("Good", "male"), ("Good", "male"), ("Sir Henry", "male"), ("Good", "male")],
    ),
    (
        "... but a capitalised interjection in the narration once is no one",
        "Good heavens, how it rained. Tom came in.\n\n'Wet,' said Tom.",
        [("Tom", "male")],
    ),
    (
        "'Larry, the doctor's man,' does not make Larry the doctor",
        "Larry, the doctor's man, had lit the lamp in the waiting-room. A woman came in.\n\n"
        '"Good evening," said the doctor. "Sit down."\n\n'
        '"Thank you," said the woman.\n\n'
        '"What is the matter?" asked the doctor.',
        [("the doctor", None)] * 2 + [("the woman", "female"), ("the doctor", None)],
    ),
    (
        "'the doctor' is the one Dr. of the book ('Dr.' stands for the noun 'doctor')",
        "Dr. Archie sat in his office. Larry, the doctor's man, had lit the lamp. Then Mr. "
        "Kronborg came in, and Dr. Archie looked up.\n\n"
        '"Good evening, Mr. Kronborg," said the doctor. "Sit down."\n\n'
        '"Thank you, doctor," said Mr. Kronborg.\n\n'
        '"What is the matter?" asked the doctor.',
        [("Dr. Archie", "male")] * 2 + [("Mr. Kronborg", "male"), ("Dr. Archie", "male")],
    ),
    (
        "a character is named as the book spells it ('Mr Pontifex', no stop)",
        "Mr Pontifex was a carpenter. Mr Pontifex lived at Paleham with his wife.\n\n"
        '"It will rain," said Mr Pontifex.\n\n'
        '"Then stay in," said Mrs Pontifex.',
        [("Mr Pontifex", "male"), ("Mrs Pontifex", "female")],
    ),
    (
        "a title said alone ('..., aunt.') addresses the one person the book titles so",
        "Tom sat by the fire with Aunt Polly. Aunt Polly was knitting, and Aunt Polly was "
        'tired.\n\n"I am going out to the river, aunt."\n\n"You will do no such thing."',
        [("Tom", "male"), ("Aunt Polly", "female")],
    ),
    (
        "... an abbreviated one too ('..., doctor.' to Dr. Archie)",
        "Peter Kronborg sat in the office with Dr. Archie. Dr. Archie was writing, and Dr. "
        'Archie was tired.\n\n"My wife is ill, doctor."\n\n"Then we must go at once."',
        [("Peter Kronborg", "male"), ("Dr. Archie", None)],
    ),
    (
        "a narration paragraph ending in a bare dash leads in ('and said at once--')",
        "I sat in the window-seat with my book, until John Reed came in, and his sister Eliza "
        'after him.\n\n"Where is she?" said John.\n\n"Not here," said I.\n\n'
        '"Then where?" said John.\n\n'
        "The door opened again. She just put her head in at the door, and said at once--\n\n"
        '"She is in the window-seat, to be sure, John."',
        [("John", "male"), (None, None), ("John", "male"), ("Eliza", "female")],
    ),
    (
        "'said the old horse' is the old horse, not 'the old'",
        "The colts ran in the meadow with Darkie.\n\n"
        '"They have lost the scent," said the old horse.\n\n"Let us watch," said Darkie.\n\n'
        '"They will find it again," said the old horse.',
        [("the old horse", None), ("Darkie", None), ("the old horse", None)],
    ),
    (
        "a description that says who it is ('\"I am Mary Lennox,\" the little girl said') is her",
        "Mary Lennox was left alone in the bungalow. Nobody came, and Mary waited.\n\n"
        "Two men opened the door.\n\n"
        '"Who are you?" asked the young man.\n\n'
        '"I am Mary Lennox," the little girl said. "I fell asleep."\n\n'
        '"Then come with us," said the young man.\n\n'
        '"Where to?" asked the little girl.',
        [(None, None), ("Mary Lennox", "female"), ("Mary Lennox", "female"), (None, None)]
        + [("Mary Lennox", "female")],
    ),
    (
        "'the sergeant' of a book with two Sergeants is the one in view",
        "Sergeant Bibot kept the West Gate, and Sergeant Grospierre the North Gate. Grospierre "
        "was a fool.\n\nThat evening a crowd of wretches gathered round Bibot at the West "
        "Gate.\n\n"
        '"Half an hour later," continued the sergeant, "up comes a captain of the guard."\n\n'
        '"And then?" cried the crowd.\n\n"Then we laughed," said the sergeant.',
        [("Sergeant Bibot", "male")] * 2 + [(None, None), ("Sergeant Bibot", "male")],
    ),
    (
        "a described speaker's one uncontradicted he/she gives its gender ('the leader. He')",
        "The gang sat round the fire, and Jim poked it.\n\n"
        '"What is this deal with Beasley?" inquired Jim.\n\n'
        '"You will learn when I do," replied the leader. He appeared tired and thoughtful.',
        [("Jim", "male"), ("the leader", "male")],
    ),
    (
        "'Strether's new acquaintance pursued' is that person, not Strether",
        "Strether met Waymarsh at the hotel, and in the hall a lady met his eyes.\n\n"
        '"Do you know him?" Strether asked.\n\n'
        '"I have met him at Milrose," Strether\'s new acquaintance pursued. "Perhaps," she '
        'added, "I shall see him."',
        [("Strether", None)] + [("Strether's new acquaintance", "female")] * 3,
    ),
    (
        "'he said to Oak': the one a pronoun tag speaks to is not its speaker",
        "Gabriel Oak walked up the lane. Farmer Boldwood met him at the gate. Oak nodded to "
        "Boldwood, and Boldwood looked at the field.\n\n"
        '"That is a fine field," he said to Oak.\n\n"It is," said Oak.\n',
        [("Boldwood", None), ("Oak", "male")],
    ),
    (
        "'somebody exclaimed' in a first-person book is somebody, never the narrator",
        "I sat by the fire with Douglas and the others. I had heard the story before, and I "
        "said so.\n\n"
        '"Two children?" I asked.\n\n'
        '"We say, of course," somebody exclaimed, "that they give two turns!"\n\n'
        "Douglas stood up. He looked at me.\n\n"
        '"Nobody has heard it," he said.',
        [("narrator", None), ("somebody", None), ("somebody", None), ("Douglas", "male")],
    ),
    (
        "'cried one of the women': a person of the group's gender, not the woman in view",
        "Mrs. Griffin sat by the fire. She was knitting, and Douglas stood by the door.\n\n"
        '"For dreadful--dreadfulness!" said Douglas.\n\n'
        '"Oh, how delicious!" cried one of the women.\n\n'
        '"It is late," said Mrs. Griffin.',
        [("Douglas", "male"), ("one of the women", "female"), ("Mrs. Griffin", "female")],
    ),
    (
        "'said another' after a named speaker is one more person, and the talk goes on",
        "Dale and Jim sat by the fire, with the others of the gang round them.\n\n"
        '"The horses are ready," said Jim.\n\n'
        '"Then we ride at dawn," said another.\n\n'
        '"Not I," Dale said. "I stay here."',
        [("Jim", "male"), ("another", None), ("Dale", None), ("Dale", None)],
    ),
    (
        "'said a second' is one more of a group, as 'another' is: no character 'the second'",
        "Villefort sat among the guests at the table.\n\n"
        '"I am a magistrate," said Villefort.\n\n"Bravo!" cried one of the guests.\n\n'
        '"Just the man we require," said a second.\n\n"You flatter me," said Villefort.',
        [("Villefort", None), ("one of the guests", None), ("a second", None), ("Villefort", None)],
    ),
    (
        '\'I said: "...?" He said: "..."\': a new sentence ending in a colon leads in the '
        "next quote",
        "I sat up for Lupin, and I waited till midnight, and my wife went to bed. Lupin came "
        "in at last. He smelt of smoke, and he had lost his hat.\n\n"
        'I said: "Where have you been?" He said: "Out with Frank." Then he went upstairs.',
        [("narrator", None), ("Lupin", "male")],
    ),
    (
        "'said another' among men only is a man (the tags around it); among both, unknown",
        "The gang sat round the fire.\n\n"
        '"The horses are ready," said Jim.\n\n'
        '"Then we ride at dawn," said another.\n\n'
        '"Not I," he said. "I stay here."',
        [("Jim", "male"), ("another", "male"), (None, None), (None, None)],
    ),
    (
        "'continued the prostrate man' after a pause in narration is the one who was speaking",
        '"Boy, take up that basket!" said Durbeyfield to the lad.\n\n'
        '"Who be you, then, to order me about?" said Fred.\n\n'
        '"Do you, do you? That is the secret, the secret: I am one of a noble race, as the '
        'parson found out this very afternoon," said Durbeyfield, and he stretched himself out '
        "upon the bank among the daisies.\n\n"
        "The lad stood before him, and looked at his length from crown to toe.\n\n"
        '"Sir John d\'Urberville, that is who I am," continued the prostrate man.\n',
        [
            ("Durbeyfield", "male"),
            ("Fred", "male"),
            ("Durbeyfield", "male"),
            ("Durbeyfield", "male"),
        ],
    ),
    (
        "... but a description that spoke just before and was interrupted goes on as itself",
        '"We put up for the night at an inn, the merchant and I, and all was as it should be '
        'till I saw a light in the yard," said the old man.\n\n'
        '"Go on," said Kiruha.\n\n'
        "Kiruha thrust a handful of twigs into the fire.\n\n"
        '"I looked in at the window," continued the old man, "and there was a cellar."\n',
        [("the old man", "male"), ("Kiruha", None), ("the old man", "male"), ("the old man", None)],
    ),
    (
        "'replied the leader' answering a line said to Snake is Snake",
        "Snake sat by the fire. He was a long lean man. Snake did not look up when Jim came "
        "in, and Jim was afraid of him.\n\n"
        '"Snake, what is this deal with Beasley?" inquired Jim.\n\n'
        '"Reckon you will learn when I do," replied the leader. He appeared tired.\n',
        [("Jim", None), ("Snake", "male")],
    ),
    (
        "'the old man said' answering what Emelyan 'asked him' is the one asked",
        "Panteley was an old carrier. He walked by the waggons all day.\n\n"
        "In the evening Panteley was sitting apart, munching bread.\n\n"
        '"Grandfather, why are you not eating?" Emelyan asked him.\n\n'
        '"I do not eat crayfish. Nasty things," the old man said, and turned away.\n',
        [("Emelyan", None), ("Panteley", "male")],
    ),
    (
        "... but a description that spoke just before is itself, whoever was spoken to",
        "Tom was down at the river. He had gone to fish.\n\n"
        '"Where is the boy?" said the old man.\n\n'
        '"Gone to the river, Tom has," said Jane. "Sit down, Dick."\n\n'
        '"Then fetch him," said the old man.\n',
        [("the old man", "male"), ("Jane", None), ("Jane", None), ("the old man", "male")],
    ),
    (
        "'John Linden's face brightened up' makes the 'he said' after it his",
        "John Linden sat by the fire with his niece Florence. Curtis came in, and Curtis "
        "stood by the window. He was a tall man.\n\n"
        '"Leave him the hope," said Florence. "I believe he lives."\n\n'
        "John Linden's face brightened up.\n\n"
        '"You, too, believe it possible, Florence?" he said, eagerly.\n',
        [("Florence", None), ("Florence", None), ("John Linden", None)],
    ),
    (
        "a particle after the verb ('sobbed forth Agnes', 'called back Harold') keeps the tag",
        "Agnes, Mary and Harold stood at the gate. The rain had stopped.\n\n"
        '"The cart is ready," said Harold.\n\n'
        '"Then go," said Mary.\n\n'
        '"You will write?" sobbed forth Agnes.\n\n'
        '"Every week," called back Harold from the cart.\n',
        [("Harold", None), ("Mary", None), ("Agnes", None), ("Harold", None)],
    ),
    (
        "an epithet before a name ('said old Cotter', 'cried poor Agnes') is not part of it",
        "Cotter sat smoking by the fire. Agnes came in with the tea.\n\n"
        '"He was a queer one," said old Cotter.\n\n'
        '"Hush, uncle," cried poor Agnes. "He is not cold yet."\n',
        [("Cotter", None), ("Agnes", None), ("Agnes", None)],
    ),
    (
        "what a family calls a parent ('said Mother', 'Father said') is that person's name",
        "The kitchen was warm. Tom sat at the table with his sister Jane, and Mother stood "
        "by the stove.\n\n"
        '"Is it ready?" asked Tom.\n\n'
        '"Not yet," said Mother. "Wash your hands."\n\n'
        '"They are clean," said Jane.\n\n'
        '"Show me," Mother said.\n\n'
        "Father came in from the yard and hung up his coat.\n\n"
        '"Snow tonight," said Father.\n',
        [
            ("Tom", "male"),
            ("Mother", "female"),
            ("Mother", "female"),
            ("Jane", "female"),
            ("Mother", "female"),
            ("Father", "male"),
        ],
    ),
]


@pytest.mark.parametrize("rule,text,expected", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_tag_referent(rule, text, expected):
    got = voiced(text)
    assert len(got) == len(expected), got
    for (who, gender), (want, want_gender) in zip(got, expected, strict=True):
        if want is not None:
            assert who == want, (rule, got)
        if want_gender is not None:
            assert gender == want_gender, (rule, got)


def test_someone_among_a_man_and_a_woman_keeps_an_unknown_gender():
    """Among both sexes "said another" may be either: a neutral voice, not a guess."""
    text = (
        "The family sat round the fire.\n\n"
        '"The horses are ready," said Jim.\n\n'
        '"Then we ride at dawn," said another.\n\n'
        '"Not I," she said. "I stay here."'
    )
    assert voiced(text)[1] == ("another", None)


def test_with_a_cast_a_possessive_description_is_one_of_the_cast():
    """A cast that lists the characters names its described ones too: "Strether's new
    acquaintance" is no character beside the cast's, and "she added" is its one woman."""
    text = (
        "Strether met Waymarsh at the hotel, and in the hall a lady met his eyes.\n\n"
        '"Do you know him?" Strether asked.\n\n'
        '"I have met him at Milrose," Strether\'s new acquaintance pursued. "Perhaps," she '
        'added, "I shall see him."'
    )
    cast = listed(
        ("Strether", "male", []), ("Waymarsh", "male", []), ("Maria Gostrey", "female", [])
    )
    found = quotes.find_quotes(text)
    people = roster.build_roster(text, found, cast)
    assert "Strether's new acquaintance" not in {c.name for c in people.characters}
    said = attribution.attribute(text, found, people)
    got = [a.speaker for q, a in zip(found, said, strict=True) if q.is_speech]
    assert got[0] == "Strether" and got[-2:] == ["Maria Gostrey", "Maria Gostrey"]
