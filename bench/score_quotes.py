"""Quote detection recall/precision against a gold file.

usage: python bench/score_quotes.py BOOK.txt GOLD.json

The gold (QuoteLi3 style) lists one entry per quoted piece: a quote broken by
a speech tag is two entries, as our Quote objects are, so pieces are matched
one to one. A predicted piece matches a gold piece when their content spans
overlap by at least half of the longer one. Reported twice: every quote
(titles and scare quotes included, as the gold includes them) and speech only
(gold entries with a speaker against quotes with is_speech).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audiobook.text.quotes import find_quotes  # noqa: E402


def match(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> int:
    """Greedy one-to-one matching of spans in text order."""
    hits = 0
    j = 0
    used = set()
    for ps, pe in pred:
        while j < len(gold) and gold[j][1] <= ps:
            j += 1
        for k in range(j, len(gold)):
            gs, ge = gold[k]
            if gs >= pe:
                break
            overlap = min(pe, ge) - max(ps, gs)
            if k not in used and overlap >= 0.5 * max(pe - ps, ge - gs):
                used.add(k)
                hits += 1
                break
    return hits


def report(label: str, pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> None:
    hits = match(pred, gold)
    recall = hits / len(gold) if gold else 1.0
    precision = hits / len(pred) if pred else 1.0
    print(
        f"{label:8s} gold={len(gold):4d} predicted={len(pred):4d} matched={hits:4d} "
        f"recall={recall:.3f} precision={precision:.3f}"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    text = Path(argv[1]).read_text(encoding="utf-8")
    gold = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
    began = time.perf_counter()
    quotes = find_quotes(text)
    took = time.perf_counter() - began
    gold_all = sorted((g["start"], g["end"]) for g in gold)
    gold_speech = sorted((g["start"], g["end"]) for g in gold if g.get("speaker"))
    report("all", [(q.start, q.end) for q in quotes], gold_all)
    report("speech", [(q.start, q.end) for q in quotes if q.is_speech], gold_speech)
    print(f"find_quotes took {took:.2f}s for {len(text)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
