"""TTS engines as plugins.

An engine is registered through the ``register_engines(register)`` hook, the
way simonw/llm registers models. Built-in engines go through the same path
as third-party ones: a package exposes a module with that hook under the
``audiobook`` entry-point group, and it appears in ``audiobook voices --engine``.

Nothing is loaded at import time; the plugin manager is built on first use.
``AUDIOBOOK_PLUGINS`` names extra plugin modules (comma-separated) to load
the same way without packaging them: a plugin under development, or the
test suite's fake engine, which spawned render workers must find too.

One book may mix engines: a voice id ``ENGINE:VOICE`` (``piper:en_US-joe-medium``)
belongs to that engine, any other id to the engine the book is built with.
``get_engine`` hands out a router that sends every call to the right engine,
so casting, rendering and previews take any voice id.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pluggy

from audiobook.audio.engines.base import Engine
from audiobook.errors import EngineError, InputError
from audiobook.model import Gender, VoiceInfo, VoiceSettings

hookspec = pluggy.HookspecMarker("audiobook")
hookimpl = pluggy.HookimplMarker("audiobook")

DEFAULT_ENGINE = "pyttsx3"
VOICES_DIR_ENV = "AUDIOBOOK_VOICES_DIR"  # folders of voice files, joined by os.pathsep
# Built-ins, registered exactly like an entry-point plugin would be.
BUILTIN_PLUGINS = ("audiobook.audio.engines.pyttsx3_engine",)
PLUGINS_ENV = "AUDIOBOOK_PLUGINS"


class _Specs:
    @hookspec
    def register_engines(self, register: Callable[[type[Engine]], None]) -> None:
        """Call ``register(EngineClass)`` for every engine the plugin offers."""


@cache
def plugin_manager() -> pluggy.PluginManager:
    """The one plugin manager: built-ins, ``AUDIOBOOK_PLUGINS``, then installed plugins."""
    pm = pluggy.PluginManager("audiobook")
    pm.add_hookspecs(_Specs)
    extra = [m.strip() for m in os.environ.get(PLUGINS_ENV, "").split(",") if m.strip()]
    for name in (*BUILTIN_PLUGINS, *extra):
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise EngineError(f"cannot load plugin {name!r} named in {PLUGINS_ENV}: {exc}") from exc
        if not pm.is_registered(module):
            pm.register(module, name=name)
    pm.load_setuptools_entrypoints("audiobook")
    return pm


def _engine_classes() -> dict[str, type[Engine]]:
    # Asked each time (it is cheap): a plugin registered after start-up is seen.
    found: dict[str, type[Engine]] = {}
    plugin_manager().hook.register_engines(register=lambda cls: found.setdefault(cls.name, cls))
    return found


def engine_names() -> list[str]:
    return sorted(_engine_classes())


def _make(name: str) -> Engine:
    classes = _engine_classes()
    if name not in classes:
        known = ", ".join(sorted(classes)) or "none"
        raise EngineError(f"unknown engine {name!r}; installed engines: {known}")
    engine = classes[name]()
    engine.check()
    return engine


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """A fresh engine (one per process: engines are not thread-safe) for ``name``'s voices
    and any ``ENGINE:VOICE`` id of another engine."""
    return MixedEngine(_make(name))


def voice_dirs() -> list[str]:
    """Folders of voice files: --voices-dir, a cast file's voices_dir, $AUDIOBOOK_VOICES_DIR."""
    return [d for d in os.environ.get(VOICES_DIR_ENV, "").split(os.pathsep) if d]


def use_voices_dir(folder: Path) -> None:
    """Look for voice files in ``folder`` too, here and in every worker started from now on.

    An environment variable carries it, because render workers are spawned processes.
    """
    if not folder.is_dir():
        raise InputError(f"voices folder {folder} does not exist; pass a folder of voice files")
    resolved = str(folder.resolve())
    if resolved not in voice_dirs():
        os.environ[VOICES_DIR_ENV] = os.pathsep.join([*voice_dirs(), resolved])


class MixedEngine(Engine):
    """The main engine, plus any engine a voice id names; other engines load on first use."""

    name = "mixed"

    def __init__(self, main: Engine) -> None:
        self.main = main
        self.name = main.name  # type: ignore[misc]
        self.pitch_steps = main.pitch_steps  # type: ignore[misc]
        self._others: dict[str, Engine] = {}

    def _other(self, name: str) -> Engine:
        if name == self.main.name:
            return self.main
        if name not in self._others:
            self._others[name] = _make(name)
        return self._others[name]

    def _default(self) -> Engine:
        return self._other(DEFAULT_ENGINE)

    def route(self, voice: str) -> Engine:
        """The engine that speaks ``voice``."""
        prefix, sep, _ = voice.partition(":")
        if sep and prefix in _engine_classes():
            return self._other(prefix)
        if self.main.name != DEFAULT_ENGINE and not self.main.is_valid_voice(voice):
            return self._default()  # e.g. `es+f3` in a book built with --engine piper
        return self.main

    def check(self) -> None:
        self.main.check()

    def version(self) -> str:
        # Every installed engine's version: a clip of any of them re-renders when it changes.
        versions = [self.main.version()]
        for name, cls in sorted(_engine_classes().items()):
            if name != self.main.name:
                try:
                    versions.append(cls().version())
                except Exception as exc:  # noqa: BLE001 - a plugin that cannot say
                    versions.append(f"{name}: {type(exc).__name__}")
        return "; ".join(versions)

    def voices(self) -> list[VoiceInfo]:
        return self.main.voices()

    def supported_languages(self) -> set[str]:
        languages = self.main.supported_languages()
        if self.main.name != DEFAULT_ENGINE:
            languages |= self._default().supported_languages()
        return languages

    def casting_pool(self, language: str, gender: Gender | None) -> list[str]:
        pool = self.main.casting_pool(language, gender)
        if not pool and self.main.name != DEFAULT_ENGINE:
            return self._default().casting_pool(language, gender)
        return pool

    def language_variant(self, voice: str, language: str) -> str | None:
        return self.route(voice).language_variant(voice, language)

    def is_valid_voice(self, voice: str) -> bool:
        return self.route(voice).is_valid_voice(voice)

    def pitch_hz(self, voice: str, pitch: int | None) -> float | None:
        return self.route(voice).pitch_hz(voice, pitch)

    def family(self, voice: str) -> str:
        return self.route(voice).family(voice)

    def sample_rate(self, voice: str) -> int | None:
        return self.route(voice).sample_rate(voice)

    def gender(self, voice: str) -> Gender | None:
        return self.route(voice).gender(voice)

    def voice_stamp(self, voice: str) -> str:
        return self.route(voice).voice_stamp(voice)

    def voices_stamp(self) -> str:
        return self.main.voices_stamp()  # casting chooses from the main engine's voices

    def render(self, text: str, settings: VoiceSettings, path: Path) -> None:
        self.route(settings.voice).render(text, settings, path)

    def warm(self) -> None:
        self.main.warm()

    def close(self) -> None:
        for engine in [self.main, *self._others.values()]:
            engine.close()
        self._others.clear()


__all__ = [
    "Engine",
    "get_engine",
    "engine_names",
    "hookimpl",
    "plugin_manager",
    "DEFAULT_ENGINE",
    "voice_dirs",
    "use_voices_dir",
]
