"""`audiobook check`: passes a good build, names every failing number of a bad file."""

from __future__ import annotations

import subprocess

import pytest

from audiobook.build import build_book
from audiobook.errors import InputError
from audiobook.publish.check import check_outdir


@pytest.fixture(scope="module")
def good(tmp_path_factory, make_book, build_options):
    tmp = tmp_path_factory.mktemp("check")
    return build_book(make_book(tmp), build_options(tmp)).outdir


def test_a_fresh_build_passes_every_check(good):
    report = check_outdir(good)
    assert report.passed, [r for r in report.rows if not r.passed]
    metrics = {r.metric for r in report.rows}
    assert {
        "sample rate",
        "channels",
        "bit rate",
        "duration",
        "RMS",
        "peak",
        "noise floor",
        "digital silence",
        "head room tone",
        "tail room tone",
    } <= metrics
    assert len({r.file for r in report.rows}) == 2


def test_room_tone_is_a_quiet_room_not_digital_silence(good):
    from audiobook.publish.check import measure

    for path in sorted(good.glob("*.mp3")):
        floor = measure(path).noise_floor_db
        assert -90 < floor <= -60, (path.name, floor)


def test_a_bad_file_fails_on_the_numbers_it_breaks(tmp_path):
    # Loud stereo 48 kHz VBR tone with hiss, no silence at either end.
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=f=300:d=3:sample_rate=48000",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=a=0.02:d=3:r=48000",
            "-filter_complex",
            "[0][1]amix=inputs=2:normalize=0,volume=7.5",
            "-ac",
            "2",
            "-c:a",
            "libmp3lame",
            "-q:a",
            "4",
            str(tmp_path / "bad.mp3"),
        ],
        check=True,
    )
    failed = {r.metric for r in check_outdir(tmp_path).rows if not r.passed}
    assert failed == {
        "sample rate",
        "channels",
        "bit rate",
        "RMS",
        "peak",
        "noise floor",
        "head room tone",
        "tail room tone",
    }


def test_digital_silence_anywhere_fails_the_floor(tmp_path):
    """Room tone at head and tail but 300 ms of digital zero mid-file: dead air, not a room."""
    tone = "anoisesrc=a=0.0003:d={d}:r=44100:seed=1"
    subprocess.run(
        ["ffmpeg", "-v", "error"]
        + ["-f", "lavfi", "-i", tone.format(d=0.8)]
        + ["-f", "lavfi", "-i", "sine=f=220:d=2:sample_rate=44100"]
        + ["-f", "lavfi", "-i", "anullsrc=r=44100:cl=mono:d=0.3"]
        + ["-f", "lavfi", "-i", "sine=f=330:d=2:sample_rate=44100"]
        + ["-f", "lavfi", "-i", tone.format(d=2.0)]
        + ["-filter_complex", "[0][1][2][3][4]concat=n=5:v=0:a=1,volume=0.3"]
        + ["-ac", "1", "-c:a", "libmp3lame", "-b:a", "192k", str(tmp_path / "gap.mp3")],
        check=True,
    )
    rows = {r.metric: r for r in check_outdir(tmp_path).rows}
    assert not rows["digital silence"].passed and not rows["noise floor"].passed
    assert rows["head room tone"].passed  # the head alone would have looked fine


def test_check_command_prints_a_table_and_exits_non_zero_on_failure(good, tmp_path, audiobook):
    def run(folder):
        return audiobook("check", folder)

    ok = run(good)
    assert ok.returncode == 0 and "RMS" in ok.stdout and "FAIL" not in ok.stdout
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=f=300:d=2",
            "-ac",
            "2",
            str(tmp_path / "x.mp3"),
        ],
        check=True,
    )
    bad = run(tmp_path)
    assert bad.returncode != 0 and "FAIL" in bad.stdout and "Traceback" not in bad.stderr


def test_a_folder_without_audio_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="no .mp3 or .m4b files"):
        check_outdir(tmp_path)
    with pytest.raises(InputError, match="not a folder"):
        check_outdir(tmp_path / "missing")
