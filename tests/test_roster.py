"""The character roster from text alone and from a cast file."""

from __future__ import annotations

from pathlib import Path

from casts import listed
from rosters import build, who

from audiobook.model import Roster
from audiobook.speakers import attribution, roster
from audiobook.speakers.names import noun_gender
from audiobook.text import quotes

DATA = Path(__file__).parent / "data" / "attribution"


AUSTEN = (
    "Mr. Bennet was among the earliest of those who waited on Mr. Bingley. Mrs. Bennet "
    "had hoped he would call.\n\n"
    "Elizabeth Bennet had been obliged to sit down for two dances. Elizabeth laughed at "
    "the story, and she told it to her friends. Miss Bennet, said everyone, was the wit of "
    "the family.\n\n"
    '"My dear Mr. Bennet," said his lady to him one day, "have you heard that Netherfield '
    'Park is let at last?"\n\n'
    "Mr. Bennet replied that he had not. On Monday they walked in London and in Meryton "
    "together. In March Mrs. Bennet went to Brighton."
)


def test_alias_clustering_joins_first_name_and_title_with_surname():
    r = build(AUSTEN)
    elizabeth = who(r, "Elizabeth")
    assert elizabeth is not None
    assert who(r, "Elizabeth Bennet") is elizabeth
    assert who(r, "Miss Bennet") is elizabeth


def test_mr_and_mrs_are_different_people():
    r = build(AUSTEN)
    mr, mrs = who(r, "Mr. Bennet"), who(r, "Mrs. Bennet")
    assert mr is not None and mrs is not None and mr is not mrs
    assert mr.gender == "male" and mrs.gender == "female"
    assert who(r, "Elizabeth") not in (mr, mrs)


def test_places_months_and_days_are_not_characters():
    r = build(AUSTEN)
    for word in ("London", "Meryton", "Brighton", "Monday", "March", "Netherfield", "On", "In"):
        assert who(r, word) is None, word


def test_gender_from_pronouns_for_unknown_names():
    text = (
        "Zorvath walked into the hall. He was tired and he sat down.\n\n"
        "Later Quillan came in. She looked at Zorvath and she smiled, and then she left.\n\n"
        "Zorvath frowned. He did not understand. Quillan returned; she had forgotten her hat."
    )
    r = build(text)
    assert who(r, "Zorvath").gender == "male"
    assert who(r, "Quillan").gender == "female"


def test_apposition_gives_gender_and_the_seed_roster():
    r = build((DATA / "mila.txt").read_text(encoding="utf-8"))
    assert who(r, "Mila").gender == "female"
    assert who(r, "Sofia").gender == "female"  # "Mila's sister, Sofia"
    assert who(r, "Carlos").gender == "male"  # "Her manager, Carlos, ... he said"
    assert who(r, "Mila Arias") is who(r, "Mila")
    assert not r.first_person


def test_apposition_alone_decides_gender():
    text = (
        "The band played on. Dana's brother, Ashgrove, waited by the door with the coats. "
        "Later Ashgrove walked home alone."
    )
    assert who(build(text), "Ashgrove").gender == "male"


def test_kamila_seed_is_female():
    r = build((DATA / "kamila.txt").read_text(encoding="utf-8"))
    assert who(r, "Kamila").gender == "female"


def test_lower_case_vocative_counts_as_a_mention():
    text = 'Mila stood still. Carlos walked over to her.\n\n"You were great, mila," he said.'
    found = quotes.find_quotes(text)
    index = {"Mila": "Mila", "Carlos": "Carlos"}
    speech = [q for q in found if q.is_speech]
    assert roster.vocatives(text[speech[0].start : speech[0].end], index) == ["Mila"]
    r = roster.build_roster(text, found)
    assert who(r, "Mila").mentions == 2


def test_first_person_narration():
    text = (
        "I had not seen my uncle for years. When I came to the farm, Walter was mending a "
        "fence, and I helped him until dark.\n\n"
        '"You have grown," said Walter.\n\n"I have," said I.'
    )
    r = build(text)
    assert r.first_person
    assert who(r, "I") is None
    assert not build(AUSTEN).first_person


def test_the_narrators_name_is_recognised_from_speech():
    text = "\n\n".join(
        ["I went down to the forge. Joe was at work."]
        + [
            f'"Pip, old chap," said Joe, "here is number {n}."\n\n"Thank you," said I.'
            for n in range(6)
        ]
    )
    found = quotes.find_quotes(text)
    r = roster.build_roster(text, found)
    r.characters.append(type(r.characters[0])("Pip", ["Pip"], "male", 1))
    assert roster.narrator_name(text, found, r) == "Pip"


def test_cast_file_names_the_characters():
    text = (DATA / "mila.txt").read_text(encoding="utf-8")
    cast = listed(("Mila Arias", "female", ["Mila"]), ("Sister Sofia", None, ["Sofia"]))
    r = build(text, cast)
    names = [c.name for c in r.characters]
    assert "Mila Arias" in names and "Sister Sofia" in names
    assert "Mila" not in names and "Sofia" not in names
    assert who(r, "Sister Sofia").from_cast and who(r, "Sister Sofia").gender == "female"
    # A character the cast does not list stays, from the automatic roster.
    assert "Carlos" in names and not who(r, "Carlos").from_cast


def test_cast_keys_match_unambiguous_single_names():
    text = 'Elizabeth smiled at Darcy.\n\n"Well," said Elizabeth.'
    cast = listed(("Elizabeth Bennet", "female", []))
    r = build(text, cast)
    assert who(r, "Elizabeth") is who(r, "Elizabeth Bennet")
    assert r.characters[0].name == "Elizabeth Bennet"


def test_particles_titles_and_names_side_by_side():
    text = (
        "Madame de Villefort entered the room; she looked pale. Villefort rose and he bowed.\n\n"
        + "Franz laughed. Debray smiled. " * 4
        + "At the door stood Franz Debray and the others.\n\n"
        '"Good evening," said the count.\n\n"Good evening," said the count again.\n\n'
        "The Count of Monte Cristo sat down."
    )
    r = build(text)
    madame = who(r, "Madame de Villefort")
    assert madame is not None and madame.gender == "female"
    assert who(r, "Villefort") is not madame
    assert who(r, "Madame") is None
    assert who(r, "Franz") is not who(r, "Debray")  # "Franz Debray" is two people side by side
    assert who(r, "the count") is who(r, "Count of Monte Cristo")


def test_a_full_name_in_a_tag_is_one_person_even_said_once_and_late():
    # Both halves are named often on their own before the full name comes, once, as in
    # "Franz Debray" above; but a tag gives its line to one speaker.
    text = (
        "Larry laughed. O’Keefe smiled. " * 4 + "\n\n“You!” said Larry O’Keefe boldly.\n\n"
        "“I,” said Anna.\n\n“Why?” asked O’Keefe.\n\n"
        "“Because,” said Larry."
    )
    r = build(text)
    larry = who(r, "Larry")
    assert larry is not None and who(r, "O’Keefe") is larry
    assert who(r, "Larry O’Keefe") is larry and who(r, "Anna") is not larry


def test_book_pronouns_outvote_the_first_name_table():
    text = (
        "Andrea came in late. He sat down, and he looked at the fire.\n\n"
        "Andrea laughed. He was in a good mood, and he ordered wine.\n\n"
        "Andrea left. He did not pay."
    )
    assert who(build(text), "Andrea").gender == "male"


# (passage, described or titled speaker, gender a listener expects)
ROLE_GENDERS = [
    (  # a rank names a man
        '"Halt!" said the sergeant. "Who goes there?"\n\n"A friend," said the boy.\n\n'
        '"Advance," said the sergeant.',
        "the sergeant",
        "male",
    ),
    (  # a title of the nobility
        '"You are late," said the duchess.\n\n"Forgive me," said the boy.\n\n'
        '"Never again," said the duchess.',
        "the duchess",
        "female",
    ),
    (  # an unmarked role takes the book's own pronouns
        "The doctor came in. He put down his bag.\n\n"
        '"Where is the patient?" asked the doctor.\n\n"Upstairs," said the girl.\n\n'
        "The doctor nodded, and he went up.\n\n"
        '"Bring hot water," said the doctor.',
        "the doctor",
        "male",
    ),
    (  # a role a novel gives to a woman
        '"Hush," said the nurse.\n\n"Why?" asked the boy.\n\n"Hush now," said the nurse.',
        "the nurse",
        "female",
    ),
    (  # ... even when the role's usual gender is the other one
        "The general rose. She was tall, and her voice was hard.\n\n"
        '"Sit down," said the general.\n\n"Yes, ma\'am," said the boy.\n\n'
        "The general smiled; she had won.\n\n"
        '"Good," said the general.',
        "the general",
        "female",
    ),
    (  # a trade of the roads and inns names a man
        '"Whoa!" said the waggoner.\n\n"Go on," said the girl.\n\n"Whoa there," said the waggoner.',
        "the waggoner",
        "male",
    ),
    (  # ... a maid's a woman, whatever adjective the tag gives her
        '"My lady waits," said the weeping handmaiden.\n\n"Let her," said the boy.\n\n'
        '"She weeps," said the weeping handmaiden.',
        "the weeping handmaiden",
        "female",
    ),
    (  # a rank before a surname names a man when the book's pronouns say nothing
        'Captain Eldridge came in.\n\n"Sit," said Captain Eldridge.\n\n"No," said Ann.\n\n'
        '"Sit down," said Captain Eldridge.',
        "Captain Eldridge",
        "male",
    ),
    (  # ... and a woman when they say so
        "Captain Eldridge came in. She was tired, and her voice was low. Captain Eldridge "
        'sat; she smiled.\n\n"Sit," said Captain Eldridge.',
        "Captain Eldridge",
        "female",
    ),
    (  # a compound says its sex by its last part: a fishwife, a housemaid...
        '"Fresh fish!" cried the fishwife.\n\n"How much?" said the boy.\n\n'
        '"Twopence," said the fishwife.',
        "the fishwife",
        "female",
    ),
    (
        '"The fire is out," said the housemaid.\n\n"Light it," said the cook.\n\n'
        '"Yes," said the housemaid.',
        "the housemaid",
        "female",
    ),
    (  # ... a boatman, and an occupation's feminine "-ess"
        '"Row on," said the boatman.\n\n"Where to?" asked the girl.\n\n'
        '"Upstream," said the boatman.',
        "the boatman",
        "male",
    ),
    (
        '"Apples!" cried the fruiteress.\n\n"Two," said the boy.\n\n'
        '"A penny," said the fruiteress.',
        "the fruiteress",
        "female",
    ),
    (  # a group that speaks has its noun's sex, plural or not
        '"Look!" cried the girls.\n\n"Where?" said the boy.\n\n"There!" cried the girls.',
        "the girls",
        "female",
    ),
]


def test_a_noun_s_sex_from_its_plural_and_its_compounds():
    # The sex is in the word's last part; words that only end like one are no person of it.
    said = {w: noun_gender(w) for w in ("ladies", "boatmen", "washerwoman", "shepherdess")}
    assert said == {
        "ladies": "female",
        "boatmen": "male",
        "washerwoman": "female",
        "shepherdess": "female",
    }
    assert [noun_gender(w) for w in ("human", "witness", "business", "clerk", "careless")] == [
        None
    ] * 5


def check_genders(table: list[tuple[str, str, str]]) -> None:
    for text, name, gender in table:
        person = who(build(text), name)
        assert person is not None, name
        assert person.gender == gender, (name, person.gender)


def test_role_nouns_and_pronouns_give_described_speakers_a_gender():
    check_genders(ROLE_GENDERS)


# (passage, names the roster must not hold, names it must hold)
CLEANUP = [
    (  # an em-dash ends a name; a hyphen before a lower-case word makes no name
        'Miss Lavish--for she was there too--laughed. "Come," said Miss Lavish.\n\n'
        '"No," said Lucy. England-he thought--was far away. Lucy smiled at Miss Lavish.',
        ["Miss Lavish--for", "England-he", "Lavish--for"],
        ["Miss Lavish", "Lucy"],
    ),
    (  # places, institutions and families are no speakers
        "Matthew Maule walked down Pyncheon Street to the Pyncheon House. The Pyncheon "
        "Family watched from Pyncheon Street. Matthew Maule said nothing. The Englishmen "
        'and the Englishmen\'s wives waited.\n\n"Good day," said Matthew Maule.\n\n'
        "Colonel Pyncheon came out of the Pyncheon House.",
        ["Pyncheon Street", "Pyncheon House", "Pyncheon Family", "Englishmen"],
        ["Matthew Maule", "Colonel Pyncheon"],
    ),
    (  # "at" a name is a place unless someone looks, laughs or shouts at it
        "Their meeting at Liverpool remained in doubt. Strether waited at Liverpool, and "
        'Waymarsh arrived at Liverpool late. Strether looked at Waymarsh.\n\n"Well," said '
        'Waymarsh.\n\n"Well," said Strether.',
        ["Liverpool"],
        ["Strether", "Waymarsh"],
    ),
    (  # a name always said after "the" is an inn, even when its surname is a person's
        "My father kept the Admiral Benbow inn. A seaman put up at the Admiral Benbow, and "
        'the Admiral Benbow was full. Benbow nodded.\n\n"Rum," said Billy Bones.',
        ["Admiral Benbow"],
        ["Billy Bones"],
    ),
    (  # a language is nobody, however often it is spoken
        "He then said something in Arabic to Ali. Ali bowed. The count spoke Arabic to him, "
        'and Arabic was all Ali knew.\n\n"It is not your fault, Ali," said the count in the '
        'Arabic tongue.\n\n"Thanks," said Ali.',
        ["Arabic"],
        ["Ali", "the count"],
    ),
    (  # a given name that is only ever where people go is a town ("at Chester")
        "They should meet at Chester rather than at Liverpool. Strether winced at the "
        'thought that Waymarsh might be already at Chester.\n\n"Well," said Waymarsh.\n\n'
        '"Well," said Strether.',
        ["Chester"],
        ["Strether", "Waymarsh"],
    ),
    (  # a hyphenated description is one description; a tag's phrase ends at its person
        '"Halt!" said the off-hand sergeant.\n\n"Friend," said the tall soldier half '
        'asleep.\n\n"Pass," said the off-hand sergeant.\n\n"Thanks," said the tall soldier '
        "half awake.",
        ["the off", "the tall soldier half"],
        ["the off-hand sergeant", "the tall soldier"],
    ),
    (  # a sentence opener before a verb the tags use ("Thus advised", "Having thought") is
        # no speaker's name: the book writes it in lower case and never capitalised mid-sentence
        'Mrs. Pocket dandled the baby. "Take it the other way," said Flopson. Thus advised, '
        "Mrs. Pocket took it the other way, thus and thus.\n\nHaving thought it over, Mr. "
        'Pocket left, having said nothing.\n\n"Well," said Mr. Pocket.',
        ["Thus", "Having"],
        ["Mrs. Pocket", "Mr. Pocket", "Flopson"],
    ),
    (  # ... however often "Having said this" reads as its tag; "Whoever" is nobody; a
        # name that ends in a word for a place is a place ("Mill Pond Bank")
        "I rowed past Mill Pond Bank, having no other guide. Herbert waited at Mill Pond Bank, "
        "and Mill Pond Bank was dark, Herbert having gone. Whoever was below had stopped. "
        "Whoever was there had gone.\n\n"
        '"Is he there?" said Herbert. Having said this, Herbert sat down.\n\n"Not yet," '
        "said Startop. Having said this, Startop rowed on, having nothing to add.",
        ["Having", "Whoever", "Pond Bank", "Mill Pond Bank"],
        ["Herbert", "Startop"],
    ),
    (  # Providence, like God and Heaven, is no character
        "I thanked Providence, for Providence had saved me. Providence was kind to me, and "
        'Providence gave me Friday.\n\n"Master," said Friday.\n\n"Yes," said Friday.',
        ["Providence"],
        ["Friday"],
    ),
]


def test_roster_holds_people_not_fragments_places_or_stray_words():
    for text, absent, present in CLEANUP:
        r = build(text)
        for name in absent:
            assert who(r, name) is None, (name, [c.name for c in r.characters])
        for name in present:
            assert who(r, name) is not None, (name, [c.name for c in r.characters])


_NAMED_LATER = (
    '"How much?" asked a gentleman on his way to his office.\n\n"Ten cents," said Dick.\n\n'
    '"What tailor do you patronize?" asked the gentleman.\n\n"What name?" asked Dick.\n\n'
    '"{name}, office on second floor."\n\n"We shall see," said {title} {name} to {self}, as '
    "{pronoun} walked away. {title} {name} laughed."
)
# (passage, two names of one character)
ONE_PERSON = [
    (  # a full name said once, before either part alone, introduces one person
        "In the chaise sat a merchant called Ivan Ivanitch Kuzmitchov, a man with a shaven "
        "face.\n\n" + "Kuzmitchov frowned. Ivan Ivanitch sighed. " * 4,
        "Kuzmitchov",
        "Ivan Ivanitch",
    ),
    (  # a full name said again and again is one person, whatever its parts do alone
        "Edmond Dantès came ashore. Edmond Dantès bowed. Edmond Dantès smiled.\n\n"
        + "Dantès laughed. Edmond nodded. " * 10,
        "Dantès",
        "Edmond",
    ),
    (  # a kinship title and "Mr." on one surname are one man
        "Mr. Pumblechook came in. Mr. Pumblechook sat down, and he ate.\n\n"
        '"Boy," said Uncle Pumblechook. Uncle Pumblechook laughed.\n\n'
        '"Well," said Mr. Pumblechook.',
        "Uncle Pumblechook",
        "Mr. Pumblechook",
    ),
    (  # a rank or profession with the surname alone is the one holder of that full name
        "Dr. Howard Archie came to the house. Dr. Archie sat down.\n\n"
        '"Well," said Dr. Archie. Dr. Archie smiled.',
        "Dr. Archie",
        "Dr. Howard Archie",
    ),
    (  # a full name said twice, after each part alone, is still one man
        "Gabriel laughed. Oak nodded. " * 4 + "Gabriel Oak stood up. Gabriel Oak sat down.",
        "Oak",
        "Gabriel",
    ),
    (  # a pet name that speaks is the one character of that given name
        'John Reed came in. John Reed sat down.\n\n"Go," said Jack.\n\n"No," said Ann.'
        '\n\n"Go," said Jack.',
        "Jack",
        "John Reed",
    ),
    (  # ... even when the pet name has a title of its own
        "Caroline Meeber sat in the train. Caroline Meeber looked out.\n\n"
        '"Yes," said Carrie.\n\n"No," said the man.\n\nSister Carrie smiled. Carrie laughed.',
        "Sister Carrie",
        "Caroline Meeber",
    ),
    (  # one stray pronoun after the full name does not split it from the surname
        "To Sherlock Holmes she is always the woman. I had seen little of Holmes.\n\n"
        + '"Quite so," said Holmes. Holmes laughed, and he lit his pipe. ' * 2,
        "Holmes",
        "Sherlock Holmes",
    ),
    (  # a man's plain title on a man's bare surname that outnumbers the titled forms
        "M. Noirtier de Villefort was old. Madame de Villefort rose, and she smiled. M. de "
        "Villefort bowed, and he sat down. Villefort laughed.\n\n"
        + '"Well," said Villefort, and he sat down. ' * 4
        + '"No," said M. de Villefort.',
        "Villefort",
        "M. de Villefort",
    ),
    (  # ... and so is the one man the book names with a given name on that surname
        "Peter Kronborg was the preacher. Mrs. Kronborg sat down, and she smiled. Mr. "
        "Kronborg came in.\n\n" + '"Well," said Kronborg, and he laughed. ' * 4,
        "Kronborg",
        "Peter Kronborg",
    ),
    (  # a title and its abbreviation are one title
        'M. Bertuccio came in, and he bowed. Monsieur Bertuccio sat down.\n\n"Well," said '
        "M. Bertuccio.",
        "M. Bertuccio",
        "Monsieur Bertuccio",
    ),
    (  # a description that speaks until the talk gives the name the narration then uses
        _NAMED_LATER.format(name="Greyson", title="Mr.", self="himself", pronoun="he"),
        "the gentleman",
        "Mr. Greyson",
    ),
]


def test_one_person_under_two_names_is_one_character():
    for text, a, b in ONE_PERSON:
        r = build(text)
        assert who(r, a) is not None and who(r, a) is who(r, b), (a, b, r.characters)


# (passage, two names of two characters)
TWO_PEOPLE = [
    (  # two pet names of one given name may be two people
        'Eliza Reed sat down. Eliza laughed.\n\n"Go," said Bessie.\n\n"No," said Eliza.'
        '\n\n"Go," said Bessie.',
        "Eliza",
        "Bessie",
    ),
    (  # two names side by side once, each said often alone: two people
        "Franz laughed. Debray smiled. " * 4 + "At the door stood Franz Debray and the others.",
        "Franz",
        "Debray",
    ),
    (  # a man's bare surname is no man of two the book names with given names on it
        "Peter Kronborg was the preacher, and Gunnar Kronborg his son. Mrs. Kronborg sat "
        "down, and she smiled. Mr. Kronborg came in.\n\n"
        + '"Well," said Kronborg, and he laughed. '
        * 4,
        "Kronborg",
        "Peter Kronborg",
    ),
    (  # ... never someone of the other sex
        _NAMED_LATER.format(name="Greyson", title="Miss", self="herself", pronoun="she"),
        "the gentleman",
        "Miss Greyson",
    ),
    (  # ... nor someone named only in the next chapter
        'PROLOGUE\n\n"Help!" cried the girl.\n\n"Wait," said a man.\n\n"Please," said the '
        'girl.\n\nCHAPTER I. THE ADVENTURERS\n\n"Tuppence!" said Tommy.\n\nTuppence laughed, '
        "and she sat down.",
        "the girl",
        "Tuppence",
    ),
]


def test_two_people_stay_two_characters():
    for text, a, b in TWO_PEOPLE:
        r = build(text)
        assert who(r, a) is not None and who(r, a) is not who(r, b), (a, b, r.characters)


# (passage, name, gender): the book's pronouns, read as a reader would
PRONOUN_GENDERS = [
    (  # an object pronoun in her own sentence is someone else ("waiting for him")
        "Philip came down. Ysolde was waiting for him in the hall. Ysolde looked at him. "
        "Ysolde raised her eyes to his face.\n\n"
        '"Come," said Ysolde.',
        "Ysolde",
        "female",
    ),
    (  # after the other person's "him", the sentence's "he" is his too
        'Ysolde asked him what he had done with his coat.\n\n"Well," said Ysolde, and she smiled.',
        "Ysolde",
        "female",
    ),
    (  # past a quotation the pronoun is its speaker's, not the person spoken to
        'Ysolde looked up. "Come," he said. ' * 3 + '\n\n"No," said Ysolde. She shook her head.',
        "Ysolde",
        "female",
    ),
    (  # the name in a tag is the subject of what follows it
        '"Go," said Ysolde, shaking her head.\n\n"No," Philip said.\n\n'
        '"Yes," said Ysolde, and she left.',
        "Ysolde",
        "female",
    ),
    (  # what the book says she is: "Ysolde was a tall, big-boned woman"
        "Ysolde was a tall, big-boned woman with fair hair.\n\n"
        '"Come," said Ysolde.\n\n"No," said Philip.',
        "Ysolde",
        "female",
    ),
    (  # "said the count, Ysolde ..." is a clause that ends, not "the count Ysolde"
        'Ysolde sat down; she was tired.\n\n"Sit," said the count, Ysolde having sat.\n\n'
        '"Well," said the count, Ysolde smiling. Ysolde rose; she left.',
        "Ysolde",
        "female",
    ),
    (  # a person described between the name and the pronoun may own it
        "Strether had a rueful glance for the lady in the glass cage. It was as if this "
        "personage had seen herself superseded.\n\nStrether had a word for the woman at the "
        'desk; she smiled.\n\nStrether sat down, and he waited.\n\n"Well," said Strether.',
        "Strether",
        "male",
    ),
    (  # "said the burly Moze, who ... he": the speech verb before "the burly" makes a subject
        '"Fire feels good," said the burly Moze, who was as broad as he was tall.\n\n"Aye," '
        'said Jim.\n\n"Grub," said the burly Moze.',
        "Moze",
        "male",
    ),
]


def test_pronouns_that_belong_to_someone_else_do_not_vote():
    check_genders(PRONOUN_GENDERS)


_BOY_AND_NURSE = (
    "Philip came down with Emma. She took his hand. Philip looked at her, and she smiled. "
    "Philip sat by the nurse. She poured the tea.\n\n"
    '"Thank you," said Philip.\n\n"Drink it," said Emma. Emma was kind; he knew it.'
)
# (passage, name, gender): evidence that leaves no clear majority
SPLIT_EVIDENCE_GENDERS = [
    # pronouns split between a boy and his nurse: each name keeps its usual gender
    (_BOY_AND_NURSE, "Philip", "male"),
    (_BOY_AND_NURSE, "Emma", "female"),
    (  # a pet name has the gender of the name it stands for ("Larry" is Lawrence)
        'Larry came in with the doctor\'s bag.\n\n"Here," said Larry.\n\n"Thanks," said Ann.',
        "Larry",
        "male",
    ),
]


def test_a_given_name_decides_when_the_pronouns_are_split():
    check_genders(SPLIT_EVIDENCE_GENDERS)


# (passage, who "the <Title>" is, its gender, the speakers of the quotes in order)
TITLES = [
    (  # a title alone is a person when they speak: all book long as "the General"
        'The General came into the room. He looked at Ann.\n\n"Sit down," said the General.'
        '\n\n"No," said Ann.\n\n"Sit," the General said. The General frowned.',
        "the General",
        "male",
        ["the General", "Ann", "the General"],
    ),
    (  # ... and the book's one General when it has one
        'General Tilney came in. The General was tired, and he slept.\n\n"Go," said the '
        'General.\n\n"No," said Ann.\n\n"Go," said the general.',
        "General Tilney",
        "male",
        ["General Tilney", "Ann", "General Tilney"],
    ),
    (  # a title says nothing of gender: the book's pronouns do
        'The Professor came in. The Professor was tired, and she slept.\n\n"Go," said the '
        'Professor.\n\n"No," said Ann.\n\n"Go," said the Professor.',
        "the Professor",
        "female",
        ["the Professor", "Ann", "the Professor"],
    ),
    (  # a title named only in the talk: "the parson" is the one Parson anyone names
        '"Good night," said the parson. "I am Parson Tringham, the antiquary."\n\n'
        '"Good night," said John.\n\n"Good night, Sir John," said the parson.',
        "Parson Tringham",
        "male",
        ["Parson Tringham", "Parson Tringham", "John", "Parson Tringham"],
    ),
    (  # one Count above all others in the book is "the Count"
        "The Count of Monte Cristo bowed. " * 4
        + 'Count Andrea smiled.\n\n"Welcome," said the Count.\n\n"Thanks," said Ann.',
        "Count of Monte Cristo",
        "male",
        ["Count of Monte Cristo", "Ann"],
    ),
]


def test_a_title_alone_is_the_titled_person_or_one_of_their_own():
    for text, title, gender, speakers in TITLES:
        r = build(text)
        person = who(r, title)
        assert person is not None and person.gender == gender, (title, r.characters)
        found = quotes.find_quotes(text)
        said = [a.speaker for a in attribution.attribute(text, found, r)]
        assert [who(r, s) for s in said] == [who(r, s) for s in speakers], (title, said)


def test_appositions_are_those_of_the_text_asked_about():
    """Appositions are found once per text (the roster and attribution share them): an
    edited text is scanned anew, and a roster only sees the names it holds."""
    from audiobook.model import Character
    from audiobook.speakers.mentions import descriptors

    deniska = Roster([Character("Deniska", ["Deniska"], "male")])
    text = "Then the coachman Deniska came in."
    assert descriptors(text, deniska) == {"Deniska": {"coachman"}}
    assert descriptors(text.replace("coachman", "boy"), deniska) == {"Deniska": {"boy"}}
    assert descriptors(text, Roster([Character("Anna", ["Anna"], "female")])) == {}
