"""Wrong quotes by what the roster knows of their gold speaker (end to end, no cast).

    python bench/roster_misses.py /work/shared/devset/litbank/ --split even \
        /work/shared/devset/the_steppe.txt [--detail]

For each quote attributed wrongly (or missed), whether its gold speaker is in the roster at
all and under which roster character(s); if not, whether the gold knows them by a
description or group ("the guide", "the peasants"), whether the roster has their name in a
shorter or longer form the scorer does not count ("Konstantin" for "Konstantin Zvonik",
"Jim Wilson" for "Wilson"), else where the
text names them: in the narration (outside quotes), only inside speech (a vocative, "I am
Tom"), or nowhere (a kin word the gold knows them by). Then, per gold person, how many roster
characters their quotes go to that are right for them (one person split under several
names), and per book the quotes lost to a speaker missing from the roster.

`--detail` prints every wrong quote: book, gold speaker, the roster names that are right for
them, the prediction, its rule, where the gold speaker is named, and the quote's first words.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import _match, gold_quotes, is_right  # noqa: E402
from score_devsets import books, read_book  # noqa: E402

from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402

_PAGE = 1500  # characters of narration before a quote that count as its lead-in


_DESCRIBED = re.compile(
    r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Oo]ther|[Ss]ome|[Hh]is|[Hh]er|[Mm]y|[Oo]ur|[Tt]hese|[Tt]hose|"
    r"[Tt]wo|[Ss]everal|[Aa]ll)\b"
)


def _named(who: str) -> bool:
    """A gold speaker known by a name ("Fred", "Mrs. Gibson"), not a description or group
    ("the guide", "his comrade", "Other men", "the peasants")."""
    return (
        who[:1].isupper()
        and not _DESCRIBED.match(who)
        and "'s " not in who
        and " and " not in who  # "Styopka and Vassya" speak together
    )


def _part_of(name: str, c) -> bool:
    """The roster knows the gold's name in another form the scorer does not count as the
    same: "Konstantin" for "Konstantin Zvonik", "Cotter" for "old Cotter"."""
    words = set(name.split())
    return any(
        a != name and (set(a.split()) < words or words < set(a.split()))
        for a in [c.name, *c.aliases]
    )


def _said(names: list[str], text: str) -> bool:
    """Whether the text says any of the names (or a capitalised word of one) as a word."""
    for n in names:
        parts = [n] + [w for w in n.split() if w[:1].isupper() and len(w) > 2]
        for p in parts:
            if re.search(rf"(?<![\w’']){re.escape(p)}(?![\w’'])", text):
                return True
    return False


def book_misses(text: str, gold: list[dict], narrator: str | None, name: str, detail: bool):
    quotes = quote_finder.find_quotes(text)
    ros = roster.build_roster(text, quotes, None)
    said = attribution.attribute(text, quotes, ros)
    by_span = {(q.start, q.end): a for q, a in zip(quotes, said, strict=True)}
    narration = roster.mask_quotes(text, quotes)
    speech = "\n".join(text[q.start : q.end] for q in quotes)
    tally: Counter = Counter()
    spread: dict[str, Counter] = defaultdict(Counter)
    lines = []
    for g, gq in zip(gold, gold_quotes(text, gold), strict=True):
        who = g["speaker"]
        if who is None:
            continue
        a = by_span.get(_match(gq, quotes))
        pred = a.speaker if a else None
        ok = a is not None and is_right(pred, g, narrator)
        if ok:
            spread[who][pred] += 1
        tally["quotes"] += 1
        if ok:
            continue
        tally["wrong"] += 1
        mine = [c.name for c in ros.characters if any(is_right(n, g) for n in [c.name, *c.aliases])]
        names = [who, *(g.get("aliases") or [])]
        if who == narrator and ros.first_person:
            where = "the first-person narrator"
        elif mine:
            where = "in roster" if len(mine) == 1 else "in roster, split"
        elif not _named(who):
            where = "not in roster, a description or group"
        elif any(_part_of(n, c) for n in names for c in ros.characters):
            where = "not in roster, a shorter or longer form is"
        elif _said(names, narration):
            where = "not in roster, named in narration"
        elif _said(names, speech):
            where = "not in roster, named only in speech"
        else:
            where = "not in roster, never named"
        tally[where] += 1
        # Named in the narration of the page before the quote (a lead-in: "Then the doctor
        # turned to Mary."), under the gold's names or the roster's for them.
        known = names + [a for c in ros.characters if c.name in mine for a in c.aliases]
        near = _said(known, narration[max(0, gq.start - _PAGE) : gq.start])
        if where.startswith("in roster"):
            tally[f"{where}, {'named' if near else 'not named'} in the page before"] += 1
            rule = a.rule if a else "missed"
            tally[f"{where}, by {rule}"] += 1
        if detail:
            first = " ".join(text[gq.start : gq.start + 40].split())
            rule = a.rule if a else "missed"
            lines.append(
                f"  {name[:24]:24} {where:36} {'near' if near else 'far':4} "
                f"gold {who!r} {mine} -> {pred!r} [{rule}] {first!r}"
            )
    for who, counts in spread.items():
        n = sum(counts.values())
        tally[
            f"gold people right under {min(len(counts), 3)}{'+' if len(counts) > 2 else ''} "
            "roster names"
        ] += 1
        if len(counts) > 1:
            tally["quotes of people right under 2+ names"] += n
            if detail:
                lines.append(f"  {name[:24]:24} split: {who!r} {dict(counts)}")
    return tally, lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    ap.add_argument("--split", choices=["even", "odd"])
    ap.add_argument("--detail", action="store_true", help="every wrong quote and split person")
    args = ap.parse_args(argv)
    for path in args.paths:
        total: Counter = Counter()
        for text_path, gold_path, _ in books(
            path, args.gold_dir, args.split if path.is_dir() else None
        ):
            text, gold, narrator = read_book(text_path, gold_path)
            tally, lines = book_misses(text, gold, narrator, text_path.stem, args.detail)
            total += tally
            for line in lines:
                print(line)
        print(f"== {path.name}")
        for key, n in sorted(total.items()):
            print(f"  {key:50} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
