"""rxstore: regular expressions compiled from programs kept by an earlier run are the very
patterns `re` compiles (== compares their programs), and the store never changes an answer:
damaged, foreign or absent, it only costs the compile it would have saved."""

from __future__ import annotations

import pickle
import re

import pytest

from audiobook import rxstore
from audiobook.speakers.names import compile_names
from audiobook.speakers.tags import TagReader

NAMES = compile_names(["Joe", "Mrs. Joe", "Pip", "Mr. Pumblechook", "Miss Havisham", "the old man"])
TEXTS = [
    ' said Mrs. Joe, "and you know it."',
    " the old man quietly replied, turning away.",
    "Pip heard Joe whisper:",
    ", asked the sweet, silvery voice of Miss Havisham.",
]


def reader_patterns() -> list[re.Pattern]:
    reader = TagReader(NAMES)
    return [v for v in vars(reader).values() if isinstance(v, re.Pattern)]


def compiled_in(folder, parse_fails: bool = False) -> list[re.Pattern]:
    """The reader's patterns compiled fresh (re's own cache emptied) inside ``kept``."""
    re.purge()
    with rxstore.kept(folder):
        if parse_fails:  # a kept program must not be parsed again
            parse = rxstore._parser.parse
            rxstore._parser.parse = lambda *a: pytest.fail("parsed a kept pattern")
            try:
                return reader_patterns()
            finally:
                rxstore._parser.parse = parse
        return reader_patterns()


def test_kept_programs_are_res_own_patterns_and_answer_alike(tmp_path):
    original = re._compiler.compile
    first = compiled_in(tmp_path)
    assert re._compiler.compile is original  # the hook goes with the block
    assert list(tmp_path.glob("regex-*.pickle"))
    second = compiled_in(tmp_path, parse_fails=True)
    re.purge()
    own = reader_patterns()
    assert len(own) >= 8 and first == own and second == own
    for mine, theirs in zip(second, own, strict=True):
        assert mine.groupindex == theirs.groupindex and mine.groups == theirs.groups
        for text in TEXTS:
            a, b = mine.search(text), theirs.search(text)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


def test_a_damaged_store_is_ignored_and_written_again(tmp_path):
    compiled_in(tmp_path)
    (store,) = tmp_path.glob("regex-*.pickle")
    kept = pickle.loads(store.read_bytes())
    key = next(iter(kept))
    flags, code, groups, groupindex, indexgroup = kept[key]
    kept[key] = (flags, b"\x9f\x86\x01\x00" + code, groups, groupindex, indexgroup)  # refused
    store.write_bytes(pickle.dumps(kept))
    re.purge()
    assert compiled_in(tmp_path) == reader_patterns()
    store.write_bytes(b"not a pickle")
    assert compiled_in(tmp_path) == reader_patterns()
    assert isinstance(pickle.loads(store.read_bytes()), dict)


def test_bad_patterns_fail_as_in_re_and_a_failed_run_keeps_nothing(tmp_path):
    with pytest.raises(re.error, match="missing \\)"), rxstore.kept(tmp_path):
        re.compile("(unclosed")
    assert not list(tmp_path.glob("regex-*.pickle"))
    with rxstore.kept(None):
        assert re.compile("a+b").match("aab")
    assert not list(tmp_path.glob("*"))
