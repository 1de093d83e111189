"""A rebuild with nothing changed is answered from the last build's record, without planning a
chapter or looking up a clip; any change of input, option, version, output file or cache runs
the full build, which then does what is needed (fake voice, real ffmpeg, the CLI in-process)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import fake_engine
import pytest

import audiobook.build
from audiobook.audio.clipindex import index_path
from audiobook.uptodate import record_path

STORY = (
    "Chapter 1\n\nThe rain fell all night on the roofs of the town.\n\n"
    '"Who is there?" asked Anna.\n\n'
    "Chapter 2\n\nIn the morning the road was dry and the sky was clear.\n"
)
CAST = '[narrator]\nvoice = "en-us+m1"\n'
UNCHANGED = "Nothing changed: 2 chapters up to date"


@pytest.fixture
def book(tmp_path, audiobook):
    """``book.build(*extra)``: `audiobook build` of a two-chapter story on the fake engine, its
    stderr (what the user is told); the story, its cast file, output and cache folders."""

    class Book:
        story = tmp_path / "story.txt"
        cast = tmp_path / "cast.toml"
        out = tmp_path / "out"
        cache = tmp_path / "cache"

        @staticmethod
        def build(*extra, code: int = 0) -> str:
            done = audiobook(
                "build",
                Book.story,
                "-o",
                Book.out,
                "--cache-dir",
                Book.cache,
                "--engine",
                "fake",
                "--cast",
                Book.cast,
                *extra,
            )
            assert done.returncode == code, done.stderr
            return done.stderr

    Book.story.write_text(STORY, encoding="utf-8")
    Book.cast.write_text(CAST, encoding="utf-8")
    assert summary(Book.build()).startswith("Wrote 2 files")
    return Book


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in out.iterdir()}


def summary(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_nothing_changed_writes_nothing_and_plans_nothing(book, monkeypatch):
    before = stamps(book.out)

    def no_build(*args, **kw):
        raise AssertionError("a build with nothing changed planned the book")

    monkeypatch.setattr(audiobook.build, "build_book", no_build)
    said = summary(book.build())
    assert said.startswith(UNCHANGED), said
    assert "h of audio (" in said and str(book.out) in said
    assert stamps(book.out) == before
    # What `audiobook cache` shows: every clip of the book from the cache, none rendered.
    last = json.loads((book.cache / "last-build.json").read_text(encoding="utf-8"))
    clips = int(said.split("(")[1].split(" clip")[0])
    assert (last["hits"], last["misses"]) == (clips, 0) and clips > 0


def test_quiet_says_nothing(book):
    assert book.build("--quiet") == ""


def test_an_m4b_says_one_file_of_its_chapters(book):
    book.build("--format", "m4b", "--force")
    said = summary(book.build("--format", "m4b"))
    assert said.startswith("Nothing changed: 1 file (2 chapters) up to date"), said


def full_build(book, *extra) -> str:
    """The build ran in full (it did not say nothing changed); its summary line."""
    said = summary(book.build(*extra))
    assert not said.startswith("Nothing changed"), said
    assert said.startswith(("Wrote", "Nothing to write")), said
    return said


def then_up_to_date(book, *extra) -> None:
    """The full build recorded itself: the same build again is answered from the record."""
    assert summary(book.build(*extra)).startswith(UNCHANGED)


def mp3s(out: Path) -> list[Path]:
    return sorted(out.glob("*.mp3"))


@pytest.mark.parametrize("change", ["edit", "touch"])
def test_an_edited_output_file_goes_to_the_full_build_which_leaves_it_alone(book, change):
    first = mp3s(book.out)[0]
    if change == "edit":
        first.write_bytes(first.read_bytes()[:1000])  # a user's editor cut it
    else:
        first.touch()
    mine = first.read_bytes()
    said = book.build(code=1)  # the full build's answer: the user's file, not ours to replace
    assert "Error: " in said and first.name in said and "Nothing changed" not in said
    assert first.read_bytes() == mine


def test_a_deleted_output_file_is_written_again(book):
    first = mp3s(book.out)[0]
    good = first.read_bytes()
    first.unlink()
    assert "Wrote 1 file" in full_build(book)
    assert first.read_bytes() == good
    then_up_to_date(book)


def test_a_touched_manifest_is_looked_at_again(book):
    manifest = book.out / "manifest.json"
    st = manifest.stat()
    manifest.touch()
    assert manifest.stat().st_mtime_ns != st.st_mtime_ns
    full_build(book)
    then_up_to_date(book)


@pytest.mark.parametrize(
    "extra",
    [
        ("--title", "Rain", "--force"),  # another book's title: replaced with --force
        ("--author", "Ann Lee"),
        ("--narrator", "Sam Reader"),
        ("--profile", "compact"),
        ("--subtitles", "srt"),
        ("--no-credits",),
        ("--pace", "190"),
    ],
)
def test_a_different_option_builds_in_full(book, extra):
    full_build(book, *extra)
    then_up_to_date(book, *extra)
    full_build(book, "--force")  # and back
    then_up_to_date(book)


def test_the_option_reaches_the_files(book):
    full_build(book, "--subtitles", "srt")
    assert len(list(book.out.glob("*.srt"))) == 2
    full_build(book, "--title", "Rain", "--force")
    manifest = json.loads((book.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["title"] == "Rain"


def test_a_changed_cast_file_builds_in_full(book):
    book.cast.write_text('[narrator]\nvoice = "en-us+m3"\n', encoding="utf-8")
    said = full_build(book)
    assert "0 clips rendered" not in said  # the narrator's lines in the new voice
    then_up_to_date(book)


def test_a_changed_lexicon_builds_in_full(book, tmp_path):
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text('[en]\nrain = "rayne"\n', encoding="utf-8")
    book.cast.write_text('lexicon = "lexicon.toml"\n' + CAST, encoding="utf-8")
    full_build(book)
    then_up_to_date(book)
    # The cast file is the same bytes; only the lexicon it names changed.
    lexicon.write_text('[en]\nrain = "rainn"\n', encoding="utf-8")
    said = full_build(book)
    assert "0 clips rendered" not in said
    then_up_to_date(book)


def test_a_changed_manuscript_builds_in_full(book):
    book.story.write_text(STORY.replace("all night", "all the night"), encoding="utf-8")
    assert "Wrote 1 file, kept 1" in full_build(book)
    then_up_to_date(book)


def test_a_new_engine_version_builds_in_full(book, monkeypatch):
    monkeypatch.setattr(fake_engine.FakeEngine, "version", lambda self: "fake 2")
    said = full_build(book)
    assert "0 clips rendered" not in said  # clips are keyed by the engine's version
    then_up_to_date(book)


def test_a_new_audiobook_version_builds_in_full(book, monkeypatch):
    import audiobook.frontcache
    import audiobook.uptodate

    monkeypatch.setattr(audiobook.uptodate, "__version__", "99.0")
    full_build(book)
    then_up_to_date(book)
    monkeypatch.setattr(audiobook.frontcache, "code_stamp", lambda: "an edited source file")
    full_build(book)
    then_up_to_date(book)


def test_a_pruned_clip_is_rendered_again(book):
    clip = next((book.cache / "clips").rglob("*.flac"))
    clip.unlink()
    assert "1 clip rendered" in full_build(book)
    assert clip.exists()
    then_up_to_date(book)


def test_a_cleared_cache_builds_in_full(book):
    shutil.rmtree(book.cache)
    said = full_build(book)
    assert "Nothing to write, kept 2 files" in said and "0 from the cache" in said
    then_up_to_date(book)


def test_a_damaged_record_or_index_is_a_full_build(book):
    record = record_path(book.cache, book.out)
    record.write_text("{not json", encoding="utf-8")
    full_build(book)
    then_up_to_date(book)
    index = index_path(book.cache / "frontend", book.out)
    index.write_bytes(b"not a pickle")
    full_build(book)
    then_up_to_date(book)


def test_another_output_folder_is_its_own_build(book, tmp_path):
    out = book.out
    book.out = tmp_path / "elsewhere"
    full_build(book)
    then_up_to_date(book)
    book.out = out
    then_up_to_date(book)


def test_a_build_without_a_key_forgets_the_record(book):
    """A library build (no key) into the folder may change it: the record no longer holds."""
    from audiobook.build import BuildOptions, build_book
    from audiobook.pipeline import prepare

    assert record_path(book.cache, book.out).exists()
    prepared = prepare([book.story], book.cast, engine="fake")
    options = BuildOptions(outdir=book.out, cache_dir=book.cache, engine="fake", force=True)
    build_book(prepared, options)
    assert not record_path(book.cache, book.out).exists()
    full_build(book)
    then_up_to_date(book)


def test_a_changed_book_toml_builds_in_full(book):
    (book.story.parent / "book.toml").write_text('narrator = "Sam Reader"\n', encoding="utf-8")
    full_build(book)
    then_up_to_date(book)
    manifest = json.loads((book.out / "manifest.json").read_text(encoding="utf-8"))
    assert any("Sam Reader" in s["text"] for c in manifest["chapters"] for s in c["segments"])


def test_a_cover_changed_in_place_builds_in_full(book, tmp_path):
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"one" * 50)
    full_build(book, "--cover", cover)
    then_up_to_date(book, "--cover", cover)
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"two" * 50)  # the same file name
    assert "Wrote 2 files" in full_build(book, "--cover", cover)  # re-tagged
    then_up_to_date(book, "--cover", cover)


def test_another_voices_folder_builds_in_full(book, tmp_path):
    voices = tmp_path / "voices"
    voices.mkdir()
    full_build(book, "--voices-dir", voices)
    then_up_to_date(book, "--voices-dir", voices)


def test_a_clip_unused_for_a_day_is_marked_used_by_a_build_with_nothing_to_do(book):
    import os
    import time

    clips = sorted((book.cache / "clips").rglob("*.flac"))
    old, recent = clips[0], clips[1]
    two_days_ago = time.time_ns() - 2 * 86_400 * 10**9
    an_hour_ago = time.time_ns() - 3600 * 10**9
    for path, when in ((old, two_days_ago), (recent, an_hour_ago)):
        os.utime(path, ns=(when, path.stat().st_mtime_ns))
    assert summary(book.build()).startswith(UNCHANGED)
    assert old.stat().st_atime_ns > an_hour_ago  # the last to go when the cache is pruned
    assert recent.stat().st_atime_ns == an_hour_ago  # used within the day: left alone
