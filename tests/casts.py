"""Casts written in tests as a user's cast file would list them: a narrator and people,
each with a gender (or None) and aliases."""

from __future__ import annotations

from audiobook.model import Cast, CastEntry, Gender


def listed(*people: tuple[str, Gender | None, list[str]]) -> Cast:
    """``listed(("Mila Arias", "female", ["Mila"]), ...)``: a cast file naming these people."""
    return Cast(
        CastEntry("narrator", ""),
        {
            name: CastEntry(name, "", gender, aliases, from_file=True)
            for name, gender, aliases in people
        },
    )
