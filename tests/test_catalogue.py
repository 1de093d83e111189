"""`audiobook catalogue`: a shelf of tiny books into an Audiobookshelf library, for real."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from audio_utils import probe

from audiobook.build import BuildOptions
from audiobook.catalogue.layout import book_folder
from audiobook.catalogue.run import CatalogueOptions, build_catalogue
from audiobook.catalogue.shelf import describe, discover
from audiobook.errors import InputError

SHELF = Path(__file__).parent / "data" / "shelf"


@pytest.fixture(scope="module")
def clip_cache(tmp_path_factory) -> Path:
    """One clip cache for the module: later builds of the same lines reuse the clips."""
    return tmp_path_factory.mktemp("clips")


@pytest.fixture
def shelf(tmp_path) -> Path:
    copy = tmp_path / "shelf"
    shutil.copytree(SHELF, copy)
    return copy


def _options(library: Path, cache: Path, **kw) -> CatalogueOptions:
    return CatalogueOptions(library, BuildOptions(outdir=library, cache_dir=cache, jobs=2), **kw)


def test_discovery_finds_each_book_and_its_inputs(shelf):
    books = {b.name: b for b in discover(shelf)}
    assert sorted(books) == [
        "harbour-light",
        "the-long-road",
        "the_lake.epub",
        "the_quiet_garden.txt",
    ]
    road = books["the-long-road"]
    assert road.cast == shelf / "the-long-road" / "cast.toml"
    assert road.inputs == [shelf / "the-long-road"]  # a folder of chapter files
    assert books["the_lake.epub"].inputs == [shelf / "the_lake.epub"]
    assert books["harbour-light"].cast is None
    assert not any(b.error for b in books.values())


def test_layout_is_audiobookshelf_s():
    assert book_folder("Ada Marsh", "Harbour Light") == Path("Ada Marsh", "Harbour Light")
    assert book_folder("Ada Marsh", "The Long Road", "Road Tales", "1") == Path(
        "Ada Marsh", "Road Tales", "Vol 1 - The Long Road"
    )


def test_metadata_never_steers_a_path_out_of_the_library():
    folder = book_folder("/root", "../../etc/passwd", "..", "1/2")
    assert len(folder.parts) == 3
    assert all(p not in ("..", ".", "") and "/" not in p for p in folder.parts)
    assert not folder.is_absolute()


def test_fingerprint_follows_every_file_of_a_book(shelf):
    before = describe(shelf / "the-long-road").fingerprint
    (shelf / "the-long-road" / "cast.toml").write_text("[narrator]\n", encoding="utf-8")
    assert describe(shelf / "the-long-road").fingerprint != before


def test_a_missing_shelf_is_one_error(tmp_path):
    with pytest.raises(InputError, match="not a folder"):
        discover(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no books"):
        discover(tmp_path)


@pytest.mark.slow
def test_catalogue_builds_keeps_and_rebuilds_only_what_changed(shelf, tmp_path, clip_cache):
    library = tmp_path / "library"
    report = build_catalogue(shelf, _options(library, clip_cache))
    assert [b.status for b in report.books] == ["built"] * 4
    folders = {b.name: b.folder for b in report.books}
    assert folders == {
        "harbour-light": "Ada Marsh/Harbour Light",
        "the-long-road": "Ada Marsh/Road Tales/Vol 1 - The Long Road",
        "the_lake.epub": "Ada Writer/Lake Tales/Vol 2 - The Lake",  # from the EPUB itself
        "the_quiet_garden.txt": "Unknown/The Quiet Garden",
    }
    assert report.books[3].warnings  # no author anywhere: the report says so
    road = library / "Ada Marsh" / "Road Tales" / "Vol 1 - The Long Road"
    files = sorted(p.name for p in road.glob("*.mp3"))
    assert files == ["01 - Morning.mp3", "02 - Evening.mp3"]
    info = probe(road / files[0])
    assert info["format"]["tags"]["album"] == "The Long Road"
    assert info["format"]["tags"]["artist"] == "Ada Marsh"
    saved = json.loads((library / "catalogue.json").read_text())
    assert saved["totals"]["built"] == 4
    assert len(list((library / "Ada Writer" / "Lake Tales" / "Vol 2 - The Lake").glob("*.mp3")))
    row = next(b for b in saved["books"] if b["name"] == "the-long-road")
    assert row["chapters"] == 2 and 10 < row["audio_seconds"] < 60
    assert row["warnings"] == []  # the build measured within ACX numbers

    again = build_catalogue(shelf, _options(library, clip_cache))
    assert [b.status for b in again.books] == ["kept"] * 4
    assert again.audio_seconds == pytest.approx(report.audio_seconds)

    text = shelf / "harbour-light" / "harbour.txt"
    text.write_text(text.read_text() + '\n"Good night," said Nora.\n', encoding="utf-8")
    third = build_catalogue(shelf, _options(library, clip_cache))
    assert {b.name: b.status for b in third.books} == {
        "harbour-light": "built",
        "the-long-road": "kept",
        "the_lake.epub": "kept",
        "the_quiet_garden.txt": "kept",
    }
    rebuilt = third.books[0]
    assert rebuilt.clips_cached > 0 and rebuilt.clips_rendered <= 2  # only the new line


@pytest.mark.slow
def test_one_failing_book_never_stops_the_others(shelf, tmp_path, clip_cache):
    (shelf / "aa-empty").mkdir()
    (shelf / "aa-empty" / "notes.pdf").write_bytes(b"%PDF-1.4")
    (shelf / "ab-bad-toml").mkdir()
    (shelf / "ab-bad-toml" / "book.toml").write_text("title = [unclosed\n", encoding="utf-8")
    (shelf / "ab-bad-toml" / "a.txt").write_text("Words.\n", encoding="utf-8")
    (shelf / "ac-binary").mkdir()
    (shelf / "ac-binary" / "book.txt").write_bytes(bytes(range(256)) * 40)
    library = tmp_path / "library"
    report = build_catalogue(shelf, _options(library, clip_cache, check=False))
    status = {b.name: (b.status, b.error or "") for b in report.books}
    assert status["aa-empty"][0] == "failed" and "no manuscript" in status["aa-empty"][1]
    assert status["ab-bad-toml"][0] == "failed" and "book.toml" in status["ab-bad-toml"][1]
    assert status["ac-binary"][0] == "failed" and "binary" in status["ac-binary"][1]
    good = ("harbour-light", "the-long-road", "the_lake.epub", "the_quiet_garden.txt")
    assert [status[n][0] for n in good] == ["built"] * 4
    assert not any("Binary" in str(p) for p in library.rglob("*.mp3"))


@pytest.mark.slow
def test_cli_reports_failures_with_one_error_line(shelf, tmp_path, clip_cache):
    (shelf / "broken").mkdir()
    library = tmp_path / "library"
    run = subprocess.run(
        [sys.executable, "-m", "audiobook", "catalogue", str(shelf), "-o", str(library)]
        + ["--cache-dir", str(clip_cache), "--no-check", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "broken" in errors[0], run.stderr
    assert "Traceback" not in run.stderr
    assert "Vol 1 - The Long Road" in run.stdout  # the table names every book's folder
    assert len(list(library.rglob("*.mp3"))) >= 6  # every good book's chapter files
