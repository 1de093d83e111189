import re

import pytest

from audiobook.model import Document
from audiobook.text.chapters import heading_words, split_chapters
from audiobook.text.reader import read_inputs

BODY = "The wind rose over the hills and the riders went on through the night.\n"


def chapters_of(text: str, path: str = "book.txt"):
    return split_chapters(Document(path, text))


def words_covered(text, chapters):
    for m in re.finditer(r"\w+", text):
        assert any(c.start <= m.start() and m.end() <= c.end for c in chapters), m.group()


@pytest.mark.parametrize(
    "heading, title",
    [
        ("Chapter 3", "Chapter 3"),
        ("CHAPTER III. The Storm", "CHAPTER III. The Storm"),
        ("Chapter Four", "Chapter Four"),
        ("Chapter 12: A Long Night", "Chapter 12: A Long Night"),
        ("PROLOGUE", "PROLOGUE"),
        ("Epilogue", "Epilogue"),
        ("II", "Chapter II"),
        ("Part One", "Part One"),
        ("Cap\u00edtulo 2", "Cap\u00edtulo 2"),
    ],
)
def test_heading_styles(heading, title):
    text = f"{heading}\n\n{BODY}\n{heading}\n\n{BODY}"
    found = chapters_of(text)
    assert [c.title for c in found] == [title, title]
    first = found[0]
    assert text[first.heading[0] : first.heading[1]] == heading
    assert first.start == 0 and found[1].start == text.index(heading, 1)
    words_covered(text, found)


def test_prose_mentioning_chapters_is_not_a_heading():
    text = (
        f"{BODY}\nChapter one was finished by noon.\n\nAs he said in\nChapter 3 of his "
        "memoir, it rained.\n"
    )
    assert len(chapters_of(text)) == 1


def test_lone_numeral_needs_blank_lines_around_it():
    text = f"{BODY}\nI\nwent home.\n\n{BODY}"
    assert len(chapters_of(text)) == 1


def test_text_before_first_heading_is_an_opening_chapter():
    text = f"THE BOOK\n\nby Someone\n\nChapter 1\n\n{BODY}"
    found = chapters_of(text)
    assert [c.title for c in found] == ["Opening", "Chapter 1"]
    assert text[found[0].start : found[0].end] == "THE BOOK\n\nby Someone"
    words_covered(text, found)


def test_contents_list_is_not_chapters(data_dir):
    [doc] = read_inputs([data_dir / "manuscript" / "great_expectations_opening.txt"])
    found = split_chapters(doc)
    assert [c.title for c in found] == ["Opening", "Chapter I", "Chapter II"]
    assert "Chapter LIX." in doc.text[found[0].start : found[0].end]
    assert doc.text[found[1].start :].startswith("Chapter I.\n")
    words_covered(doc.text, found)


def test_blank_separated_contents_list_is_not_chapters():
    toc = "\n\n".join(f"Chapter {n}" for n in range(1, 8))
    text = f"Contents\n\n{toc}\n\n\nChapter 1\n\n{BODY}\nChapter 2\n\n{BODY}"
    found = chapters_of(text)
    assert [c.title for c in found] == ["Opening", "Chapter 1", "Chapter 2"]
    words_covered(text, found)


def test_volume_heading_joins_the_chapter_heading_below():
    text = (
        f"VOLUME ONE\n\n\n Chapter 1. Marseilles\u2014The Arrival\n\n{BODY}\nChapter 2. "
        f"Father and Son\n\n{BODY}"
    )
    found = chapters_of(text)
    assert [c.title for c in found] == [
        "Chapter 1. Marseilles\u2014The Arrival",
        "Chapter 2. Father and Son",
    ]
    first = found[0]
    assert first.start == 0
    assert heading_words(text[first.heading[0] : first.heading[1]]) == (
        "VOLUME ONE. Chapter 1. Marseilles\u2014The Arrival"
    )


@pytest.mark.parametrize(
    "path, title",
    [
        ("seeds/002_ae557fbbbf91644b.txt", ""),  # numbered by the pipeline
        ("book/003_the_storm.txt", "The Storm"),
        ("my-novel.txt", "My Novel"),
        ("Chapter Ten.txt", "Chapter Ten"),
    ],
)
def test_title_from_file_name_when_no_heading(path, title):
    [chapter] = chapters_of(BODY, path)
    assert chapter.title == title
    assert chapter.heading is None and chapter.source == path


def test_meaningless_file_name_leaves_the_title_to_the_pipeline():
    [chapter] = chapters_of(
        "Mila Arias stepped off the stage, guitar in hand.", "000_eeeebb6e84d7bbbd.txt"
    )
    assert chapter.title == ""


def test_seed_files_are_one_chapter_each(seeds_dir):
    for doc in read_inputs([seeds_dir]):
        [chapter] = split_chapters(doc)
        assert chapter.start == 0 and chapter.end == len(doc.text.rstrip())


def test_crlf_and_bom():
    text = "\ufeffChapter 1\r\n\r\n" + BODY.replace("\n", "\r\n") + "\r\nChapter 2\r\n\r\n" + BODY
    found = chapters_of(text)
    assert [c.title for c in found] == ["Chapter 1", "Chapter 2"]
    assert text[found[0].heading[0] : found[0].heading[1]] == "Chapter 1"
    words_covered(text, found)


def test_three_hundred_chapters_are_all_found():
    # Their speed, side by side with plain text, is in bench/bench_stages.py.
    text = "".join(f"Chapter {n}\n\n{BODY * 20}\n" for n in range(1, 301))
    found = chapters_of(text)
    assert len(found) == 300
    assert found[299].title == "Chapter 300"


def test_heading_titles_carry_no_control_characters():
    text = "Chapter 1. The \x1b[31mRed\x07 Room\n\nShe came in.\n"
    [chapter] = chapters_of(text, "book.txt")
    assert chapter.title.startswith("Chapter 1")
    assert all(ch.isprintable() for ch in chapter.title)
