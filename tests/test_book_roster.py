"""One roster for the whole book: a folder of chapter files is cast like the same text
in one file (the detective is one character, with one voice, in every chapter)."""

from __future__ import annotations

from pathlib import Path

from audiobook.pipeline import prepare

CHAPTERS = Path(__file__).parent / "data" / "chapters_book"


def _voices(prepared) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for chapter in prepared.script.chapters:
        for seg in chapter.segments:
            if seg.kind == "dialogue":
                out.setdefault(seg.speaker, set()).add(seg.voice)
    return out


def test_folder_of_chapters_gets_the_characters_and_voices_of_one_file(tmp_path):
    whole = tmp_path / "whole.txt"
    whole.write_text(
        "\n".join(p.read_text(encoding="utf-8") for p in sorted(CHAPTERS.glob("*.txt"))),
        encoding="utf-8",
    )
    folder, single = prepare([CHAPTERS]), prepare([whole])
    names = sorted(c.name for c in folder.script.roster.characters)
    assert names == sorted(c.name for c in single.script.roster.characters)
    assert _voices(folder) == _voices(single)
    # "Mr. Sherlock Holmes" (chapter 1) and "Sherlock" (chapter 2) are one man with one voice.
    holmes = [n for n in names if "Sherlock" in n]
    assert len(holmes) == 1
    assert len(_voices(folder)[holmes[0]]) == 1
    assert folder.script.roster.get(holmes[0]).gender == "male"
    # Every quote of the detective, in both files, is his.
    per_chapter = [
        {s.speaker for s in c.segments if s.kind == "dialogue"} for c in folder.script.chapters
    ]
    assert all(holmes[0] in speakers for speakers in per_chapter)
