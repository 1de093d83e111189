"""Curly apostrophes (’) in names and speech tags read as straight ones: a book typed with
’ gives the same speakers as the same book typed with ', and shows its names as it spells
them. Invented passages."""

from __future__ import annotations

from rosters import speakers

from audiobook.model import Cast, CastEntry
from audiobook.speakers import roster
from audiobook.text.apostrophes import book_spellings, plain_apostrophes
from audiobook.text.quotes import find_quotes

# A first-person book: a kin description speaks first and is then called by her name;
# a name with an apostrophe speaks by tag.
KIN = """Edith had kept my house since the spring, and she kept it well.

“Will you ever settle down, Martin?” asked my cousin’s widow.

“My dear Edith,” I answered, “I have settled twice this year.”

My cousin’s widow put down her cup and looked at the window.

“Then settle a third time,” said she.

“You are both too stubborn,” said Father O’Malley from the doorway.

“I am patient,” I said. “It is not the same thing.”

“Patience!” cried my cousin’s widow, and she laughed at me.
"""


def test_curly_and_straight_apostrophes_give_the_same_speakers():
    straight = KIN.replace("\u2019", "'")
    assert [s and s.replace("\u2019", "'") for s in speakers(KIN)] == speakers(straight)


def test_a_kin_tag_with_a_curly_apostrophe_is_read_and_named_by_the_answer():
    # "asked my cousin’s widow" is a tag; "My dear Edith" names who asked, and the widow
    # is Edith from then on: her "said she" after the narration about her, and her cry.
    assert speakers(KIN) == [
        "Edith",
        "narrator",
        "narrator",
        "Edith",
        "Father O’Malley",
        "narrator",
        "narrator",
        "Edith",
    ]


def test_names_keep_the_books_spelling():
    found = find_quotes(KIN)
    names = {a for c in roster.build_roster(KIN, found).characters for a in c.aliases}
    assert "Father O’Malley" in names
    assert not any("'" in a for a in names)


def test_a_cast_typed_with_straight_apostrophes_finds_the_books_curly_name():
    entry = CastEntry("Father O'Malley", "en-low", "male")
    cast = Cast(CastEntry("narrator", "en"), {"Father O'Malley": entry})
    assert "Father O'Malley" in speakers(KIN, cast)
    assert "Father O’Malley" not in speakers(KIN, cast)


def test_only_apostrophes_are_straightened_and_offsets_hold():
    text = "‘Come here,’ said the boys’ mother to O’Brien. ‘Not yet’ — and d’Artagnan’s sword."
    plain = plain_apostrophes(text)
    assert len(plain) == len(text)
    assert (
        plain
        == "‘Come here,’ said the boys' mother to O'Brien. ‘Not yet’ — and d'Artagnan's sword."
    )


def test_book_spellings_pick_the_books_form():
    book = "O’Brien came in. Then O’Brien sat."
    assert book_spellings(book, plain_apostrophes(book), {"O'Brien", "Mary"}) == {
        "O'Brien": "O’Brien"
    }
    assert book_spellings("O'Brien", "O'Brien", {"O'Brien"}) == {}


# A man who answers with his eyes: the tag's possessive names who speaks.
EYES = """The old man could not move, but his eyes were bright.

“Do you know him?” asked Valentine.

“Yes,” said the old man’s eye.

“Then he told you?”

“Yes,” said the old man’s look, with eagerness.
"""


def test_a_look_or_an_eye_that_says_it_is_its_owners():
    assert speakers(EYES) == ["Valentine", "the old man", "Valentine", "the old man"]


def test_a_book_in_files_is_straightened_once_per_file_with_the_same_roster():
    # The pipeline straightens each file once and hands the copies to the roster and the
    # attribution; an apostrophe at a file's edge must not read differently when joined.
    parts = [KIN + "And that was the end of Edith’", "’Tis O’Malley’s turn,” said Martin’s aunt.\n"]
    pairs = [(p, find_quotes(p)) for p in parts]
    plains = [plain_apostrophes(p) for p in parts]
    once = roster.build_book_roster(pairs, None, plains)
    assert once == roster.build_book_roster(pairs, None)
    assert "Father O’Malley" in [c.name for c in once.characters]
