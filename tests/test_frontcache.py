"""The manuscript half remembers its results by content: same input, same script, less work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audiobook import pipeline
from audiobook.frontcache import FrontCache
from audiobook.speakers import roster
from audiobook.text import language

SEEDS = Path(__file__).parent.parent / "seeds"


def rows(prepared) -> list[tuple]:
    return [
        (c.chapter.title, s.kind, s.text, s.start, s.end, s.speaker, s.language, s.voice)
        for c in prepared.script.chapters
        for s in c.segments
    ]


@pytest.fixture
def book(tmp_path) -> Path:
    folder = tmp_path / "book"
    shutil.copytree(SEEDS, folder)
    return folder


def count_calls(monkeypatch, module, name: str) -> list[int]:
    calls = [0]
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_unchanged_book_is_not_analysed_again(book, tmp_path, monkeypatch):
    fresh = pipeline.prepare([book])
    built = count_calls(monkeypatch, roster, "build_book_roster")
    first = pipeline.prepare([book], memo=FrontCache(tmp_path / "cache"))
    again = pipeline.prepare([book], memo=FrontCache(tmp_path / "cache"))
    assert built == [1]  # the second run took the remembered result
    assert rows(first) == rows(again) == rows(fresh)
    assert [c.name for c in again.script.roster.characters] == [
        c.name for c in fresh.script.roster.characters
    ]


def test_an_edited_book_is_analysed_again_and_matches_a_fresh_run(book, tmp_path):
    memo_dir = tmp_path / "cache"
    pipeline.prepare([book], memo=FrontCache(memo_dir))
    story = sorted(book.glob("*.txt"))[-1]
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("\n\n", '\n\n"Not now," said Mila.\n\n', 1), encoding="utf-8")
    edited = pipeline.prepare([book], memo=FrontCache(memo_dir))
    assert rows(edited) == rows(pipeline.prepare([book]))
    assert any(r[2] == "Not now," and r[5] == "Mila" for r in rows(edited))


def test_known_spans_do_not_load_lingua(book, tmp_path, monkeypatch):
    memo_dir = tmp_path / "cache"
    first = pipeline.prepare([book], memo=FrontCache(memo_dir))
    assert "es" in {r[6] for r in rows(first)}  # the seeds hold Spanish lines lingua weighed
    weighed = count_calls(monkeypatch, language, "_lingua_best")
    # A new narration paragraph in English: the book is analysed again, the Spanish spans
    # come from the memo, so lingua is never asked.
    story = sorted(book.glob("*.txt"))[0]
    story.write_text(
        story.read_text(encoding="utf-8") + "\n\nThe evening was calm and the road was long.\n",
        encoding="utf-8",
    )
    again = pipeline.prepare([book], memo=FrontCache(memo_dir))
    assert weighed == [0]
    assert [r[6] for r in rows(again) if r[6] != "en"] == [
        r[6] for r in rows(first) if r[6] != "en"
    ]


def test_a_damaged_memo_is_a_miss_not_a_failure(book, tmp_path):
    memo_dir = tmp_path / "cache"
    pipeline.prepare([book], memo=FrontCache(memo_dir))
    for entry in (memo_dir / "frontend").iterdir():
        entry.write_bytes(b"\x80\x04garbage")
    again = pipeline.prepare([book], memo=FrontCache(memo_dir))
    assert rows(again) == rows(pipeline.prepare([book]))


def test_spoken_texts_are_remembered_and_match_a_fresh_normalisation(book, tmp_path):
    from audiobook.audio.clips import make_clips

    prepared = pipeline.prepare([book])
    segments = [s for c in prepared.script.chapters for s in c.segments]
    fresh = make_clips(prepared.script, prepared.cast, prepared.lexicon)
    memo = FrontCache(tmp_path / "cache")
    first = make_clips(prepared.script, prepared.cast, prepared.lexicon, memo.spoken())
    memo.save_spoken()
    again = FrontCache(tmp_path / "cache").spoken()  # a later run reads them back
    assert len(again) == len({(s.text, s.language) for s in segments})
    remembered = make_clips(prepared.script, prepared.cast, prepared.lexicon, again)
    assert [c.text for c in fresh] == [c.text for c in first] == [c.text for c in remembered]
    from audiobook.text.normalize import spoken_text

    assert all(said == spoken_text(text, lang) for (text, lang), said in again.items())
