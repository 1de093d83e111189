"""Where untagged lines go wrong: every wrong turn-taking and continuation quote, split
into errors inherited from its anchor and the rule's own, and the own ones by cause.

    python bench/turn_errors.py /work/shared/devset/litbank/ --split even \
        /work/shared/devset/the_steppe.txt ... [--show own]

Run it only on the analysis sets (LitBank even half, The Steppe, Great Expectations,
Monte Cristo): the others stand in for books nobody has seen.

End to end, no cast. A quote's anchor is what its rule followed: for a continuation, the
earlier quote of its utterance, else the nearest decided quote of its paragraph; for a
turn, the previous dialogue paragraph (and, for an alternation, the one before that). An
error is inherited when an anchor was itself wrong (or is no gold quote), the rule's own
when every anchor was right. Own errors are classed by what the gold shows happened.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import _match, gold_quotes, is_right  # noqa: E402
from score_devsets import books, read_book  # noqa: E402

from audiobook.speakers import attribution, roster, sieve  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402

_TRACE: dict[int, tuple] = {}  # first undecided quote -> (branch, speaker guessed)
_original = sieve.turn_taking


def _traced(p) -> None:
    undecided = [i for i in p.members if i not in p.decided]
    if undecided:
        talk, addr = p.talk, p.addressed[undecided[0]]
        run = list(talk.turns)
        if run and talk.speaks_again and run[-1] != addr:
            branch = "speaks-again"
        elif run and talk.last_addressee not in (None, run[-1], addr):
            branch = "addressee-answers"
        elif len(run) >= 2 and run[-1] != run[-2]:
            branch = "alternation"
        elif run:
            branch = "other-from-salience"
        else:
            branch = "salience"
        _original(p)
        for i in undecided:
            _TRACE[i] = (branch, p.decided[i].speaker, run[-2:], list(talk.salient[:5]))
        return
    _original(p)


sieve.PARAGRAPH_RULES[sieve.PARAGRAPH_RULES.index(_original)] = _traced


def names_in(g: dict) -> list[str]:
    return [n for n in {g["speaker"], *(g.get("aliases") or [])} if n and len(n) > 2]


def mentioned(text: str, g: dict | None) -> bool:
    if g is None or not g.get("speaker"):
        return False
    return any(re.search(rf"\b{re.escape(n)}\b", text) for n in names_in(g))


def analyse(text: str, gold: list[dict], narrator, counts: Counter, show: str | None, name: str):
    _TRACE.clear()
    shown: set[int] = set()
    quotes = quote_finder.find_quotes(text)
    ros = roster.build_roster(text, quotes, None)
    _, said, runs = attribution.sieve_pass(text, quotes, ros)
    span_of = {(q.start, q.end): i for i, q in enumerate(quotes)}
    gold_of: dict[int, dict] = {}
    for g, gq in zip(gold, gold_quotes(text, gold), strict=True):
        m = _match(gq, quotes)
        if m is not None and g["speaker"] is not None:
            gold_of[span_of[m]] = g

    def ok(i: int) -> bool | None:
        g = gold_of.get(i)
        return None if g is None else is_right(said[i].speaker, g, narrator)

    def same(i: int, g: dict | None) -> bool:
        return g is not None and is_right(said[i].speaker, g, narrator)

    paragraphs = [members for run in runs for members in run]
    para_of = {i: n for n, members in enumerate(paragraphs) for i in members}

    def anchors_of(i: int) -> list[int]:
        a, n = said[i], para_of[i]
        members = paragraphs[n]
        if a.rule == "continuation":
            q = quotes[i]
            earlier = [j for j in range(i) if quotes[j].group == q.group and j in para_of]
            if earlier:
                return earlier[:1]
            pos = members.index(i)
            before = [j for j in members[:pos] if said[j].rule != "continuation"]
            after = [j for j in members[pos + 1 :] if said[j].rule != "continuation"]
            return before[-1:] or after[:1]
        if a.rule == "turn-taking":
            prev = [paragraphs[n - k][-1] for k in (1, 2) if n - k >= 0]
            branch = _TRACE.get(i, ("after-tag", None, []))[0]
            return prev[:2] if branch == "alternation" else prev[:1]
        return []

    def root_of(j: int, depth: int = 0) -> int | None:
        if ok(j) is None:
            return None
        bad = [k for k in anchors_of(j) if not ok(k)]
        return root_of(bad[0], depth + 1) if bad and depth < 50 else j

    for i, g in gold_of.items():
        a = said[i]
        if a.rule not in ("turn-taking", "continuation"):
            continue
        right = ok(i)
        if show == "branch" and i in _TRACE and _TRACE[i][0] == "other-from-salience":
            br, guess, run2, sal = _TRACE[i]
            rank = next((k for k, w in enumerate(sal) if is_right(w, g, narrator)), None)
            counts[("salience rank of gold", right, rank)] += 1
            print(f"{name} {right} gold={g['speaker']!r} got={a.speaker!r} run={run2} sal={sal}")
        counts[(a.rule, "all")] += 1
        if right:
            continue
        counts[(a.rule, "wrong")] += 1
        n = para_of[i]
        anchors = anchors_of(i)
        bad = [j for j in anchors if not ok(j)]
        if bad:
            counts[(a.rule, "inherited")] += 1
            cause = "inherited"
            root = root_of(bad[0])
            counts[
                (a.rule, "inherited from", said[root].rule if root is not None else "no gold")
            ] += 1
            if root is not None:
                r = gold_of[root]["speaker"], said[root].speaker, said[root].rule
                counts[("root", name, *r)] += 1
            if show == "roots" and root is not None and root not in shown:
                shown.add(root)
                rq = quotes[root]
                pstart = text.rfind("\n", 0, rq.outer_start)
                snippet = " ".join(text[pstart : rq.outer_end + 80].split())[-400:]
                print(
                    f"--- {name} root {said[root].rule} gold {gold_of[root]['speaker']!r} "
                    f"got {said[root].speaker!r}\n    {snippet}"
                )
        else:
            cause = classify(text, quotes, said, gold_of, paragraphs, n, i, a, g, narrator)
            counts[(a.rule, "own")] += 1
            counts[(a.rule, "own", cause)] += 1
        if a.rule == "turn-taking":
            counts[(a.rule, "branch", _TRACE.get(i, ("after-tag",))[0], cause == "inherited")] += 1
        if show and (show == "all" or (show == "own") == (cause != "inherited")):
            p0 = paragraphs[n - 1][0] if n else i
            start = quotes[p0].outer_start
            snippet = " ".join(text[start : quotes[i].outer_end].split())[-500:]
            trace = _TRACE.get(i)
            print(
                f"--- {name} {a.rule} [{cause}] gold {g['speaker']!r} got {a.speaker!r} "
                f"trace {trace}\n    {snippet}"
            )


def classify(text, quotes, said, gold_of, paragraphs, n, i, a, g, narrator) -> str:
    """The rule's own error, by what the gold shows happened."""
    q = quotes[i]
    if a.rule == "continuation":
        members = paragraphs[n]
        if (
            quotes[members[0]].group == q.group
            and n
            and quotes[paragraphs[n - 1][-1]].group == q.group
        ):
            return "multi-paragraph speech misread"
        return "two speakers in one paragraph"
    prev1 = gold_of.get(paragraphs[n - 1][-1]) if n else None
    prev2 = gold_of.get(paragraphs[n - 2][-1]) if n > 1 else None
    para_start = text.rfind("\n", 0, q.outer_start)
    lead = text[para_start : q.outer_start]
    between = text[quotes[paragraphs[n - 1][-1]].outer_end : para_start] if n else ""
    if prev1 is not None and g["speaker"] == prev1["speaker"]:
        last = quotes[paragraphs[n - 1][-1]]
        if (
            not text[last.outer_end - 1 : last.outer_end].strip()
            or text[last.end : last.outer_end] == ""
        ):
            return "same speaker: multi-paragraph speech"
        if lead.strip() or between.strip():
            return "same speaker: narration between"
        return "same speaker: speaks twice"
    if prev2 is not None and g["speaker"] == prev2["speaker"]:
        return "alternation right, rule chose otherwise"
    prev_text = (
        text[quotes[paragraphs[n - 1][0]].start : quotes[paragraphs[n - 1][-1]].end] if n else ""
    )
    if mentioned(prev_text, g):
        return "third: addressee named in the line before"
    if mentioned(between + lead, g):
        return "third: named in narration before"
    if g["speaker"] and is_right("narrator", g, narrator) if narrator else False:
        return "third: the narrator"
    return "third: joins unnamed nearby"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--split", choices=["even", "odd"])
    ap.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    ap.add_argument("--show", choices=["own", "inherited", "all", "roots", "branch"])
    args = ap.parse_intermixed_args()
    for path in args.paths:
        counts: Counter = Counter()
        for t, gpath, _ in books(path, args.gold_dir, args.split):
            text, gold, narrator = read_book(t, gpath)
            analyse(text, gold, narrator, counts, args.show, t.stem[:30])
        print(f"== {path.name}")
        for key, v in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1])):
            print(f"  {' / '.join(map(str, key)):70} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
