"""EPUB, Markdown and front/back matter, on small books made here with ebooklib."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from ebooklib import epub

from audiobook.errors import InputError
from audiobook.text.epub import read_epub
from audiobook.text.markdown import markdown_text
from audiobook.text.sources import read_manuscript

ROOT = Path(__file__).resolve().parent.parent
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def prose(name: str, n: int = 12) -> str:
    return "".join(
        f"<p>{name} walked along the grey shore of the lake and counted the boats, "
        f"one after another, until the evening bell rang over the water. Line {k}.</p>"
        for k in range(n)
    )


def make_book(
    path: Path,
    files: list[tuple[str, str, str]],
    toc: list,
    nav: bool = True,
    ncx: bool = True,
    cover: bool | tuple[str, bytes] = False,
    spine: list[str] | None = None,
) -> Path:
    """An EPUB with ``files`` (name, title, body html), its TOC and spine as given."""
    book = epub.EpubBook()
    book.set_identifier("test-book")
    book.set_title("The Lake")
    book.set_language("en")
    book.add_author("Ada Writer")
    book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": "Lake Tales"})
    book.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": "2.0"})
    if cover:
        book.set_cover(*(cover if isinstance(cover, tuple) else ("cover.png", PNG)))
    items = {}
    for name, title, body in files:
        item = epub.EpubHtml(title=title, file_name=name, lang="en")
        item.content = f"<html><body>{body}</body></html>"
        book.add_item(item)
        items[name] = item
    book.toc = toc
    if ncx:
        book.add_item(epub.EpubNcx())
    if nav:
        book.add_item(epub.EpubNav())
    book.spine = [items[n] for n in (spine or [f[0] for f in files])]
    epub.write_epub(str(path), book)
    return path


def chapters(book) -> list[tuple[str, int]]:
    return [(pieces[0].title, len(pieces)) for pieces in book.chapters]


def test_nav_chapters_in_spine_order_with_front_and_back_matter_skipped(tmp_path):
    files = [
        ("title.xhtml", "Title", "<h1>The Lake</h1><p>by Ada Writer</p>"),
        ("contents.xhtml", "Contents", "<h2>Contents</h2><p>One</p><p>Two</p>"),
        ("one.xhtml", "One", "<h1>Chapter One</h1>" + prose("Anna")),
        ("two.xhtml", "Two", "<h1>Chapter Two</h1>" + prose("Tom")),
        ("colophon.xhtml", "Colophon", "<h2>Colophon</h2><p>Set in a font.</p>"),
    ]
    # The TOC lists chapter two first: the spine order wins.
    toc = [
        epub.Link("title.xhtml", "Title Page", "t"),
        epub.Link("contents.xhtml", "Contents", "c"),
        epub.Link("two.xhtml", "Chapter Two", "2"),
        epub.Link("one.xhtml", "Chapter One", "1"),
        epub.Link("colophon.xhtml", "Colophon", "x"),
    ]
    path = make_book(tmp_path / "lake.epub", files, toc, cover=True)
    book = read_epub(path.read_bytes(), str(path))
    assert chapters(book) == [("Chapter One", 1), ("Chapter Two", 1)]
    assert {(s.kind, s.reason) for s in book.skipped} >= {
        ("front", "title page"),
        ("front", "contents"),
        ("back", "copyright"),
    }
    assert book.info.title == "The Lake" and book.info.authors == ["Ada Writer"]
    assert book.info.series == "Lake Tales" and book.info.series_index == "2"
    assert book.info.cover == PNG
    assert book.documents[2].path == f"{path}#EPUB/one.xhtml"
    # --include front,back puts the matter back, in spine order; a page of a few
    # words is read with the chapter next to it, never a file of its own.
    every = read_epub(path.read_bytes(), str(path), frozenset({"front", "back"}))
    assert [t for t, _ in chapters(every)] == ["Chapter One", "Chapter Two"]
    assert every.chapters[0][0].source.endswith("#EPUB/title.xhtml")
    assert every.chapters[-1][-1].source.endswith("#EPUB/colophon.xhtml")
    assert not every.skipped


def test_ncx_only_several_chapters_in_one_file_and_one_chapter_over_two(tmp_path):
    body = (
        '<h2 id="c1">CHAPTER I. THE SHORE</h2>'
        + prose("Anna")
        + '<h2 id="c2">CHAPTER II. THE BOATS</h2>'
        + prose("Tom", 6)
    )
    files = [
        ("a.xhtml", "A", body),
        ("b.xhtml", "B", prose("Tom", 6)),  # no TOC entry: chapter II goes on here
        ("c.xhtml", "C", '<h2 id="c3">CHAPTER III. HOME</h2>' + prose("Mila")),
    ]
    toc = [
        epub.Link("a.xhtml#c1", "CHAPTER I. THE SHORE", "1"),
        epub.Link("a.xhtml#c2", "CHAPTER II. THE BOATS", "2"),
        epub.Link("c.xhtml#c3", "CHAPTER III. HOME", "3"),
    ]
    path = make_book(tmp_path / "ncx.epub", files, toc, nav=False)
    book = read_epub(path.read_bytes(), "ncx.epub")
    assert chapters(book) == [
        ("Chapter I. The Shore", 1),
        ("Chapter II. The Boats", 2),
        ("Chapter III. Home", 1),
    ]
    first, second = book.chapters[1]
    doc = {d.path: d.text for d in book.documents}
    assert doc[first.source][first.start :].startswith("CHAPTER II. THE BOATS")
    assert second.source == "ncx.epub#EPUB/b.xhtml" and second.start == 0


def test_footnotes_images_tables_and_lang_spans(tmp_path):
    body = (
        "<h1>Chapter One</h1>"
        + prose("Anna", 6)
        + '<p>She said it twice<a epub:type="noteref" href="#n1">1</a> and left.<sup>'
        '<a href="#n2">2</a></sup></p>'
        '<p><img src="x.png" alt="A boat on the lake"/></p>'
        "<table><tr><td>Tide</td><td>4 ft</td></tr></table>"
        '<p>After the picture the text goes on, <i lang="fr">je ne sais quoi</i> indeed.</p>'
        '<aside epub:type="footnote" id="n1"><p>A footnote never read.</p></aside>'
        '<section epub:type="endnotes"><p id="n2">An endnote never read.</p></section>'
    )
    path = make_book(tmp_path / "notes.epub", [("one.xhtml", "One", body)], [])
    book = read_epub(path.read_bytes(), "notes.epub")
    text = book.documents[0].text
    assert "She said it twice and left." in text
    assert "footnote" not in text and "endnote" not in text and "Tide" not in text
    assert "boat on the lake" not in text and "\ufffc" in text
    assert "After the picture the text goes on" in text  # nothing lost after an illustration
    (start, end, lang), *_ = book.languages[book.documents[0].path]
    assert lang == "fr" and text[start:end] == "je ne sais quoi"


@pytest.mark.parametrize(
    "damage",
    ["not a zip", "no container", "drm"],
)
def test_damaged_or_protected_epub_is_one_error(tmp_path, damage, audiobook):
    path = tmp_path / "bad.epub"
    if damage == "not a zip":
        path.write_bytes(b"this is not an epub at all")
    else:
        good = make_book(tmp_path / "good.epub", [("a.xhtml", "A", prose("Anna"))], [])
        out = io.BytesIO()
        with zipfile.ZipFile(good) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                if damage == "no container" and item.filename == "META-INF/container.xml":
                    continue
                dst.writestr(item, src.read(item))
            if damage == "drm":
                dst.writestr(
                    "META-INF/encryption.xml",
                    '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                    'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                    '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                    '<enc:CipherData><enc:CipherReference URI="EPUB/a.xhtml"/></enc:CipherData>'
                    "</enc:EncryptedData></encryption>",
                )
        path.write_bytes(out.getvalue())
    with pytest.raises(InputError):
        read_epub(path.read_bytes(), str(path))
    done = audiobook("script", path, "--engine", "fake")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "bad.epub" in lines[0]


def test_script_of_an_epub_has_offsets_into_its_extracted_text(tmp_path, audiobook):
    files = [
        ("one.xhtml", "One", "<h1>Chapter One</h1>" + prose("Anna")),
        ("two.xhtml", "Two", "<h1>Chapter Two</h1>" + prose("Tom")),
    ]
    toc = [epub.Link("one.xhtml", "Chapter One", "1"), epub.Link("two.xhtml", "Chapter Two", "2")]
    path = make_book(tmp_path / "lake.epub", files, toc)
    done = audiobook("script", path, "--json", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    texts = {d.path: d.text for d in read_manuscript([path]).documents}
    assert [c["source"] for c in data["chapters"]] == [
        f"{path}#EPUB/one.xhtml",
        f"{path}#EPUB/two.xhtml",
    ]
    for chapter in data["chapters"]:
        for seg in chapter["segments"][1:]:  # the first is the title as the TOC names it
            assert (
                " ".join(texts[chapter["source"]][seg["start"] : seg["end"]].split()) == seg["text"]
            )


def test_markdown_headings_are_chapters_and_markup_is_not_read(tmp_path):
    source = (
        "# The Lake\n\nSome *emphasis* and a [link](http://example.com) here.\n\n"
        "```\ncode = 'never read'\n```\n\n<div>html</div> stays out.\n\n"
        "## Chapter Two\n\nMore **bold** text.\n"
    )
    blanked = markdown_text(source)
    assert len(blanked) == len(source)
    assert "never read" not in blanked and "http" not in blanked and "*" not in blanked
    assert "emphasis" in blanked and "link" in blanked
    assert "<div>" not in blanked and "</div>" not in blanked  # tags blanked, their words read
    path = tmp_path / "book.md"
    path.write_text(source, encoding="utf-8")
    book = read_manuscript([path], include=frozenset({"front"}))
    assert [p[0].title for p in book.chapters] == ["The Lake", "Chapter Two"]


def test_a_markdown_heading_of_any_words_is_read_as_the_chapter_title(tmp_path, audiobook):
    # Only headings shaped like plain-text ones ("# Chapter 2") were read; "# The Harbour"
    # was a segment with no text, so the chapter opened without its title.
    path = tmp_path / "harbour.md"
    path.write_text(
        "# The Harbour\n\nAnna watched the boats.\n\n## Chapter Two\n\nTom rowed.\n",
        encoding="utf-8",
    )
    done = audiobook("script", path, "--json", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    chapters = json.loads(done.stdout)["chapters"]
    firsts = [c["segments"][0] for c in chapters]
    assert [s["text"] for s in firsts] == ["The Harbour", "Chapter Two"]
    source = path.read_text(encoding="utf-8")
    assert [source[s["start"] : s["end"]] for s in firsts] == ["The Harbour", "Chapter Two"]


def test_plain_text_gutenberg_header_contents_and_licence_are_skipped(tmp_path, audiobook):
    chapters_text = "".join(
        f"Chapter {r}.\n\n"
        + " ".join(["Pip walked to the forge and spoke with Joe."] * 12)
        + "\n\n"
        for r in ("I", "II", "III")
    )
    text = (
        "The Project Gutenberg eBook of The Forge\n\nTitle: The Forge\n\nAuthor: Ada Writer\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK THE FORGE ***\n\n"
        "The Forge\n\nby Ada Writer\n\nContents\n\n Chapter I.\n Chapter II.\n Chapter III.\n\n"
        + chapters_text
        + "*** END OF THE PROJECT GUTENBERG EBOOK THE FORGE ***\n\nSection 1. General Terms "
        "of Use and Redistributing Project Gutenberg-tm electronic works\n"
    )
    path = tmp_path / "forge.txt"
    path.write_text(text, encoding="utf-8")
    book = read_manuscript([path])
    assert [p[0].title for p in book.chapters] == ["Chapter I", "Chapter II", "Chapter III"]
    assert [s.reason for s in book.skipped] == [
        "Project Gutenberg header",
        "contents",
        "Project Gutenberg licence",
    ]
    assert book.info.title == "The Forge" and book.info.authors == ["Ada Writer"]
    done = audiobook("script", path, "--engine", "fake")
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert sum(line.startswith("-- skipped") for line in out) == 3
    first = next(line for line in out if line.startswith("=="))
    assert first.startswith("== Chapter I ")
    spoken = [line for line in out if " narr " in line]
    assert "The Forge, written by Ada Writer, narrated by" in spoken[0]  # the opening credit
    assert "You have been listening to The Forge" in spoken[-1]


def test_stdin_is_read(tmp_path, audiobook):
    story = "Chapter 1\n\n" + " ".join(["Anna looked at the lake and smiled."] * 10) + "\n"
    done = audiobook(
        "script", "-", "--json", "--no-credits", "--engine", "fake", stdin=story.encode("utf-8")
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [c["title"] for c in data["chapters"]] == ["Chapter 1"]
    assert data["chapters"][0]["source"] == "-"


def test_cast_write_writes_book_toml_beside_a_plain_text(tmp_path, audiobook):
    path = tmp_path / "forge.txt"
    path.write_text(
        "The Forge\n\nby Ada Writer\n\nChapter 1\n\n"
        + " ".join(["Pip walked to the forge and spoke with Joe."] * 12),
        encoding="utf-8",
    )
    done = audiobook("cast", path, "--write", tmp_path / "c.toml", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    import tomllib

    book = tomllib.loads((tmp_path / "book.toml").read_text(encoding="utf-8"))["book"]
    assert book["title"] == "The Forge" and book["authors"] == ["Ada Writer"]


def test_book_toml_of_a_book_without_author_does_not_credit_an_unknown_one(tmp_path, audiobook):
    # The placeholder "Unknown" was written as the author, so the credits read "written by
    # Unknown" once the book.toml was there, and not before.
    path = tmp_path / "forge.txt"
    path.write_text(" ".join(["Pip walked to the forge and spoke with Joe."] * 12) + "\n")
    before = audiobook("script", path, "--engine", "fake")
    done = audiobook("cast", path, "--write", tmp_path / "c.toml", "--engine", "fake")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "book.toml").exists()
    after = audiobook("script", path, "--engine", "fake")
    assert "Unknown" not in after.stdout
    assert after.stdout.splitlines()[:3] == before.stdout.splitlines()[:3]


@pytest.mark.parametrize(
    "text",
    [
        "Anna rowed out.\n\nShe came back at dusk, tired, and sat by the fire.\n",
        'The boats came in at dawn. "Hello," said Anna.\n',  # the whole book is one line
    ],
)
def test_a_first_sentence_is_no_title_page(tmp_path, audiobook, text):
    # A story that starts at once was titled by its first line ("Anna rowed out, narrated
    # by ..."): a sentence, or the only line of the text, is the story, not its title.
    path = tmp_path / "lake_story.txt"
    path.write_text(text, encoding="utf-8")
    done = audiobook("script", path, "--engine", "fake")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].split(None, 5)[5] == (
        "Lake Story, narrated by a synthetic voice."
    )


def test_a_real_gutenberg_epub_ncx_only_licence_in_the_last_chapter_file():
    # Project Gutenberg's 2018 build of The Diary of a Nobody (public domain in the USA;
    # the Project Gutenberg licence travels inside it): NCX only, 4 spine files for 26
    # chapters, the licence appended to the file of the last chapters.
    path = ROOT / "tests" / "data" / "diary-of-a-nobody.epub"
    book = read_manuscript([path])
    titles = [pieces[0].title for pieces in book.chapters]
    assert titles[1:4] == ["Chapter I", "Chapter II", "Chapter III"]
    assert titles[-2:] == ["Chapter XXIII", "Chapter The Last"]
    assert len(titles) == 25  # Mr. Pooter's introduction, 23 numbered chapters, the last
    reasons = {s.reason for s in book.skipped}
    assert {"Project Gutenberg header", "Project Gutenberg licence"} <= reasons
    assert book.info.authors == ["George Grossmith", "Weedon Grossmith"]
    last = book.chapters[-1][-1]
    text = next(d.text for d in book.documents if d.path == last.source)
    assert "Project Gutenberg" not in text[last.start : last.end]
    assert text[last.start : last.end].endswith("from The same old Lupin.\u201d")


def test_an_epub_on_standard_input(tmp_path, audiobook):
    files = [("one.xhtml", "One", "<h1>Chapter One</h1>" + prose("Anna"))]
    path = make_book(tmp_path / "lake.epub", files, [epub.Link("one.xhtml", "Chapter One", "1")])
    done = audiobook("script", "-", "--json", "--engine", "fake", stdin=path.read_bytes())
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(c["title"], c["source"]) for c in data["chapters"]] == [
        ("Chapter One", "-#EPUB/one.xhtml")
    ]


# A cover as Standard Ebooks ships it: SVG, 2:3, a picture with the title over it.
SVG = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
    b'viewBox="0 0 300 450"><rect width="300" height="450" fill="#c00000"/>'
    b'<rect y="300" width="300" height="150" fill="#000"/></svg>'
)


def _picture(path: Path) -> tuple[int, int, tuple[int, ...]]:
    """Width, height and the RGB of the pixel a third of the way down the middle."""
    import subprocess

    probe = ["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0"]
    w, h = map(
        int, subprocess.run([*probe, path], capture_output=True, text=True).stdout.split(",")
    )
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
    ).stdout
    at = ((h // 3) * w + w // 2) * 3
    return w, h, tuple(raw[at : at + 3])


def test_an_svg_cover_is_drawn_as_a_jpeg_in_the_tags(tmp_path, audiobook):
    from mutagen.id3 import ID3

    body = "<h1>Chapter One</h1>" + prose("Anna", 3)
    path = make_book(tmp_path / "lake.epub", [("one.xhtml", "One", body)], [], cover=("c.svg", SVG))
    assert read_epub(path.read_bytes(), str(path)).info.cover == SVG
    out = tmp_path / "out"
    done = audiobook(
        "build", path, "-o", out, "--cache-dir", tmp_path / "cache", "--engine", "fake"
    )
    assert done.returncode == 0 and "Warning" not in done.stderr, done.stderr
    apic = ID3(next(out.glob("*.mp3"))).getall("APIC")
    assert apic and apic[0].mime == "image/jpeg"
    (tmp_path / "cover.jpg").write_bytes(apic[0].data)
    w, h, (r, g, b) = _picture(tmp_path / "cover.jpg")
    assert (w, h) == (300, 450) and r > 180 and g < 40 and b < 40  # the red picture, drawn


def test_an_svg_cover_ffmpeg_cannot_draw_leaves_the_book_without_one(tmp_path, audiobook):
    from mutagen.id3 import ID3

    broken = SVG.replace(b"viewBox", b"viewBox=x x").replace(b"</svg>", b"")
    body = "<h1>Chapter One</h1>" + prose("Anna", 3)
    path = make_book(
        tmp_path / "lake.epub", [("one.xhtml", "One", body)], [], cover=("c.svg", broken)
    )
    out = tmp_path / "out"
    done = audiobook(
        "build", path, "-o", out, "--cache-dir", tmp_path / "cache", "--engine", "fake"
    )
    assert done.returncode == 0, done.stderr
    assert "Warning: the book's SVG cover could not be drawn" in done.stderr
    assert not ID3(next(out.glob("*.mp3"))).getall("APIC")
    assert not list((tmp_path / "cache" / "covers").iterdir())  # no half-drawn file left


def test_manifest_offsets_index_the_file_each_segment_came_from(tmp_path, audiobook):
    # Chapter II runs on into b.xhtml; its segments from there index b.xhtml's text, and the
    # generated credits index no file of the book (the manifest named a.xhtml for all of them).
    files = [
        ("a.xhtml", "A", '<h2 id="c1">CHAPTER I. THE SHORE</h2>' + prose("Anna", 3)),
        ("b.xhtml", "B", '<h2 id="c2">CHAPTER II. THE BOATS</h2>' + prose("Tom", 2)),
        ("c.xhtml", "C", prose("Mila", 2)),  # no TOC entry: chapter II goes on here
    ]
    toc = [
        epub.Link("a.xhtml#c1", "CHAPTER I. THE SHORE", "1"),
        epub.Link("b.xhtml#c2", "CHAPTER II. THE BOATS", "2"),
    ]
    path = make_book(tmp_path / "lake.epub", files, toc)
    done = audiobook("build", path, "-o", tmp_path / "out", "--engine", "fake", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    texts = {d.path: d.text for d in read_manuscript([path]).documents}
    sources = []
    for chapter in manifest["chapters"]:
        for seg in chapter["segments"]:
            sources.append(seg["source"])
            if seg["source"].startswith("credits:"):
                assert (seg["start"], seg["end"]) == (0, len(seg["text"]))
                continue
            said = " ".join(texts[seg["source"]][seg["start"] : seg["end"]].split())
            assert said == seg["text"] or said.casefold() == seg["text"].casefold(), seg
    assert sources[0] == "credits:opening" and sources[-1] == "credits:closing"
    assert f"{path}#EPUB/c.xhtml" in sources
