"""Edit a cast file in place without losing what its author wrote.

Every change (a line's speaker, a voice, a merge, a rename, `cast --write`
over an existing file) goes through tomlkit, which keeps comments, key order
and formatting, and is written atomically. The result is checked with the same
validation as `--cast` before it replaces the file, so an edit never leaves a
cast file that the next build would refuse.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from audiobook.errors import CastFileError
from audiobook.fsutil import atomic_write
from audiobook.model import NARRATOR, Cast, CastEntry
from audiobook.speakers.castfile import (
    HEADER,
    header_line,
    load_cast_file,
    read_toml,
    toml_key,
)

# The cast file is the user's own, written where it is (by `cast --write` or the studio).
_FIX = "make the cast file and its folder writable, or work on a copy"


class CastDocument:
    """A cast file as its author wrote it, with the edits the studio and `cast` make."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = Path(path)
        try:
            self.doc = tomlkit.parse(text)
        except TOMLKitError as exc:
            raise CastFileError(f"{self.path}: invalid TOML: {exc}") from None

    @classmethod
    def open(cls, path: Path, create: bool = False) -> CastDocument:
        """The cast file at ``path`` (an empty one with the usual header if ``create``)."""
        path = Path(path)
        if create and not path.exists():
            return cls(path, HEADER)
        read_toml(path, "cast file")  # the same messages as --cast for a broken file
        return cls(path, path.read_text(encoding="utf-8"))

    # -- reading ---------------------------------------------------------------
    def characters(self) -> Table:
        if "characters" not in self.doc:
            self.doc.add("characters", tomlkit.table(is_super_table=True))
        table = self.doc["characters"]
        assert isinstance(table, Table)
        return table

    def character(self, name: str, create: bool = True) -> Table | None:
        table = self.characters()
        if name not in table:
            if not create:
                return None
            table[name] = tomlkit.table()
        entry = table[name]
        assert isinstance(entry, Table)
        return entry

    def key_of(self, name: str) -> str | None:
        """The character key ``name`` is (or is an alias of), any case."""
        table = self.doc.get("characters", {})
        if name in table:
            return name
        folded = name.casefold()
        for key, entry in table.items():
            if folded == key.casefold() or folded in (
                a.casefold() for a in entry.get("aliases", [])
            ):
                return key
        return None

    # -- edits -----------------------------------------------------------------
    def set_line(self, line: str, speaker: str | None) -> None:
        """Give quotation ``line`` to ``speaker`` (None: back to the attribution)."""
        if "lines" not in self.doc:
            if speaker is None:
                return
            self.doc.add(tomlkit.nl())
            self.doc.add("lines", tomlkit.table())
        lines = self.doc["lines"]
        assert isinstance(lines, Table)
        if speaker is None:
            lines.pop(line, None)
        else:
            lines[line] = speaker

    def set_field(self, name: str, key: str, value: Any) -> None:
        """Set (or with None, remove) ``key`` of the narrator or a character."""
        if name == NARRATOR:
            if NARRATOR not in self.doc:
                self.doc.add(NARRATOR, tomlkit.table())
            entry = self.doc[NARRATOR]
        else:
            entry = self.character(name)
        assert isinstance(entry, Table)
        if value is None or value == [] or value == "":
            entry.pop(key, None)
        elif entry.get(key) != value:
            entry[key] = value

    def add_aliases(self, name: str, aliases: list[str]) -> None:
        entry = self.character(name)
        assert entry is not None
        have = list(entry.get("aliases", []))
        new = [a for a in aliases if a != name and a not in have]
        if not new:
            return
        if "aliases" in entry:
            for alias in new:
                entry["aliases"].append(alias)
        else:
            entry["aliases"] = new

    def merge(self, source: str, into: str, source_aliases: tuple[str, ...] = ()) -> None:
        """All lines of ``source`` are ``into``'s: its names become ``into``'s aliases."""
        if source == into:
            return
        folded = self.characters().get(source)
        names = [source, *source_aliases]
        if folded is not None:
            names += list(folded.get("aliases", []))
            target = self.character(into)
            assert target is not None
            if "gender" in folded and "gender" not in target:
                self.set_field(into, "gender", folded["gender"])
            del self.characters()[source]
        self.add_aliases(into, list(dict.fromkeys(names)))
        self._repoint(source, into)

    def rename(self, old: str, new: str) -> None:
        """Call character ``old`` ``new``; the old name stays an alias (the text still uses it)."""
        new = new.strip()
        if not new or new.casefold() == NARRATOR:
            raise CastFileError(f"{new!r} cannot be a character name")
        if old == new:
            return
        if new in self.characters():
            raise CastFileError(f"there is already a character called {new!r}; merge them instead")
        if old not in self.characters():
            self.character(old)
        text = self.doc.as_string()
        # The header line itself is rewritten: the table keeps its place, comments and layout.
        at = header_line(text.splitlines(), ["characters", old])
        if at is None:  # an inline or dotted form: rebuild the entry instead
            entry = self.characters()[old]
            del self.characters()[old]
            self.characters()[new] = entry
        else:
            lines = text.splitlines(keepends=True)
            header = re.sub(r"\[.*\]", f"[characters.{toml_key(new)}]", lines[at - 1], count=1)
            lines[at - 1] = header
            self.doc = tomlkit.parse("".join(lines))
        entry = self.character(new)
        assert entry is not None
        aliases = [a for a in entry.get("aliases", []) if a != new]
        self.set_field(new, "aliases", aliases)
        self.add_aliases(new, [old])
        self._repoint(old, new)

    def _repoint(self, old: str, new: str) -> None:
        lines = self.doc.get("lines")
        if lines is None:
            return
        for line, speaker in list(lines.items()):
            if speaker == old:
                lines[line] = new

    def update_from(self, cast: Cast, notes: dict[str, str] | None = None) -> None:
        """Write ``cast``'s choices into the file, keeping what the file has besides."""
        notes = notes or {}
        for entry in [cast.narrator, *cast.characters.values()]:
            fresh = entry.name != NARRATOR and self.character(entry.name, create=False) is None
            self._write_entry(entry)
            if fresh and entry.name in notes:
                table = self.character(entry.name)
                assert table is not None
                for line in notes[entry.name].splitlines():
                    table.add(tomlkit.comment(line))
        for line, speaker in cast.lines.items():
            self.set_line(line, speaker)

    def _write_entry(self, entry: CastEntry) -> None:
        if entry.name != NARRATOR:
            self.add_aliases(entry.name, [a for a in entry.aliases if a != entry.name])
        self.set_field(entry.name, "gender", entry.gender)
        self.set_field(entry.name, "voice", entry.voice or None)
        self.set_field(entry.name, "rate", entry.rate)
        self.set_field(entry.name, "pitch", entry.pitch)

    # -- writing ---------------------------------------------------------------
    def text(self) -> str:
        return self.doc.as_string()

    def save(self, engine=None) -> Cast:
        """Check the edited file as `--cast` would, then replace the file atomically."""
        text = self.text()
        check = self.path.with_name(f".{self.path.name}.check")
        try:
            atomic_write(check, text, fix=_FIX)
            cast = load_cast_file(check, engine)
        except CastFileError as exc:
            raise CastFileError(str(exc).replace(str(check), str(self.path))) from None
        finally:
            check.unlink(missing_ok=True)
        atomic_write(self.path, text, fix=_FIX)
        return cast
