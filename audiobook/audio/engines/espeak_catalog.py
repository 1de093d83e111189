"""espeak-ng's voices and variants, read from the espeak-ng command itself.

A voice id is ``<language tag>+<variant>``, e.g. ``en-us+f3`` or ``es+f3``:
the same notation ``espeak-ng -v`` accepts, so ids can be tried by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from audiobook.errors import ToolMissingError
from audiobook.model import Gender
from audiobook.toolmemo import remembered

INSTALL_HINT = "install it with `apt-get install espeak-ng` (or run `make setup`)"

# Variants that sound like a person. The rest (robots, whispers, the klatt
# family, joke voices) are still accepted when named, never picked by casting.
# Measured median pitch on en-us (see tests/test_engine.py): female variants
# 174-267 Hz, male 74-109 Hz. "annie", "alicia" and "andrea" are labelled
# female but speak at ~100 Hz; "zac" is labelled male at 340 Hz; "andy",
# "denis", "lee", "mike" and "michael" sound like the bare voice.
FEMALE_VARIANTS = (
    "f2",
    "f3",
    "f5",
    "f4",
    "steph",
    "belinda",
    "linda",
    "aunty",
    "f1",
    "anika",
    "grandma",
    "steph2",
    "steph3",
)
MALE_VARIANTS = (
    "m1",
    "m3",
    "m2",
    "m7",
    "m4",
    "m5",
    "m6",
    "m8",
    "adam",
    "benjamin",
    "caleb",
    "david",
    "edward",
    "john",
    "max",
    "paul",
    "robert",
    "rob",
    "victor",
    "travis",
    "norbert",
    "gustave",
    "quincy",
    "boris",
    "grandpa",
)

# Median pitch (Hz) of each variant at espeak pitch 30, 50 and 70, measured on
# en-us with tests/audio_utils.median_pitch_hz (the accent barely moves it;
# tests/test_casting.py checks a few against fresh renders). Casting spreads
# characters by these, so two people who talk to each other differ audibly.
VARIANT_PITCH_HZ = {
    "f2": (158, 190, 232),
    "f3": (172, 203, 246),
    "f5": (165, 200, 250),
    "f4": (143, 176, 219),
    "steph": (144, 182, 232),
    "belinda": (180, 229, 286),
    "linda": (180, 225, 286),
    "aunty": (127, 176, 239),
    "f1": (144, 176, 216),
    "anika": (216, 262, 320),
    "grandma": (168, 195, 232),
    "steph2": (144, 182, 232),
    "steph3": (144, 182, 232),
    "m1": (80, 93, 113),
    "m3": (86, 101, 125),
    "m2": (80, 98, 124),
    "m7": (88, 104, 124),
    "m4": (80, 91, 111),
    "m5": (84, 101, 123),
    "m6": (82, 99, 122),
    "m8": (73, 84, 101),
    "adam": (84, 100, 123),
    "benjamin": (84, 100, 123),
    "caleb": (85, 100, 124),
    "david": (74, 76, 91),
    "edward": (83, 99, 122),
    "john": (83, 100, 123),
    "max": (85, 101, 122),
    "paul": (76, 86, 103),
    "robert": (96, 101, 118),
    "rob": (114, 125, 131),
    "victor": (77, 93, 116),
    "travis": (95, 105, 124),
    "norbert": (83, 100, 123),
    "gustave": (99, 107, 130),
    "quincy": (83, 90, 106),
    "boris": (86, 101, 122),
    "grandpa": (89, 105, 127),
    None: (83, 99, 122),  # the bare voice
}

# Accents tried in this order when casting English speakers: distinct
# variants on the first accent come before the same variants on the next.
PREFERRED_BASES = {
    "en": (
        "en-us",
        "en-gb",
        "en-gb-x-rp",
        "en-gb-scotland",
        "en-029",
        "en-gb-x-gbclan",
        "en-gb-x-gbcwmd",
        "en-us-nyc",
    ),
    "es": ("es", "es-419"),
    "pt": ("pt", "pt-br"),
    "fr": ("fr-fr", "fr-be", "fr-ch"),
}


@dataclass(frozen=True)
class BaseVoice:
    tag: str  # e.g. "en-us"
    identifier: str  # e.g. "gmw/en-US", what espeak's SetVoiceByName takes
    name: str
    language: str  # ISO 639-1 (or espeak's own tag when it has no 2-letter code)


@dataclass(frozen=True)
class Variant:
    file: str  # lower-case, e.g. "f3"
    name: str
    gender: Gender | None


def _run(*args: str) -> str:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ToolMissingError(f"espeak-ng is not installed; {INSTALL_HINT}")
    # Kept in the cache folder: three process starts less per build (toolmemo).
    name = f"espeak-ng{''.join(args).replace('=', '-')}.json"
    return remembered(name, exe, lambda: _ask(exe, *args), lambda known: isinstance(known, str))


def _ask(exe: str, *args: str) -> str:
    done = subprocess.run([exe, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ToolMissingError(f"espeak-ng does not run ({done.stderr.strip()}); {INSTALL_HINT}")
    return done.stdout


def _rows(listing: str) -> list[list[str]]:
    return [line.split() for line in listing.splitlines()[1:] if line.strip()]


@cache
def base_voices() -> dict[str, BaseVoice]:
    voices: dict[str, BaseVoice] = {}
    for row in _rows(_run("--voices")):
        # Pty Language Age/Gender VoiceName File [Other langs...]
        if len(row) < 5 or row[4].startswith("mb/"):
            continue  # mbrola voices need separately installed databases
        tag, ident = row[1].lower(), row[4]
        language = tag.split("-")[0]
        voices.setdefault(tag, BaseVoice(tag, ident, row[3].replace("_", " "), language))
    return voices


@cache
def variants() -> dict[str, Variant]:
    found: dict[str, Variant] = {}
    for row in _rows(_run("--voices=variant")):
        if len(row) < 5 or not any(r.startswith("!v/") for r in row):
            continue
        file = next(r for r in row if r.startswith("!v/"))[3:].lower()
        gender = {"F": "female", "M": "male"}.get(row[2].split("/")[-1])
        found[file] = Variant(file, row[3], gender)  # type: ignore[arg-type]
    return found


@cache
def espeak_version() -> str:
    return _run("--version").split("Data at")[0].strip()


def variant_pitch_hz(variant: str | None, pitch: int) -> float | None:
    """Expected median pitch of ``variant`` at espeak ``pitch``, interpolated in log scale."""
    import math

    points = VARIANT_PITCH_HZ.get(variant)
    if points is None:
        return None
    pitch = max(0, min(100, pitch))
    lo, mid, hi = (math.log(p) for p in points)
    if pitch <= 50:  # below 30 espeak barely goes lower
        x = max(pitch, 25)
        return math.exp(mid + (mid - lo) * (x - 50) / 20)
    return math.exp(mid + (hi - mid) * (pitch - 50) / 20)


def variant_family(variant: str | None) -> str:
    """m1...m8 are one family, f1...f5 another, steph/steph2/steph3 a third."""
    return (variant or "").rstrip("0123456789") or "bare"


def split_id(voice: str) -> tuple[str, str | None]:
    base, _, variant = voice.strip().lower().partition("+")
    return base, (variant or None)
