"""The one list of speech verbs: what a dialogue tag says ("said Holmes", "she
admitted", "the old man went on"). The quote finder reads tags with it (is this quote
speech? does this tag end the utterance?) and so does the attribution sieve.
"""

from __future__ import annotations

import re


def longest_first(word: str) -> tuple[int, str]:
    """Sort key of an alternation's words: the longest first ("said to himself" is tried
    before "said"), ties in alphabetical order, so that the pattern is the same text in every
    process (a set's order changes with PYTHONHASHSEED) and kept compiled (rxstore.py)."""
    return (-len(word), word)


def _words(text: str) -> set[str]:
    return set(text.split())


# Speech verbs of a dialogue tag ("said Holmes", "she admitted"), past and present.
SPEECH_VERBS = _words(
    """
said says asked asks replied replies cried cries exclaimed exclaims whispered whispers
muttered mutters admitted admits answered answers shouted shouts began begins continued
continues added adds observed observes remarked remarks returned returns retorted retorts
inquired inquires enquired enquires murmured murmurs called calls repeated repeats declared
declares demanded demands explained explains insisted insists interrupted interrupts
suggested suggests urged urges sighed sighs laughed laughs groaned groans growled growls
grumbled grumbles snapped snaps stammered stammers sobbed sobs screamed screams yelled yells
roared roars bellowed bellows protested protests agreed agrees resumed resumes responded
responds pleaded pleads begged begs wondered wonders thought thinks sang sings chanted
hissed hisses wailed wails moaned moans gasped gasps panted pants breathed breathes faltered
falters drawled drawls commanded commands ordered orders warned warns announced announces
assented assents rejoined rejoins mumbled mumbles croaked croaks wheezed wheezes squeaked
squeaks piped boomed booms thundered concluded concludes interposed interposes persisted
persists queried queries ventured ventures corrected corrects acknowledged confessed
confesses conceded concedes joked jokes teased teases scolded scolds chided chides grunted
grunts snorted snorts shrieked shrieks chuckled chuckles giggled giggles smiled smiles
grinned grins nodded sneered sneers pursued spoke speaks stuttered stutters blurted blurts
shrilled squealed wept weeps sputtered whimpered whined whines objected objects reasoned
recalled reminded counselled counseled advised assured assures promised promises greeted
hollered cooed purred lied prayed swore vowed reflected mused muses echoed echoes confirmed
confirms interjected interjects hazarded stated states barked yawned cautioned complained
complains lamented marvelled asserted asserts scoffed scoffs ejaculated remonstrated
expostulated jeered taunted snarled snarls quavered rasped demurred intoned cackled
lisped bawled chirped babbled blustered coaxed reiterated mocked argued argues countered
implored entreated besought volunteered
"""
) | _words(  # the tags of Spanish, French and German dialogue ("—preguntó Sofía", "demanda Paul")
    """
dijo preguntó respondió contestó exclamó gritó murmuró susurró añadió repitió replicó
explicó dit demanda répondit cria murmura ajouta reprit répliqua chuchota expliqua répéta
s'écria sagte fragte antwortete rief flüsterte
"""
)
# Two-word speech verbs ("went on", "broke in").
SPEECH_PHRASES = (
    "went on",
    "goes on",
    "broke in",
    "put in",
    "cried out",
    "called out",
    "brought out",
    "hastened to add",
    "answered for them all",
    "shouted out",
    "burst out",
    "chimed in",
    "struck in",
    "spoke up",
    "said to himself",
    "said to herself",
    "asked again",
    "said again",
)

# Nouns of speech that tag a quote as its verbs do ('"Very much," was Wemmick's reply',
# '"No," came the answer from Joe'): the one whose reply it is speaks.
SPEECH_NOUNS = _words("reply answer response rejoinder retort remark exclamation")


# Forms only a tag the quote finder reads has ("he began saying", "as I told you",
# "she would say"): the sieve wants the finite forms above, the quote finder all of them.
OTHER_FORMS = _words(
    """
say saying ask asking tell tells told telling answering calling crying shouting
whispering muttering murmuring exclaiming adding continuing repeating observing remarking
returning retorting pleading admitting sighing laughing yelling screaming roaring growling
snapping thinking singing sung sing begin beginning explaining insisting declaring
demanding inquiring enquiring announcing groaning whimpering stammering shrieking hissing
barking grumbling replying fit add admit agree announce answer assent bark barks call
chimed continue cry declare demand exclaim explain groan growl grumble inquire insist
interpose laugh murmur mutter observe plead remark repeat reply resume retort return roar
scream shout shriek sigh snap sob sobbing stammer think whisper yell
"""
)


def any_form() -> str:
    """A regular expression for any speech verb or phrase, longest first."""
    words = sorted(SPEECH_VERBS | OTHER_FORMS | set(SPEECH_PHRASES), key=longest_first)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")"
