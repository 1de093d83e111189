"""Reading speech tags: the quote-to-mention half of the sieve.

A tag is the narration glued to a quote ("said Holmes", "she admitted",
"the old man replied", "Kuzmitchov shouted to the shepherd:"). These helpers
only find the mention and what kind it is; deciding which character it means
is attribution's job, because that needs the conversation so far.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from audiobook.speakers.names import (
    DETERMINERS,
    NOT_NAMES,
    NOUN_GENDER,
    PARTICLES,
    SUBJECT_PRONOUNS,
)
from audiobook.speakers.phrases import (
    GENDERED,
    INDEF,
    description_gender,
    group_gender,
    indefinite,
    is_indefinite,
    is_person,
    person_phrase,
)
from audiobook.speakers.relations import RELATIONS, relation, relation_gender
from audiobook.text.sentences import last_sentence_start
from audiobook.text.speechverbs import SPEECH_NOUNS, SPEECH_PHRASES, SPEECH_VERBS, longest_first

_VERBS = sorted(SPEECH_VERBS | set(SPEECH_PHRASES), key=longest_first)
VERB = r"(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in _VERBS) + r")(?![\w'-])"
ADVERB = r"(?:[a-z]+ly\s+)?"
PRONOUN = r"(?:[Hh]e|[Ss]he|I|[Ww]e|[Tt]hey)"
_DETS = r"(?i:" + "|".join(sorted(DETERMINERS)) + r")"
# A description: determiner, up to three modifiers, a head word ("the old man").
DESC = _DETS + r"\s+(?:[a-z][\w'-]*\s+){0,3}?[a-z][\w'-]*"
# After the verb a description runs to a stop: punctuation or a function word.
_STOP = (
    r"(?=\s*(?:[,.;:!?—–]|--|-\s)|\s*$|\s+(?:in|with|and|to|as|who|from|at|on|for|of|into|again|then|"
    r"but|while|when|after|before|[a-z]+ly|[a-z]+ing)\b)"
)
# A capitalised name not (yet) in the roster, for roster discovery.
CAP = r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\.?\s+(?!I\b)[A-ZÀ-ÖØ-Þ][\w'’-]*){0,3}"
LEAD = r"^[\s,;—–-]*"
# "Panteley was muttering": the progressive of a speech verb.
ING = (
    r"(?:"
    + "|".join(
        sorted(
            {
                v[:-3] + "ying" if v.endswith("ied") else v[:-2] + "ing"
                for v in SPEECH_VERBS
                if v.endswith("ed")
            }
            | {"saying", "speaking", "talking", "singing", "telling", "calling", "crying"},
            key=longest_first,
        )
    )
    + r")\b"
)
_PREP_BEFORE = re.compile(
    r"\b(?:to|at|towards?|with|upon|on|of|from|for|by|about|after|behind|beside|"
    r"into|over|under|near|round|past|like|than)\s+(?:the\s+)?\Z"
)
# "said the latter": one of the two people just named (relations.py).
_WHICH = r"[Tt]he\s+(?:former|latter)\b"
# "said Daisy's mamma": the name is the possessor, the relation speaks.
_RELATION_AFTER = re.compile(
    r"['’]s\s+(" + "|".join(sorted(RELATIONS, key=longest_first)) + r")(?![\w'-])"
)
# "Strether's new acquaintance pursued": a person seen from a named one speaks, not the named.
_SOCIAL = {"acquaintance", "companion", "comrade", "interlocutor"}
_WHOSE = (
    r"['’]s\s+(?:[a-z][\w'-]*\s+){0,2}?(?:"
    + "|".join(
        sorted((set(NOUN_GENDER) | RELATIONS | _SOCIAL) - {"old", "young"}, key=len, reverse=True)
    )
    + r")(?![\w'-])"
)
# "sobbed forth Mercédès", "called back Tom": a verb's particle before the inverted subject.
_PARTICLE = r"(?:\s+(?:forth|out|back|up))?"
# "said old Cotter", "cried poor Mrs. Lane": an epithet before a name is not part of it.
_EPITHET = r"(?:(?:old|young|little|poor|dear)\s+(?=[A-Z]))?"
# "said de Villefort", "van Helsing replied": a lower-case particle before a surname; the
# surname alone names the person ("d'Artagnan" is one word, read as a name: forms.py).
NAME_PARTICLE = rf"(?:(?:{'|'.join(sorted(PARTICLES))})\s+(?=[A-Z]))?"
_AUX = r"(?:was|were|is|kept|went\s+on)"
# '"Very much," was Wemmick's reply', 'came the count's answer', 'was his ready retort'.
_POSS = r"(?:['’]s|(?<=s)['’])"  # "Wemmick's", "Dantès'"
SPEECH_NOUN = rf"(?:[a-z]+\s+)?(?:{'|'.join(sorted(SPEECH_NOUNS, key=longest_first))})(?![\w'-])"
# '"Thank you, sir." I said nothing.': saying nothing is no tag of the quote before.
_SILENT = r"(?!\s+(?:nothing|no\s+more|not\s+a\s+word|never\s+a\s+word)\b)"
# "he heard the old man cry", "Mary heard her say": after a verb of hearing the one heard
# speaks in the bare infinitive (or the -ing form), and the hearer does not.
_HEAR = r"(?:(?:could|did|would)\s+)?(?:heard|hears|hear|overheard)"
BASE = (
    r"(?:"
    + "|".join(
        sorted(
            {
                re.sub(r"(?<=[cs]h)es$|(?<=ss)es$|(?<=o)es$|s$", "", re.sub(r"ies$", "y", v))
                for v in SPEECH_VERBS
                if v.endswith("s") and not v.endswith("ss")
            },
            key=longest_first,
        )
    )
    + r")"
)
# The one heard as an object pronoun ("heard her say"), or whose reply or voice it is ("was
# his reply", "lifted up her voice"): the pronoun's subject form and gender.
_OBJECT_PRONOUN = {"her": ("she", "female"), "him": ("he", "male")}
_POSSESSIVE = {"his": ("he", "male"), "her": ("she", "female")}
# "she had finally replied", "he has said": a tag told in the perfect (a remembered talk).
_PERFECT = r"(?:had|has|have)"
_SOUND = r"(?:voice|shout|cry|whisper|call|scream|laugh|bass|tenor)"
_OWN_SOUND = re.compile(rf"([Hh]is|[Hh]er)\s+(?:[a-z]+\s+)?{_SOUND}\Z")
# "said the old man's eye", "replied the stranger's voice": the person whose voice, eyes or
# look says it speaks, not a new speaker called "the old man's eye". Only someone already
# in view ("the"): "a woman's voice" is someone unseen, a speaker of its own.
_WHOSE_SOUND = re.compile(
    rf"((?i:the)\s.+?)'s\s+(?:[a-z]+\s+)?(?:{_SOUND}|looks?|eyes?|glance|gaze|lips|face|countenance)\Z"
)


@dataclass(frozen=True)
class Mention:
    kind: str  # "name" | "pronoun" | "description" | "narrator" | "which" (the former/latter)
    text: str  # the words as written
    start: int  # offset inside the segment it was found in
    gender: str | None = None
    # "Mary heard her say": a name the mention cannot be (the hearer).
    other: str | None = None


class TagReader:
    """Finds tag mentions in narration next to a quote, given the known names."""

    def __init__(self, name_pattern: str):
        self.name_pattern = name_pattern
        subj = (
            rf"(?P<which>\b{_WHICH})|(?P<poss>(?:{name_pattern}){_WHOSE})|(?P<name>{name_pattern})"
            rf"|(?P<pron>\b{PRONOUN}\b)|(?P<indef>\b{INDEF})|(?P<desc>\b{DESC})|(?P<cap>{CAP})"
        )
        # "said Holmes", "asked he", "replied the old man"
        subj_after = subj.replace(f"(?P<desc>\\b{DESC})", f"(?P<desc>\\b{DESC}{_STOP})")
        subj_after = subj_after.replace(f"(?P<indef>\\b{INDEF})", f"(?P<indef>\\b{INDEF}{_STOP})")
        self.verb_first = re.compile(
            LEAD + rf"{ADVERB}{VERB}{_PARTICLE}\s+{ADVERB}{_EPITHET}{NAME_PARTICLE}(?:{subj_after})"
        )
        # "Holmes said", "she admitted", "the old man quietly replied"
        self.subj_first = re.compile(
            LEAD
            + rf"{NAME_PARTICLE}(?:{subj})\s*,?\s+{ADVERB}(?:{_PERFECT}\s+{ADVERB})?"
            + rf"(?:{VERB}{_SILENT}|{_AUX}\s+{ADVERB}{ING})"
        )
        # "he heard Panteley whisper", "Dymov's shout floated from the waggon"
        self.heard = re.compile(
            LEAD + rf"(?:{PRONOUN}\s+)?(?:heard|hears|could\s+hear)\s+(?:{subj_after})"
        )
        # "Mary heard her say", "I heard Joe call": the object of hearing speaks, never the
        # hearer; "she heard herself say" is the hearer.
        hearer = rf"(?:(?P<who>{name_pattern})|\b{PRONOUN}\b|\b{DESC}|{CAP})\s+{ADVERB}"
        # Inside a lead-in only a known name is worth keeping as the hearer.
        known = rf"(?:(?P<who>{name_pattern})\s+{ADVERB})"
        heard_says = (
            rf"{_HEAR}\s+(?:(?P<obj>\b(?:him|her|me)\b)|{subj})\s+{ADVERB}"
            rf"(?:{BASE}|{ING}|{VERB})(?![\w'-])"
        )
        self.perceived = re.compile(LEAD + rf"(?:{hearer})?{heard_says}")
        self.perceived_in = re.compile(rf"{known}?\b{heard_says}")
        self.heard_self = re.compile(
            LEAD + rf"(?:{subj})\s+{ADVERB}{_HEAR}\s+(?:him|her|my|them|our|your)sel(?:f|ves)\b"
        )
        # '"Very much," was Wemmick's reply', 'was his answer', 'came the reply from Joe',
        # 'was all Joe said': a noun of speech or a clause names the speaker.
        self.nominal = re.compile(
            LEAD
            + rf"(?:was|came)\s+(?:(?P<own>[Hh]is|[Hh]er)\s+|(?:{subj}){_POSS}\s+){SPEECH_NOUN}"
        )
        self.nominal_of = re.compile(
            LEAD + rf"(?:was|came)\s+the\s+{SPEECH_NOUN}\s+(?:of|from)\s+(?:{subj_after})"
        )
        # "Wemmick's answer was:", "his only reply was," before the quote
        self.nominal_before = re.compile(
            rf"(?<![\w'’-])(?:(?P<own>[Hh]is|[Hh]er)|(?:{subj}){_POSS})\s+{SPEECH_NOUN}"
            r"\s+(?:was|came)\s*[,:]?\s*[—–-]*\s*\Z"
        )
        self.all_said = re.compile(LEAD + rf"was\s+all\s+(?:that\s+)?(?:{subj})\s+{VERB}")
        # "asked the sweet, silvery voice of Mercédès"
        self.voice_of = re.compile(
            LEAD + rf"{ADVERB}{VERB}\s+(?:the|a)\s+[^.;:!?\"“”]{{0,40}}?\bvoice\s+of\s+"
            rf"(?:{subj_after})"
        )
        self.voice = re.compile(LEAD + rf"(?:{subj})['’]s\s+(?:[a-z]+\s+)?{_SOUND}\b")
        # ', merely saying, "', ', exclaiming:', ', saying to Morrel:': a participle of a speech
        # verb ends the lead-in; its subject is the clause's (_participle_subject).
        self.participle = re.compile(
            rf",\s*{ADVERB}{ING}(?:\s+[a-z]+ly)?(?:\s+to\s+(?:{subj_after}|him|her|them|me|us))?"
            r"\s*[,:]?\s*[—–-]*\s*\Z"
        )
        self.subject = re.compile(rf"(?:{subj})")
        self.verb = re.compile(rf"(?<![\w'-]){VERB}")
        # "the nurse", "a young woman": a person described, anywhere in narration
        self.people = re.compile(rf"\b{_DETS}(?:\s+[a-z][\w'-]*){{1,3}}")
        self.sentence_start = re.compile(rf"(?:^|(?<=[.!?;])\s+)(?:{subj})\s+(?=[a-z])")

    def after(self, seg: str) -> Mention | None:
        """The tag right after a closing quote: '"...," said he' or '"...," she said'.

        Any description glued to the verb counts here ("the shopman asked"): in
        that position it is the speaker whatever the noun."""
        rules = (self.subj_first, self.voice_of, self.verb_first, self.voice, self.heard_self)
        nominal = (self.nominal, self.nominal_of, self.all_said)
        for rx in (*rules, *nominal, self.perceived, self.heard):
            m = rx.match(seg)
            if m:
                found = (
                    _heard(m)
                    if rx is self.perceived
                    else _own(m)
                    if rx is self.nominal and m.group("own")
                    else _mention(m)
                )
                if found.kind != "name" or found.text:
                    return found
        return None

    def before(self, seg: str) -> Mention | None:
        """A tag that introduces the quote: 'Kuzmitchov shouted to the shepherd:'."""
        tail = seg.rstrip()
        if not tail or tail[-1] not in ":,—–-":
            return None
        # The clause starts with its sentence (text/sentences.py), or after a quote in it.
        cut = max(last_sentence_start(tail), tail.rfind('"') + 1, tail.rfind("”") + 1)
        clause = tail[cut:]
        offset = cut or len(seg) - len(seg.lstrip())  # where the clause's offsets count from
        own = self.nominal_before.search(clause)
        if own is not None:
            # "Wemmick's answer was:", "His reply was:"
            mention = _own(own) if own.group("own") else _mention(own)
            return replace(mention, start=offset + mention.start) if usable(mention) else None
        said = self.participle.search(clause)
        if said is not None and (by := self._participle_subject(clause, said.start())):
            # "Dantès ... had surrendered himself to the officer, merely saying, "...""
            mention = _mention(by)
            return replace(mention, start=offset + mention.start)
        verbs = list(self.verb.finditer(clause))
        heard = list(self.perceived_in.finditer(clause))
        if heard and not any(v.start() >= heard[-1].end() for v in verbs):
            # "Then I heard the old man cry out:" -- the one heard speaks.
            mention = _heard(heard[-1])
            if not usable(mention):
                return None
            return replace(mention, start=offset + mention.start)
        # The clause's subject comes first ("Kuzmitchov shouted to the shepherd:");
        # with inversion it follows the verb ("said the old man:").
        if not verbs:
            return None
        verb = verbs[-1]
        found = None
        for m in self.subject.finditer(clause, 0, verb.start()):
            # The verb's own subject is the last one before it ("I said I supposed
            # so, and Wemmick said:"); a preposition's object is no subject
            # ("turning to Mercédès, he inquired:") unless a relative clause
            # makes it one ("towards the young man, who said:").
            after = clause[m.end() : m.end() + 6]
            if not usable(_mention(m)) or after.startswith(("'s", "’s")):
                continue
            if not _PREP_BEFORE.search(clause, 0, m.start()) or re.match(r",?\s+who\b", after):
                found = m
        if found is None:
            after_verb = self.subject.match(clause, verb.end() + 1)
            if after_verb and not clause[verb.end() : after_verb.start()].strip():
                found = after_verb
        if found is None or not usable(_mention(found)):
            return None
        mention = _mention(found)
        return replace(mention, start=offset + mention.start)

    def _participle_subject(self, clause: str, end: int) -> re.Match | None:
        """The subject a participle at the clause's end hangs on: the last subject that opens
        a clause ('During this talk, Dantès ... had surrendered himself to the officer') or
        that a relative clause follows ('Debray, who approached Monte Cristo'); never an
        object ('approached Monte Cristo') or a preposition's ('to the officer')."""
        found = None
        for m in self.subject.finditer(clause, 0, end):
            if not usable(_mention(m)) or clause[m.end() : m.end() + 2] in ("'s", "’s"):
                continue
            if (
                m.group("pron")  # "he", "she": a subject wherever it stands
                or _OPENS_CLAUSE.search(clause, 0, m.start())
                or re.match(r",\s+who\b", clause[m.end() :])
            ):
                found = m
        return found

    def subjects(self, seg: str) -> list[Mention]:
        """Sentence subjects in narration ('Sofia nodded.'), in order; "Everyone laughed."
        names nobody who could speak next."""
        found = (_mention(m) for m in self.sentence_start.finditer(seg))
        return [m for m in found if usable(m) and not is_indefinite(m.text)]


def _heard(m: re.Match) -> Mention:
    """The one heard speaking in a perception tag, knowing who heard them."""
    obj = m.group("obj")
    if obj is None:
        found = _mention(m)
    elif obj == "me":
        found = Mention("narrator", "I", m.start("obj"))
    else:
        pronoun, gender = _OBJECT_PRONOUN[obj]
        found = Mention("pronoun", pronoun, m.start("obj"), gender)
    hearer = m.group("who")
    return replace(found, other=" ".join(hearer.split())) if hearer else found


# What a participle's subject follows: the clause's start, a comma or a conjunction.
_OPENS_CLAUSE = re.compile(
    r"(?:\A|[,;]|\b(?:[Aa]nd|[Tt]hen|[Bb]ut|[Ww]hen|[Ww]hile|[Aa]s|which|that|[a-z]+ly|"
    r"afterwards?|now|again|presently|soon|once))\s*\Z"
)


def _own(m: re.Match) -> Mention:
    """'was his reply': the pronoun whose reply it is, as its subject form."""
    pronoun, gender = _POSSESSIVE[m.group("own").lower()]
    return Mention("pronoun", pronoun, m.start("own"), gender)


def _mention(m: re.Match) -> Mention:
    for kind in ("which", "poss", "name", "pron", "indef", "desc", "cap"):
        text = m.group(kind)
        if text is not None:
            start = m.start(kind)
            if kind == "indef":
                return Mention("description", indefinite(text), start, group_gender(text))
            if kind == "which":
                return Mention("which", " ".join(text.lower().split()), start)
            if kind == "poss":
                text = " ".join(text.replace("’s ", "'s ").split())
                kin = relation(text)
                gender = relation_gender(kin[1]) if kin else description_gender(text)
                return Mention("description", text, start, gender)
            owner = " ".join(text.split())
            if kind == "cap" and owner.endswith(("'s", "’s")):  # CAP takes the "'s" in
                owner, at = owner[:-2], m.end(kind) - 2
            else:
                at = m.end(kind)
            relative = _RELATION_AFTER.match(m.string, at) if kind in ("name", "cap") else None
            if relative and owner.split()[0].lower().rstrip(".") not in NOT_NAMES:
                noun = relative.group(1)
                return Mention("description", f"{owner}'s {noun}", start, relation_gender(noun))
            if kind == "pron":
                if text == "I":
                    return Mention("narrator", text, start)
                gender = SUBJECT_PRONOUNS.get(text.lower())
                return Mention("pronoun", text.lower(), start, gender)
            if kind == "desc" and (own := _OWN_SOUND.match(text)):
                # "she lifted up her voice and shouted:": whose voice it is speaks.
                whose = own.group(1).lower()
                return Mention("pronoun", whose, start, _POSSESSIVE[whose][1])
            if kind == "desc" and (whose := _WHOSE_SOUND.match(" ".join(text.split()))):
                text = whose.group(1)
                return Mention("description", text, start, description_gender(text))
            if kind == "desc":
                text = person_phrase(_to_person_noun(" ".join(text.split()), m.string, m.end(kind)))
                return Mention("description", text, start, description_gender(text))
            words = text.split()
            if kind == "cap":
                # A capitalised sentence opener is not part of the name ("Then Holmes").
                while words and words[0].lower().rstrip(".") in NOT_NAMES:
                    start = m.start(kind) + text.index(words[1]) if len(words) > 1 else start
                    words = words[1:]
            return Mention("name", " ".join(words), start)
    raise ValueError("no subject group matched")


def _to_person_noun(phrase: str, source: str, end: int) -> str:
    """'The old' as matched before 'lady reached out her hand' is 'The old lady': a
    description cut short runs on over lower-case words to its person noun."""
    words = phrase.split()
    if any(GENDERED.get(w.lower()) for w in words[1:]):
        return phrase
    more = re.match(r"(?:\s+[a-z][\w'-]*){1,3}", source[end:])
    if not more:
        return phrase
    ahead = more.group(0).split()
    for n, w in enumerate(ahead):
        if GENDERED.get(w):
            return " ".join([*words, *ahead[: n + 1]])
    return phrase


def usable(m: Mention) -> bool:
    """A mention that can name a speaker: not an empty name, not 'his pocket'."""
    if m.kind == "name":
        return bool(m.text)
    if m.kind == "description" and is_indefinite(m.text):
        return True
    if m.kind == "description" and relation(m.text):
        return True
    if m.kind == "description":
        return is_person(m.text)
    return True
