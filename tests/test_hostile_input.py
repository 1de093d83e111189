"""Hostile manuscripts through the CLI: sane output or one `Error:` line, never a traceback.

Each case is written to a temporary file and run through `audiobook script --json` and
`audiobook cast`, the commands' own ``main()`` in this process (the ``audiobook`` fixture),
on the fake engine: what is tested is reading, quotes, speakers and languages, not speech.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
from pathlib import Path

import pytest

from audiobook.text.normalize import spoken_text

TIMEOUT = 60
ENGINE = ("--engine", "fake")


@pytest.fixture
def run_both(audiobook):
    """`script PATH --json` and `cast PATH`, as finished commands."""

    def run(path: Path, *extra: object) -> tuple[subprocess.CompletedProcess, ...]:
        return (
            audiobook("script", path, "--json", *ENGINE, *extra),
            audiobook("cast", path, *ENGINE, *extra),
        )

    return run


@pytest.fixture
def script_json(run_both):
    """The script of a readable file; its cast preview must work too."""

    def script(path: Path, *extra: object) -> dict:
        script, cast = run_both(path, *extra)
        assert script.returncode == 0, script.stderr
        assert cast.returncode == 0 and "narrator" in cast.stdout.lower(), cast.stderr
        data = json.loads(script.stdout)
        assert data["chapters"], "a readable file gives at least one chapter"
        for chapter in data["chapters"]:
            for seg in chapter["segments"]:
                assert seg["kind"] in ("narration", "dialogue")
                assert 0 <= seg["start"] < seg["end"]
                assert seg["text"].strip()
        return data

    return script


def _one_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.stderr
    return lines[0]


@pytest.fixture
def error_line(run_both):
    """The one `Error:` line both commands give for an unusable input."""

    def error(path: Path, *extra: object) -> str:
        return [_one_error(done) for done in run_both(path, *extra)][-1]

    return error


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def dialogue_of(script_json):
    """The script of ``text`` saved as UTF-8, and its dialogue segments (offsets checked)."""

    def dialogue(tmp_path: Path, name: str, text: str) -> tuple[dict, list[dict]]:
        data = script_json(write(tmp_path, name, text))
        check_offsets(data, text)
        return data, segments(data, "dialogue")

    return dialogue


def segments(data: dict, kind: str | None = None) -> list[dict]:
    return [s for c in data["chapters"] for s in c["segments"] if kind is None or s["kind"] == kind]


STORY = (
    "The rain had not stopped for three days when Anna came home.\n\n"
    "\u201cWhere have you been all this time?\u201d asked Tom.\n\n"
    "\u201cAt the station, waiting for the late train,\u201d said Anna. \u201cIt never "
    "came.\u201d\n\n"
    "Tom shook his head and put the kettle on the stove.\n"
)


def check_offsets(data: dict, text: str) -> None:
    """Dialogue offsets index the decoded file text: the span is the spoken words."""
    dialogue = segments(data, "dialogue")
    assert dialogue
    for seg in dialogue:
        assert " ".join(text[seg["start"] : seg["end"]].split()) == seg["text"]


# --- encodings ----------------------------------------------------------------------------


def test_utf8_without_bom(tmp_path, script_json):
    path = tmp_path / "plain.txt"
    path.write_bytes(STORY.encode("utf-8"))
    data = script_json(path)
    check_offsets(data, path.read_text(encoding="utf-8"))
    assert {s["speaker"] for s in segments(data, "dialogue")} >= {"Anna", "Tom"}


def test_utf8_with_bom_keeps_offsets_of_utf8_decoding(tmp_path, script_json):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + STORY.encode("utf-8"))
    data = script_json(path)
    text = path.read_text(encoding="utf-8")
    assert text[0] == "\ufeff"
    check_offsets(data, text)
    assert "\ufeff" not in "".join(s["text"] for s in segments(data))


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec, script_json):
    path = tmp_path / "wide.txt"
    data = STORY.encode(codec) if codec == "utf-16" else codecs.BOM_UTF16_BE + STORY.encode(codec)
    path.write_bytes(data)
    out = script_json(path)
    spoken = [s["text"] for s in segments(out, "dialogue")]
    assert "Where have you been all this time?" in spoken
    assert "\ufeff" not in "".join(spoken)


def test_cp1252_file_asks_for_encoding_then_reads_with_it(tmp_path, script_json, error_line):
    path = tmp_path / "windows.txt"
    text = (
        STORY.replace("Anna came home", "Ren\u00e9e came home to the caf\u00e9")
        + "\u201cVoil\u00e0!\u201d\n"
    )
    path.write_bytes(text.encode("cp1252"))
    line = error_line(path)
    assert "--encoding" in line and "cp1252" in line and str(path) in line
    data = script_json(path, "--encoding", "cp1252")
    joined = " ".join(s["text"] for s in segments(data))
    assert "caf\u00e9" in joined and "Ren\u00e9e" in joined
    assert "Where have you been all this time?" in [s["text"] for s in segments(data, "dialogue")]


def test_latin1_file_reads_with_latin1(tmp_path, script_json, error_line):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        '"Ni\u00f1o, ven aqu\u00ed," dijo Mar\u00eda.\n\nEl ni\u00f1o no vino.\n'.encode("latin-1")
    )
    error_line(path)
    data = script_json(path, "--encoding", "latin-1")
    assert any("Ni\u00f1o" in s["text"] for s in segments(data, "dialogue"))


def test_unknown_encoding_name(tmp_path, error_line):
    path = write(tmp_path, "plain.txt", STORY)
    line = error_line(path, "--encoding", "klingon-8")
    assert "klingon-8" in line and "utf-8" in line


# --- not text at all ------------------------------------------------------------------------


def test_binary_file(tmp_path, error_line):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    line = error_line(path)
    assert "binary" in line and str(path) in line


def test_random_bytes_that_happen_to_be_valid_utf8_controls(tmp_path, error_line):
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes(i % 32 for i in range(4000)))
    line = error_line(path)
    assert str(path) in line


@pytest.mark.parametrize(
    "content", [b"", b"   \n\n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n"]
)
def test_empty_or_whitespace_only(tmp_path, content, error_line):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    line = error_line(path)
    assert str(path) in line or "empty" in line


def test_punctuation_only_file(tmp_path, error_line):
    path = write(tmp_path, "dots.txt", "* * *\n\n. . .\n\n\u2014\n")
    error_line(path)


def test_control_characters_and_nul_bytes(tmp_path, script_json):
    path = tmp_path / "nul.txt"
    noisy = STORY.replace("three days", "three\x00 days").replace("kettle", "ket\x07tle\x1b[31m")
    path.write_bytes(noisy.encode("utf-8"))
    data = script_json(path)
    text = path.read_text(encoding="utf-8")
    for seg in segments(data):
        # Controls are not spoken (and must not reach a terminal printing the script).
        assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in seg["text"]), seg["text"]
        assert seg["text"] == " ".join(text[seg["start"] : seg["end"]].split()).translate(
            dict.fromkeys(range(32))
        )
    assert "three days" in " ".join(s["text"] for s in segments(data))


# --- layout ---------------------------------------------------------------------------------


def test_crlf_line_endings_keep_offsets(tmp_path, script_json):
    path = tmp_path / "dos.txt"
    wrapped = (
        "Chapter 1\n\nThe rain had not stopped for three days when\nAnna came home at last.\n\n"
        "\u201cWhere have you been?\u201d asked Tom.\n\n"
        "\u201cAt the station,\u201d said Anna. \u201cThe train never came.\u201d\n\n"
        "Chapter 2\n\n\u201cTea?\u201d asked Tom.\n"
    )
    path.write_bytes(wrapped.replace("\n", "\r\n").encode("utf-8"))
    data = script_json(path)
    text = path.read_bytes().decode("utf-8")  # no newline translation: the file's own characters
    assert [c["title"] for c in data["chapters"]] == ["Chapter 1", "Chapter 2"]
    for seg in segments(data, "dialogue"):
        assert text[seg["start"] : seg["end"]] == seg["text"]
    for seg in segments(data):
        assert "\r" not in seg["text"]
    narration = [s["text"] for s in segments(data, "narration")]
    assert "The rain had not stopped for three days when Anna came home at last." in narration


def test_classic_mac_cr_line_endings(tmp_path, script_json):
    book = (
        "Chapter 1\n\nAnna came home.\n\n\u201cHi,\u201d said Tom.\n\nChapter "
        "2\n\n\u201cBye,\u201d said Anna.\n"
    )
    path = tmp_path / "mac.txt"
    path.write_bytes(book.replace("\n", "\r").encode("utf-8"))
    data = script_json(path)
    assert [c["title"] for c in data["chapters"]] == ["Chapter 1", "Chapter 2"]
    assert [s["text"] for s in segments(data, "dialogue")] == ["Hi,", "Bye,"]
    assert "Anna came home." in [s["text"] for s in segments(data, "narration")]
    check_offsets(data, path.read_bytes().decode("utf-8"))


def test_quarter_million_character_paragraph(tmp_path, script_json):
    path = tmp_path / "wall.txt"
    sentence = "The long road went on past the farms and the mills and the quiet churches. "
    para = (sentence * (250_000 // len(sentence) + 1))[:250_000]
    path.write_text(para + "\n", encoding="utf-8")
    data = script_json(path)
    segs = segments(data)
    assert sum(len(s["text"]) for s in segs) >= 0.95 * len(para.strip())
    assert max(len(s["text"]) for s in segs) <= 1000
    assert all(a["end"] <= b["start"] for a, b in zip(segs, segs[1:], strict=False))


def test_paragraph_without_any_sentence_end_or_space(tmp_path, script_json):
    path = write(tmp_path, "blob.txt", "word" * 2_500 + "\n")
    data = script_json(path)
    segs = segments(data)
    assert max(len(s["text"]) for s in segs) <= 1000
    assert sum(len(s["text"]) for s in segs) == 10_000


def test_twenty_thousand_character_quote(tmp_path, script_json):
    path = tmp_path / "speech.txt"
    speech = (
        "I have waited for this day, and I will say all of it now, whatever you think. " * 260
    )[:20_000]
    speech = speech.rstrip() + "!"
    path.write_text(
        f"Tom stood up.\n\n\u201c{speech}\u201d said Tom.\n\nNobody answered him.\n",
        encoding="utf-8",
    )
    data = script_json(path)
    dialogue = segments(data, "dialogue")
    assert sum(len(s["text"]) for s in dialogue) >= 0.95 * len(speech)
    assert max(len(s["text"]) for s in dialogue) <= 1000
    assert {s["speaker"] for s in dialogue} == {"Tom"}
    check_offsets(data, path.read_text(encoding="utf-8"))


def test_three_hundred_chapters(tmp_path, script_json):
    path = tmp_path / "serial.txt"
    body = "".join(
        f"Chapter {n}\n\nAnna walked to the market on day {n} and bought bread.\n\n"
        f"\u201cGood morning, Anna,\u201d said the baker.\n\n"
        for n in range(1, 301)
    )
    path.write_text(body, encoding="utf-8")
    data = script_json(path)
    assert [c["title"] for c in data["chapters"]] == [f"Chapter {n}" for n in range(1, 301)]
    assert len(segments(data, "dialogue")) == 300


ROADS = ["Long", "Short", "Green", "Dark", "Old", "New"]


def test_contents_list_in_opening_reads_as_lines_not_words(tmp_path, script_json):
    contents = "\n".join(
        f"Chapter {n}   The {w} Road"
        for n, w in enumerate(["Long", "Short", "Green", "Dark", "Old", "New"], 1)
    )
    chapters = "".join(
        f"Chapter {n}. The {w} Road\n\nAnna walked on along the road and thought about home.\n\n"
        for n, w in enumerate(["Long", "Short", "Green", "Dark", "Old", "New"], 1)
    )
    path = write(
        tmp_path, "book.txt", f"THE ROADS\n\nby A. Writer\n\nCONTENTS\n\n{contents}\n\n{chapters}"
    )
    # Front matter (title and contents) is skipped by default...
    default = [c["title"] for c in script_json(path)["chapters"]]
    assert default == [f"Chapter {n}. The {w} Road" for n, w in enumerate(ROADS, 1)]
    # ...and read, one contents entry per sentence, when asked for.
    data = script_json(path, "--include", "front")
    titles = [c["title"] for c in data["chapters"]]
    assert titles[0] == "Opening" and len(titles) == 7
    opening = [s["text"] for s in data["chapters"][0]["segments"]]
    listed = " ".join(opening)
    assert "Chapter 4 The Dark Road. Chapter 5 The Old Road." in listed  # one entry per sentence
    assert all(len(t.split()) >= 2 for t in opening if "Chapter" in t), opening


# --- scripts, symbols and markup ------------------------------------------------------------


def test_emoji_in_dialogue_and_narration(tmp_path, script_json):
    path = tmp_path / "emoji.txt"
    path.write_text(
        "Anna laughed \U0001f602 and waved.\n\n\u201cSee you soon \U0001f44b\U0001f3fd!\u201d "
        "said Anna.\n\n"
        "\u201cBye \u2764\ufe0f,\u201d said Tom.\n",
        encoding="utf-8",
    )
    data = script_json(path)
    check_offsets(data, path.read_text(encoding="utf-8"))
    for seg in segments(data):
        spoken = spoken_text(seg["text"], seg["language"])
        assert "\U0001f602" not in spoken and "\U0001f44b" not in spoken and "\ufe0f" not in spoken


RTL = (
    "Layla met David at the old gate of the city when the sun went down.\n\n"
    "\u201c\u0645\u0631\u062d\u0628\u0627 \u064a\u0627 \u0635\u062f\u064a\u0642\u064a\u060c "
    "\u0643\u064a\u0641 \u062d\u0627\u0644\u0643 \u0627\u0644\u064a\u0648\u0645\u061f\u201d said "
    "Layla.\n\n"
    "\u201c\u05e9\u05dc\u05d5\u05dd \u05dc\u05da \u05d7\u05d1\u05e8\u05d4 \u05e9\u05dc\u05d9, "
    "\u05de\u05d4 \u05e9\u05dc\u05d5\u05de\u05da?\u201d said David.\n\n"
    "They walked on together into the evening without another word.\n"
)


def test_right_to_left_quotes(tmp_path, dialogue_of):
    _, dialogue = dialogue_of(tmp_path, "rtl.txt", RTL)
    assert len(dialogue) == 2
    assert dialogue[0]["text"].startswith("\u0645\u0631\u062d\u0628\u0627")
    assert dialogue[1]["text"].startswith("\u05e9\u05dc\u05d5\u05dd")
    assert [s["speaker"] for s in dialogue] == ["Layla", "David"]


def test_right_to_left_quotes_get_their_language(tmp_path, dialogue_of):
    _, dialogue = dialogue_of(tmp_path, "rtl.txt", RTL)
    assert [s["language"] for s in dialogue] == ["ar", "he"]
    assert [s["voice"].split("+")[0] for s in dialogue] == ["ar", "he"]


MARKUP = [
    '<speak><prosody rate="x-slow">Open the door</prosody></speak>',
    "[[h@'loU]] and [[w3:ld]]",
    '<break time="10s"/> wait for it',
    "{\\rtf1\\ansi {\\b bold}\\par}",
]


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_is_read_as_text(tmp_path, markup, script_json):
    path = tmp_path / "markup.txt"
    path.write_text(
        f"Tom typed a line into the machine.\n\n\u201c{markup},\u201d said Tom.\n\n"
        f"The screen showed {markup} in grey letters.\n",
        encoding="utf-8",
    )
    data = script_json(path)
    dialogue = segments(data, "dialogue")
    assert [s["text"] for s in dialogue] == [markup + ","]
    assert any(markup in s["text"] for s in segments(data, "narration"))
    for seg in segments(data):
        spoken = spoken_text(seg["text"], seg["language"])
        assert not any(ch in spoken for ch in "<>[]{}\\"), spoken


# --- abbreviations, numbers, other languages' dialogue --------------------------------------


def test_abbreviations_and_numbers_read_sensibly(tmp_path, script_json):
    path = tmp_path / "numbers.txt"
    path.write_text(
        "Dr. Watson took the train from St. Louis at 10:30 p.m. with \u00a310,000 in a bag. "
        + "The night was long and the carriage was cold and nobody spoke to him at all. " * 12
        + "\n\n\u201cMr. Holmes paid \u00a310,000 for it at 10:30 p.m. on Baker St. in "
        "1887,\u201d said Dr. Watson.\n",
        encoding="utf-8",
    )
    data = script_json(path)
    segs = segments(data)
    # A sentence is never cut after an abbreviation's period.
    assert not any(s["text"].endswith(("Dr.", "St.", "Mr.")) for s in segs)
    first = spoken_text(segs[0]["text"], "en")
    assert first.startswith("Doctor Watson took the train from Saint Louis at 10:30")
    assert "10,000 pounds" in first and "\u00a3" not in first
    dialogue = segments(data, "dialogue")
    assert len(dialogue) == 1 and "Watson" in dialogue[0]["speaker"]  # "Dr." is no sentence end
    said = spoken_text(dialogue[0]["text"], "en")
    assert said.startswith("Mister Holmes paid 10,000 pounds")
    assert "Baker Street" in said and "18 87" in said


def phonemes(text: str) -> str:
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", "en-us", text],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return " ".join(done.stdout.split())


def test_time_of_day_reads_as_a_time_and_is_not_a_sentence_end(tmp_path, script_json):
    said = "We met at 10:30 p.m. and left at 7 a.m. sharp."
    # espeak reads "p.m." exactly as "PM": letters, not "pm" or a sentence end.
    assert phonemes(spoken_text(said, "en")) == phonemes(
        "We met at 10:30 PM and left at 7 AM sharp."
    )
    path = tmp_path / "late.txt"
    filler = "The carriage rolled on through the dark and cold country roads. " * 10
    path.write_text(filler + said + " " + filler + "\n", encoding="utf-8")
    texts = [s["text"] for s in segments(script_json(path))]
    assert len(texts) >= 2  # long enough to be cut, but never inside the time
    assert any(said in t for t in texts), texts


SPANISH = (
    "Sofía abrió la puerta de la casa y miró a su hermano, que estaba sentado en la cocina.\n\n"
    "\u2014\u00bfCómo estás? \u2014preguntó Sofía.\n\n"
    "\u2014Muy bien, gracias \u2014respondió Pablo\u2014. ¿Y tú?\n\n"
    "Ella no contestó y se sentó a la mesa con él, porque no tenía nada que decir.\n"
)
FRENCH = (
    "Marie entra dans la cuisine où son frère lisait le journal près de la fenêtre.\n\n"
    "\u00ab\u00a0Bonjour\u00a0\u00bb, dit Marie.\n\n"
    "\u00ab\u00a0Tu es en retard, ma sœur\u00a0! Où étais-tu donc ce matin\u00a0?\u00a0\u00bb "
    "demanda Paul.\n\n"
    "Elle ne répondit pas et posa son sac sur la table de la cuisine.\n"
)


def test_spanish_dash_dialogue(tmp_path, dialogue_of):
    data, dialogue = dialogue_of(tmp_path, "es.txt", SPANISH)
    assert [s["text"] for s in dialogue] == ["\u00bfCómo estás?", "Muy bien, gracias", "¿Y tú?"]
    assert {s["language"] for s in segments(data)} == {"es"}
    assert "preguntó Sofía." in [s["text"] for s in segments(data, "narration")]


def test_spanish_dash_tag_names_the_speaker(tmp_path, dialogue_of):
    _, dialogue = dialogue_of(tmp_path, "es.txt", SPANISH)
    assert [s["speaker"] for s in dialogue[:2]] == ["Sofía", "Pablo"]


def test_french_guillemet_dialogue(tmp_path, dialogue_of):
    data, dialogue = dialogue_of(tmp_path, "fr.txt", FRENCH)
    assert [s["text"] for s in dialogue] == [
        "Bonjour",
        "Tu es en retard, ma sœur\u00a0! Où étais-tu donc ce matin\u00a0?".replace("\u00a0", " "),
    ]
    assert {s["language"] for s in segments(data)} == {"fr"}
    assert dialogue[0]["speaker"] == "Marie"


def test_french_tag_after_guillemets_names_the_speaker(tmp_path, dialogue_of):
    _, dialogue = dialogue_of(tmp_path, "fr.txt", FRENCH)
    assert [s["speaker"] for s in dialogue] == ["Marie", "Paul"]


# --- paths ----------------------------------------------------------------------------------


def test_folder_without_txt_files(tmp_path, error_line):
    (tmp_path / "notes.rtf").write_text("{\\rtf1 not a manuscript}\n", encoding="utf-8")
    line = error_line(tmp_path)
    assert str(tmp_path) in line and ".txt" in line


def test_missing_path(tmp_path, error_line):
    missing = tmp_path / "nowhere" / "book.txt"
    line = error_line(missing)
    assert str(missing) in line


def test_pipe_or_device_is_refused_not_read_forever(tmp_path, error_line):
    # Were either opened, the read would block: the fixture's timeout fails the test then.
    fifo = tmp_path / "book.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in error_line(fifo)
    assert "not a regular file" in error_line(Path("/dev/zero"))


def test_huge_file_is_refused_before_reading(tmp_path, error_line):
    path = tmp_path / "disk.txt"
    with path.open("wb") as f:
        f.truncate(300 * 2**20)  # sparse: costs no disk, and no reading if refused by size
    line = error_line(path)
    assert "too large" in line and "split" in line


def test_folder_of_mixed_files_reads_only_txt_in_name_order(tmp_path, script_json):
    (tmp_path / "b.txt").write_text(
        "Chapter 2\n\n\u201cSecond,\u201d said Tom.\n", encoding="utf-8"
    )
    (tmp_path / "a.txt").write_text("Chapter 1\n\n\u201cFirst,\u201d said Tom.\n", encoding="utf-8")
    (tmp_path / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    data = script_json(tmp_path)
    assert [Path(c["source"]).name for c in data["chapters"]] == ["a.txt", "b.txt"]
