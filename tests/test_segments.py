import re

from audiobook.model import Attribution, Document
from audiobook.text.chapters import split_chapters
from audiobook.text.quotes import find_quotes
from audiobook.text.reader import read_inputs
from audiobook.text.segments import MAX_CHARS, segment_chapter


def segment_all(doc, speakers=None):
    quotes = find_quotes(doc.text)
    return [
        (chapter, segment_chapter(doc, chapter, quotes, speakers or {}))
        for chapter in split_chapters(doc)
    ]


def check_layout(text, chapter, segments):
    """In order, not overlapping, inside the chapter, every word covered."""
    last = chapter.start
    for seg in segments:
        assert last <= seg.start < seg.end <= chapter.end
        assert re.search(r"\w", seg.text)
        last = seg.end
    covered = bytearray(chapter.end - chapter.start)
    for seg in segments:
        covered[seg.start - chapter.start : seg.end - chapter.start] = b"\x01" * (
            seg.end - seg.start
        )
    for m in re.finditer(r"\w+", text[chapter.start : chapter.end]):
        assert all(covered[m.start() : m.end()]), m.group()


def test_seed_002_dialogue_and_narration(seeds_dir):
    [doc] = read_inputs([seeds_dir / "002_ae557fbbbf91644b.txt"])
    quotes = find_quotes(doc.text)
    speech_index = [i for i, q in enumerate(quotes) if q.is_speech]
    speakers = {
        speech_index[0]: Attribution("Carlos", "tag"),
        speech_index[1]: Attribution("Sofia", "tag"),
    }
    [(chapter, segments)] = segment_all(doc, speakers)
    check_layout(doc.text, chapter, segments)
    dialogue = [s for s in segments if s.kind == "dialogue"]
    assert [s.text for s in dialogue] == [
        "You killed it out there, mila,",
        "How did you feel out there?",
        "I don't know,",
        "It was like I was trying to hold onto something, but it kept slipping away.",
        "La vida es un viaje sin destino",
    ]
    assert [(s.speaker, s.rule) for s in dialogue[:3]] == [
        ("Carlos", "tag"),
        ("Sofia", "tag"),
        (None, None),
    ]
    for s in dialogue:
        assert doc.text[s.start : s.end] == s.text
    tag = segments[segments.index(dialogue[0]) + 1]
    assert tag.kind == "narration" and tag.text.startswith("he said")
    assert segments[0].boundary == "chapter"
    assert all(s.language == "en" and s.voice == "" for s in segments)
    assert all(s.speaker is None for s in segments if s.kind == "narration")


def test_titles_stay_in_narration(seeds_dir):
    [doc] = read_inputs([seeds_dir / "000_eeeebb6e84d7bbbd.txt"])
    [(chapter, segments)] = segment_all(doc)
    assert all(s.kind == "narration" for s in segments)
    assert any('"Lost in the Haze,"' in s.text for s in segments)
    check_layout(doc.text, chapter, segments)


def test_heading_is_read_first_and_scene_breaks_pause():
    text = (
        'II\n\nThe cart rolled on. "Are we there?" asked the boy.\n\n* * *\n\n'
        'Morning came.\n\n#\n\nNight fell again.\n\n***\n\n"Up!" he cried.\n'
    )
    doc = Document("steppe.txt", text)
    [(chapter, segments)] = segment_all(doc)
    check_layout(text, chapter, segments)
    assert (segments[0].text, segments[0].boundary, segments[0].kind) == (
        "Chapter II",
        "chapter",
        "narration",
    )
    assert segments[1].boundary == "paragraph"
    by_text = {s.text: s for s in segments}
    assert by_text["Morning came."].boundary == "scene"
    assert by_text["Night fell again."].boundary == "scene"
    assert by_text["Up!"].boundary == "scene" and by_text["Up!"].kind == "dialogue"
    assert by_text["asked the boy."].boundary == "none"


def test_long_paragraph_is_cut_at_sentences():
    sentence = "The steppe stretched on and on under the sun, and the grass was burnt. "
    text = sentence * (250_000 // len(sentence))
    doc = Document("long.txt", text)
    [(chapter, segments)] = segment_all(doc)  # its speed: bench/bench_stages.py
    check_layout(text, chapter, segments)
    assert all(len(s.text) <= MAX_CHARS for s in segments)
    assert all(s.text.endswith("burnt.") for s in segments)
    assert all(s.boundary == "sentence" for s in segments[1:])


def test_sentence_longer_than_the_limit_is_cut_anyway():
    text = "and then " * 20000 + "word" * 400
    doc = Document("run.txt", text)
    [(chapter, segments)] = segment_all(doc)
    check_layout(text, chapter, segments)
    assert max(len(s.text) for s in segments) <= MAX_CHARS


def test_abbreviations_do_not_end_sentences():
    text = ("Mr. Jones met Dr. Smith at St. Paul's. " * 30).strip()
    doc = Document("abbr.txt", text)
    [(chapter, segments)] = segment_all(doc)
    assert all(s.text.startswith("Mr. Jones") for s in segments)


def test_no_cut_before_a_lower_case_word():
    sentence = "The coach left at 10 p.m. and reached the inn at 2 a.m. on the next day. "
    text = (sentence * 40).strip()
    doc = Document("late.txt", text)
    [(chapter, segments)] = segment_all(doc)
    check_layout(text, chapter, segments)
    assert len(segments) > 1
    assert all(s.text.startswith("The coach") and s.text.endswith("next day.") for s in segments)


def test_contents_list_reads_one_heading_per_sentence():
    entries = ["Chapter 1  The Long Road", "Chapter 2  Over the Hill", "CHAPTER III", "Epilogue"]
    text = (
        "My Book\n\nContents\n\n"
        + "\n".join(entries)
        + "\n\n"
        + "".join(
            f"{e}\n\nShe walked along the road for a long time that day.\n\n" for e in entries
        )
    )
    doc = Document("book.txt", text)
    chapters = segment_all(doc)
    assert [c.title for c, _ in chapters][0] == "Opening" and len(chapters) == 5
    opening_chapter, opening = chapters[0]
    check_layout(text, opening_chapter, opening)
    listing = opening[-1]
    assert listing.text == ". ".join(" ".join(e.split()) for e in entries)
    assert text[listing.start : listing.end] == "\n".join(entries)


def test_wrapped_prose_lines_are_not_a_contents_list():
    text = (
        "Chapter 1\n\nShe read the list aloud:\nChapter one was long,\nand chapter two was short.\n"
    )
    [(chapter, segments)] = segment_all(Document("prose.txt", text))
    assert (
        segments[-1].text
        == "She read the list aloud: Chapter one was long, and chapter two was short."
    )


def test_quotes_index_the_whole_document(data_dir):
    [doc] = read_inputs([data_dir / "manuscript" / "great_expectations_opening.txt"])
    quotes = find_quotes(doc.text)
    target = next(i for i, q in enumerate(quotes) if doc.text[q.start : q.end] == "Pip, sir.")
    for chapter, segments in segment_all(doc, {target: Attribution("Pip", "vocative")}):
        check_layout(doc.text, chapter, segments)
        for s in segments:
            if s.kind == "dialogue" and s.text == "Pip, sir.":
                assert s.speaker == "Pip"
            else:
                assert s.speaker is None


def test_crlf_and_multi_paragraph_quote():
    text = '"It was late,\r\nvery late.\r\n\r\n"And cold," she said.\r\n'
    doc = Document("crlf.txt", text)
    [(chapter, segments)] = segment_all(doc)
    check_layout(text, chapter, segments)
    assert [(s.kind, s.text, s.boundary) for s in segments] == [
        ("dialogue", "It was late, very late.", "chapter"),
        ("dialogue", "And cold,", "paragraph"),
        ("narration", "she said.", "none"),
    ]


def test_punctuation_only_pieces_are_dropped():
    text = '"Go!" -- "..." "Now!"'
    doc = Document("p.txt", text)
    [(chapter, segments)] = segment_all(doc)
    assert [s.text for s in segments] == ["Go!", "Now!"]
