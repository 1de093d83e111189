"""A fake speech engine, registered through the real plugin hook (see conftest.py).

It speaks no words: a clip is a voiced buzz at the voice's pitch, modulated
like syllables, as long as the text would take to say at the voice's rate.
That is enough for every stage after the engine (cache, levels, layout,
encoding, manifest, CLI) to run and be measured without espeak-ng, and fast.
Voice ids look like espeak's (``en-us+f3``), so casts and books written for
the real engine read the same here.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import time
import wave
from pathlib import Path

import numpy as np

from audiobook.audio.engines import hookimpl
from audiobook.audio.engines.base import Engine
from audiobook.errors import EngineError
from audiobook.model import Gender, VoiceInfo, VoiceSettings

NAME = "fake"
# Set by a test to see in which process a clip was rendered (spawned workers start
# a fresh interpreter, so there it is None again).
PARENT_MARK: str | None = None
RATE = 22050
BASES = {
    **{"en-us": "en", "en-gb": "en", "es": "es", "fr": "fr", "de": "de", "it": "it"},
    **{"ar": "ar", "he": "he"},  # right-to-left scripts, as espeak-ng has them
}
FEMALE = ("f2", "f3", "f5", "f4", "f1")
MALE = ("m1", "m3", "m2", "m7", "m4", "m5", "m6")
# Median pitch of each variant at pitch 50 (Hz): women well above men, as in espeak.
PITCH = {
    **{v: 190.0 + 18 * i for i, v in enumerate(FEMALE)},
    **{v: 95.0 + 6 * i for i, v in enumerate(MALE)},
}


@hookimpl
def register_engines(register):
    register(FakeEngine)


def _split(voice: str) -> tuple[str, str | None]:
    base, _, variant = voice.strip().lower().partition("+")
    return base, variant or None


class FakeEngine(Engine):
    name = NAME
    pitch_steps = (50, 40, 60, 30, 70)

    def check(self) -> None:
        pass

    def version(self) -> str:
        return "fake 1"

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(f"{base}+{v}", f"{base} {v}", lang, "female" if v in FEMALE else "male")
            for base, lang in BASES.items()
            for v in (*FEMALE, *MALE)
        ]

    def supported_languages(self) -> set[str]:
        return set(BASES.values())

    def casting_pool(self, language: str, gender: Gender | None) -> list[str]:
        bases = [b for b, lang in BASES.items() if lang == language]
        if gender is None and len(bases) > 1:
            bases = bases[1:] + bases[:1]  # the narrator on another accent, as espeak does
        pool = FEMALE if gender == "female" else MALE
        return [f"{b}+{v}" for b in bases for v in pool]

    def language_variant(self, voice: str, language: str) -> str | None:
        base, variant = _split(voice)
        if BASES.get(base) == language:
            return voice
        target = next((b for b, lang in BASES.items() if lang == language), None)
        if target is None:
            return None
        return f"{target}+{variant}" if variant else target

    def is_valid_voice(self, voice: str) -> bool:
        base, variant = _split(voice)
        return base in BASES and (variant is None or variant in PITCH)

    def sample_rate(self, voice: str) -> int | None:
        return RATE

    def pitch_hz(self, voice: str, pitch: int | None) -> float | None:
        variant = _split(voice)[1] or "m1"
        return PITCH[variant] * 2 ** (((50 if pitch is None else pitch) - 50) / 50)

    def family(self, voice: str) -> str:
        return f"fake:{_split(voice)[1]}"

    def render(self, text: str, settings: VoiceSettings, path: Path) -> None:
        if not re.search(r"\w", text):
            raise EngineError(f"nothing to speak in {text[:40]!r}")
        time.sleep(float(os.environ.get("FAKE_ENGINE_DELAY", "0")))  # a slow engine, on demand
        log = os.environ.get("FAKE_ENGINE_LOG")
        if log:  # who rendered what: "pid mark text"
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {PARENT_MARK} {text}\n")
        if not self.is_valid_voice(settings.voice):
            raise EngineError(f"unknown voice {settings.voice!r}")
        words = max(1, len(re.findall(r"\w+", text)))
        seconds = 0.3 + words * 60.0 / (settings.rate or 175)
        hz = self.pitch_hz(settings.voice, settings.pitch) or 120.0
        t = np.arange(int(seconds * RATE)) / RATE
        # Deterministic per text: a syllable rhythm that differs a little from line to line.
        seed = int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)
        syllables = 3.5 + (seed % 100) / 100
        envelope = 0.55 + 0.45 * np.sin(2 * math.pi * syllables * t) ** 2
        fade = np.minimum(1.0, np.minimum(t, seconds - t) / 0.02)
        voiced = sum(np.sin(2 * math.pi * hz * k * t) / k for k in (1, 2, 3))
        samples = 0.25 * envelope * fade * voiced
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(pcm)
