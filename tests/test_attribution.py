"""The attribution sieve on short passages: one table row per rule, plus the seed story."""

from __future__ import annotations

from pathlib import Path

import pytest
from casts import listed
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.model import LOW_CONFIDENCE, NARRATOR, Cast
from audiobook.speakers import attribution, roster
from audiobook.text import quotes

DATA = Path(__file__).parent / "data" / "attribution"


def speakers(text: str, cast: Cast | None = None) -> list[tuple[str, str | None, str]]:
    found = quotes.find_quotes(text)
    people = roster.build_roster(text, found, cast)
    said = attribution.attribute(text, found, people)
    assert len(said) == len(found)
    return [
        (text[q.start : q.end], a.speaker, a.rule)
        for q, a in zip(found, said, strict=False)
        if q.is_speech
    ]


def called(text: str) -> list[set[str]]:
    """For each speech quote, every name its speaker goes by (canonical name and aliases)."""
    found = quotes.find_quotes(text)
    people = roster.build_roster(text, found)
    names = {c.name: {c.name, *c.aliases} for c in people.characters}
    said = attribution.attribute(text, found, people)
    return [
        names.get(a.speaker, {a.speaker}) for q, a in zip(found, said, strict=False) if q.is_speech
    ]


def assert_speakers(text: str, expected: list[str]) -> None:
    """Each speech quote's speaker goes by the expected name."""
    got = called(text)
    assert len(got) == len(expected), got
    for names, name in zip(got, expected, strict=True):
        assert name in names, (got, expected)


# (rule under test, passage, expected speaker of each speech quote in order)
PASSAGES = [
    (
        "named-tag, name after verb",
        'Mr. Holmes lit his pipe.\n\n"You have been in Afghanistan," said Holmes.\n\n'
        '"How on earth did you know that?" asked Watson.',
        ["Holmes", "Watson"],
    ),
    (
        "named-tag, name before verb",
        'Anna and Robert stood at the gate.\n\n"It is late," Anna said quietly.\n\n"Not yet," '
        "Robert replied.",
        ["Anna", "Robert"],
    ),
    (
        "named-tag, introducing colon",
        'The rain had stopped. Margaret turned to the window and whispered: "He will not come."',
        ["Margaret"],
    ),
    (
        "named-tag, tag inside an interrupted quote",
        'Edward and Lucy sat by the fire.\n\n"I think," said Edward, "that we should go."',
        ["Edward", "Edward"],
    ),
    (
        "pronoun-tag, gender picks the woman",
        'Mr. Darcy bowed to Elizabeth Bennet. Elizabeth did not smile.\n\n"You are too kind," '
        "she said.",
        ["Elizabeth"],
    ),
    (
        "pronoun-tag, gender picks the man",
        "Emma waited while George walked in from the garden. He looked tired.\n\n"
        '"The roads are terrible," he said.',
        ["George"],
    ),
    (
        "pronoun-tag, inverted 'said he'",
        'Harriet looked at Thomas across the table.\n\n"Nonsense," said he.',
        ["Thomas"],
    ),
    (
        "description-tag, apposition gives the noun",
        "The coachman Dennis whipped the horses. Clara sat behind him.\n\n"
        '"We shall be late," the coachman grumbled.',
        ["Dennis"],
    ),
    (
        "action-subject",
        'Mr. Brown and Alice were alone in the shop.\n\nAlice shrugged. "I cannot help you."',
        ["Alice"],
    ),
    (
        "continuation within a paragraph",
        '"Stop!" cried Peter. "Pull up the horses!"',
        ["Peter", "Peter"],
    ),
    (
        "turn-taking",
        'Catherine met Henry in the hall.\n\n"Where have you been?" asked Catherine.\n\n'
        '"Walking," replied Henry.\n\n"Alone?"\n\n"Quite alone."\n\n"I do not believe you."',
        ["Catherine", "Henry", "Catherine", "Henry", "Catherine"],
    ),
    (
        "vocative-exclusion",
        'Jane and Charles sat together.\n\n"Charles, you must go," said Jane.\n\n"I will."\n\n'
        '"Jane, you are cruel."',
        ["Jane", "Charles", "Charles"],
    ),
    (
        "fallback",
        'Oliver sat alone by the window all evening.\n\n"What a dreadful day."',
        ["Oliver"],
    ),
    (
        "named-tag, an unnamed speaker known by her tag",
        'Yegor knocked at the door of the cottage.\n\n"Who is there?" asked the old woman.\n\n'
        '"A traveller," said Yegor.\n\n"Go away," the old woman replied.',
        ["the old woman", "Yegor", "the old woman"],
    ),
    (
        "pronoun-tag, the subject, not the object, of the sentence before",
        'Father Brown blessed young Timothy and turned to the altar.\n\n"Go in peace," he said.',
        ["Father Brown"],
    ),
    (
        "named-tag, a lead-in after 'Mrs.' is one sentence",
        "Tom came in from the yard. Mrs. Pell, who always answered for everyone, said, sharply, "
        '"Gone out."',
        ["Mrs. Pell"],
    ),
    (
        "pronoun-tag, a preposition's object in a lead-in is not the speaker",
        'Arthur bowed to Lady Grey. Then, turning to Miss Lane, he inquired, "Who is this lady?"',
        ["Arthur"],
    ),
    (
        "pronoun-tag, a possessive is not the sentence's subject",
        "Walter had a frank way with him. I never knew whether Mr. Hobb's coats would have sat "
        "better on him "
        'than on me.\n\n"With pleasure," said he.',
        ["Walter"],
    ),
    (
        "continuation, an utterance keeps its speaker whatever name it ends on",
        'Walter and I sat at dinner.\n\n"With pleasure," said Walter, "and will you call me by '
        "my Christian "
        'name, Walter?"',
        ["Walter", "Walter"],
    ),
    (
        "named-by-answer, the reply names who spoke before",
        "Years ago the young man Pedro had gone to sea. Everyone knew that Miguel had loved Rosa "
        "for ten years, "
        "and Miguel knew it too. Rosa was "
        "leaning on the wall. A tall young man sat at the "
        'table, looking at her.\n\n"You see, Rosa," said the young man, '
        '"the spring is here again."\n\n"I have told you a hundred times, Miguel, and you ask '
        'again."',
        ["Miguel", "Miguel", "Rosa"],
    ),
    (
        "description-tag, a richly described stranger is not the book's one named gentleman",
        "Once the old gentleman Crane had called on us, and Crane talked all day. Now the pale "
        "young gentleman and I stood in Crane's "
        'Inn, looking at one another.\n\n"The idea of its being you!" said the pale young '
        "gentleman.\n\n"
        '"Well!" said the pale young gentleman, laughing.',
        ["the pale young gentleman", "the pale young gentleman"],
    ),
    (
        "named-tag, 'the sweet voice of X' is X",
        'Luisa and Tomas sat at the table, and Luisa smiled.\n\n"Shall we go?" asked the sweet, '
        "silvery voice of Luisa.",
        ["Luisa"],
    ),
    (
        "named-tag, a lead-in's verb belongs to the subject nearest it",
        'Then I said I supposed he had a fine business, and Wemmick said, "Splendid!"',
        ["Wemmick"],
    ),
    (
        "named-tag, a preposition's object that a relative clause makes the subject",
        'Every eye was turned towards Edmund, who stood up and said, in a firm voice: "I am he."',
        ["Edmund"],
    ),
    (
        "pronoun-tag, the one a tag says was spoken to answers",
        "Robert, Morris and Henry stood in a corner of the room. Henry looked away, and Morris "
        "looked at "
        "Robert.\n\n"
        '"What does this mean?" asked Robert, frowning, of Morris.\n\n"How can I tell?" replied '
        "he.",
        ["Robert", "Morris"],
    ),
    (
        "pronoun-tag, a lead-in paragraph ending in ':—'",
        "Then I asked Wemmick if there were many clerks, to which he replied,—\n\n"
        '"We don\'t run much into clerks."',
        ["Wemmick"],
    ),
    (
        "named-tag, a Spanish dash tag",
        "Lucía miró a su primo, que leía junto a la ventana.\n\n\u2014¿Vienes? \u2014preguntó "
        "Lucía.\n\n"
        "\u2014Ahora no \u2014respondió Andrés\u2014. Estoy cansado.",
        ["Lucía", "Andrés", "Andrés"],
    ),
    (
        "named-tag, a French tag after guillemets",
        "Claire entra dans le salon où son père lisait.\n\n\u00ab\u00a0Bonsoir\u00a0\u00bb, dit "
        "Claire.\n\n"
        "\u00ab\u00a0Tu rentres bien tard\u00a0!\u00a0\u00bb demanda Henri.",
        ["Claire", "Henri"],
    ),
    (
        "named-tag, 'And Miguel,' talks about Miguel",
        'Rosa and Carlo and Miguel stood under the arbor.\n\n"You are all invited," said Rosa.\n\n'
        '"And Miguel, too, is invited!" said Carlo.',
        ["Rosa", "Carlo"],
    ),
    (
        "pronoun-gender, 'she said' with no woman in view never goes to a man",
        'Philip sat by the fire with his book.\n\n"Come here, Philip," said Mr. Carey.\n\n'
        '"Are you sleepy, darling?" she said.\n\nMrs. Carey smiled and took the book away.',
        ["Mr. Carey", "Mrs. Carey"],
    ),
    (
        "turn-taking, a long untagged run alternates",
        "Aunt Polly sat in the kitchen and looked hard at Tom.\n\n"
        '"Tom, was it warm in school?" asked Aunt Polly.\n\n"Yes\'m."\n\n"Very warm?"\n\n'
        '"Yes\'m."\n\n"Did you want to go swimming?"\n\n"No\'m."',
        ["Aunt Polly", "Tom", "Aunt Polly", "Tom", "Aunt Polly", "Tom"],
    ),
    (
        "named-tag, multi-party talk: three speakers, each named",
        'Jo, Meg and Amy sat by the fire.\n\n"Christmas won\'t be Christmas," grumbled Jo.\n\n'
        '"It\'s so dreadful to be poor!" sighed Meg.\n\n'
        '"I don\'t think it\'s fair," added Amy.\n\n"We\'ve got each other," said Jo.',
        ["Jo", "Meg", "Amy", "Jo"],
    ),
    (
        "pronoun-tag, the one woman who spoke, not a woman the narration just named",
        'Anna met John at the gate of the old house.\n\n"You are late," said Anna.\n\n'
        '"The train was slow," said John. Mrs. Field waved from the window.\n\n'
        '"It always is," she said.',
        ["Anna", "John", "Anna"],
    ),
    (
        "pronoun-tag, a woman the paragraph itself brings in is not passed over",
        'Anna met John at the gate of the house where Mrs. Field lived.\n\n"You are late," '
        'said Anna.\n\n"The train was slow," said John.\n\n'
        'Then Mrs. Field came out of the house. "Come in at once," she said.',
        ["Anna", "John", "Mrs. Field"],
    ),
    (
        "back-from-tag, a later tag labels the untagged lines before it, alternating back",
        'John looked at Anna.\n\n"Are you cold?"\n\n"Not at all."\n\n'
        '"You are shivering," said Anna.\n\n"It is nothing," said John.',
        ["Anna", "John", "Anna", "John"],
    ),
    (
        "between-tags, the tag after an untagged stretch names the other participant",
        "Anna met John in the lane. Mrs. Bell was watching them from her window.\n\n"
        '"Good morning," said Anna.\n\n"Is it?"\n\n"Why, yes."\n\n"It is raining," said John.',
        ["Anna", "John", "Anna", "John"],
    ),
    (
        "turn-taking, after a tag the turns alternate with the speaker a later tag gave the "
        "line before it, not with the sieve's first guess for it",
        'Harold, Agnes and Tom sat by the fire.\n\n"I have a plan: we go to the fair."\n\n'
        '"Do you?" said Agnes.\n\n"Yes, and so does Tom; don\'t you, Tom?"\n\n'
        'Tom grinned. "Rather."\n\n"We leave at dawn," said Harold.',
        ["Harold", "Agnes", "Harold", "Tom", "Harold"],
    ),
    (
        "two-participants, a run tagged for two people only is theirs, whoever the narration "
        "last named",
        "Anna and John stood by the well. Mrs. Bell watched them from her window.\n\n"
        '"Is the water sweet?"\n\nJohn drank. "Sweet as honey."\n\n"Then fill the jug," said Anna.',
        ["Anna", "John", "Anna"],
    ),
    (
        "description-tag, a description cut short at an adjective runs on to its noun",
        "Aunt Polly looked hard at Tom across the kitchen table.\n\n"
        '"Was it warm in school, Tom?"\n\n"Yes, aunt."\n\n'
        "The old lady reached out her hand and felt Tom's shirt, and said:\n\n"
        '"But you are not too warm now."',
        ["Aunt Polly", "Tom", "Aunt Polly"],
    ),
    (
        "named-tag, a simile's noun is not the subject",
        'Fernand and Mercedes stood in the hut.\n\n"Is this your last word?" asked Fernand.'
        '\n\n"It is," said Mercedes.\n\nFernand let fall his head like a defeated man, and '
        'said: "Then I shall go."',
        ["Fernand", "Mercedes", "Fernand"],
    ),
    (
        "description-tag, a preposition's object in the tag's clause is never the speaker",
        "The old man Panteley sat by the fire, and Yegorushka lay near him.\n\n"
        '"Are you asleep?" asked Yegorushka.\n\nThe old man scratched his forehead, glanced '
        'upwards at Yegorushka, and went on: "Once I was young too."',
        ["Yegorushka", "Panteley"],
    ),
    (
        "fallback, a first-person narrator seldom opens an untagged run",
        "Holmes sat by the fire, and Holmes did not look up. I took off my coat and I sat down "
        'opposite him. The clock struck nine.\n\n"You have been in Afghanistan, I perceive."',
        ["Holmes"],
    ),
    (
        "fallback, unless the sentence just before is about the narrator",
        "Holmes sat by the fire, and Holmes spoke of the dog. I listened to him as I smoked, and "
        'then I glanced up in surprise.\n\n"How can you be so sure of that?"',
        [NARRATOR],
    ),
    (
        "pronoun-tag, first-person book: 'said I' is the narrator",
        "I walked with Holmes to the station. I was tired, and I said nothing for a while.\n\n"
        '"You are quiet, Watson," said Holmes.\n\n"I am tired," said I.\n\n"Then rest," he said.',
        ["Holmes", "narrator", "Holmes"],
    ),
    (
        "description-tag, a title alone speaks as one character",
        "The Duchess sat at the head of the table, and Alice beside her.\n\n"
        '"Pass the salt," said the duchess.\n\n"Here it is," said Alice.',
        ["the duchess", "Alice"],
    ),
    (
        "continuation, a speech over several paragraphs keeps its speaker",
        "Mrs. Todd put down her basket.\n\n"
        '"When I was a girl," said Mrs. Todd, "we lived by the sea.\n\n'
        '"My father kept the light there for many years.\n\n"And then we came inland."\n\n'
        '"Did you miss it?" asked Joanna.',
        ["Mrs. Todd", "Mrs. Todd", "Mrs. Todd", "Mrs. Todd", "Joanna"],
    ),
    (
        "relation-tag, 'said her sister' is never the 'her'",
        "Jane came in with the letters. Mary looked up from her book and frowned.\n\n"
        '"You are late," said her sister.',
        ["Jane"],
    ),
    (
        'relation-tag, "said Daisy\'s mamma" is not Daisy',
        "Mrs. Hart sat sewing by the window. Daisy ran in from the garden.\n\n"
        '"Look at my flowers!" said Daisy.\n\n"They are lovely, dear," said Daisy\'s mamma.',
        ["Daisy", "Mrs. Hart"],
    ),
    (
        "relation-tag, the one person in view titled by the relation",
        "Soon after breakfast Uncle Ivan and Yegorushka left the inn. Yegorushka ran ahead.\n\n"
        '"It is a nuisance," muttered his uncle.',
        ["Uncle Ivan"],
    ),
    (
        "relation-tag, the narrator's unnamed kin is one character of its own",
        "I came home late. My mother was waiting by the door, and Tom sat reading.\n\n"
        '"Where have you been?" said my mother.\n\n"At the mill," said I.\n\n'
        '"Then you are wet through," said my mother.\n\n"He is always wet," said Tom.',
        ["my mother", NARRATOR, "my mother", "Tom"],
    ),
    (
        "named-tag, 'said my sister' when the narration calls Mrs. Joe 'my sister'",
        "My sister, Mrs. Joe Gargery, was a tall woman. Tom sat by the fire, and Sister "
        "Charlotte came to tea.\n\n"
        '"Where have you been?" said my sister.\n\n"At the mill," said I.',
        ["Mrs. Joe Gargery", NARRATOR],
    ),
    (
        "former-latter, of the two people last named together",
        "Albert met Franz at the hotel. Franz had been waiting, and Albert was late.\n\n"
        "Albert and Franz walked back to the inn in silence.\n\n"
        '"Well?" said the latter.\n\n"I have nothing to say," replied the former.',
        ["Franz", "Albert"],
    ),
    (
        "pronoun-tag, told in the perfect ('she had finally replied')",
        "Henry went down to his mother's room. Mary Fleming was milking the cow.\n\n"
        '"I have enlisted," Henry had said to her.\n\n'
        '"The Lord\'s will be done, Henry," she had finally replied.',
        ["Henry", "Mary Fleming"],
    ),
    (
        "named-tag, an older speech verb ('ejaculated', 'expostulated', 'asserted')",
        'Jonas and Martha stood at the door.\n\n"Bless me!" ejaculated Jonas.\n\n'
        '"You cannot go out in this," Martha expostulated.\n\n"I can," Jonas asserted.',
        ["Jonas", "Martha", "Jonas"],
    ),
    (
        "action-subject, a beat between two quotes of one paragraph: the named subject speaks",
        "Douglas and Mrs. Griffin sat by the fire.\n\n"
        '"Yes--tomorrow," said Douglas. "Now I must go to bed." He left us by the stair; '
        'whereupon Mrs. Griffin spoke. "Well, I know who HE was."',
        ["Douglas", "Douglas", "Mrs. Griffin"],
    ),
    (
        "action-subject, the sentence nearest the quote is its beat, not the paragraph's first",
        "Mr. Brown and Alice were alone in the shop.\n\n"
        'Mr. Brown looked at the clock. Alice shrugged. "I cannot help you."',
        ["Alice"],
    ),
    (
        "continuation, a beat about the same speaker keeps the turn",
        '"Stop!" cried Peter. Peter waved his arms. "Pull up the horses!"',
        ["Peter", "Peter"],
    ),
    (
        "lead-in-subject, a sentence ending in a colon, with no speech verb: its subject speaks",
        "Peter and Anna sat by the stove. Peter had been out all day.\n\n"
        "Anna, who had just come in from the yard, was warming her hands at the fire and "
        'humming softly: "Summer is gone, and the geese are flying." Peter filled his pipe.\n',
        ["Anna"],
    ),
]


@pytest.mark.parametrize("rule,text,expected", PASSAGES, ids=[p[0] for p in PASSAGES])
def test_sieve_rule(rule, text, expected):
    assert_speakers(text, expected)
    assert rule.split()[0].rstrip(",") in {r for _, _, r in speakers(text)}


def test_rule_names_are_reported():
    got = speakers(PASSAGES[10][1])
    assert [r for _, _, r in got][:2] == ["named-tag", "named-tag"]
    assert "turn-taking" in [r for _, _, r in got]
    assert speakers(PASSAGES[4][1])[0][2] == "pronoun-tag"
    assert speakers(PASSAGES[8][1])[0][2] == "action-subject"


def test_the_latter_of_three_people_is_nobody_in_particular():
    text = (
        "Albert met Franz and Luigi at the hotel. Franz had been waiting, and Albert was late.\n\n"
        "Albert, Franz and Luigi walked back to the inn in silence.\n\n"
        '"Well?" said the latter.'
    )
    assert [r for _, _, r in speakers(text)] != ["former-latter"]


def test_backward_alternation_leaves_talk_of_three_alone():
    # "Don't, Laura" speaks to someone who is neither Beth nor Meg: three people talk,
    # so the tags after it cannot say who spoke first; Laura answers.
    text = (
        "Laura, Meg and Amy sat by the fire. Laura sat up and began to whistle.\n\n"
        '"Don\'t, Laura. It is so boyish!"\n\n"That is why I do it."\n\n'
        '"Birds in their nests agree," sang Beth.\n\n"Hush," said Meg.'
    )
    got = speakers(text)
    assert [s for _, s, _ in got][1:] == ["Laura", "Beth", "Meg"]
    assert got[0][1] != "Laura"


def test_first_person_narrator_speaks_as_narrator():
    text = (
        "I walked down to the forge, where Joe was at work. I had not seen him for a week, and my "
        'heart was heavy.\n\n"Joe," said I, "how are you?"\n\n"Well enough, old chap," said '
        "Joe.\n\n"
        '"I am glad," I replied.'
    )
    got = speakers(text)
    assert [s for _, s, _ in got] == [NARRATOR, NARRATOR, "Joe", NARRATOR]


def test_a_name_often_spoken_is_not_the_narrator_unless_others_call_the_narrator_so():
    # Tom is talked about in every line and never in the narration, like a first-person
    # narrator's own name; but nobody calls "I" Tom, and Tom's own line is his.
    text = (
        "I went up to the farm to see Mr. Hale, and I sat down by his fire. I was cold.\n\n"
        '"Tom is late again," said Mr. Hale.\n\n"Is he?" said I.\n\n'
        '"Tom is always late. Tom never comes on time," said Mr. Hale.\n\n'
        '"Perhaps Tom has had an accident," said I.\n\n'
        '"Not Tom. Tom is as strong as an ox," said Mr. Hale.\n\n'
        '"Here I am," said Tom at the door.'
    )
    assert [s for _, s, _ in speakers(text)] == [
        "Mr. Hale",
        NARRATOR,
        "Mr. Hale",
        NARRATOR,
        "Mr. Hale",
        "Tom",
    ]


def test_the_narrator_is_the_name_others_call_them_by():
    text = (
        "I went down to the forge, and I sat by the fire while Joe worked.\n\n"
        '"Well, Pip," said Joe, "you are late."\n\n"I am sorry," said I.\n\n'
        '"Never mind, Pip. Pip, old chap, sit down," said Joe.\n\n"Thank you," said I.\n\n'
        '"Pip, you look tired. Are you tired, Pip?" said Joe.\n\n"A little," said I.\n\n'
        '"Pip! Where is Pip?" called Mrs. Gargery from the door.\n\n"Here," said Pip.'
    )
    assert [s for _, s, _ in speakers(text)][-1] == NARRATOR


def test_not_speech_quotes_are_not_attributed():
    text = 'Her latest single, "Lost in the Haze," had become a hit. Maria smiled at the crowd.'
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    for q, a in zip(found, said, strict=False):
        if not q.is_speech:
            assert (a.speaker, a.rule) == (None, "not-speech")


def test_mila_seed_story():
    text = (DATA / "mila.txt").read_text(encoding="utf-8")
    got = {line[:20]: who for line, who, _ in speakers(text)}
    assert got["You killed it out th"] == "Carlos"
    assert got["How did you feel out"] == "Sofia"
    assert got["I don't know,"] == "Mila"
    assert got["It was like I was tr"] == "Mila"
    assert got["La vida es un viaje "] == "Mila"


def test_cast_keys_are_the_speakers():
    text = (DATA / "mila.txt").read_text(encoding="utf-8")
    cast = listed(("Mila Arias", "female", ["Mila"]), ("Sofia Arias", "female", ["Sofia"]))
    got = [who for _, who, _ in speakers(text, cast)]
    assert got == ["Carlos", "Sofia Arias", "Mila Arias", "Mila Arias", "Mila Arias"]


def test_a_long_book_is_attributed_like_its_parts():
    # Its speed, side by side with a tenth of it, is in bench/bench_stages.py.
    text = (DATA / "mila.txt").read_text(encoding="utf-8")
    book = "\n\n".join([text] * 120)  # ~100,000 words
    found = quotes.find_quotes(book)
    said = attribution.attribute(book, found, roster.build_roster(book, found))
    assert sum(a.speaker == "Mila" for a in said) >= 3 * 120


def test_multi_paragraph_quote_keeps_its_speaker():
    text = (
        'Mr. Holmes leaned back in his chair.\n\n"It was a dark night," said Holmes, "and the '
        'road was empty.\n\n"Then the carriage came, and the driver did not stop.\n\n'
        '"That was the whole affair."\n\nWatson nodded.'
    )
    got = called(text)
    assert len(got) >= 3
    assert all("Holmes" in names for names in got)


def test_no_quotes_and_no_characters():
    assert attribution.attribute("", [], roster.build_roster("", [])) == []
    text = '"Hello," said someone.\n\n"Goodbye."'
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    assert len(said) == len(found)
    assert all(a.rule for a in said)


WORDS = [
    "said",
    "he",
    "she",
    "Mr.",
    "Bennet",
    '"',
    "“",
    "”",
    "Anna",
    "the",
    "old",
    "man",
    "I",
    "asked",
    ",",
    ".",
    "\n\n",
    "\n",
    "Count",
    "of",
    "de",
    "Villefort",
    "'s",
    "—",
    "?",
    "!",
    "Mrs.",
    '"Yes,"',
    ":",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_any_text_gets_one_known_speaker_per_quote(words):
    text = " ".join(words)
    found = quotes.find_quotes(text)
    people = roster.build_roster(text, found)
    said = attribution.attribute(text, found, people)
    assert len(said) == len(found)
    for q, a in zip(found, said, strict=False):
        assert a.speaker is None or a.speaker == NARRATOR or people.get(a.speaker) is not None
        assert (a.rule == "not-speech") == (not q.is_speech)


def test_a_paragraph_of_thousands_of_quotes_keeps_each_tag():
    # A hostile shape (one paragraph, thousands of quotes) that used to be
    # quadratic; bench/bench_script.py measures the time, this the answers.
    text = "Tom and Mary talked. " + " ".join(
        f'"Line {i} is here," said {"Tom" if i % 2 else "Mary"}. "And more {i}."'
        for i in range(3000)
    )
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    assert len(said) == 6000
    assert [a.speaker for a in said] == [
        ("Tom" if i % 2 else "Mary") for i in range(3000) for _ in (0, 1)
    ]


def test_confidence_follows_how_the_speaker_was_found():
    text = (
        'Anna and Robert stood at the gate.\n\n"It is late," Anna said quietly. "Come in."\n\n'
        '"Not yet," Robert replied.\n\n"Then when?"\n\n"Soon."'
    )
    found = quotes.find_quotes(text)
    said = attribution.attribute(text, found, roster.build_roster(text, found))
    rows = [(a.rule, a.confidence) for q, a in zip(found, said, strict=True) if q.is_speech]
    named = attribution.CONFIDENCE["named-tag"]
    # A named tag is sure; the rest of its utterance as sure; alternation is a guess.
    assert rows[:3] == [("named-tag", named), ("continuation", named), ("named-tag", named)]
    assert all(rule == "turn-taking" and c < LOW_CONFIDENCE for rule, c in rows[3:])


def test_with_a_cast_a_description_tag_is_one_of_the_cast():
    """'said the parson' is the cast's parson, not a new unnamed character beside him."""
    text = (
        'Parson Tringham rode up to Durbeyfield on the road.\n\n"Good night," said '
        'Durbeyfield.\n\n"Good night, Sir John," said the parson.\n\n"Why do you call me '
        'that?" asked Durbeyfield.\n\n"Because it is true," said the parson.'
    )
    cast = listed(("Durbeyfield", "male", []), ("Tringham", "male", ["Parson Tringham"]))
    got = [s for _, s, _ in speakers(text, cast)]
    assert got == ["Durbeyfield", "Tringham", "Durbeyfield", "Tringham"]


# Which sieve function gives which rule name: every function in the sieve's lists
# has rows of its own in PASSAGES.
RULE_OF_FUNCTION = {
    "utterance_so_far": "continuation",
    "tag_after": "named-tag",
    "same_utterance": "continuation",
    "tag_before": "named-tag",
    "action_subject": "action-subject",
    "action_beat": "action-subject",
    "lead_in_subject": "lead-in-subject",
    "nearest_quote": "continuation",
    "turn_taking": "turn-taking",
    "alternate_back_from_tag": "back-from-tag",
    "alternate_between_tags": "between-tags",
    "alternate_after_tag": "turn-taking",
    "two_participants": "two-participants",
}


def test_every_sieve_rule_has_its_rows():
    from audiobook.speakers import runs, sieve

    functions = [f.__name__ for f in [*sieve.QUOTE_RULES, *sieve.PARAGRAPH_RULES, *runs.RUN_RULES]]
    assert sorted(functions) == sorted(RULE_OF_FUNCTION)
    named = {p[0].split()[0].rstrip(",") for p in PASSAGES}
    assert set(RULE_OF_FUNCTION.values()) <= named
