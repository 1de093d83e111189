"""Whole builds on tiny books with real espeak-ng and ffmpeg: files, manifest, tags, rebuilds."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import fake_engine
import pytest
from audio_utils import pcm, probe, rms_db, span

from audiobook.build import build_book
from audiobook.cli.build_cmd import summary
from audiobook.errors import InputError, OutputError
from audiobook.fsutil import build_lock


@pytest.fixture(scope="module")
def built(tmp_path_factory, make_book, build_options):
    tmp = tmp_path_factory.mktemp("build")
    book = make_book(tmp)
    result = build_book(book, build_options(tmp, subtitles="srt"))
    return tmp, book, result


def test_one_file_per_chapter_and_a_manifest_that_matches_them(built):
    tmp, book, result = built
    manifest = json.loads(result.manifest.read_text())
    assert [e["title"] for e in manifest["chapters"]] == ["The Door", "The Letters"]
    for entry, chapter in zip(manifest["chapters"], book.script.chapters, strict=False):
        info = probe(result.outdir / entry["file"])
        assert abs(float(info["format"]["duration"]) - entry["duration"]) < 0.1
        segs = entry["segments"]
        assert [s["text"] for s in segs] == [s.text for s in chapter.segments]
        doc = book.documents[0].text
        for row in segs:
            assert row["source"] == chapter.chapter.source
            assert doc[row["start"] : row["end"]] == row["text"]
            assert row["start_ms"] < row["end_ms"] <= entry["duration"] * 1000
        assert all(a["end_ms"] < b["start_ms"] for a, b in zip(segs, segs[1:], strict=False))


def test_manifest_times_find_the_voice_that_speaks(built):
    tmp, _, result = built
    entry = json.loads(result.manifest.read_text())["chapters"][0]
    whole = pcm(result.outdir / entry["file"])
    for seg in entry["segments"]:
        inside = span(whole, seg["start_ms"] + 20, seg["end_ms"] - 20)
        assert rms_db(inside) > -35  # speech where the manifest says
    gaps = [
        (a["end_ms"], b["start_ms"])
        for a, b in zip(entry["segments"], entry["segments"][1:], strict=False)
    ]
    for end, start in gaps:
        assert rms_db(span(whole, end + 30, start - 30)) < -60  # and silence between


def test_tags_number_the_files_and_name_the_book(built):
    from mutagen.id3 import ID3

    _, _, result = built
    for n, file in enumerate(result.files, 1):
        tags = ID3(result.outdir / file.name)
        assert str(tags["TIT2"]) == file.title
        assert str(tags["TALB"]) == "Tiny" and str(tags["TPE1"]) == "A. Writer"
        assert str(tags["TPE2"]) == "A. Writer" and str(tags["TCON"]) == "Audiobook"
        assert str(tags["TRCK"]) == f"{n}/{len(result.files)}"


def test_subtitles_follow_the_manifest(built):
    _, _, result = built
    entry = json.loads(result.manifest.read_text())["chapters"][1]
    srt = (result.outdir / (Path(entry["file"]).stem + ".srt")).read_text()
    blocks = srt.strip().split("\n\n")
    assert len(blocks) == len(entry["segments"])
    first = blocks[1].splitlines()[1]
    start_ms = entry["segments"][1]["start_ms"]
    h, m, rest = first.split(" --> ")[0].split(":")
    s, ms = rest.split(",")
    assert (int(h) * 3600 + int(m) * 60 + int(s)) * 1000 + int(ms) == start_ms


def test_rebuild_unchanged_renders_and_encodes_nothing(built, build_options):
    tmp, book, first = built
    mtimes = {f.name: (first.outdir / f.name).stat().st_mtime_ns for f in first.files}
    again = build_book(book, build_options(tmp, subtitles="srt"))
    assert again.cache_misses == 0 and again.cache_hits == first.clips
    assert all(f.reused for f in again.files)
    assert {f.name: (again.outdir / f.name).stat().st_mtime_ns for f in again.files} == mtimes
    # the subtitles are written again, and the summary says so rather than "Nothing to write"
    assert summary(first).startswith("Wrote 2 files and 2 subtitle files: ")
    assert summary(again).startswith("Wrote 2 subtitle files, kept 2 files: ")


def test_editing_one_paragraph_rerenders_it_and_reencodes_its_chapter_only(
    tmp_path, make_book, build_options, story
):
    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path))
    shorter = [story[0], (story[1][0], [*story[1][1][:2], (None, "The night was short.", "scene")])]
    edited = build_book(make_book(tmp_path, shorter), build_options(tmp_path))
    assert edited.cache_misses == 1
    assert [f.reused for f in edited.files] == [True, False]
    assert edited.files[1].seconds < first.files[1].seconds


def test_a_second_build_into_the_same_folder_is_refused(tmp_path, make_book, build_options):
    book = make_book(tmp_path)
    (tmp_path / "out").mkdir()
    with (
        build_lock(tmp_path / "out"),
        pytest.raises(OutputError, match="another build is writing to .*out; wait for it"),
    ):
        build_book(book, build_options(tmp_path))


def test_existing_files_in_the_output_folder_are_kept(tmp_path, make_book, build_options):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    build_book(make_book(tmp_path), build_options(tmp_path))
    assert (out / "notes.txt").read_text() == "mine"


def test_m4b_has_chapter_marks_tags_cover_and_audiobook_type(
    tmp_path, make_book, build_options, covers
):
    from mutagen.mp4 import MP4

    cover = covers["png"]
    result = build_book(make_book(tmp_path), build_options(tmp_path, format="m4b", cover=cover))
    assert len({f.name for f in result.files}) == 1
    assert summary(result).startswith("Wrote 1 file (2 chapters): ")  # one file, not two
    path = result.outdir / result.files[0].name
    info = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-show_chapters", "-show_streams", "-of", "json", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"][0]
    # AAC at the clips' own rate (the fake engine's 22,050 Hz), not resampled to 44.1 kHz.
    assert audio["codec_name"] == "aac" and int(audio["sample_rate"]) == fake_engine.RATE == 22050
    assert int(audio["bit_rate"]) <= 100_000  # asked for 96 kbps, the ceiling at that rate
    marks = info["chapters"]
    assert [c["tags"]["title"] for c in marks] == ["The Door", "The Letters"]
    manifest = json.loads(result.manifest.read_text())
    for mark, entry in zip(marks, manifest["chapters"], strict=False):
        assert abs(float(mark["start_time"]) * 1000 - entry["start_ms"]) < 50
        assert entry["segments"][0]["start_ms"] >= entry["start_ms"]
    tags = MP4(path).tags
    assert tags["stik"] == [2] and tags["\xa9alb"] == ["Tiny"] and tags["\xa9ART"] == ["A. Writer"]
    assert bytes(tags["covr"][0]) == cover.read_bytes()


def test_compact_profile_is_a_small_listening_copy(tmp_path, make_book, build_options):
    result = build_book(make_book(tmp_path), build_options(tmp_path, profile="compact"))
    stream = probe(result.outdir / result.files[0].name)["streams"][0]
    assert int(stream["sample_rate"]) == 22050 and int(stream["bit_rate"]) == 64000


def _cli(args, extra_env=None, **kw):
    env = {**os.environ, "PYTHONWARNINGS": "ignore", **(extra_env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "audiobook", *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        **kw,
    )


LONG = "\n\n".join(
    f"Paragraph {n} tells how the road went on past the {n} hills." for n in range(60)
)


@pytest.mark.processes
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_build_leaves_no_partial_file_and_resumes(tmp_path, how):
    (tmp_path / "long.txt").write_text(LONG)
    args = [
        "build",
        tmp_path / "long.txt",
        "-o",
        tmp_path / "out",
        "--cache-dir",
        tmp_path / "cache",
        "--jobs",
        "2",
        "--engine",
        "fake",
        "--quiet",
    ]
    # Each clip takes the fake engine 0.4 s: the kill, once 5 clips are cached, always
    # lands mid-build (55 clips, over 10 s of work, are still to come).
    proc = _cli(args, {"FAKE_ENGINE_DELAY": "0.4"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((tmp_path / "cache").rglob("*.flac"))) < 5:
        time.sleep(0.05)
    os.killpg(proc.pid, how)  # the whole group, as a terminal's Ctrl-C does
    _, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    if how == signal.SIGINT:
        assert proc.returncode == 130
    left = [p.name for p in (tmp_path / "out").iterdir() if ".partial-" in p.name]
    assert left == [] if how == signal.SIGINT else True
    assert not list((tmp_path / "out").glob("*.mp3"))
    cached = len(list((tmp_path / "cache").rglob("*.flac")))
    resumed = _cli(args[:-1])
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert int(re.search(r"(\d+) from the cache", err).group(1)) >= cached >= 5
    assert not [p for p in (tmp_path / "out").iterdir() if ".partial-" in p.name]
    assert not [p for p in (tmp_path / "cache").rglob("*") if ".partial-" in p.name]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert rms_db(pcm(tmp_path / "out" / manifest["chapters"][0]["file"])) > -24


def test_a_chapter_joined_from_many_blocks_keeps_its_timing(
    tmp_path, make_book, build_options, monkeypatch
):
    from audiobook.audio import assemble

    # Blocks of 5-20 s instead of 30-150 s: more joins in less audio to encode and measure.
    monkeypatch.setattr(assemble, "BLOCK_MIN", 5.0)
    monkeypatch.setattr(assemble, "BLOCK_MAX", 20.0)
    lines = [
        (
            None if n % 3 else "Anna",
            f"Line {n}: the rain kept falling on the roofs of the town "
            f"and on the fields beyond the river, all through day {n}.",
            "paragraph",
        )
        for n in range(12)
    ]
    book = make_book(tmp_path, [("Rain", lines)])
    # jobs=1: rendered in this process (the blocks' timing is the point, not the workers)
    result = build_book(book, build_options(tmp_path, jobs=1))
    entry = json.loads(result.manifest.read_text())["chapters"][0]
    assert len(entry["blocks"]) >= 3
    path = result.outdir / entry["file"]
    assert abs(float(probe(path)["format"]["duration"]) - entry["duration"]) < 0.1
    segs = entry["segments"]
    whole = pcm(path)
    for seg in segs:
        assert rms_db(span(whole, seg["start_ms"] + 15, seg["start_ms"] + 120)) > -45  # speech
    for a, b in zip(segs, segs[1:], strict=False):
        assert rms_db(span(whole, a["end_ms"] + 40, b["start_ms"] - 40)) < -60


def test_plain_progress_reports_each_step(tmp_path, make_book, build_options):
    import io

    from audiobook.progress import PlainProgress

    sink = io.StringIO()
    book = make_book(tmp_path)
    result = build_book(book, build_options(tmp_path), PlainProgress(sink, every=0))
    text = sink.getvalue()
    assert "rendering..." in text and "clips, 0 from the cache" in text
    assert "wrote 01 - The Door.mp3" in text and "wrote 02 - The Letters.mp3" in text
    assert re.search(r"^encoding 0:\d\d of audio$", text, re.M)
    assert re.search(r"^encoded \d+%, about 0:\d\d left$", text, re.M)  # time remaining
    assert summary(result).startswith("Wrote 2 files: ")

    again = io.StringIO()
    result = build_book(book, build_options(tmp_path), PlainProgress(again, every=0))
    assert "kept 01 - The Door.mp3" in again.getvalue() and "encoded" not in again.getvalue()
    assert summary(result).startswith("Nothing to write, kept 2 files: ")


def test_terminal_progress_names_chapters_and_no_source_locations(
    tmp_path, make_book, build_options
):
    import io

    from rich.console import Console

    from audiobook.progress import RichProgress

    screen = io.StringIO()
    progress = RichProgress(Console(file=screen, force_terminal=True, width=100))
    try:
        build_book(make_book(tmp_path), build_options(tmp_path), progress)
    finally:
        progress.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())  # colours, cursor moves
    assert "wrote 01 - The Door.mp3" in text and "wrote 02 - The Letters.mp3" in text
    assert re.search(r"encoding .*0:\d\d/0:\d\d of audio", text) and "clips" in text
    assert ".py:" not in text  # rich's log() put "progress.py:82" on every line


@pytest.mark.parametrize("case", ["no ffmpeg", "output is a file", "bad format"])
def test_cli_errors_are_one_line_that_says_what_to_fix(tmp_path, case, audiobook, program):
    (tmp_path / "story.txt").write_text("Chapter 1\n\nIt rained.\n")
    (tmp_path / "file").write_text("")
    out, env, extra, run = tmp_path / "out", {}, [], audiobook
    if case == "no ffmpeg":
        # As a program: no ffmpeg lookup this test process made earlier can stand in.
        env["PATH"], run = str(tmp_path), program
    elif case == "output is a file":
        out = tmp_path / "file"
    else:
        extra = ["--format", "ogg"]
    story, cache = tmp_path / "story.txt", tmp_path / "cache"
    done = run("build", story, "-o", out, "--cache-dir", cache, "--engine", "fake", *extra, env=env)
    lines = done.stderr.strip().splitlines()
    assert done.returncode != 0 and len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert {
        "no ffmpeg": "apt-get install ffmpeg",
        "output is a file": "choose another -o",
        "bad format": "is not one of 'mp3', 'm4b'",
    }[case] in lines[0]


def test_a_file_replaced_behind_the_manifest_is_not_trusted(tmp_path, make_book, build_options):
    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path))
    # As if a killed build had replaced the file after its journal named it as pending, but
    # before it wrote its manifest.
    victim = first.outdir / first.files[0].name
    other = first.outdir / first.files[1].name
    victim.write_bytes(other.read_bytes())
    manifest = json.loads(first.manifest.read_text())
    first.manifest.write_text(json.dumps({**manifest, "pending": [victim.name]}))
    again = build_book(book, build_options(tmp_path))
    assert [f.reused for f in again.files] == [False, True]
    assert abs(float(probe(victim)["format"]["duration"]) - again.files[0].seconds) < 0.1


def test_a_file_of_ours_the_user_changed_is_not_overwritten(tmp_path, make_book, build_options):
    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path))
    victim = first.outdir / first.files[0].name
    victim.write_bytes(b"my own edit")
    with pytest.raises(OutputError, match=re.escape(victim.name)):
        build_book(book, build_options(tmp_path))
    assert victim.read_bytes() == b"my own edit"


def _strict_json(path: Path):
    def refuse(constant):
        raise ValueError(f"{constant} in {path}")

    return json.loads(path.read_text(), parse_constant=refuse)


def test_a_nan_in_cached_statistics_never_reaches_the_book(tmp_path, make_book, build_options):
    book = make_book(tmp_path)
    build_book(book, build_options(tmp_path))
    for meta in (tmp_path / "cache").rglob("*.json"):
        stats = json.loads(meta.read_text())
        if "peak" in stats:
            meta.write_text(json.dumps({**stats, "peak": float("nan")}))
    again = build_book(book, build_options(tmp_path, "b"))
    assert again.cache_hits == 0 and again.cache_misses == again.clips
    manifest = _strict_json(again.manifest)
    for entry in manifest["chapters"]:
        assert rms_db(pcm(again.outdir / entry["file"])) > -24


def _m4b_chapter_rms(path: Path, manifest: dict) -> list[float]:
    return [
        rms_db(pcm(path, e["start_ms"], e["start_ms"] + e["duration"] * 1000))
        for e in manifest["chapters"]
    ]


@pytest.mark.parametrize("damage", ["truncated piece", "damaged final m4b"])
def test_damaged_m4b_pieces_and_books_are_made_again(tmp_path, damage, make_book, build_options):
    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path, format="m4b"))
    final = first.outdir / first.files[0].name
    good_seconds = float(probe(final)["format"]["duration"])
    if damage == "truncated piece":
        pieces = sorted((tmp_path / "cache" / "m4b").glob("*.m4a"))
        assert len(pieces) == 2
        for piece in pieces:
            piece.write_bytes(piece.read_bytes()[: piece.stat().st_size // 3])
        # Another output folder: a new book from the same cached pieces.
        again = build_book(book, build_options(tmp_path, "b", format="m4b"))
        assert [f.reused for f in again.files] == [False, False]
        final = again.outdir / again.files[0].name
    else:
        # Bit rot: the bytes change, the size and time the manifest recorded do not.
        before = final.stat()
        data = bytearray(final.read_bytes())
        data[len(data) // 2 : len(data) // 2 + 4096] = bytes(4096)
        final.write_bytes(bytes(data))
        os.utime(final, ns=(before.st_atime_ns, before.st_mtime_ns))
        again = build_book(book, build_options(tmp_path, format="m4b"))
    assert abs(float(probe(final)["format"]["duration"]) - good_seconds) < 0.1
    levels = _m4b_chapter_rms(final, json.loads(again.manifest.read_text()))
    assert all(level > -26 for level in levels), levels
    assert (
        subprocess.run(
            ["ffmpeg", "-v", "error", "-i", str(final), "-f", "null", "-"], capture_output=True
        ).stderr
        == b""
    )


def test_an_m4b_rebuild_keeps_one_aac_piece_per_chapter(tmp_path, make_book, build_options, story):
    first = build_book(make_book(tmp_path), build_options(tmp_path, format="m4b"))
    pieces = tmp_path / "cache" / "m4b"
    assert len(list(pieces.glob("*.m4a"))) == 2
    edited = [story[0], (story[1][0], [*story[1][1][:-1], (None, "The fire went out.", "scene")])]
    again = build_book(make_book(tmp_path, edited), build_options(tmp_path, format="m4b"))
    assert [f.reused for f in again.files] == [False, False]  # the book file is written again
    assert len(list(pieces.glob("*.m4a"))) == 2  # the edited chapter's old piece is gone
    assert len(list(pieces.glob("*.json"))) == 2 and first.files[0].name == again.files[0].name


def test_the_build_refuses_an_engine_the_book_was_not_cast_for(tmp_path, make_book, build_options):
    book = make_book(tmp_path)
    book.engine_name = "pyttsx3"
    with pytest.raises(InputError, match="cast for engine 'pyttsx3', not 'other'"):
        build_book(book, build_options(tmp_path, engine="other"))
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_an_edit_re_encodes_only_the_block_that_holds_it(
    tmp_path, make_book, build_options, monkeypatch
):
    from audiobook.audio import assemble

    # Blocks of a few seconds instead of a minute or two: many blocks in little audio.
    monkeypatch.setattr(assemble, "BLOCK_MIN", 4.0)
    monkeypatch.setattr(assemble, "BLOCK_WINDOW", 6.0)
    monkeypatch.setattr(assemble, "BLOCK_MAX", 20.0)
    lines = [
        (None, f"Paragraph {n} tells of the road, the river and day {n}.", "paragraph")
        for n in range(24)
    ]
    edited = list(lines)
    edited[12] = (None, lines[12][1] + " Then it rained.", "paragraph")

    def blocks(result) -> list[str]:
        entry = json.loads(result.manifest.read_text())["chapters"][0]
        return [b["fingerprint"] for b in entry["blocks"]]

    first = build_book(make_book(tmp_path, [("Road", lines)]), build_options(tmp_path, jobs=1))
    old = blocks(first)  # the manifest is rewritten by the next build
    again = build_book(make_book(tmp_path, [("Road", edited)]), build_options(tmp_path, jobs=1))
    new = blocks(again)
    assert len(old) >= 6 and again.cache_misses == 1
    # The block holding paragraph 12, at most one either side of it; the rest copied.
    head = next(n for n, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
    tail = next(n for n, (a, b) in enumerate(zip(old[::-1], new[::-1], strict=False)) if a != b)
    assert 1 <= len(new) - head - tail <= 3 and head >= 2 and tail >= 2
    # The same book as a first build of the edited text (its own cache): same blocks, timings.
    (tmp_path / "fresh").mkdir()
    fresh = build_book(
        make_book(tmp_path / "fresh", [("Road", edited)]),
        build_options(tmp_path / "fresh", jobs=1),
    )

    def layout(result) -> tuple[list, list]:
        entry = json.loads(result.manifest.read_text())["chapters"][0]
        rows = [(s["text"], s["start_ms"], s["end_ms"]) for s in entry["segments"]]
        return rows, [b["samples"] for b in entry["blocks"]]

    assert layout(again) == layout(fresh)


def test_blocks_encoded_many_to_an_ffmpeg_are_the_bytes_of_each_encoded_alone(
    tmp_path, make_book, build_options, monkeypatch
):
    """A cold build encodes its blocks in a few ffmpeg processes, an edit the one or two
    it changed: the files must not depend on which blocks shared a process."""
    from audiobook.audio import assemble
    from audiobook.publish import mp3_files

    monkeypatch.setattr(assemble, "BLOCK_MIN", 4.0)
    monkeypatch.setattr(assemble, "BLOCK_WINDOW", 6.0)
    lines = [
        (None, f"Paragraph {n} tells of the road, the river and day {n}.", "paragraph")
        for n in range(16)
    ]
    book = make_book(tmp_path, [("Road", lines)])
    together = build_book(book, build_options(tmp_path, "together", jobs=1))
    monkeypatch.setattr(mp3_files, "GROUP_MAX", 1)  # every block its own ffmpeg
    alone = build_book(book, build_options(tmp_path, "alone", jobs=1))
    entry = json.loads(together.manifest.read_text())["chapters"][0]
    assert len(entry["blocks"]) >= 4
    assert entry["blocks"] == json.loads(alone.manifest.read_text())["chapters"][0]["blocks"]
    name = entry["file"]
    assert (together.outdir / name).read_bytes() == (alone.outdir / name).read_bytes()


def test_an_edit_encodes_its_block_with_the_encoder_started_while_its_clip_was_spoken(
    tmp_path, make_book, build_options, monkeypatch
):
    from audiobook.audio import assemble, encode

    monkeypatch.setattr(assemble, "BLOCK_MIN", 4.0)
    monkeypatch.setattr(assemble, "BLOCK_WINDOW", 6.0)
    lines = [
        (None, f"Paragraph {n} tells of the road, the river and day {n}.", "paragraph")
        for n in range(16)
    ]
    first = build_book(make_book(tmp_path, [("Road", lines)]), build_options(tmp_path, jobs=2))
    calls: list[str] = []
    start, take = encode.Spare.start, encode.Spare.take
    monkeypatch.setattr(encode.Spare, "start", lambda *a: (calls.append("start"), start(*a)))
    monkeypatch.setattr(
        encode.Spare,
        "take",
        lambda self: (calls.append(f"take {self._held is not None}"), take(self))[1],
    )
    build_book(make_book(tmp_path, [("Road", lines)]), build_options(tmp_path, jobs=2))
    assert calls == ["take False"]  # nothing to speak: none started (the end stops none)
    calls.clear()
    lines[8] = (None, lines[8][1] + " Then it rained.", "paragraph")
    edited = build_book(make_book(tmp_path, [("Road", lines)]), build_options(tmp_path, jobs=2))
    assert calls[0] == "start" and "take True" in calls
    assert edited.cache_misses == 1
    assert not [p for p in (tmp_path / "out").iterdir() if ".partial-" in p.name]
    path = edited.outdir / edited.files[0].name
    assert abs(float(probe(path)["format"]["duration"]) - edited.files[0].seconds) < 0.1
    assert edited.files[0].seconds > first.files[0].seconds


def test_an_edited_file_keeps_its_tag_and_a_new_narrator_retags_every_file(
    tmp_path, make_book, build_options, story, monkeypatch
):
    from mutagen.id3 import ID3

    from audiobook.model import BookInfo
    from audiobook.publish import mp3_files
    from audiobook.publish.export import id3_size

    def tag_of(path: Path) -> bytes:
        data = path.read_bytes()
        return data[: id3_size(data[:10])]

    book = make_book(tmp_path)
    first = build_book(book, build_options(tmp_path, info=BookInfo(narrator="Ann Reader")))
    old_tag = tag_of(first.outdir / first.files[1].name)
    made: list[bytes] = []
    id3_tag = mp3_files.id3_tag
    monkeypatch.setattr(mp3_files, "id3_tag", lambda tags: made.append(id3_tag(tags)) or made[-1])
    shorter = [story[0], (story[1][0], [*story[1][1][:2], (None, "The night was short.", "scene")])]
    narrated = build_options(tmp_path, info=BookInfo(narrator="Ann Reader"))
    edited = build_book(make_book(tmp_path, shorter), narrated)
    assert [f.reused for f in edited.files] == [True, False] and made == []  # read, not made
    path = edited.outdir / edited.files[1].name
    assert tag_of(path) == old_tag and str(ID3(path)["TCOM"]) == "Ann Reader"
    renarrated = build_options(tmp_path, info=BookInfo(narrator="Bo Voice"))
    again = build_book(make_book(tmp_path, shorter), renarrated)
    assert len(made) == 2 and not any(f.reused for f in again.files)
    assert all(str(ID3(again.outdir / f.name)["TCOM"]) == "Bo Voice" for f in again.files)
