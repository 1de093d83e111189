"""Every bad input: one `Error: ...` line on stderr, a non-zero exit, never a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from audiobook import pipeline
from audiobook.cli import app as cli

ROOT = Path(__file__).parent.parent
MILA = ROOT / "seeds" / "002_ae557fbbbf91644b.txt"
SEED_CAST = ROOT / "voices" / "seeds.toml"
FAKE = ("--engine", "fake")  # what is tested is the error, not the voice


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


def test_missing_input(tmp_path, audiobook):
    line = one_error_line(audiobook("script", tmp_path / "nope.txt", *FAKE))
    assert "nope.txt" in line


def test_empty_input(tmp_path, audiobook):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    line = one_error_line(audiobook("script", empty, "--json", *FAKE))
    assert "empty" in line


def test_malformed_cast_file_names_file_and_line(tmp_path, audiobook):
    bad = tmp_path / "cast.toml"
    bad.write_text('[narrator]\nvoice = "en-us+m1"\n[characters.Mila\n')
    line = one_error_line(audiobook("script", MILA, "--cast", bad, *FAKE))
    assert str(bad) in line and "line 3" in line


def test_unknown_key_in_cast_file(tmp_path, audiobook):
    bad = tmp_path / "cast.toml"
    bad.write_text('[characters.Mila]\ngender = "female"\nvoise = "en-us+f3"\n')
    line = one_error_line(audiobook("cast", MILA, "--cast", bad, *FAKE))
    assert str(bad) in line and "voise" in line and "line 3" in line


def test_unknown_voice_says_how_to_list_valid_ones(tmp_path, audiobook):
    bad = tmp_path / "cast.toml"
    bad.write_text('[narrator]\nvoice = "xx-nowhere+f9"\n')
    line = one_error_line(audiobook("script", MILA, "--cast", bad, *FAKE))
    assert "xx-nowhere+f9" in line and "audiobook voices" in line


def test_missing_espeak_ng(tmp_path, program):
    # A PATH without espeak-ng: the engine's check must say how to install it. As a program,
    # so no lookup this test process made earlier can stand in for the missing one.
    line = one_error_line(program("voices", env={"PATH": str(tmp_path)}))
    assert "espeak-ng" in line and "install" in line


def test_unknown_character_in_preview(tmp_path, audiobook):
    line = one_error_line(
        audiobook("preview", MILA, "--character", "Gandalf", "-o", tmp_path, *FAKE)
    )
    assert "Gandalf" in line and "Mila" in line
    assert not list(tmp_path.iterdir())


def test_preview_needs_something_to_say(tmp_path, audiobook):
    line = one_error_line(audiobook("preview", "-o", tmp_path))
    assert "--text" in line


def test_unknown_language_for_voices(audiobook):
    line = one_error_line(audiobook("voices", "--language", "xx", *FAKE))
    assert "xx" in line and "en" in line


def test_bad_encoding_name(audiobook):
    line = one_error_line(audiobook("script", MILA, "--encoding", "no-such-codec", *FAKE))
    assert "no-such-codec" in line


def test_usage_errors_stay_usage_errors(audiobook):
    done = audiobook("script", MILA, "--no-such-option")
    assert done.returncode == 2 and "--no-such-option" in done.stderr
    done = audiobook("script")
    assert done.returncode == 2 and "INPUTS" in done.stderr.upper()


def test_cast_write_into_a_missing_folder(tmp_path, capsys):
    assert cli.main(["cast", str(MILA), "--write", str(tmp_path / "no" / "cast.toml"), *FAKE]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ") and "no" in err


def test_an_unexpected_exception_is_one_line_calling_itself_a_bug(monkeypatch, capsys):
    def broken(*_args, **_kwargs):
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(pipeline, "prepare", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["script", str(MILA)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ")
    assert "bug" in err and "boom second line" in err and "Traceback" not in err

    monkeypatch.setenv(cli.DEBUG_ENV, "1")  # asked for: the traceback, then the same line
    assert cli.main(["script", str(MILA)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("Error: ")


def test_ctrl_c_exits_130_quietly(monkeypatch, capsys):
    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "prepare", interrupted)
    assert cli.main(["script", str(MILA)]) == 130
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--help"], ["script", "--help"], ["preview", "--help"]])
def test_help_needs_no_engine(args, tmp_path, program):
    done = program(*args, env={"PATH": str(tmp_path)})  # as a program: nothing loaded before
    assert done.returncode == 0 and "Usage" in done.stdout


def test_preview_into_a_file_instead_of_a_folder(tmp_path, audiobook):
    blocker = tmp_path / "taken"
    blocker.write_text("a file")
    line = one_error_line(audiobook("preview", "--text", "Hello there.", "-o", blocker, *FAKE))
    assert str(blocker) in line
