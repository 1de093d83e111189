"""Line ids and per-line overrides: `script --json`, the [lines] table, casting, the build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from audiobook.build import BuildOptions, build_book
from audiobook.cli.app import main
from audiobook.pipeline import prepare

BOOK = Path(__file__).parent / "data" / "studio" / "book.txt"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def dialogue(capsys, book: Path, cast: Path | None = None) -> list[dict]:
    extra = ["--cast", cast] if cast else []
    code, out, err = run(capsys, "script", book, "--json", *extra)
    assert code == 0, err
    return [
        s for c in json.loads(out)["chapters"] for s in c["segments"] if s["kind"] == "dialogue"
    ]


def by_text(rows: list[dict], start: str) -> dict:
    found = [r for r in rows if r["text"].startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


@pytest.fixture
def book(tmp_path) -> Path:
    return Path(shutil.copy(BOOK, tmp_path / "book.txt"))


def test_every_dialogue_segment_has_a_line_confidence_and_rule(capsys, book):
    code, out, _ = run(capsys, "script", book, "--json")
    segments = [s for c in json.loads(out)["chapters"] for s in c["segments"]]
    for seg in segments:
        if seg["kind"] == "dialogue":
            assert seg["line"].startswith("q-") and 0 <= seg["confidence"] <= 1 and seg["rule"]
        else:
            assert seg["line"] is None and seg["confidence"] is None and seg["rule"] is None
    rows = [s for s in segments if s["kind"] == "dialogue"]
    # Both parts of a quote broken by its tag are one line; every other quote has its own.
    assert by_text(rows, "You kept")["line"] == by_text(rows, "Good lad")["line"]
    assert len({r["line"] for r in rows}) == len(rows) - 4  # four broken quotes
    # A named tag is surer than a guess from turn-taking.
    assert by_text(rows, "He is late")["confidence"] > by_text(rows, "Grandpa,")["confidence"]


def test_identical_quotes_in_different_places_get_different_ids(capsys, book):
    yes = [r for r in dialogue(capsys, book) if r["text"] == "Yes,"]
    assert len(yes) == 2 and yes[0]["line"] != yes[1]["line"]


def test_ids_survive_edits_and_new_paragraphs_elsewhere(capsys, book):
    before = {r["text"]: r["line"] for r in dialogue(capsys, book)}
    text = book.read_text(encoding="utf-8")
    text = text.replace("The cart came at last", "The old cart came at last, creaking,")
    text = text.replace("Chapter 2\n", "Chapter 2\n\nSnow fell all evening. Nobody spoke.\n")
    text = "A short foreword, added later.\n\n" + text
    book.write_text(text, encoding="utf-8")
    after = dialogue(capsys, book)
    assert {r["text"]: r["line"] for r in after} == before
    # Offsets did move: the ids do not depend on them.
    assert by_text(after, "You kept")["start"] > text.index("creaking")


def test_lines_table_sets_the_speaker_by_key_alias_or_narrator(capsys, book, tmp_path):
    rows = dialogue(capsys, book)
    wrong = by_text(rows, "Grandpa,")
    hale = by_text(rows, "There is not")
    eat = by_text(rows, "Eat first")
    cast = tmp_path / "cast.toml"
    cast.write_text(
        '[characters.Anna]\ngender = "female"\n\n'
        '[characters."Mr. Hale"]\naliases = ["Hale", "Father"]\n\n'
        f'[lines]\n"{wrong["line"]}" = "Anna"\n"{hale["line"]}" = "Father"\n'
        f'"{eat["line"]}" = "narrator"\n',
        encoding="utf-8",
    )
    fixed = dialogue(capsys, book, cast)
    line = by_text(fixed, "Grandpa,")
    assert (line["speaker"], line["rule"], line["confidence"]) == ("Anna", "override", 1.0)
    assert line["line"] == wrong["line"]
    assert by_text(fixed, "There is not")["speaker"] == "Mr. Hale"
    assert {r["speaker"] for r in fixed if r["line"] == eat["line"]} == {"narrator"}
    # The other lines keep their attribution.
    assert by_text(fixed, "He is late")["rule"] == "named-tag"


def test_a_stale_id_is_a_warning_naming_it(capsys, book, tmp_path):
    cast = tmp_path / "cast.toml"
    cast.write_text('[lines]\n"q-00000000" = "Anna"\n', encoding="utf-8")
    code, out, err = run(capsys, "script", book, "--json", "--cast", cast)
    assert code == 0 and json.loads(out)["chapters"]
    warning = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert len(warning) == 1 and "q-00000000" in warning[0]
    assert "Error" not in err


def test_a_character_only_in_overrides_gets_a_voice(capsys, book, tmp_path):
    line = by_text(dialogue(capsys, book), "And every winter")["line"]
    cast = tmp_path / "cast.toml"
    cast.write_text(f'[lines]\n"{line}" = "Martha"\n', encoding="utf-8")
    prepared = prepare([book], cast)
    martha = prepared.cast.characters["Martha"]
    others = [e.voice for e in prepared.cast.characters.values() if e is not martha]
    assert martha.voice and martha.voice not in others + [prepared.cast.narrator.voice]
    spoken = [s for c in prepared.script.chapters for s in c.segments if s.line == line]
    assert spoken and all(s.voice == martha.voice and s.rule == "override" for s in spoken)


@pytest.mark.slow
def test_a_rebuild_after_an_override_renders_only_that_line(book, tmp_path):
    options = BuildOptions(outdir=tmp_path / "out", jobs=1, cache_dir=tmp_path / "cache")
    first = build_book(prepare([book]), options)
    rows = [s for c in prepare([book]).script.chapters for s in c.segments]
    hale = next(s for s in rows if s.text.startswith("There is not"))
    cast = tmp_path / "cast.toml"
    # Hale and Joe speak in chapter 2 only: chapter 1's voices keep their levels.
    cast.write_text(f'[lines]\n"{hale.line}" = "Joe"\n', encoding="utf-8")
    again = build_book(prepare([book], cast), options)
    changed = [s for s in rows if s.line == hale.line]
    assert again.cache_misses == len(changed) == 1
    assert again.clips == first.clips and again.cache_hits == first.clips - 1
    assert [f.reused for f in again.files] == [True, False]  # only chapter 2 re-encoded
