"""Pronunciation lexicon: respell words the engine says wrong.

``voices/lexicon.toml`` holds one table per language::

    [en]
    Hermione = "Her-my-oh-nee"   # capitalised: matches "Hermione" only
    abuela = "ah-bweh-la"        # lower case: any case, first letter's case kept

Whole words only: "Mila" never touches "Kamila".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.errors import CastFileError

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")


@dataclass
class _Table:
    exact: dict[str, str] = field(default_factory=dict)  # capitalised entries
    folded: dict[str, str] = field(default_factory=dict)  # lower-case entries, by lower case
    pattern: re.Pattern[str] | None = None

    def compile(self) -> None:
        # Longest first, so "Mr. Darcy" wins over "Darcy" at the same place.
        keys = [(k, False) for k in self.exact] + [(k, True) for k in self.folded]
        keys.sort(key=lambda item: (-len(item[0]), item[0]))
        if keys:
            parts = [f"(?i:{re.escape(k)})" if folded else re.escape(k) for k, folded in keys]
            self.pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")

    def replace(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if word in self.exact:
            return self.exact[word]
        respelling = self.folded.get(word.lower())
        if respelling is None:  # only reachable through an exact entry's case variant
            return word
        if word[:1].isupper():
            return respelling[:1].upper() + respelling[1:]
        return respelling


@dataclass
class Lexicon:
    tables: dict[str, _Table] = field(default_factory=dict)
    path: str | None = None

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        from audiobook.speakers.castfile import line_of, read_toml

        path = Path(path)
        data, text = read_toml(path, "lexicon")
        lexicon = cls(path=str(path))
        for language, entries in data.items():
            if not isinstance(entries, dict) or not _LANGUAGE.fullmatch(language.lower()):
                line = line_of(text, [], language) or line_of(text, [language])
                raise CastFileError(
                    f"{path}{f' line {line}' if line else ''}: {language}: "
                    'expected a language table such as [en] with word = "respelling"'
                )
            table = lexicon.tables.setdefault(language.lower(), _Table())
            for word, respelling in entries.items():
                if not isinstance(respelling, str) or not word.strip():
                    line = line_of(text, [language], word)
                    raise CastFileError(
                        f"{path}{f' line {line}' if line else ''}: {language}.{word}: "
                        "the respelling must be a string"
                    )
                if word[:1].isupper() or not word[:1].isalpha():
                    table.exact[word] = respelling
                else:
                    table.folded[word.lower()] = respelling
        for table in lexicon.tables.values():
            table.compile()
        return lexicon

    def apply(self, text: str, language: str) -> str:
        """``text`` with every lexicon word of ``language`` respelled."""
        table = self.tables.get(language.lower()) or self.tables.get(language.lower().split("-")[0])
        if table is None or table.pattern is None:
            return text
        return table.pattern.sub(table.replace, text)

    def __len__(self) -> int:
        return sum(len(t.exact) + len(t.folded) for t in self.tables.values())
