"""TTS engines as plugins.

An engine is registered through the ``register_engines(register)`` hook, the
way simonw/llm registers models. Built-in engines go through the same path
as third-party ones: a package exposes a module with that hook under the
``audiobook`` entry-point group, and it appears in ``audiobook voices --engine``.

Nothing is loaded at import time; the plugin manager is built on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache

import pluggy

from audiobook.audio.engines.base import Engine
from audiobook.errors import EngineError

hookspec = pluggy.HookspecMarker("audiobook")
hookimpl = pluggy.HookimplMarker("audiobook")

DEFAULT_ENGINE = "pyttsx3"
# Built-ins, registered exactly like an entry-point plugin would be.
BUILTIN_PLUGINS = ("audiobook.audio.engines.pyttsx3_engine",)


class _Specs:
    @hookspec
    def register_engines(self, register: Callable[[type[Engine]], None]) -> None:
        """Call ``register(EngineClass)`` for every engine the plugin offers."""


@cache
def _engine_classes() -> dict[str, type[Engine]]:
    pm = pluggy.PluginManager("audiobook")
    pm.add_hookspecs(_Specs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints("audiobook")
    found: dict[str, type[Engine]] = {}
    pm.hook.register_engines(register=lambda cls: found.setdefault(cls.name, cls))
    return found


def engine_names() -> list[str]:
    return sorted(_engine_classes())


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """A fresh engine instance (one per process: engines are not thread-safe)."""
    classes = _engine_classes()
    if name not in classes:
        known = ", ".join(sorted(classes)) or "none"
        raise EngineError(f"unknown engine {name!r}; installed engines: {known}")
    engine = classes[name]()
    engine.check()
    return engine


__all__ = ["Engine", "get_engine", "engine_names", "hookimpl", "DEFAULT_ENGINE"]
