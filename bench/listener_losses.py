"""Where the listener figures lose: each lost quote of "one voice" and "gender" by cause,
per book and per gold character (end to end, no cast, as bench/score_devsets.py scores).

    python bench/listener_losses.py /work/shared/devset/litbank/ [--split even|odd] [--detail]

Gender losses (a quote whose gold speaker has a gender):
- missed: the quote finder missed it, or it went to nobody;
- narrator wrongly: `narrator` for someone who is not the first-person narrator;
- ok, but heard in a narrator's voice of the other sex: the narrator's own line, read in
  the narrator's voice, a man's unless the book says its "I" is a woman;
- right char, wrong gender / right char, unknown: the right character, mis-gendered;
- wrong char, other sex / wrong char, unknown: attribution picked someone else.
One-voice losses (a gold character's quotes off the predicted character it most often
gets): wrong attribution, missed, or "split" (another predicted character that is also
right: one person under two roster names). "Absorbed": a roster character that is the
top voice of two gold people (two people heard in one voice).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import _match, gold_quotes, is_right  # noqa: E402
from score_devsets import books, read_book  # noqa: E402

from audiobook.model import NARRATOR  # noqa: E402
from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402


def book_losses(text: str, gold: list[dict], narrator: str | None, detail: bool, name: str):
    quotes = quote_finder.find_quotes(text)
    ros = roster.build_roster(text, quotes, None)
    said = attribution.attribute(text, quotes, ros)
    by_span = {(q.start, q.end): a for q, a in zip(quotes, said, strict=True)}
    gender = {c.name: c.gender for c in ros.characters}
    causes: Counter = Counter()

    def in_roster(g: dict) -> bool:
        return any(is_right(n, g) for c in ros.characters for n in c.aliases + [c.name])

    voices: dict[str, Counter] = defaultdict(Counter)
    rights: dict[str, set] = defaultdict(set)
    gold_gender: dict[str, str | None] = {}
    lines = []
    for g, gq in zip(gold, gold_quotes(text, gold), strict=True):
        who = g["speaker"]
        if who is None:
            continue
        a = by_span.get(_match(gq, quotes))
        pred = a.speaker if a else None
        ok = a is not None and is_right(pred, g, narrator)
        voices[who][pred] += 1
        if ok:
            rights[who].add(pred)
        gold_gender[who] = g.get("gender")
        if not g.get("gender"):
            causes["gender: gold unknown (not scored)"] += 1
            continue
        if pred is None:
            cause = "missed"
        elif pred == NARRATOR:
            cause = "ok" if ok else "narrator wrongly"
            if ok and (ros.narrator_gender or "male") != g["gender"]:
                cause = "ok, but heard in a narrator's voice of the other sex"
        elif ok:
            pg = gender.get(pred)
            cause = "ok" if pg == g["gender"] else f"right char, {pg or 'unknown'} gender"
        else:
            pg = gender.get(pred)
            cause = (
                "ok (wrong char, same sex)"
                if pg == g["gender"]
                else ("wrong char, unknown" if pg is None else "wrong char, other sex")
            )
            if cause != "ok (wrong char, same sex)" and not in_roster(g):
                cause += " (speaker not in roster)"
        causes["gender: " + cause] += 1
        if detail and (cause.startswith("right char") or "wrong char" in cause):
            lines.append(f"  {name}: {who} ({g['gender']}) as {pred}: {gender.get(pred)}")
    tops: dict[str, list[str]] = defaultdict(list)
    for who, counts in voices.items():
        top, n = counts.most_common(1)[0]
        tops[top].append(who) if top is not None else None
        for pred, k in counts.items():
            if pred == top:
                continue
            if pred is None:
                causes["voice: missed / nobody"] += k
            elif pred in rights[who]:
                causes["voice: split (right name, not the top voice)"] += k
                if detail:
                    lines.append(f"  {name}: split {who}: {dict(counts)}")
            else:
                causes["voice: wrong attribution"] += k
        causes["voice: top"] += n
        if top is not None and top not in rights[who]:
            causes["voice: top voice is a wrong character"] += n
            g0 = next(g for g in gold if g["speaker"] == who)
            if not in_roster(g0):
                causes["voice: top voice wrong, speaker not in roster"] += n
                if detail:
                    lines.append(f"  {name}: not in roster: {who} {dict(counts)}")
    for top, whos in tops.items():
        if len(whos) > 1:
            k = sum(voices[w][top] for w in whos)
            causes["absorbed: quotes in a voice shared by 2+ gold people"] += k
            if detail:
                lines.append(f"  {name}: {top} absorbs {whos}")
    # The roster's gender for each gold speaker it knows by name, quote-weighted: gender
    # inference on its own, apart from attribution.
    said = Counter(g["speaker"] for g in gold if g["speaker"])
    for who, n in said.items():
        g0 = next(g for g in gold if g["speaker"] == who)
        if not g0.get("gender"):
            continue
        mine = [c for c in ros.characters if any(is_right(a, g0) for a in [c.name, *c.aliases])]
        if not mine:
            causes["roster gender: speaker not in roster"] += n
            continue
        c = max(mine, key=lambda c: c.mentions)
        verdict = "right" if c.gender == g0["gender"] else (c.gender or "unknown")
        causes[f"roster gender: {verdict if verdict == 'right' else 'wrong, ' + verdict}"] += n
        if detail and verdict != "right":
            lines.append(f"  {name}: gender of {c.name} is {c.gender}, gold {g0['gender']} ({n})")
    return causes, lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    ap.add_argument("--split", choices=["even", "odd"])
    ap.add_argument("--per-book", action="store_true", help="each book's figures")
    ap.add_argument("--detail", action="store_true", help="list every character-level loss")
    args = ap.parse_args(argv)
    for path in args.paths:
        total: Counter = Counter()
        for text_path, gold_path, _ in books(path, args.gold_dir, args.split):
            text, gold, narrator = read_book(text_path, gold_path)
            causes, lines = book_losses(text, gold, narrator, args.detail, text_path.stem[:30])
            total += causes
            if args.per_book:
                ok = sum(n for c, n in causes.items() if c.startswith("gender: ok"))
                scored = sum(n for c, n in causes.items() if c.startswith("gender:"))
                scored -= causes["gender: gold unknown (not scored)"]
                tops = causes["voice: top"]
                print(f"  {text_path.stem[:30]}: gender {ok}/{scored}, one voice top {tops}")
            for line in lines:
                print(line)
        print(f"== {path.name}")
        for cause, n in sorted(total.items()):
            print(f"  {cause:55} {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
