"""Cast files: who the characters are and which voice each one gets (TOML).

A cast file is written by hand or by `audiobook cast --write`, so every
mistake in it is reported with the file, the line and the key to fix.
"""

from __future__ import annotations

import contextlib
import os
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from audiobook.errors import CastFileError, InputError
from audiobook.fsutil import atomic_write, read_regular
from audiobook.model import NARRATOR, Cast, CastEntry

HEADER = """\
# audiobook cast file: who speaks in this book, and in which voice.
# Edit freely, then use it with `audiobook build INPUT --cast THIS_FILE`.
#   voice   = an engine voice id; list them with `audiobook voices --language en`
#   gender  = "female" or "male" (drives the automatic choice when voice is absent)
#   aliases = other names the text uses for the character
#   rate    = words per minute (optional);  pitch = 0-100 (optional)
# A top-level `lexicon = "lexicon.toml"` adds pronunciation respellings.
"""

NARRATOR_KEYS = {"voice": str, "gender": str, "rate": int, "pitch": int}
CHARACTER_KEYS = {"aliases": list, "gender": str, "voice": str, "rate": int, "pitch": int}
TOP_KEYS = {"book", "narrator", "characters", "lexicon", "lines", "voices_dir"}
BOOK_KEYS: dict[str, type] = {"pace": int}
PACE_RANGE = (80, 300)
GENDERS = ("female", "male")
RATE_RANGE = (80, 450)
PITCH_RANGE = (0, 100)
MAX_TOML_BYTES = 16 * 2**20  # a cast of thousands is well under 1 MB
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def read_toml(path: Path, what: str) -> tuple[dict[str, Any], str]:
    """The parsed document and its text, or a CastFileError naming file and line."""
    if not Path(path).exists():
        raise CastFileError(f"{what} {path} does not exist")
    try:
        text = read_regular(path, what, MAX_TOML_BYTES).decode("utf-8")
    except InputError as exc:
        raise CastFileError(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise CastFileError(f"cannot read {what} {path}: not UTF-8 text ({exc.reason})") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_POSITION.search(message)
        problem = _TOML_POSITION.sub("", message)
        line = f" line {where.group(1)}" if where else ""
        raise CastFileError(f"{path}{line}: invalid TOML: {problem}") from None


def line_of(text: str, table: list[str], key: str | None = None) -> int | None:
    """The line where ``key`` of ``table`` (or the table itself) is written."""
    lines = text.splitlines()
    first = 0
    if table:
        found = header_line(lines, table)
        if found is None or key is None:
            return found
        first = found
    if key is None:
        return None
    assignment = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    for i in range(first, len(lines)):
        if lines[i].lstrip().startswith("["):
            break  # the next table: the key is not written in this one
        if assignment.match(lines[i]):
            return i + 1
    return header_line(lines, [*table, key])  # a sub-table such as [narator]


def header_line(lines: list[str], table: list[str]) -> int | None:
    parts = [rf"(?:{re.escape(p)}|\"{re.escape(p)}\"|'{re.escape(p)}')" for p in table]
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(parts) + r"\s*\]")
    return next((i + 1 for i, line in enumerate(lines) if header.match(line)), None)


class _Checker:
    """Validates one parsed cast file, every message naming file, line and key."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, table: list[str], key: str | None, problem: str) -> CastFileError:
        line = line_of(self.text, table, key)
        dotted = ".".join([*(f'"{t}"' if " " in t else t for t in table), *([key] if key else [])])
        where = f"{self.path} line {line}" if line else str(self.path)
        return CastFileError(f"{where}: {dotted or 'top level'}: {problem}")

    def table(self, data: Any, table: list[str], allowed: dict[str, type]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(
                table[:-1], table[-1], "must be a table, like [" + ".".join(table) + "]"
            )
        for key, value in data.items():
            if key not in allowed:
                raise self.fail(table, key, f"unknown key; allowed: {', '.join(allowed)}")
            expected = allowed[key]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise self.fail(
                    table, key, f"must be {_type_name(expected)}, not {_type_name(type(value))}"
                )
        return data

    def number(
        self, data: dict[str, Any], table: list[str], key: str, bounds: tuple[int, int]
    ) -> int | None:
        value = data.get(key)
        if value is not None and not bounds[0] <= value <= bounds[1]:
            raise self.fail(table, key, f"must be between {bounds[0]} and {bounds[1]}, not {value}")
        return value

    def gender(self, data: dict[str, Any], table: list[str]) -> Any:
        gender = data.get("gender")
        if gender is not None and gender not in GENDERS:
            raise self.fail(table, "gender", f'must be "female" or "male", not {gender!r}')
        return gender

    def voice(self, data: dict[str, Any], table: list[str], engine) -> str:
        voice = data.get("voice", "").strip()
        if voice and engine is not None and not engine.is_valid_voice(voice):
            raise self.fail(
                table, "voice", f"unknown voice {voice!r}; list valid ones with `audiobook voices`"
            )
        return voice


def _type_name(kind: type) -> str:
    return {
        str: "a string",
        int: "a whole number",
        list: "a list",
        dict: "a table",
        bool: "true or false",
        float: "a number",
    }.get(kind, kind.__name__)


def load_cast_file(path: Path, engine=None) -> Cast:
    """Read and validate a cast file. Voices are checked against ``engine`` when given."""
    path = Path(path)
    data, text = read_toml(path, "cast file")
    check = _Checker(path, text)
    for key in data:
        if key not in TOP_KEYS:
            raise check.fail([], key, f"unknown key; allowed: {', '.join(sorted(TOP_KEYS))}")

    voices_dir = data.get("voices_dir")
    if voices_dir is not None:
        # Before any voice is checked: the cast's voices may live there.
        if not isinstance(voices_dir, str) or not (path.parent / voices_dir).is_dir():
            raise check.fail([], "voices_dir", "must be a folder of voice files")
        from audiobook.audio.engines import use_voices_dir

        use_voices_dir(path.parent / voices_dir)

    narrator_data = check.table(data.get("narrator", {}), ["narrator"], NARRATOR_KEYS)
    narrator = CastEntry(
        NARRATOR,
        check.voice(narrator_data, ["narrator"], engine),
        gender=check.gender(narrator_data, ["narrator"]),
        rate=check.number(narrator_data, ["narrator"], "rate", RATE_RANGE),
        pitch=check.number(narrator_data, ["narrator"], "pitch", PITCH_RANGE),
        from_file=True,
    )

    characters: dict[str, CastEntry] = {}
    table = data.get("characters", {})
    if not isinstance(table, dict):
        raise check.fail([], "characters", 'must be tables, like [characters."Name"]')
    for name, raw in table.items():
        where = ["characters", name]
        entry = check.table(raw, where, CHARACTER_KEYS)
        if not name.strip() or name.strip().lower() == NARRATOR:
            raise check.fail(where, None, f"{name!r} cannot be a character name")
        aliases = entry.get("aliases", [])
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            raise check.fail(where, "aliases", "must be a list of non-empty strings")
        characters[name] = CastEntry(
            name,
            check.voice(entry, where, engine),
            gender=check.gender(entry, where),
            aliases=[a.strip() for a in aliases if a.strip() != name],
            rate=check.number(entry, where, "rate", RATE_RANGE),
            pitch=check.number(entry, where, "pitch", PITCH_RANGE),
            from_file=True,
        )

    lexicon = data.get("lexicon")
    if lexicon is not None:
        if not isinstance(lexicon, str) or not lexicon.strip():
            raise check.fail([], "lexicon", "must be the path of a lexicon file")
        resolved = (path.parent / lexicon).resolve()
        if not resolved.is_file():
            what = "is not a regular file" if resolved.exists() else "does not exist"
            raise check.fail([], "lexicon", f"{resolved} {what}")
        lexicon = str(resolved)
    book = check.table(data.get("book", {}), ["book"], BOOK_KEYS)
    pace = check.number(book, ["book"], "pace", PACE_RANGE)
    return Cast(narrator, characters, lexicon, _lines(check, data.get("lines", {})), pace)


def _lines(check: _Checker, table: Any) -> dict[str, str]:
    """The ``[lines]`` table: line id -> speaker (a key, an alias or ``narrator``)."""
    if not isinstance(table, dict):
        raise check.fail([], "lines", 'must be a table, like [lines] "q-3f9a1c2e" = "Name"')
    for line, speaker in table.items():
        if not isinstance(speaker, str) or not speaker.strip():
            raise check.fail(["lines"], line, "must be a speaker's name (or narrator)")
    return {line: speaker.strip() for line, speaker in table.items()}


def cast_to_toml(
    cast: Cast, relative_to: Path | None = None, notes: dict[str, str] | None = None
) -> str:
    """The cast as an editable TOML document, comment header included.

    ``notes`` puts a comment above an entry (e.g. how much that character
    speaks), to help whoever edits the file decide where voices matter.
    Written line by line rather than by tomli_w.dumps, which spreads every
    alias list over several lines: one line per key is easier to edit.
    """
    notes = notes or {}

    def note(name: str) -> str:
        return "".join(f"# {line}\n" for line in notes[name].splitlines()) if name in notes else ""

    out = [HEADER]
    if cast.lexicon:
        lexicon = Path(cast.lexicon)
        if relative_to is not None and lexicon.is_absolute():
            with contextlib.suppress(ValueError):  # another drive on Windows
                lexicon = Path(os.path.relpath(lexicon, relative_to))
        out.append(f"lexicon = {_value(lexicon.as_posix())}\n")
    if cast.pace:
        out.append(f"[book]\npace = {cast.pace}\n")
    out.append(note(NARRATOR) + "[narrator]\n" + _entry_lines(cast.narrator))
    for name, entry in cast.characters.items():
        out.append(note(name) + f"[characters.{toml_key(name)}]\n" + _entry_lines(entry))
    if cast.lines:
        fixes = "".join(f"{_value(line)} = {_value(who)}\n" for line, who in cast.lines.items())
        out.append("[lines]\n" + fixes)
    return "\n".join(out)


def _entry_lines(entry: CastEntry) -> str:
    fields: dict[str, Any] = {}
    aliases = [a for a in entry.aliases if a != entry.name]
    if aliases:
        fields["aliases"] = aliases
    if entry.gender:
        fields["gender"] = entry.gender
    if entry.voice:
        fields["voice"] = entry.voice
    if entry.rate is not None:
        fields["rate"] = entry.rate
    if entry.pitch is not None:
        fields["pitch"] = entry.pitch
    return "".join(f"{key} = {_value(value)}\n" for key, value in fields.items())


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = ") :].strip()


def toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _value(name)


def write_cast_file(cast: Cast, path: Path, notes: dict[str, str] | None = None) -> None:
    """Write ``cast`` to ``path`` atomically: a reader never sees half a file.

    An existing cast file is updated in place (castedit): its comments, order
    and layout stay as its author left them.
    """
    path = Path(path)
    if path.exists():
        from audiobook.speakers.castedit import CastDocument

        document = CastDocument.open(path)
        document.update_from(cast, notes)
        document.save()
        return
    text = cast_to_toml(cast, path.resolve().parent, notes)
    atomic_write(path, text, fix="choose another cast file path")
