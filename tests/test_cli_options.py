"""The command line looks like its ecosystem: metavars, choices, global flags, usage errors."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import typer

from audiobook.cli import app as cli

ROOT = Path(__file__).parent.parent
MILA = ROOT / "seeds" / "002_ae557fbbbf91644b.txt"
FAKE = ("--engine", "fake")  # what is tested is the command line, not the voice


@pytest.fixture
def audiobook(audiobook):
    """The CLI in this process, in a wide terminal (help text is not wrapped)."""

    def run(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return audiobook(*args, env={"COLUMNS": "200", **(env or {})})

    return run


def usage_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    assert "╭" not in done.stderr  # no rich box
    return lines[0]


def test_help_uses_conventional_metavars(audiobook):
    out = audiobook("build", "--help").stdout
    assert "Usage: audiobook build [OPTIONS] INPUTS..." in out
    assert "<bool>" not in out and "<list" not in out and "{inputs}" not in out
    for choices in ("[mp3|m4b]", "[acx|compact]", "[srt|vtt]"):
        assert choices in out
    assert re.search(r"Speech engine: [a-z0-9, ]*pyttsx3", out)  # installed engines listed
    assert "preview [OPTIONS] [INPUTS]..." in audiobook("preview", "--help").stdout


@pytest.mark.parametrize(
    ("option", "value", "valid"),
    [
        ("--format", "ogg", "'mp3', 'm4b'"),
        ("--profile", "radio", "'acx', 'compact'"),
        ("--subtitles", "ass", "'srt', 'vtt'"),
        ("--engine", "festival", "'pyttsx3'"),
    ],
)
def test_a_bad_choice_is_a_usage_error_naming_the_valid_ones(
    tmp_path, option, value, valid, audiobook
):
    line = usage_error(audiobook("build", MILA, "-o", tmp_path / "out", option, value))
    assert option in line and value in line and valid in line
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_a_mistyped_option_or_command_gets_a_suggestion(audiobook):
    line = usage_error(audiobook("build", MILA, "-o", "out", "--formt", "mp3"))
    assert "--formt" in line and "--format" in line.split("Did you mean")[1]
    line = usage_error(audiobook("biuld", MILA))
    assert line.count("Did you mean 'build'?") == 1
    line = usage_error(audiobook("script"))
    assert "INPUTS" in line and "audiobook script --help" in line


def test_debug_and_quiet_are_accepted_after_the_command(tmp_path, audiobook):
    done = audiobook("script", MILA, "--json", "--debug", *FAKE)
    assert done.returncode == 0 and done.stdout.startswith("{")
    target = tmp_path / "cast.toml"
    book = tmp_path / MILA.name  # cast --write also writes book.toml beside the manuscript
    book.write_bytes(MILA.read_bytes())
    loud = audiobook("cast", book, "--write", target, *FAKE)
    assert loud.returncode == 0 and str(target) in loud.stderr
    quiet = audiobook("cast", book, "--write", target, "-q", *FAKE)
    assert quiet.returncode == 0 and quiet.stderr == ""
    # after `--` a flag is an argument, not an option
    done = audiobook("script", *FAKE, "--", "--debug")
    assert done.returncode == 1 and "--debug" in done.stderr


def test_debug_after_the_command_shows_the_traceback_of_a_bug(monkeypatch, capsys):
    from audiobook import pipeline

    def broken(*_args, **_kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(pipeline, "prepare", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["script", str(MILA), "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and err.splitlines()[-1].startswith("Error: ")


def test_shell_completion_completes_commands_and_choices(audiobook):
    def complete(words: str, index: int) -> list[str]:
        env = {
            "_AUDIOBOOK_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(index),
        }
        done = audiobook(env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("audiobook bu", 1) == ["build"]
    assert complete("audiobook build x --format ", 4) == ["mp3", "m4b"]
    script = audiobook(env={"_AUDIOBOOK_COMPLETE": "source_bash"}).stdout  # what
    assert "_AUDIOBOOK_COMPLETE=complete_bash" in script  # --install-completion installs


def test_an_option_shared_by_commands_reads_the_same_everywhere():
    # Defined once in cli/options.py: the same flag cannot drift between commands.
    group = typer.main.get_command(cli.app)
    forms: dict[str, set[tuple]] = {}
    users: dict[str, set[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        for param in command.params:
            key = "/".join(sorted(param.opts))
            forms.setdefault(key, set()).add(
                (getattr(param, "help", None), param.metavar, param.type.name)
            )
            users.setdefault(key, set()).add(name)
    # Different meanings on purpose: build's output folder vs preview's, optional inputs.
    meant_to_differ = {"--output/-o", "inputs"}
    drifted = {k: v for k, v in forms.items() if len(v) > 1 and k not in meant_to_differ}
    assert drifted == {}
    shared = {k for k, v in users.items() if len(v) > 1}
    assert {"--cast", "--engine", "--encoding", "--json"} <= shared


def test_dry_run_plans_without_writing(tmp_path, audiobook):
    out, cache = tmp_path / "out", tmp_path / "cache"
    done = audiobook("build", ROOT / "seeds", "-o", out, "--cache-dir", cache, "--dry-run", *FAKE)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("Dry run: nothing rendered")
    assert "2 chapters:" in text and "002_ae557fbbbf91644b.txt" in text
    assert "Mila" in text and "narrator:" in text  # speakers with their line counts
    estimate = re.search(r"Estimated: 0:0(\d):\d\d of audio, ([\d.]+) MB .*build ~", text)
    assert estimate, text
    # about five minutes at 192 kbps: 4 to 6 minutes, and the size that goes with it
    assert 4 <= int(estimate.group(1)) <= 6 and 5 < float(estimate.group(2)) < 9
    assert re.search(r"\((\d+) of \1 clips to render\)", text)  # an empty cache: all of them
    assert not out.exists() and not cache.exists()  # nothing written, not even the cache


def test_dry_run_m4b_size_is_at_the_rate_it_will_be_encoded(tmp_path, audiobook):
    # An M4B is encoded at the voices' own 22.05 kHz (96 kbps, the AAC ceiling there), so its
    # estimate is half the 192 kbps MP3's, not the 128 kbps of a 44.1 kHz AAC.
    sizes = {}
    for fmt in ("mp3", "m4b"):
        done = audiobook(
            "build",
            ROOT / "seeds",
            "-o",
            tmp_path / fmt,
            "--dry-run",
            "--format",
            fmt,
            "--cache-dir",
            tmp_path / "cache",
            *FAKE,
        )
        assert done.returncode == 0, done.stderr
        found = re.search(r"([\d.]+) MB \((\w+), acx profile, (\d+) kbps\)", done.stdout)
        assert found and found.group(2) == fmt, done.stdout
        sizes[fmt] = (float(found.group(1)), int(found.group(3)))
    assert sizes["mp3"][1] == 192 and sizes["m4b"][1] == 96
    assert abs(sizes["m4b"][0] / sizes["mp3"][0] - 0.5) < 0.02
