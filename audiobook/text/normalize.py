"""Turn a segment's text into what the TTS engine should read aloud.

espeak-ng already reads most numbers, times and symbols well (checked with
``espeak-ng -q -x``); what it gets wrong is fixed here, per language, from
tables: abbreviations with a period (which espeak also takes for a sentence
end, so "Dr. Smith" gets a pause in the middle), amounts with a leading
currency sign ("£10" is read "pound ten"), four-digit years (read as
"one thousand eight hundred..."), roman numerals after "Chapter" (read
"roman two"). Markup that espeak could take for commands (``[[phonemes]]``,
``<ssml>``) is defused, control characters and emoji are dropped, and
``_italics_`` underscores removed.
"""

from __future__ import annotations

import re
import unicodedata

# (pattern, replacement) pairs applied in order; patterns are regexes.
_ABBREVIATIONS: dict[str, list[tuple[str, str]]] = {
    "en": [
        (r"\bMrs\.", "Missus"),
        (r"\bMr\.?(?=\s)", "Mister"),
        (r"\bMs\.", "Miz"),
        (r"\bDrs?\.(?=\s+[A-Z])", "Doctor"),
        (r"\bSt\.(?=\s+[A-Z])", "Saint"),
        (r"\b([A-Z][a-z]+\s+)St\.", r"\1Street"),
        (r"\bMt\.(?=\s+[A-Z])", "Mount"),
        (r"\bProf\.", "Professor"),
        (r"\bCapt\.", "Captain"),
        (r"\bCol\.", "Colonel"),
        (r"\bGen\.(?=\s+[A-Z])", "General"),
        (r"\bLt\.", "Lieutenant"),
        (r"\bSgt\.", "Sergeant"),
        (r"\bRev\.", "Reverend"),
        (r"\bHon\.", "Honourable"),
        (r"\bJr\.", "Junior"),
        (r"\bSr\.", "Senior"),
        (r"\bNo\.(?=\s*\d)", "number"),
        (r"\bvs\.", "versus"),
        (r"\bi\.e\.", "that is"),
    ],
    "es": [
        (r"\bSra\.", "señora"),
        (r"\bSrta\.", "señorita"),
        (r"\bSr\.", "señor"),
        (r"\bDra\.", "doctora"),
        (r"\bDr\.", "doctor"),
        (r"\bUds\.", "ustedes"),
        (r"\bUd\.", "usted"),
        (r"\bSto\.", "santo"),
        (r"\bSta\.", "santa"),
        (r"\bNo\.(?=\s*\d)", "número"),
        (r"\bpág\.", "página"),
    ],
    "fr": [
        (r"\bMM\.(?=\s)", "Messieurs"),
        (r"\bM\.(?=\s+[A-Z])", "Monsieur"),
        (r"\bMme\b\.?", "Madame"),
        (r"\bMlle\b\.?", "Mademoiselle"),
        (r"\bDr\b\.?(?=\s+[A-Z])", "Docteur"),
        (r"\bSte\b\.?(?=[\s-]+[A-Z])", "Sainte"),
        (r"\bSt\b\.?(?=[\s-]+[A-Z])", "Saint"),
        (r"\bn°\s*(?=\d)", "numéro "),
    ],
}

# Currency sign -> (singular, plural) word per language, read after the amount.
_CURRENCY: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "£": ("pound", "pounds"),
        "$": ("dollar", "dollars"),
        "€": ("euro", "euros"),
        "¥": ("yen", "yen"),
    },
    "es": {"£": ("libra", "libras"), "$": ("dólar", "dólares"), "€": ("euro", "euros")},
    "fr": {"£": ("livre", "livres"), "$": ("dollar", "dollars"), "€": ("euro", "euros")},
}
_CHAPTER_WORDS = {
    "en": "chapter|book|part|volume|section|act|scene|canto",
    "es": "capítulo|libro|parte|acto",
    "fr": "chapitre|livre|partie|tome|acte",
}
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN = r"[IVXLCDM]+"
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\ufe0f\ufe0e\u200d\u20e3]"
)
_MARKUP = str.maketrans({"<": " ", ">": " ", "[": " ", "]": " ", "{": " ", "}": " ", "\\": " "})


def spoken_text(text: str, language: str) -> str:
    """``text`` rewritten for the TTS engine in ``language`` (ISO 639-1)."""
    lang = language.split("-")[0].lower()
    text = _clean(text)
    text = _roman_headings(text, lang)
    for pattern, replacement in _ABBREVIATIONS.get(lang, []):
        text = re.sub(pattern, replacement, text)
    text = _currency(text, lang)
    if lang == "en":
        text = _years(text)
    text = re.sub(r"\.(?:\s\.){2,}", "...", text)  # ". . ." as Victorian printers set it
    text = re.sub(r"\s*--+\s*", ", ", text)
    return " ".join(text.split())


def _clean(text: str) -> str:
    text = _EMOJI.sub("", text)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch != "\u00ad" else ch
        for ch in text
        if ch != "\u00ad"  # a soft hyphen is not read
    )
    text = text.translate(_MARKUP)
    text = re.sub(r"(?<=\w)_+(?=\w)", " ", text)
    return text.replace("_", "")


def _roman_headings(text: str, lang: str) -> str:
    words = _CHAPTER_WORDS.get(lang, _CHAPTER_WORDS["en"])
    return re.sub(
        rf"\b({words})(\s+)({_ROMAN})\b",
        lambda m: f"{m[1]}{m[2]}{_roman_value(m[3]) or m[3]}",
        text,
        flags=re.IGNORECASE,
    )


def _roman_value(numeral: str) -> int | None:
    numeral = numeral.upper()
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    # Only canonical numerals: "MIC" or "IIII" are words, not numbers.
    return total if total > 0 and _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = []
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def _currency(text: str, lang: str) -> str:
    names = _CURRENCY.get(lang, _CURRENCY["en"])
    signs = re.escape("".join(names))

    def amount(m: re.Match[str]) -> str:
        singular, plural = names[m["sign"]]
        number = m["number"]
        word = singular if re.fullmatch(r"0*1(?:[.,]0+)?", number) else plural
        if m["scale"]:
            return f"{number} {m['scale']} {word}"
        cents = re.fullmatch(r"(\d[\d,]*)\.(\d\d)", number) if lang == "en" else None
        if cents:  # $3.50 is "3 dollars 50", not "3 point 5 0 dollars"
            whole = cents[1]
            return f"{whole} {singular if whole == '1' else plural} {cents[2]}"
        return f"{number} {word}"

    # £10,000 / $3.50 / $5 million: the sign leads, the word follows the amount.
    text = re.sub(
        rf"(?P<sign>[{signs}])\s?(?P<number>\d[\d,.\u00a0\u202f]*\d|\d)(?:\s(?P<scale>million|billion|thousand|millones|mil|millions|milliards))?",
        amount,
        text,
    )
    # 10 € as written in Spanish and French.
    return re.sub(
        rf"(?P<number>\d[\d,.]*)\s?(?P<sign>[{signs}])",
        lambda m: f"{m['number']} {names[m['sign']][0 if m['number'] == '1' else 1]}",
        text,
    )


def _years(text: str) -> str:
    """1867 -> 18 67, 1900 -> 19 hundred: how English reads a year (or a round count)."""

    def year(m: re.Match[str]) -> str:
        digits = m[0]
        if digits[2:] == "00":
            return f"{digits[:2]} hundred"
        if digits[2] == "0":
            return f"{digits[:2]} oh {digits[3]}"
        return f"{digits[:2]} {digits[2:]}"

    return re.sub(r"(?<![\d,.$£€\w])1[1-9]\d\d(?!,\d|\.\d|\w)", year, text)
