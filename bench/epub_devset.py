"""Chapters found in EPUBs against their tables of contents, and the matter left out.

    python bench/epub_devset.py ../shared/devset/epub/*.epub

For each book: TOC entries (nav or NCX, nested ones included), chapters found,
the first and last chapter titles, every skipped stretch (kind, reason, title),
title/author/series/cover found, and the seconds the reading took.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

from audiobook.text.sources import read_manuscript


def toc_entries(path: Path) -> int:
    from ebooklib import epub

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = epub.read_epub(str(path), {"ignore_ncx": True})

    def count(toc) -> int:
        n = 0
        for entry in toc:
            if isinstance(entry, tuple | list):
                n += 1 + count(entry[1])
            else:
                n += 1
        return n

    return count(book.toc)


def main(paths: list[str]) -> None:
    for name in paths:
        path = Path(name)
        started = time.perf_counter()
        book = read_manuscript([path])
        seconds = time.perf_counter() - started
        info = book.info
        titles = [pieces[0].title for pieces in book.chapters]
        spans = sum(len(pieces) > 1 for pieces in book.chapters)
        print(f"== {path.name}  ({seconds:.2f} s)")
        print(
            f"   title {info.title!r}, author {info.author!r}, language {info.language}, "
            f"series {info.series!r}, cover {'yes' if info.cover else 'no'}"
        )
        print(
            f"   TOC entries {toc_entries(path)}, chapters found {len(titles)} "
            f"({spans} over several files)"
        )
        print(f"   first {titles[0]!r}, last {titles[-1]!r}")
        for s in book.skipped:
            print(f"   skipped {s.kind:<5} {s.reason:<26} {' '.join(s.title.split())[:50]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
