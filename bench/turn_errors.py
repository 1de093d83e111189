"""Where untagged lines go wrong: inherited from their anchor, or the rule's own.

    python bench/turn_errors.py /work/shared/devset/litbank/ --split even \
        /work/shared/devset/the_steppe.txt /work/shared/devset/great_expectations.txt \
        /work/shared/devset/the_count_of_monte_cristo.txt [--show own|roots]

Run it only on the analysis sets (the LitBank even half, The Steppe, Great Expectations,
Monte Cristo): the others stand in for books nobody has seen, and their errors stay unread.

End to end, no cast. Every wrong `turn-taking` and `continuation` quote is traced to its
anchor, the decision its rule followed: for a continuation the first quote of its
utterance, else the nearest decided quote of its paragraph; for a turn the previous
dialogue paragraph, and for an alternation ("the one who spoke before last") the one before
that too. An error is *inherited* when an anchor was itself wrong; the chain of anchors is
followed back to its *root*, the first wrong decision that did not follow another (a tag
read wrong, say), and counted by the root's rule. It is the rule's *own* error when every
anchor was right, classed by what the gold shows happened:

- same speaker again: the last speaker goes on after narration, or speaks twice
- alternation right, rule chose otherwise: the one who spoke before last did speak
- third person: named in the line before (an addressee skipped), named in the
  narration before, or nobody named nearby (a group, a stranger)
- two speakers in one paragraph (a continuation)

`--show own` prints each own error with its context, `--show roots` each root once.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import _match, gold_quotes, is_right  # noqa: E402
from score_devsets import books, read_book, set_arguments  # noqa: E402

from audiobook.model import Quote  # noqa: E402
from audiobook.speakers import attribution, roster, sieve  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402

RULES = ("turn-taking", "continuation")

# Which branch of sieve._turn decided each untagged paragraph's quotes: only an alternation
# follows the paragraph before last as well as the last one.
_ALTERNATION: set[int] = set()
_turn_taking = sieve.turn_taking


def _traced(p: sieve.Para) -> None:
    undecided = [i for i in p.members if i not in p.decided]
    run = p.talk.turns
    if undecided and len(run) >= 2 and run[-1] != run[-2] and not p.talk.speaks_again:
        addressee = p.addressed[undecided[0]]
        if p.talk.last_addressee in (None, run[-1], addressee):
            _ALTERNATION.update(undecided)
    _turn_taking(p)


class Book:
    """One gold book read by the rules: decisions, paragraphs, gold per found quote."""

    def __init__(self, text: str, gold: list[dict], narrator: str | None):
        _ALTERNATION.clear()
        self.text, self.narrator = text, narrator
        self.quotes: list[Quote] = quote_finder.find_quotes(text)
        ros = roster.build_roster(text, self.quotes, None)
        rules = sieve.PARAGRAPH_RULES
        at = rules.index(_turn_taking)
        rules[at] = _traced  # only while this book is read: the rules stay as they are
        try:
            _, self.said, runs = attribution.sieve_pass(text, self.quotes, ros)
        finally:
            rules[at] = _turn_taking
        self.alternation = set(_ALTERNATION)
        self.paragraphs = [members for run in runs for members in run]
        self.para_of = {i: n for n, members in enumerate(self.paragraphs) for i in members}
        index = {(q.start, q.end): i for i, q in enumerate(self.quotes)}
        self.gold: dict[int, dict] = {}
        for g, gq in zip(gold, gold_quotes(text, gold), strict=True):
            m = _match(gq, self.quotes)
            if m is not None and g["speaker"] is not None:
                self.gold[index[m]] = g

    def right(self, i: int) -> bool:
        g = self.gold.get(i)
        return g is not None and is_right(self.said[i].speaker, g, self.narrator)

    def anchors(self, i: int) -> list[int]:
        rule, n = self.said[i].rule, self.para_of[i]
        if rule == "continuation":
            q, members = self.quotes[i], self.paragraphs[n]
            earlier = [j for j in range(i) if self.quotes[j].group == q.group]
            if earlier:
                return earlier[:1]
            at = members.index(i)
            before = [j for j in members[:at] if self.said[j].rule != "continuation"]
            after = [j for j in members[at + 1 :] if self.said[j].rule != "continuation"]
            return before[-1:] or after[:1]
        if rule == "turn-taking":
            previous = [self.paragraphs[n - k][-1] for k in (1, 2) if n - k >= 0]
            return previous if i in self.alternation else previous[:1]
        return []

    def root(self, i: int) -> int:
        """The first wrong decision in the chain of anchors behind a wrong quote."""
        seen = {i}
        while True:
            wrong = [j for j in self.anchors(i) if not self.right(j) and j not in seen]
            if i not in self.gold:
                return i
            if not wrong:
                return i
            i = wrong[0]
            seen.add(i)

    def context(self, i: int, before: int = 1) -> str:
        n = self.para_of[i]
        start = self.quotes[self.paragraphs[max(0, n - before)][0]].outer_start
        return " ".join(self.text[start : self.quotes[i].outer_end].split())[-400:]


def own_cause(b: Book, i: int) -> str:
    """The rule's own error (every anchor right), by what the gold shows happened."""
    q, n = b.quotes[i], b.para_of[i]
    speaker = b.gold[i]["speaker"]
    if b.said[i].rule == "continuation":
        return "two speakers in one paragraph"
    last = b.paragraphs[n - 1] if n else []
    g1 = b.gold.get(last[-1]) if last else None
    g2 = b.gold.get(b.paragraphs[n - 2][-1]) if n > 1 else None
    opening = b.text.rfind("\n", 0, q.outer_start)
    narration = b.text[b.quotes[last[-1]].outer_end : q.outer_start] if last else ""
    if g1 is not None and speaker == g1["speaker"]:
        if re.search(r"\w", narration):
            return "same speaker: goes on after narration"
        return "same speaker: speaks twice"
    if g2 is not None and speaker == g2["speaker"]:
        return "alternation right, rule chose otherwise"
    names = [n for n in {speaker, *(b.gold[i].get("aliases") or [])} if n and len(n) > 2]
    said_before = b.text[b.quotes[last[0]].start : b.quotes[last[-1]].end] if last else ""
    if any(re.search(rf"\b{re.escape(x)}\b", said_before) for x in names):
        return "third person: named in the line before"
    if any(
        re.search(rf"\b{re.escape(x)}\b", b.text[opening - 2000 : q.outer_start]) for x in names
    ):
        return "third person: named in the narration before"
    return "third person: nobody named nearby"


def analyse(b: Book, counts: Counter, show: str | None, name: str) -> None:
    shown: set[int] = set()
    for i, g in sorted(b.gold.items()):
        rule = b.said[i].rule
        if rule not in RULES:
            continue
        counts[(rule, "quotes")] += 1
        if b.right(i):
            continue
        counts[(rule, "wrong")] += 1
        if all(b.right(j) for j in b.anchors(i)):
            cause = own_cause(b, i)
            counts[(rule, "own", cause)] += 1
            if show == "own":
                print(
                    f"--- {name} {rule} [{cause}] gold {g['speaker']!r}, got "
                    f"{b.said[i].speaker!r}\n    {b.context(i)}"
                )
            continue
        root = b.root(i)
        if root not in b.gold:  # a found quote the gold does not have (or a missed one)
            counts[(rule, "inherited from", "(no gold quote)")] += 1
            continue
        counts[(rule, "inherited from", b.said[root].rule)] += 1
        if show == "roots" and root not in shown:
            shown.add(root)
            print(
                f"--- {name} root {b.said[root].rule}: gold {b.gold[root]['speaker']!r}, got "
                f"{b.said[root].speaker!r}\n    {b.context(root, 0)}"
            )


def main(argv: list[str] | None = None) -> int:
    ap = set_arguments(__doc__.splitlines()[0])
    ap.add_argument("--show", choices=["own", "roots"], help="print each own error or root")
    args = ap.parse_intermixed_args(argv)
    for path in args.paths:
        counts: Counter = Counter()
        for text_path, gold_path, _ in books(path, args.gold_dir, args.split):
            text, gold, narrator = read_book(text_path, gold_path)
            analyse(Book(text, gold, narrator), counts, args.show, text_path.stem[:30])
        print(f"== {path.name or path}")
        for rule in RULES:
            n, wrong = counts[(rule, "quotes")], counts[(rule, "wrong")]
            inherited = sum(v for k, v in counts.items() if k[:2] == (rule, "inherited from"))
            print(
                f"  {rule}: {n} quotes, {wrong} wrong: {inherited} inherited, "
                f"{wrong - inherited} own"
            )
            for kind in ("inherited from", "own"):
                rows = [(k[2], v) for k, v in counts.items() if k[:2] == (rule, kind)]
                for what, v in sorted(rows, key=lambda kv: -kv[1]):
                    print(f"    {kind + ' ' + what:62} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
