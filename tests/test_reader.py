import codecs
from pathlib import Path

import pytest

from audiobook.errors import InputError
from audiobook.text.reader import read_inputs

TEXT = "Chapter 1\n\n\u201cCaf\u00e9?\u201d asked Jos\u00e9. \u00bfQu\u00e9 tal?\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_file_is_the_plain_utf8_decoding(tmp_path):
    path = write(tmp_path, "book.txt", TEXT.encode("utf-8"))
    [doc] = read_inputs([path])
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.path == str(path)


def test_utf8_bom_is_kept_so_offsets_match_a_plain_utf8_read(tmp_path):
    path = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8"))
    [doc] = read_inputs([path])
    plain = path.read_bytes().decode("utf-8")
    assert doc.text == plain
    start = plain.index("Caf")
    assert doc.text[start : start + 5] == "Caf\u00e9?"


def test_crlf_is_kept_as_is(tmp_path):
    path = write(tmp_path, "crlf.txt", TEXT.replace("\n", "\r\n").encode("utf-8"))
    [doc] = read_inputs([path])
    assert "\r\n" in doc.text
    assert doc.text == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_bom(tmp_path, codec):
    path = write(tmp_path, "wide.txt", TEXT.encode(codec))
    [doc] = read_inputs([path])
    assert doc.text == TEXT


def test_cp1252_without_encoding_asks_for_the_encoding(tmp_path):
    path = write(tmp_path, "old.txt", "Caf\u00e9 \u201cnaive\u201d text".encode("cp1252"))
    with pytest.raises(InputError, match="--encoding cp1252"):
        read_inputs([path])


def test_explicit_encoding_decodes(tmp_path):
    original = "Caf\u00e9 \u201cnaive\u201d text, \u20ac5"
    path = write(tmp_path, "old.txt", original.encode("cp1252"))
    [doc] = read_inputs([path], encoding="cp1252")
    assert doc.text == original


def test_unknown_encoding_is_an_input_error(tmp_path):
    path = write(tmp_path, "a.txt", b"hello there")
    with pytest.raises(InputError, match="unknown encoding"):
        read_inputs([path], encoding="klingon-8")


def test_binary_file_is_refused(tmp_path):
    data = bytes(range(256)) * 40
    path = write(tmp_path, "image.txt", data)
    with pytest.raises(InputError, match="binary"):
        read_inputs([path])


def test_nul_heavy_utf8_is_binary(tmp_path):
    path = write(tmp_path, "zeros.txt", b"ab\x00\x00\x00\x00\x00\x00cd\x00\x00\x00\x00" * 100)
    with pytest.raises(InputError, match="binary"):
        read_inputs([path])


def test_lone_controls_and_nul_are_tolerated(tmp_path):
    text = "It was night.\x00 The bell\x07 rang.\x0c\n\nThen morning came, and " + "words " * 200
    path = write(tmp_path, "ctl.txt", text.encode("utf-8"))
    [doc] = read_inputs([path])
    assert doc.text == text


@pytest.mark.parametrize(
    "content", [b"", b"   \n\n\t  \r\n", codecs.BOM_UTF8 + b"\n \n", b"... --- ***\n"]
)
def test_file_without_words_names_the_file(tmp_path, content):
    path = write(tmp_path, "empty.txt", content)
    with pytest.raises(InputError, match=r"empty\.txt has no text"):
        read_inputs([path])


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_inputs([tmp_path / "nope.txt"])


def test_folder_is_read_in_name_order_and_ignores_other_files(tmp_path):
    # The contract: a folder may hold .txt and .md files; nothing else is read.
    for name in ["b.txt", "a.txt", "c.TXT", "notes.md", "image.png"]:
        write(tmp_path, name, f"Text of {name}.".encode())
    (tmp_path / "sub.txt").mkdir()
    docs = read_inputs([tmp_path])
    assert [Path(d.path).name for d in docs] == ["a.txt", "b.txt", "c.TXT", "notes.md"]
    assert docs[0].text == "Text of a.txt."


def test_folder_without_txt(tmp_path):
    write(tmp_path, "notes.rtf", b"hello")
    with pytest.raises(InputError, match="no .txt or .md files"):
        read_inputs([tmp_path])


def test_several_inputs_keep_their_order(tmp_path, seeds_dir):
    single = write(tmp_path, "zzz.txt", b"Last words.")
    docs = read_inputs([single, seeds_dir])
    assert docs[0].path == str(single)
    assert [Path(d.path).name for d in docs[1:]] == sorted(p.name for p in seeds_dir.glob("*.txt"))


def test_no_inputs():
    with pytest.raises(InputError):
        read_inputs([])


def test_a_file_named_twice_is_read_once(tmp_path):
    # "book/ book/" or "book/ book/a.txt" (a shell glob and a file): the chapter is one chapter
    from audiobook.errors import BookWarning

    book = tmp_path / "book"
    book.mkdir()
    write(book, "a.txt", b"First words.")
    write(book, "b.txt", b"Last words.")
    with pytest.warns(BookWarning, match="a.txt is named more than once"):
        docs = read_inputs([book, book / "a.txt", tmp_path / "book" / ".." / "book"])
    assert [Path(d.path).name for d in docs] == ["a.txt", "b.txt"]
