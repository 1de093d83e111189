"""Spoken-text rules, checked against what espeak-ng actually reads (`espeak-ng -q -x` phonemes)."""

import shutil
import subprocess

import pytest

from audiobook.text.normalize import spoken_text

ESPEAK = shutil.which("espeak-ng")
VOICE = {"en": "en-us", "es": "es", "fr": "fr"}


def phonemes(text: str, language: str = "en") -> str:
    """espeak-ng's phoneme transcription; a newline in it marks a clause/sentence break."""
    out = subprocess.run(
        [ESPEAK, "-q", "-x", "-v", VOICE[language], text],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng not installed")


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Dr. Smith came.", "en", "Doctor Smith came."),
        ("We flew to St. Louis.", "en", "We flew to Saint Louis."),
        ("Mr. and Mrs. Joe", "en", "Mister and Missus Joe"),
        ("He lived on Baker St. then.", "en", "He lived on Baker Street then."),
        ("It cost £10,000.", "en", "It cost 10,000 pounds."),
        ("Only $1 or $3.50 each.", "en", "Only 1 dollar or 3 dollars 50 each."),
        ("_Also Georgiana Wife of the Above_,", "en", "Also Georgiana Wife of the Above,"),
        ("Chapter XIV", "en", "Chapter 14"),
        (
            "Printed in 1867, reprinted 1900 and 1905.",
            "en",
            "Printed in 18 67, reprinted 19 hundred and 19 oh 5.",
        ),
        (
            "Sr. Garc\u00eda pag\u00f3 10 \u20ac a la Sra. L\u00f3pez.",
            "es",
            "se\u00f1or Garc\u00eda pag\u00f3 10 euros a la se\u00f1ora L\u00f3pez.",
        ),
        (
            "M. Dupont et Mme Curie, chapitre IV.",
            "fr",
            "Monsieur Dupont et Madame Curie, chapitre 4.",
        ),
        ("wait -- no. . . . yes", "en", "wait, no... yes"),
    ],
)
def test_table_rules(text, language, expected):
    assert spoken_text(text, language) == expected


@needs_espeak
@pytest.mark.parametrize(
    "text, language, must_read",
    [
        ("Dr. Smith came.", "en", "d'0kt3 sm'IT"),  # no clause break after "Dr."
        ("We flew to St. Louis.", "en", "s'eInt l'u:i"),
        ("It cost \u00a310,000.", "en", "T'aUz@nd p'aUndz"),  # amount before the currency word
        ("Chapter II", "en", "t'u:"),  # not "roman two"
        ("Sr. Garc\u00eda", "es", "sen^'or"),
        ("M. Dupont", "fr", "m@sj'Y"),
    ],
)
def test_espeak_reads_the_result_as_words(text, language, must_read):
    read = phonemes(spoken_text(text, language), language)
    assert must_read in read
    assert "\n" not in read  # one clause: no abbreviation taken for a sentence end


@needs_espeak
def test_markup_is_not_obeyed():
    raw = "Hello [[h@l'oU]] there <break time='3s'/> friend"
    text = spoken_text(raw, "en")
    assert "[[" not in text and "<" not in text and ">" not in text
    read = phonemes(text)
    # Every word is read, and the would-be phoneme string is spelt out, not spoken as "hello".
    assert read.count("h@l'oU") == 1
    assert "br'eIk" in read and "fr'End" in read


def test_control_characters_and_emoji_are_dropped():
    text = spoken_text("Hi\x00 there\x07 \U0001f600 friend\u200d\ufe0f\u00ad.", "en")
    assert text == "Hi there friend."


@needs_espeak
def test_empty_and_symbol_only_text():
    assert spoken_text("___", "en") == ""
    assert spoken_text("\U0001f600\U0001f44d", "en") == ""
    assert phonemes(spoken_text("50% of 30\u00b0", "en"))  # espeak names the symbols itself


def test_unknown_language_keeps_text_clean():
    assert spoken_text("Hallo\x00 _Welt_  [[x]]", "de") == "Hallo Welt x"
