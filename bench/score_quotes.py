"""The quote finder against gold quote spans, on any gold set: what it loses and why.

    python bench/score_quotes.py /work/shared/devset/litbank/ --split even --list
    python bench/score_quotes.py /work/shared/devset/the_steppe.txt bench/gold/*.txt

Each argument is a text file or a folder of them, with gold found as bench/score_devsets.py
finds it (`STEM.gold.json` next to the text, else in `--gold-dir`). A folder is one set.

Each gold quote with a speaker (speech) falls in exactly one class, checked in this order:

- missed: no found quote overlaps it;
- split: two or more found quotes each cover part of it and none covers half of it (the
  scorers then count the quote as missed);
- not speech: the found quote covering most of it is marked as not speech (a title or a
  scare quote to the finder: nobody is given the line);
- merged: the found quote that covers it also covers another gold quote of another speaker
  (one speaker for two: one of them is wrong);
- merged, same speaker: it also covers another gold quote, of the same speaker (harmless:
  LitBank cuts some long quotes in two at a sentence, or round a stage direction);
- found: one found speech quote covers at least half of it and no other gold quote.

Recall counts the found ones and the merged ones of the same speaker: the quotes a speaker
can be given right. 'partial' counts the found ones whose found span covers less than 90%
of the gold one, or runs 10% beyond it (a speech tag left inside it, say).

Among the found ones, 'joined across speakers' counts consecutive gold quotes of different
speakers whose found quotes share a group (one utterance to attribution, so one tag decides
both), and 'tag-broken, not joined' consecutive gold quotes of one speaker in one paragraph,
with at most one short sentence between them, whose found quotes are in different groups
(the second half does not inherit the first half's tag).

Spurious: found speech quotes that overlap no gold quote, counted only inside the stretches
of text the gold covers (from the paragraph of a gold quote to that of the next, where they
are under 5,000 characters apart), since GE and Monte Cristo gold cover a few chapters only.
Found speech quotes over a gold quote without a speaker (a title, a scare quote) are
'speech that is not'.

`--list` prints every loss with the text around it; `--totals` prints only each set's
totals (for a set whose errors must not be read, such as the LitBank odd half).
"""

from __future__ import annotations

import bisect
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import load_gold  # noqa: E402
from score_devsets import books, set_arguments  # noqa: E402

from audiobook.model import Quote  # noqa: E402
from audiobook.text.paragraphs import paragraph_spans  # noqa: E402
from audiobook.text.quotes import find_quotes  # noqa: E402

CLASSES = ("found", "partial", "missed", "split", "not speech", "merged", "merged, same speaker")
REGION_GAP = 5000


@dataclass
class Book:
    name: str
    counts: Counter = field(default_factory=Counter)
    losses: list[str] = field(default_factory=list)


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _around(text: str, start: int, end: int, width: int = 70) -> str:
    left = " ".join(text[max(0, start - width) : start].split())
    mid = " ".join(text[start:end].split())
    right = " ".join(text[end : end + width].split())
    if len(mid) > 160:
        mid = mid[:75] + " ... " + mid[-75:]
    return f"{left[-width:]}[[{mid}]]{right[:width]}"


def regions(text: str, gold: list[dict]) -> list[tuple[int, int]]:
    """Stretches of text the gold annotates: gold quotes' paragraphs, gaps under REGION_GAP."""
    paras = paragraph_spans(text)
    starts = [p[0] for p in paras]
    out: list[list[int]] = []
    for g in gold:
        i = max(0, bisect.bisect_right(starts, g["start"]) - 1)
        j = max(0, bisect.bisect_right(starts, g["end"] - 1) - 1)
        lo, hi = paras[i][0], paras[j][1]
        if out and lo - out[-1][1] < REGION_GAP:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def score_book(name: str, text: str, gold: list[dict]) -> Book:
    book = Book(name)
    gold = sorted(gold, key=lambda g: g["start"])
    found = find_quotes(text)
    starts = [q.start for q in found]

    def overlapping(s: int, e: int) -> list[Quote]:
        i = bisect.bisect_left(starts, s)
        # Found quotes are in order and do not overlap: step back over the one before s.
        near = found[max(0, i - 1) : i + 1]
        j = i + 1
        while j < len(found) and found[j].start < e:
            near.append(found[j])
            j += 1
        return [q for q in near if overlap(q.start, q.end, s, e) > 0]

    gold_of: dict[int, list[int]] = {}  # found quote index -> gold quotes it overlaps
    index_of = {id(q): k for k, q in enumerate(found)}
    for gi, g in enumerate(gold):
        for q in overlapping(g["start"], g["end"]):
            gold_of.setdefault(index_of[id(q)], []).append(gi)

    chosen: dict[int, Quote] = {}  # gold quote -> its found quote, for found ones
    for gi, g in enumerate(gold):
        if g["speaker"] is None:
            hits = overlapping(g["start"], g["end"])
            if any(q.is_speech for q in hits):
                book.counts["speech that is not"] += 1
                book.losses.append("speech that is not: " + _around(text, g["start"], g["end"], 50))
            continue
        book.counts["gold"] += 1
        s, e = g["start"], g["end"]
        hits = overlapping(s, e)
        best = max(hits, key=lambda q: overlap(q.start, q.end, s, e), default=None)
        covered = overlap(best.start, best.end, s, e) if best else 0
        if not hits:
            kind = "missed"
        elif covered * 2 < e - s and len(hits) >= 2:
            kind = "split"
        elif covered * 2 < e - s:
            kind = "missed"
        elif best is not None and not best.is_speech:
            kind = "not speech"
        elif best is not None and len(gold_of.get(index_of[id(best)], [])) > 1:
            others = {gold[k]["speaker"] for k in gold_of[index_of[id(best)]]}
            kind = "merged" if len(others - {None}) > 1 else "merged, same speaker"
        else:
            assert best is not None
            chosen[gi] = best
            kind = "found"
            if covered < 0.9 * (e - s) or (best.end - best.start) > 1.1 * (e - s):
                book.counts["partial"] += 1
        book.counts[kind] += 1
        if kind != "found":
            spans = ", ".join(f"{' '.join(text[q.start : q.end].split())[:40]!r}" for q in hits)
            book.losses.append(
                f"{kind}: {_around(text, s, e)}" + (f"\n      found {spans}" if hits else "")
            )

    paras = paragraph_spans(text)
    pstarts = [p[0] for p in paras]
    for gi in range(len(gold) - 1):
        a, b = gold[gi], gold[gi + 1]
        qa, qb = chosen.get(gi), chosen.get(gi + 1)
        if qa is None or qb is None or qa is qb:
            continue
        if a["speaker"] != b["speaker"]:
            if qa.group == qb.group:
                book.counts["joined across speakers"] += 1
                book.losses.append(
                    "joined across speakers: " + _around(text, a["start"], b["end"], 40)
                )
            continue
        same_para = bisect.bisect_right(pstarts, a["start"]) == bisect.bisect_right(
            pstarts, b["start"]
        )
        between = text[qa.outer_end : qb.outer_start].strip()
        one_sentence = len(between) < 200 and not any(
            between[k] in ".!?" and between[k + 1 : k + 2] == " " for k in range(len(between))
        )
        if same_para and one_sentence and qa.group != qb.group:
            book.counts["tag-broken, not joined"] += 1
            book.losses.append("tag-broken, not joined: " + _around(text, a["start"], b["end"], 40))

    zones = regions(text, gold)
    zstarts = [z[0] for z in zones]

    def annotated(pos: int) -> bool:
        z = bisect.bisect_right(zstarts, pos) - 1
        return z >= 0 and pos < zones[z][1]

    for k, q in enumerate(found):
        if q.is_speech and k not in gold_of and annotated(q.start):
            book.counts["spurious"] += 1
            book.losses.append("spurious: " + _around(text, q.start, q.end, 50))
    return book


def line(label: str, c: Counter) -> str:
    gold = max(1, c["gold"])
    found = c["found"] + c["merged, same speaker"]
    precision = found / max(1, found + c["spurious"] + c["speech that is not"])
    lost = " ".join(f"{k} {c[k]}" for k in CLASSES[2:] + ("spurious", "speech that is not"))
    groups = (
        f"joined across speakers {c['joined across speakers']},"
        f" tag-broken not joined {c['tag-broken, not joined']}"
    )
    return (
        f"{label:40.40} gold {c['gold']:4d}  recall {found / gold:.3f}  precision {precision:.3f}"
        f"  partial {c['partial']}  | {lost} | {groups}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = set_arguments(__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print every loss with its context")
    ap.add_argument("--totals", action="store_true", help="only each set's totals")
    args = ap.parse_args(argv)
    for path in args.paths:
        found = books(path, args.gold_dir, args.split)
        if not found:
            print(f"{path}: no gold file found", file=sys.stderr)
            return 1
        total: Counter = Counter()
        print(f"== {path.name or path}" + (f" ({args.split})" if args.split else ""))
        for text_path, gold_path, _ in found:
            text = text_path.read_text(encoding="utf-8")
            gold, _narrator = load_gold(gold_path)
            book = score_book(text_path.stem, text, gold)
            total.update(book.counts)
            if args.totals:
                continue
            if len(found) == 1 or any(book.counts[k] for k in CLASSES[2:]) or book.losses:
                print("  " + line(book.name, book.counts))
            if args.list:
                for loss in book.losses:
                    print("      " + loss)
        print("  " + line("TOTAL", total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
