"""The small interface every TTS engine implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from audiobook.model import Gender, VoiceInfo, VoiceSettings


class Engine(ABC):
    name: ClassVar[str]

    @abstractmethod
    def check(self) -> None:
        """Raise EngineError/ToolMissingError saying how to fix a missing dependency."""

    @abstractmethod
    def version(self) -> str:
        """Part of the clip cache key: a new engine version re-renders clips."""

    @abstractmethod
    def voices(self) -> list[VoiceInfo]:
        """Every voice id this engine accepts for casting, listed."""

    @abstractmethod
    def supported_languages(self) -> set[str]:
        """ISO 639-1 codes this engine can speak."""

    @abstractmethod
    def casting_pool(self, language: str, gender: Gender | None) -> list[str]:
        """Voice ids to cast from, best first, for a language and gender.

        ``gender=None`` is asked for the narrator: engines may order that pool
        so the narrator stands apart from the characters.
        """

    @abstractmethod
    def language_variant(self, voice: str, language: str) -> str | None:
        """The same character's voice speaking another language, or None."""

    @abstractmethod
    def is_valid_voice(self, voice: str) -> bool: ...

    @abstractmethod
    def render(self, text: str, settings: VoiceSettings, path: Path) -> None:
        """Write ``text`` spoken with ``settings`` as a mono 16-bit WAV at ``path``.

        Must be deterministic: the same text and settings give the same audio
        whatever was rendered before in this process.
        """

    # What casting needs to keep voices apart; engines that cannot say keep the defaults.
    pitch_steps: ClassVar[tuple[int, ...]] = ()  # pitch values (0-100) casting may set; () = none

    def pitch_hz(self, voice: str, pitch: int | None) -> float | None:
        """Expected median pitch of ``voice`` at ``pitch`` (0-100), or None when unknown."""
        return None

    def gender(self, voice: str) -> Gender | None:
        """Whether ``voice`` sounds male or female, when the engine knows."""
        return None

    def sample_rate(self, voice: str) -> int | None:
        """The rate ``voice``'s clips come at, when known before rendering (for estimates)."""
        return None

    def voice_stamp(self, voice: str) -> str:
        """What ``voice`` sounds like beyond its id and the engine's version (e.g. its model
        file's size and time), so that a voice replaced under the same id is rendered again."""
        return ""

    def voices_stamp(self) -> str:
        """The same for the whole list of voices casting chooses from ("" when fixed by the
        version): a voice added, removed or replaced casts the book again."""
        return ""

    def family(self, voice: str) -> str:
        """Voices of one family sound alike apart from pitch (e.g. espeak's m1...m8)."""
        return f"{self.name}:{voice}"

    def warm(self) -> None:  # noqa: B027 - optional hook
        """Start in the background what the first clip will need (a rebuild of a changed
        book calls this before its front end, which runs meanwhile)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        pass
