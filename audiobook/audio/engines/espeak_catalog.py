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


def split_id(voice: str) -> tuple[str, str | None]:
    base, _, variant = voice.strip().lower().partition("+")
    return base, (variant or None)
