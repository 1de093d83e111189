"""A described speaker the text names ("my aunt ... Her name was Agatha"; "my name is
Barnaby" while the narration still says "the old man"): the description's lines are the
named person's. Passages invented for these tests."""

from __future__ import annotations

from rosters import build, speakers, who

KITCHEN = (
    "My aunt kept the house for us after the war. She was a stern woman, and the whole "
    "village was afraid of her. Her name was Agatha Brill, and Agatha Brill she stayed to "
    "the end.\n\n"
    '"Wipe your boots," said my aunt.\n\n'
    '"I have," I said.\n\n'
    '"Then wipe them again," said my aunt.\n\n'
    "Agatha Brill turned back to the stove."
)


def test_the_narration_names_the_described_speaker():
    r = build(KITCHEN)
    aunt = who(r, "my aunt")
    assert aunt is not None and aunt.name == "Agatha Brill"
    assert speakers(KITCHEN) == ["Agatha Brill", "narrator", "Agatha Brill"]


RIVALS = (
    "My aunt sat by the window with my cousin. A tall woman came to the door with a basket. "
    "Her name was Molly Pratt, and she sold eggs.\n\n"
    '"Four a penny," said the tall woman.\n\n'
    '"Too dear," said my aunt.\n\n'
    "Molly Pratt went away."
)


def test_a_name_after_another_person_of_the_gender_is_not_the_description_s():
    """ "Her name was Molly Pratt" comes after "a tall woman": the aunt keeps her own
    description, so her line is not Molly's."""
    said = speakers(RIVALS)
    assert said[1] == "my aunt"


ROAD = (
    "Carl walked beside the waggons. An old man trudged along below him in bark shoes, "
    "and after a while the old man began to talk.\n\n"
    '"Where are you going?" asked the old man.\n\n'
    '"To school," answered Carl.\n\n'
    '"To school! Well, well. And my name is Barnaby, lad, Barnaby Holt from the river. I '
    'was a carter forty years."\n\n'
    "Barnaby went on muttering, and Carl did not listen. The waggons creaked on over the "
    "dusty road until evening.\n\n"
    '"Lie down on the bales," said the old man.'
)


def test_a_described_speaker_who_names_himself_is_that_person():
    r = build(ROAD)
    barnaby = who(r, "Barnaby")
    assert barnaby is not None and "the old man" in barnaby.aliases
    said = speakers(ROAD)
    assert said[0] == said[-1] == barnaby.name


KNOWN = (
    "Barnaby Holt kept the inn at the crossroads. Carl reached it at dusk, and an old man "
    "opened the door to him.\n\n"
    '"Is the landlord in?" asked Carl.\n\n'
    '"My name is Barnaby, but he is out," said the old man. "Wait by the fire."\n\n'
    '"Thank you," said Carl.'
)


def test_a_name_the_narration_already_used_is_not_taken_by_the_description():
    """The narration named Barnaby before anyone said "my name is Barnaby": whoever says it,
    the old man is not made Barnaby by it."""
    r = build(KNOWN)
    barnaby = who(r, "Barnaby Holt")
    assert barnaby is not None and "the old man" not in barnaby.aliases
