"""The whole-novel cast as a listener meets it: per book, every character with lines (the
quotes attribution gives each, as `audiobook cast` counts them before casting), and the
surnames two or more characters with lines share ("Villefort" and "M. de Villefort": one
man in two voices, or a family).

    python bench/cast_report.py BOOK [BOOK ...] [--min N] [--json OUT]

BOOK is anything `audiobook cast` reads (.txt, .md, .epub, a folder). ``--json`` writes
{book: {character: lines}} to compare two runs (``--diff BEFORE.json`` prints what moved).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from audiobook.model import NARRATOR  # noqa: E402
from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.speakers.names import HONORIFICS, NOT_NAMES, honorific_key  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402
from audiobook.text import sources  # noqa: E402


def book_cast(path: Path) -> tuple[Counter, dict[str, list[str]]]:
    """Lines per speaker and each character's aliases, as the pipeline reads the book."""
    book = sources.read_manuscript([path], None, frozenset())
    read = {p.source for pieces in book.chapters for p in pieces}
    docs = [d for d in book.documents if d.path in read]
    found = [quote_finder.find_quotes(d.text) for d in docs]
    ros = roster.build_book_roster([(d.text, q) for d, q in zip(docs, found, strict=True)])
    lines: Counter = Counter()
    for doc, qs in zip(docs, found, strict=True):
        for q, a in zip(qs, attribution.attribute(doc.text, qs, ros), strict=True):
            if q.is_speech and a.speaker and a.speaker != NARRATOR:
                lines[a.speaker] += 1
    return lines, {c.name: c.aliases for c in ros.characters}


def shared_surnames(lines: Counter, aliases: dict[str, list[str]]) -> dict[str, list[str]]:
    """Surnames (a name's last word that is no title) that two characters with lines share."""
    owners: dict[str, set[str]] = defaultdict(set)
    for name in lines:
        for alias in aliases.get(name, [name]):
            parts = [p for p in alias.split() if honorific_key(p) not in HONORIFICS]
            if parts and parts[-1][:1].isupper() and parts[-1].lower() not in NOT_NAMES:
                owners[parts[-1]].add(name)
    return {s: sorted(o, key=lambda n: -lines[n]) for s, o in owners.items() if len(o) > 1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="+", type=Path)
    parser.add_argument("--min", type=int, default=1, help="list characters with this many lines")
    parser.add_argument("--json", type=Path, help="write {book: {character: lines}} here")
    parser.add_argument("--diff", type=Path, help="an earlier --json: print what moved")
    args = parser.parse_args()
    every: dict[str, dict[str, int]] = {}
    before = json.loads(args.diff.read_text()) if args.diff else None
    for path in args.books:
        lines, aliases = book_cast(path)
        every[path.name] = dict(lines)
        print(f"== {path.name}: {len(lines)} characters with lines, {sum(lines.values())} lines")
        if before is not None:
            old = Counter(before.get(path.name, {}))
            moved = sorted(set(old) | set(lines), key=lambda n: -max(old[n], lines[n]))
            for name in moved:
                if old[name] != lines[name]:
                    print(f"  {old[name]:5} -> {lines[name]:5}  {name}")
        else:
            for name, n in lines.most_common():
                if n >= args.min:
                    others = [a for a in aliases.get(name, []) if a != name]
                    print(f"  {n:5}  {name}" + (f"  ({'; '.join(others)})" if others else ""))
        for surname, names in sorted(shared_surnames(lines, aliases).items()):
            print(f"  shared surname {surname}: " + ", ".join(f"{n} {lines[n]}" for n in names))
    if args.json:
        args.json.write_text(json.dumps(every, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
