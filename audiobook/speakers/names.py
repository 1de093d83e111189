"""Word tables the roster and the attribution sieve share.

Compact, hand-written, English-prose tables: no download, no corpus. They are
deliberately general (any novel), never tuned to one book.
"""

from __future__ import annotations

import re

from audiobook.model import Gender

# Honorific -> gender it implies (None: says nothing about gender).
HONORIFICS: dict[str, Gender | None] = {
    "mr": "male",
    "mrs": "female",
    "miss": "female",
    "ms": "female",
    "mx": None,
    "dr": None,
    "doctor": None,
    "lady": "female",
    "sir": "male",
    "lord": "male",
    "dame": "female",
    "madam": "female",
    "madame": "female",
    "mme": "female",
    "mademoiselle": "female",
    "mlle": "female",
    "monsieur": "male",
    "m": "male",
    "señor": "male",
    "senor": "male",
    "señora": "female",
    "senora": "female",
    "señorita": "female",
    "don": "male",
    "doña": "female",
    "herr": "male",
    "frau": "female",
    "captain": None,
    "capt": None,
    "colonel": None,
    "col": None,
    "major": None,
    "general": None,
    "lieutenant": None,
    "lt": None,
    "sergeant": None,
    "sgt": None,
    "inspector": None,
    "constable": None,
    "professor": None,
    "prof": None,
    "judge": None,
    "reverend": None,
    "rev": None,
    "bishop": "male",
    "abbé": "male",
    "father": "male",
    "mother": "female",
    "uncle": "male",
    "aunt": "female",
    "auntie": "female",
    "brother": "male",
    "sister": "female",
    "grandfather": "male",
    "grandmother": "female",
    "granny": "female",
    "grandpa": "male",
    "grandma": "female",
    "king": "male",
    "queen": "female",
    "prince": "male",
    "princess": "female",
    "count": "male",
    "countess": "female",
    "baron": "male",
    "baroness": "female",
    "duke": "male",
    "duchess": "female",
    "master": "male",
    "mistress": "female",
    "saint": None,
    "st": None,
}
# An abbreviated title as the noun a description uses: "Dr. Archie" is "the doctor".
TITLE_NOUNS = {
    "dr": "doctor",
    "capt": "captain",
    "col": "colonel",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "prof": "professor",
}
# Relational and descriptive nouns -> gender ("Mila's sister, Sofia"; "the old man").
NOUN_GENDER: dict[str, Gender | None] = {
    "man": "male",
    "gentleman": "male",
    "boy": "male",
    "lad": "male",
    "fellow": "male",
    "father": "male",
    "son": "male",
    "brother": "male",
    "husband": "male",
    "uncle": "male",
    "nephew": "male",
    "grandfather": "male",
    "grandson": "male",
    "king": "male",
    "prince": "male",
    "priest": "male",
    "monk": "male",
    "sir": "male",
    "landlord": "male",
    "waiter": "male",
    "coachman": "male",
    "footman": "male",
    "butler": "male",
    "boyfriend": "male",
    "dad": "male",
    "daddy": "male",
    "papa": "male",
    "woman": "female",
    "lady": "female",
    "girl": "female",
    "mother": "female",
    "daughter": "female",
    "sister": "female",
    "wife": "female",
    "aunt": "female",
    "niece": "female",
    "grandmother": "female",
    "granddaughter": "female",
    "queen": "female",
    "princess": "female",
    "nun": "female",
    "landlady": "female",
    "maid": "female",
    "waitress": "female",
    "housekeeper": "female",
    "nurse": "female",  # in the books this reads; the pronouns still outvote it
    "widow": "female",
    "girlfriend": "female",
    "mum": "female",
    "mom": "female",
    "mamma": "female",
    "mama": "female",
    "jewess": "female",
    "hostess": "female",
    "actress": "female",
    "governess": "female",
    "friend": None,
    "manager": None,
    "agent": None,
    "cousin": None,
    "child": None,
    "stranger": None,
    "doctor": None,
    "officer": None,
    "soldier": "male",
    "servant": None,
    "driver": None,
    "guard": None,
    "clerk": None,
    "merchant": None,
    "shopkeeper": None,
    "innkeeper": None,
    "host": "male",
    "teacher": None,
    "captain": "male",
    "sailor": "male",
    "shepherd": None,
    "peasant": None,
    "traveller": None,
    "traveler": None,
    "visitor": None,
    "guest": None,
    "old": None,
    "young": None,
    "neighbour": None,
    "neighbor": None,
    "partner": None,
    "coach": None,
    "assistant": None,
    "secretary": None,
    "lawyer": None,
    "boss": None,
    "leader": None,
    "colleague": None,
    "policeman": "male",
    "detective": None,
    "inspector": None,
    "student": None,
    "professor": None,
    "customer": None,
    "beadle": "male",
    "bride": "female",
    "groom": "male",
    "fiancée": "female",
    "fiance": "male",
    # Titles and ranks that name a man or a woman in the books this reads (the book's
    # own pronouns still outvote them for a described speaker).
    "count": "male",
    "countess": "female",
    "abbé": "male",
    "abbe": "male",
    "abbess": "female",
    "sergeant": "male",
    "corporal": "male",
    "general": "male",
    "colonel": "male",
    "major": "male",
    "lieutenant": "male",
    "baron": "male",
    "baroness": "female",
    "duke": "male",
    "duchess": "female",
    "marquis": "male",
    "marquise": "female",
    "marchioness": "female",
    "earl": "male",
    "emperor": "male",
    "empress": "female",
    "lord": "male",
    "squire": "male",
    "parson": "male",
    "vicar": "male",
    "curate": "male",
    "rector": "male",
    "clergyman": "male",
    "bishop": "male",
    "friar": "male",
    "magistrate": "male",
    "undertaker": "male",
    "waggoner": "male",
    "wagoner": "male",
    "porter": "male",
    "jailer": "male",
    "gaoler": "male",
    "prospector": "male",
    "carter": "male",
    "blacksmith": "male",
    "knight": "male",
    "youth": "male",  # "the youth": a young man, in the prose this reads
    "bachelor": "male",
    "widower": "male",
    "handmaiden": "female",
    "handmaid": "female",
    "milkmaid": "female",
    "maidservant": "female",
    "seamstress": "female",
    "laundress": "female",
    "matron": "female",
    "spinster": "female",
    "lass": "female",
    "wench": "female",
}


# Words that start a noun phrase describing a person ("the old man", "his sister").
DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "your", "this", "that"}


def words(text: str) -> set[str]:
    """A word table written as running text, one entry per whitespace-separated word."""
    return set(text.split())


# Compounds whose last part says the sex ("the housemaid", "a washerwoman", "the
# boatman"), and the feminine "-ess" of an occupation ("the fruiteress", "the
# proprietress"): a person noun the table above need not list one by one.
_SEXED_ENDINGS: tuple[tuple[str, Gender], ...] = (
    ("woman", "female"),
    ("maid", "female"),
    ("wife", "female"),
    ("girl", "female"),
    ("mother", "female"),
    ("ess", "female"),
    ("man", "male"),
    ("boy", "male"),
    ("father", "male"),
)
# Words ending so that are no such compound: "human" is no man, a "witness" no woman.
_NOT_SEXED = words(
    """
human shaman talisman german roman norman ottoman caiman
witness business mattress fortress address success access excess process
progress congress distress harness largess prowess duress cypress compass express
"""
)


def noun_gender(noun: str) -> Gender | None:
    """The gender a person noun says: the table's ("the nurse"), its plural's ("the girls",
    "the ladies", "the gentlemen"), or a compound's ("the housemaid", "the boatmen",
    "the fruiteress"); None for a noun that says none ("the clerk")."""
    word = noun.lower()
    for one in (word, re.sub(r"men$", "man", word), re.sub(r"ies$", "y", word), word[:-1]):
        if one in NOUN_GENDER:
            return NOUN_GENDER[one]
    word = re.sub(r"men$", "man", word)
    if word.endswith("esses"):
        word = word[:-2]  # "the fruiteresses"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]  # "the housemaids"
    if word in _NOT_SEXED or word.endswith(("ness", "less")):
        return None
    return next(
        (g for end, g in _SEXED_ENDINGS if word.endswith(end) and len(word) > len(end) + 2), None
    )


# Capitalised words that are never a person's name on their own.
NOT_NAMES = words(
    """
i i'm i've i'd i'll a an the and but or nor for so yet if then than that this these those
there here where when while why how what which who whom whose he she it we they you me him
her us them his hers its our ours their theirs your yours my mine myself yourself himself
herself itself ourselves themselves yes no not oh ah aha alas well why now still even only
just all any both each every some such no none one two three four five six seven eight nine
ten first second third last next chapter book part volume section act scene prologue
epilogue contents preface introduction note monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november
december christmas easter god lord heaven hell providence sir madam ma'am mr mrs miss ms dr st
mister missus english french german russian latin greek italian spanish american european british
arabic turkish persian hebrew portuguese swedish danish polish chinese japanese
jewish christian catholic protestant london paris europe england france russia america
hallelujah amen hello hullo good goodbye good-bye thank thanks please sorry dear poor old
little young great mother father uncle aunt brother sister after before as at by from in
into of on to with without upon about above across against along among around behind below
beneath beside between beyond during except inside near off outside over past since through
throughout till toward towards under until unto up within perhaps maybe indeed though
although because besides however meanwhile moreover nevertheless otherwise instead again
also ever never always often sometimes soon later already suddenly presently once twice let
come go look see say tell do don't did does can could will would shall should must might
ought have has had is are was were be been being am it's that's there's what's nothing
something everything anything nobody somebody everybody anybody someone everyone anyone the
mrs. mr. dr. ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx tsar
emperor majesty highness excellency honour honor ladyship lordship hereupon thereupon
whereupon therefore accordingly nay aye hush hark lo whoever whatever whichever wherever
whenever
"""
)

FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
SUBJECT_PRONOUNS = {"he": "male", "she": "female"}
FIRST_PERSON = {"i", "me", "my", "mine", "myself"}


# "d'Artagnan", "van Helsing", "de Villefort": a name may open with a lower-case particle.
PARTICLES = words("de du des da di del della van von der den la le")
_PROPER = re.compile(rf"(?:[dl]['’]|(?:{'|'.join(sorted(PARTICLES))})\s+)?[A-ZÀ-ÖØ-Þ]")


def is_proper(name: str) -> bool:
    """A name, not a description: 'Holmes', "d'Artagnan", 'van Helsing'; not 'the man'."""
    return _PROPER.match(name) is not None


def honorific_key(word: str) -> str:
    """'Mr.' -> 'mr': the lookup key of a possible honorific."""
    return word.rstrip(".").lower()


def compile_names(aliases: list[str]) -> str:
    """An alternation of aliases, longest first. A description ("the old woman")
    may also open a sentence with a capital; a name ("Will", "Time") must keep its own."""
    # A trie of the aliases word by word: at each position the engine follows one
    # branch instead of trying hundreds of names (5x faster on a long novel).
    trie: dict = {}
    for alias in set(aliases):
        words = alias.split()
        if not words:
            continue
        first = words[0][0]
        head = f"[{first.upper()}{first.lower()}]" if first.islower() else re.escape(first)
        node = trie
        for w in [head + re.escape(words[0][1:]), *(re.escape(w) for w in words[1:])]:
            node = node.setdefault(w, {})
        node[""] = {}
    if not trie:
        return r"(?!x)x"
    return r"(?<![\w'])" + _trie_pattern(trie) + r"(?![\w])"


def _trie_pattern(node: dict) -> str:
    # Longest first, so "Mrs. Joe Gargery" wins over "Mrs. Joe" wins over nothing, and of
    # two sibling words the longer ("Sahib--Mary" before "Sahib"). A fixed order, not the
    # order of a set: the same book must cast the same in every process (PYTHONHASHSEED).
    branches = []
    for word, rest in sorted(node.items(), key=lambda kv: (kv[0] == "", -len(kv[0]), kv[0])):
        if word:
            tail = _trie_pattern(rest)
            branches.append(
                word
                + (r"(?:\s+" + tail + ")" if tail != "" else "")
                + ("?" if "" in rest and tail != "" else "")
            )
    if not branches:
        return ""
    return "(?:" + "|".join(branches) + ")"
