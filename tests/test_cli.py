"""The command line on the seed stories: script, cast, voices (the fake engine, whose voice ids
are espeak-ng's; the console script once as a program)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from audiobook.cli.app import main

ROOT = Path(__file__).parent.parent
SEEDS = ROOT / "seeds"
SEED_CAST = ROOT / "voices" / "seeds.toml"


def run(capsys, *args: str) -> tuple[int, str, str]:
    """A command in this process on the fake engine (commands that take one)."""
    engine = ["--engine", "fake"] if args[0] in ("script", "cast", "voices") else []
    code = main([str(a) for a in (*args, *engine)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def script_json(audiobook) -> dict:
    done = audiobook("script", SEEDS, "--json", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return json.loads(done.stdout)


def test_script_json_has_exactly_the_contract_keys(script_json):
    assert set(script_json) == {"chapters"}
    assert len(script_json["chapters"]) >= 2
    for chapter in script_json["chapters"]:
        assert set(chapter) == {"title", "source", "segments"}
        for seg in chapter["segments"]:
            assert set(seg) == {
                *("kind", "text", "start", "end", "speaker", "language", "voice"),
                *("line", "confidence", "rule"),
            }
            assert seg["kind"] in ("narration", "dialogue")
            assert (seg["speaker"] is None) == (seg["kind"] == "narration")
            assert len(seg["language"]) == 2 and seg["voice"]


def test_script_offsets_point_into_the_source_file(script_json):
    for chapter in script_json["chapters"]:
        text = (ROOT / chapter["source"]).read_text(encoding="utf-8")
        for seg in chapter["segments"]:
            assert 0 <= seg["start"] < seg["end"] <= len(text)
            spoken = " ".join(seg["text"].split())
            assert spoken and spoken.split()[0].strip("\"'“–") in text[seg["start"] : seg["end"]]


def test_script_json_voices_follow_speaker_and_language(script_json):
    voice_of: dict[tuple[str, str], set[str]] = {}
    for chapter in script_json["chapters"]:
        for seg in chapter["segments"]:
            voice_of.setdefault((seg["speaker"] or "narrator", seg["language"]), set()).add(
                seg["voice"]
            )
    assert all(len(v) == 1 for v in voice_of.values())  # one voice per speaker and language
    english = {who: next(iter(v)) for (who, lang), v in voice_of.items() if lang == "en"}
    assert len(set(english.values())) == len(english)  # distinct per speaker
    spanish = [(who, next(iter(v))) for (who, lang), v in voice_of.items() if lang == "es"]
    assert spanish == [("Mila", spanish[0][1])]
    assert spanish[0][1].split("+")[1] == english["Mila"].split("+")[1]


def test_script_with_a_cast_file_uses_its_names_and_voices(capsys):
    code, out, _ = run(capsys, "script", SEEDS, "--cast", SEED_CAST, "--json")
    assert code == 0
    segments = [s for c in json.loads(out)["chapters"] for s in c["segments"]]
    speakers = {s["speaker"] for s in segments if s["speaker"]}
    assert "Mila Arias" in speakers and "Mila" not in speakers
    assert {s["voice"] for s in segments if s["speaker"] is None} == {"en-gb+m3"}
    assert {s["voice"] for s in segments if s["speaker"] == "Carlos"} == {"en-us+m1"}


def test_script_table_and_explain(capsys):
    code, out, _ = run(capsys, "script", SEEDS / "002_ae557fbbbf91644b.txt", "--explain")
    assert code == 0
    dialogue = [line for line in out.splitlines() if " dial " in line]
    assert len(dialogue) == 5
    assert all(line.rstrip().endswith("]") for line in dialogue)  # the rule that decided
    assert "La vida es un viaje sin destino" in out
    assert re.search(r"\d+ of 5 dialogue segments are low-confidence", out)


def test_script_json_confidence_and_rule_on_dialogue_only(capsys):
    code, out, _ = run(capsys, "script", SEEDS / "002_ae557fbbbf91644b.txt", "--json")
    assert code == 0
    segments = [s for c in json.loads(out)["chapters"] for s in c["segments"]]
    dialogue = [s for s in segments if s["kind"] == "dialogue"]
    assert dialogue and all(0.0 <= s["confidence"] <= 1.0 and s["rule"] for s in dialogue)
    assert all(
        s["confidence"] is None and s["rule"] is None for s in segments if s["kind"] != "dialogue"
    )


def test_cast_json_lists_narrator_then_characters(capsys):
    code, out, _ = run(capsys, "cast", SEEDS, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["main_language"] == "en"
    rows = data["cast"]
    assert rows[0]["name"] == "narrator"
    by_name = {r["name"]: r for r in rows}
    assert {"Mila", "Sofia", "Carlos"} <= set(by_name)
    assert by_name["Mila"]["lines"] == 3 and by_name["Mila"]["languages"] == ["en", "es"]
    assert by_name["Carlos"]["gender"] == "male"
    voices = [r["voice"] for r in rows]
    assert len(set(voices)) == len(voices)


def test_cast_table_shows_every_character(capsys):
    code, out, _ = run(capsys, "cast", SEEDS, "--cast", SEED_CAST)
    assert code == 0
    for name in ("narrator", "Mila Arias", "Sofia", "Carlos", "Kamila Cara", "es+f3"):
        assert name in out


def test_cast_write_round_trips_through_the_cli(capsys, tmp_path):
    import shutil

    seeds = tmp_path / "seeds"  # cast --write also writes book.toml beside the manuscript
    shutil.copytree(SEEDS, seeds)
    target = tmp_path / "my-cast.toml"
    code, first, err = run(capsys, "cast", seeds, "--json", "--write", target)
    assert code == 0 and str(target) in err
    assert (seeds / "book.toml").is_file() and not (SEEDS / "book.toml").exists()
    written = target.read_text(encoding="utf-8")
    assert written.startswith("#")
    assert "# 3 lines; languages: en, es\n[characters.Mila]" in written  # how much each speaks
    code, second, _ = run(capsys, "cast", seeds, "--json", "--cast", target)
    assert code == 0
    voices = lambda out: {r["name"]: r["voice"] for r in json.loads(out)["cast"]}  # noqa: E731
    assert voices(second) == voices(first)
    assert all(r["from_file"] for r in json.loads(second)["cast"])


def test_voices_for_a_language(capsys):
    code, out, _ = run(capsys, "voices", "--language", "es", "--json")
    assert code == 0
    voices = json.loads(out)
    assert voices and all(v["language"] == "es" for v in voices)
    assert {"female", "male"} <= {v["gender"] for v in voices}
    code, out, _ = run(capsys, "voices", "-l", "en")
    assert code == 0 and "en-us+f3" in out and "es+f3" not in out


def test_help_and_version(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("script", "cast", "preview", "voices"):
        assert command in out
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("audiobook ")


@pytest.mark.processes
def test_the_console_script_runs_main():
    script = Path(sys.executable).parent / "audiobook"
    if not script.exists():
        pytest.skip("package not installed into this interpreter's environment")
    done = subprocess.run(
        [str(script), "voices", "--language", "es"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "es+f3" in done.stdout and done.stderr == ""
