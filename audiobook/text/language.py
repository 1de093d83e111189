"""Which language each segment is spoken in.

lingua is accurate on short phrases but costs ~1.5 s and ~150 MB per loaded
language set, and a novel has tens of thousands of segments. So a cheap
pre-filter counts each language's most common words first: a segment whose
main-language words hold their own is left alone, and lingua only looks at
the few spans where another language's words outnumber them. lingua's
detector is built on first use, restricted to a handful of languages the
engine speaks, never at import.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from audiobook.model import Segment

if TYPE_CHECKING:
    from audiobook.frontcache import FrontCache

# Function words and everyday words: frequent enough to appear in almost any
# sentence, specific enough that a run of them says which language it is.
# Words shared with English ("a", "in", "no", "come") are kept where they are
# common: the comparison is relative, so a shared word counts for both sides.
COMMON_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": """the a an and or but of to in on at by for with from about into over after
            is are was were be been being am have has had do does did done will would shall
            should can could may might must not no yes it its it's i i'm i'll i've i'd me my
            mine you you're your yours he he's him his she she's her hers we we're us our they
            they're them their this that these those what which who whom whose why how where
            when there here then than so if as just very too also all any some every nothing
            something anything out up down off again now never always well oh sir please
            thank thanks don't didn't can't won't isn't wasn't aren't let let's go going
            come get got know think want say said tell told see look like make take give
            one two good right little much more asked replied answered cried whispered
            shouted muttered added continued exclaimed laughed smiled nodded sighed looked
            turned went came chapter""",
        "es": """el la los las un una unos unas y o pero de del al a en con sin por para
            que qué es son era fue ser estar está están estoy soy eres somos yo tú usted él
            ella nosotros vosotros ellos ellas mi mis tu tus su sus me te se nos lo le les
            este esta esto ese esa eso aquí allí ahora nunca siempre muy más menos también
            pero porque cuando donde dónde cómo como hay tengo tiene vida sí gracias hola
            adiós señora bueno buenos buenas noches días nada todo todos vamos quiero
            puedo sé no""",
        "fr": """le la les un une des et ou mais de du au aux à en dans avec sans pour par
            sur que qui quoi est sont était être suis es sommes êtes ai as avons avez ont
            je tu il elle nous vous ils elles me te se moi toi lui leur mon ma mes ton ta
            tes son sa ses ce cet cette ces c'est qu'est ça cela ici là maintenant jamais
            toujours très plus moins aussi parce quand où comment pas ne n'est oui non
            merci bonjour bonsoir rien tout tous bien je suis""",
        "de": """der die das den dem des ein eine einen einem einer und oder aber von zu
            in im an am auf mit ohne für bei aus nach über ist sind war waren sein bin
            bist hat haben habe hatte wird werden ich du er sie es wir ihr mich dich
            sich mir dir uns euch mein meine dein deine sein seine nicht kein keine ja
            nein doch noch schon auch sehr mehr hier dort jetzt immer nie was wer wie wo
            warum wann weil dass danke bitte gut nichts alles""",
        "it": """il lo la i gli le un uno una e o ma di del della dei delle da dal in nel
            nella con senza per su che chi cosa è sono era essere sei siamo siete ho hai
            ha abbiamo hanno io tu lui lei noi voi loro mi ti si ci vi mio mia miei tuo
            tua suo sua questo questa quello quella qui qua lì là adesso ora mai sempre
            molto più meno anche perché quando dove come non sì grazie ciao buongiorno
            niente tutto tutti bene""",
        "pt": """o a os as um uma uns umas e ou mas de do da dos das ao em no na nos nas
            com sem por para que é são era foi ser estar está estão estou sou eu tu você
            ele ela nós eles elas me te se nos lhe meu minha meus teu tua seu sua este
            esta isto esse essa isso aqui ali agora nunca sempre muito mais menos também
            porque quando onde como não sim obrigado obrigada olá nada tudo todos bem""",
        "nl": """de het een en of maar van te in op aan met zonder voor door bij uit naar
            over is zijn was waren ben bent heeft hebben heb had wordt worden ik jij je
            hij zij ze wij we jullie mij me mijn jouw zijn haar ons onze niet geen ja nee
            toch nog al ook zeer meer hier daar nu altijd nooit wat wie hoe waar waarom
            wanneer omdat dat dank alsjeblieft goed niets alles""",
        "la": """et est sunt erat in ad cum sine de ex ab per pro sub non nec neque sed aut
            vel quod qui quae quid ego tu nos vos is ea id hic haec hoc ille illa illud
            meus mea meum tuus tua tuum suus sua suum esse sum es sumus estis ubi quando
            cur quomodo nunc semper numquam etiam atque ac vita mors deus dei domine
            omnia amor carpe diem veritas""",
    }.items()
}

# What lingua may answer: the languages a novel in English (or any of these)
# most often slips into. Languages with their own script (Greek, Cyrillic)
# are told apart by lingua's script rules before any model loads.
DETECTABLE = ("en", "es", "fr", "de", "it", "pt", "nl", "la", "ru", "el")
DEFAULT_LANGUAGE = "en"
# A switch needs lingua this sure, or this sure and the word counts agreeing.
CONFIDENT = 0.5
AGREEING = 0.3
MAIN_SAMPLE_WORDS = 60_000
MAIN_SAMPLE_CHARS = 2_000  # what lingua's all-language detector reads at most

# Scripts that name their language outright: no model needed. (Cyrillic and
# Han are shared by several languages and go to lingua or stay as they are.)
SCRIPT_LANGUAGES = (
    (0x0370, 0x0400, "el"),
    (0x0530, 0x0590, "hy"),
    (0x0590, 0x0600, "he"),
    (0x0600, 0x0700, "ar"),
    (0x0900, 0x0980, "hi"),
    (0x0E00, 0x0E80, "th"),
    (0x10A0, 0x1100, "ka"),
    (0x3040, 0x3100, "ja"),
    (0xAC00, 0xD7B0, "ko"),
)

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Chapter numbers and regnal numbers: "IV" is no Italian, "VI" no Latin.
_ROMAN = re.compile(r"[IVXLCDM]{2,}|[VXLCDM]")
LATIN_END = 0x250  # letters below this code point are Latin script
# A letter (or another word character but a digit) from LATIN_END up: all script_language counts.
_BEYOND_LATIN = re.compile(r"(?![\x00-\u024f])[^\W\d_]")


def words_of(text: str) -> list[str]:
    return [
        w.lower().replace("’", "'")
        for w in _WORD.findall(text)
        if w[0] not in "IVXLCDM" or not _ROMAN.fullmatch(w)  # the test first: most words
    ]


# Word -> the languages whose list holds it, in COMMON_WORDS's order: one look-up a word.
_LANGUAGES_OF: dict[str, tuple[str, ...]] = {}
for _lang, _common in COMMON_WORDS.items():
    for _word in _common:
        _LANGUAGES_OF[_word] = (*_LANGUAGES_OF.get(_word, ()), _lang)


def common_word_counts(words: list[str]) -> Counter[str]:
    """How many of ``words`` each language's list holds (every language, in list order)."""
    counts: Counter[str] = Counter(dict.fromkeys(COMMON_WORDS, 0))
    for w in words:
        for lang in _LANGUAGES_OF.get(w, ()):
            counts[lang] += 1
    return counts


def main_language(text: str) -> str:
    """The language most of ``text`` is written in (ISO 639-1); "en" when unsure."""
    words = words_of(text)
    if not words:
        return DEFAULT_LANGUAGE
    if len(words) > MAIN_SAMPLE_WORDS:
        # Evenly spread slices: a long front matter in another language
        # should not decide a whole novel.
        step = len(words) // 6
        words = [w for i in range(6) for w in words[i * step : i * step + MAIN_SAMPLE_WORDS // 6]]
    counts = common_word_counts(words).most_common()
    (best, hits), runner_up = counts[0], counts[1][1] if len(counts) > 1 else 0
    # Running prose is ~40% function words; 15% with a clear lead is decisive.
    if hits >= 0.15 * len(words) and hits > 1.2 * runner_up:
        return best
    # Not one of the word-listed languages: any language lingua knows, in its
    # low-accuracy mode (trigrams only, ~70 MB), which is plenty for 400 words.
    found = _main_detector().detect_language_of(" ".join(words[:400])[:MAIN_SAMPLE_CHARS])
    return found.iso_code_639_1.name.lower() if found else best if hits else DEFAULT_LANGUAGE


def detect_languages(
    segments: list[Segment], main: str, supported: set[str], memo: FrontCache | None = None
) -> None:
    """Set ``seg.language`` for every segment: ``main`` unless clearly another language.

    Only languages in ``supported`` (what the engine speaks) are ever chosen. ``memo``
    remembers the spans weighed again, so lingua loads only for spans it has not seen.
    """
    candidates = candidate_languages(main, supported)
    # lingua's models cost ~20 MB a language (~200 MB for all candidates), so
    # it only loads the languages the common-word counts actually hint at
    # somewhere in the book: an English novel with a Spanish lyric loads two.
    # One screening pass: most segments are plainly in the main language and
    # are settled here, so only the few others are counted and weighed again.
    hinted = {main}
    others: list[Segment] = []
    for seg in segments:
        hints = language_hints(seg.text, main)
        if hints is None:
            seg.language = main
        else:
            hinted |= hints & candidates
            others.append(seg)
    for seg in others:
        if memo is None:
            seg.language = segment_language(seg.text, main, candidates, hinted)
            continue
        key = memo.span_key(seg.text, main, hinted, candidates)
        known = memo.languages().get(key)
        if known is None:
            known = segment_language(seg.text, main, candidates, hinted)
            memo.remember_language(key, known)
        seg.language = known


def candidate_languages(main: str, supported: set[str]) -> set[str]:
    """What a segment may be detected as: a few common languages the engine speaks."""
    own_script = {lang for _, _, lang in SCRIPT_LANGUAGES}
    return {lang for lang in (*DETECTABLE, *own_script) if lang in supported} | {main}


def segment_language(
    text: str, main: str, candidates: set[str], lingua_languages: set[str] | None = None
) -> str:
    """The language of one span: ``main`` unless the words and lingua agree it is not.

    ``lingua_languages`` (default: ``candidates``) limits what lingua weighs.
    """
    words = words_of(text)
    if not words:
        return main
    by_script = script_language(text)
    if by_script is not None:
        return by_script if by_script in candidates else main
    if sum(1 for w in _WORD.findall(text)[1:] if w[0].islower()) < 2:
        return main  # names and a particle ("O Estella, Estella!", "Héloïse de Villefort.")
    counts = common_word_counts(words)
    main_hits = counts.pop(main, 0)
    ranked: list[tuple[str | None, int]] = [
        *sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ] or [(None, 0)]
    other, other_hits = ranked[0]
    if not _suspicious(text, main, main_hits, other_hits):
        return main
    found = _lingua_best(text, candidates if lingua_languages is None else lingua_languages)
    if found is None or found[0] == main:
        return main
    lang, confidence = found
    # lingua spreads its confidence thin over related languages on a short
    # phrase; words that clearly single out the same language make up for it.
    lead = other_hits - (ranked[1][1] if len(ranked) > 1 else 0)
    agreeing = lang == other and other_hits > 0 and (confidence >= AGREEING or lead >= 2)
    return lang if confidence >= CONFIDENT or agreeing else main


def language_hints(text: str, main: str) -> set[str] | None:
    """None when ``text`` is plainly in ``main`` (segment_language would say so too);
    else the languages lingua should weigh for it: those whose common words
    outnumber the main one's (none for a span its script already names)."""
    words = words_of(text)
    if not words:
        return None
    if script_language(text) is not None:
        return set()
    counts = common_word_counts(words)
    main_hits = counts.pop(main, 0)
    if not _suspicious(text, main, main_hits, max(counts.values(), default=0)):
        return None
    hints = {lang for lang, hits in counts.items() if hits > main_hits}
    if any("\u0400" <= ch < "\u0530" for ch in text):
        hints.add("ru")  # Cyrillic: lingua tells its languages apart
    return hints


def script_language(text: str) -> str | None:
    """The language a span's own script names, when most of its letters are in one."""
    if not _BEYOND_LATIN.search(text):
        return None  # the loop below would count no letter at all
    letters = [ord(ch) for ch in text if ch.isalpha()]
    if not letters:
        return None
    counts: Counter[str] = Counter()
    for code in letters:
        if code >= LATIN_END:
            for low, high, lang in SCRIPT_LANGUAGES:
                if low <= code < high:
                    counts[lang] += 1
                    break
    if not counts:
        return None
    lang, hits = counts.most_common(1)[0]
    return lang if hits * 2 > len(letters) else None


def _suspicious(text: str, main: str, main_hits: int, other_hits: int) -> bool:
    """Could this span be in another language? Cheap, and errs towards yes."""
    if other_hits > main_hits:
        return True
    if main_hits or main not in COMMON_WORDS:
        # A main language without a word list: only another list's words
        # hint at a switch, and they did not outnumber anything.
        return False
    if any(ch.isalpha() and ord(ch) >= LATIN_END for ch in text):
        return True  # Greek, Cyrillic...: lingua tells scripts apart for sure
    # Latin letters and not one common word of any list: a name ("Monsieur
    # Poirot"), a sound ("Vzhee, vzhee!"), or rarely a real sentence. Only a
    # run of several distinct uncapitalised words is worth a look.
    tokens = _WORD.findall(text)
    plain = {t.lower() for t in tokens[1:] if not t[0].isupper()}
    return len(plain) >= 4


def _lingua_best(text: str, candidates: set[str]) -> tuple[str, float] | None:
    detector = _detector(frozenset(candidates))
    if detector is None:
        return None
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value <= 0:
        return None
    top = values[0]
    return top.language.iso_code_639_1.name.lower(), top.value


@cache
def _main_detector():
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_spoken_languages().with_low_accuracy_mode().build()


@cache
def _detector(candidates: frozenset[str]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in sorted(candidates):
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            languages.append(Language.from_iso_code_639_1(iso))
    if len(languages) < 2:
        return None  # nothing to choose between
    return LanguageDetectorBuilder.from_languages(*languages).build()
