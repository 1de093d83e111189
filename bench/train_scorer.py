"""Train the learned speaker scorer (bench/learned_scorer.py) and measure it out of fold.

    python bench/train_scorer.py /work/shared/devset/litbank/ \
        --check /work/shared/devset/the_steppe.txt \
        --check /work/shared/devset/great_expectations.txt \
        --check /work/shared/devset/the_count_of_monte_cristo.txt \
        [--folds 2] [--choose-rules] [--self TEXT_OR_EPUB ...] [--write WEIGHTS.json]

Training data: every LitBank gold quote that our quote finder finds (end to end, without
and with a cast) whose sieve rule is one the scorer decides, and whose gold speaker is
one of the candidates. Features are computed from the sieve's own decisions, as at run
time. The model is a conditional logistic regression (softmax over a quote's candidates)
with an L2 penalty, fitted by full-batch gradient descent from zero: no randomness, so
the same data gives the same weights to the last digit.

Cross-validation is by book: with `--folds K`, file number n (sorted by name) is in fold
n mod K (K=2 is the even/odd split of score_devsets.py). For each fold the model is
trained on the other folds and applied to its books; the rules and the scorer are scored
on exactly the same quotes. `--check` sets are never trained on: they are scored with the
model trained on all the training books. Confidence bands of the scorer's choices are
measured out of fold and written into the weights file with `--write`.

The floor below which the sieve's own choice stays is chosen by a 2-fold cross-validation
inside the training books (never on the held-out fold); with `--choose-rules` so are the
sieve rules whose quotes the scorer decides (those it got right more often than the sieve).

`--self` adds self-supervised examples from texts without gold (each argument a text
file): quotes with an explicit name tag, with the tag hidden from the features (no
proposal, the tag's own mention left out), labelled by the tag.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import learned_scorer as learned  # noqa: E402
from score_attribution import _match, cast_from, gold_quotes, is_right  # noqa: E402
from score_devsets import Tally, books, read_book  # noqa: E402

from audiobook.model import Attribution  # noqa: E402
from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402

# The sieve rules whose quotes the scorer may decide (a named tag is right 0.99 already).
RULES = [
    "turn-taking",
    "fallback",
    "vocative-exclusion",
    "back-from-tag",
    "description-tag",
    "action-subject",
    "pronoun-tag",
    "pronoun-gender",
]
L2 = 1.0
STEPS = 3000
SELF_WEIGHT = 0.3  # a self-supervised example counts this much against a gold one
FLOORS = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01]  # 1.01: the scorer never decides
BAND_EDGES = [0.9, 0.75, 0.5, 0.0]


@dataclass
class Run:
    """One book read once in one mode: the sieve's output and what the scorer reads."""

    name: str
    mode: str
    quotes: list
    said: list[Attribution]
    ctx: learned.Context
    runs: list
    book: attribution.Book
    gold: list[tuple[int | None, dict]]  # (found quote index or None, gold quote)
    narrator: str | None
    examples: list[Example] = field(default_factory=list)


@dataclass
class Example:
    quote: int
    rule: str
    people: list[str]
    feats: list[dict[str, float]]
    label: int | None  # index of the gold speaker among people, None if absent
    weight: float = 1.0


def read(text_path: Path, gold_path: Path, chars: Path | None, cast_mode: bool) -> Run | None:
    text, gold, narrator = read_book(text_path, gold_path)
    cast = None
    if cast_mode:
        if chars is None:
            return None
        cast = cast_from(json.loads(chars.read_text(encoding="utf-8")))
    found = quote_finder.find_quotes(text)
    ros = roster.build_roster(text, found, cast)
    book, said, runs = attribution.sieve_pass(text, found, ros)
    ctx = learned.context(book, found, said, runs)
    index = {(q.start, q.end): i for i, q in enumerate(found)}
    matched = [
        (index.get(_match(gq, found)), g)  # type: ignore[arg-type]
        for g, gq in zip(gold, gold_quotes(text, gold), strict=True)
        if g["speaker"] is not None
    ]
    run = Run(
        text_path.name,
        "cast" if cast_mode else "no cast",
        found,
        said,
        ctx,
        runs,
        book,
        matched,
        narrator,
    )
    for i, g in matched:
        if i is None or said[i].rule not in RULES or i not in ctx.turn_of:
            continue
        people = learned.candidates(ctx, i)
        tag = learned.tag_of(ctx, i)
        feats = [learned.features(ctx, i, who, tag) for who in people]
        label = next((n for n, who in enumerate(people) if is_right(who, g, narrator)), None)
        run.examples.append(Example(i, said[i].rule, people, feats, label))
    return run


def self_supervised(text_path: Path) -> list[Example]:
    """Quotes with a name tag, the tag hidden from the features, labelled by the tag."""
    text = _plain_text(text_path)
    found = quote_finder.find_quotes(text)
    ros = roster.build_roster(text, found, None)
    book, said, runs = attribution.sieve_pass(text, found, ros)
    ctx = learned.context(book, found, said, runs)
    out = []
    for i, a in enumerate(said):
        if a.rule != "named-tag" or i not in ctx.turn_of or a.speaker is None:
            continue
        tag = learned.tag_of(ctx, i)
        if tag is None or tag.kind != "name":
            continue
        hidden = _hide_tag(ctx, i, a.speaker)
        people = [w for w in learned.candidates(hidden, i)]
        feats = [learned.features(hidden, i, who, None) for who in people]
        label = people.index(a.speaker) if a.speaker in people else None
        out.append(Example(i, "hidden-tag", people, feats, label, SELF_WEIGHT))
    return out


def _plain_text(path: Path) -> str:
    if path.suffix != ".epub":
        return path.read_text(encoding="utf-8")
    from audiobook.text.epub import read_epub

    book = read_epub(path.read_bytes(), path.name)
    texts = {d.path: d.text for d in book.documents}
    return "\n\n".join(texts[c.source][c.start : c.end] for ch in book.chapters for c in ch)


def _hide_tag(ctx: learned.Context, i: int, who: str) -> learned.Context:
    """The context as if quote i had no tag: no decision for its turn, and none of the
    mentions of who right around it."""
    q = ctx.quotes[i]
    said = list(ctx.said)
    said[i] = Attribution(None, "hidden-tag", said[i].addressee)
    t = ctx.turn_of[i]
    turns = list(ctx.turns)
    turns[t] = replace(turns[t], speaker=None, strength="weak")
    hidden = learned.Context(ctx.book, ctx.quotes, said, turns, ctx.turn_of)
    lo, hi = q.outer_start - 80, q.outer_end + 80

    def keep(p: int, w: str) -> bool:
        return w != who or not lo <= p < hi

    for name, positions in ctx.mentions.items():
        hidden.mentions[name] = [p for p in positions if keep(p, name)]
    for name, positions in ctx.subjects.items():
        hidden.subjects[name] = [p for p in positions if keep(p, name)]
    hidden.positions = [(p, w) for p, w in ctx.positions if keep(p, w)]
    hidden.share, hidden.rank = ctx.share, ctx.rank
    return hidden


def vocabulary(examples: list[Example]) -> list[str]:
    return sorted({k for e in examples for f in e.feats for k in f})


def matrix(e: Example, vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(e.people), len(vocab)))
    for n, f in enumerate(e.feats):
        for k, v in f.items():
            if k in vocab:
                x[n, vocab[k]] = v
    return x


def fit(examples: list[Example]) -> dict[str, float]:
    """Conditional logit by gradient descent from zero (deterministic)."""
    usable = [e for e in examples if e.label is not None and len(e.people) > 1]
    if not usable:
        return {}  # nothing to learn from: every candidate scores 0, the sieve's choice stays
    names = vocabulary(usable)
    vocab = {k: n for n, k in enumerate(names)}
    xs = [matrix(e, vocab) for e in usable]
    ys = [e.label for e in usable]
    mass = np.array([e.weight for e in usable])
    # One stacked matrix with segment ids keeps each step vectorised.
    big = np.vstack(xs)
    seg = np.repeat(np.arange(len(xs)), [len(x) for x in xs])
    truth = np.concatenate([[n == y for n in range(len(x))] for x, y in zip(xs, ys, strict=True)])
    w = np.zeros(len(names))
    lr = 0.5
    for _ in range(STEPS):
        s = big @ w
        top = np.zeros(len(xs))
        np.maximum.at(top, seg, s)
        e = np.exp(s - top[seg])
        z = np.zeros(len(xs))
        np.add.at(z, seg, e)
        p = e / z[seg]
        grad = big.T @ ((p - truth) * mass[seg]) / mass.sum() + L2 * w / mass.sum()
        w -= lr * grad
    return {k: round(float(v), 4) for k, v in zip(names, w, strict=True) if abs(v) >= 1e-4}


def model_of(weights: dict[str, float], bands=((0.0, 0.3),), floor: float = 0.0, rules=RULES):
    return learned.from_json(
        {"weights": weights, "rules": rules, "floor": floor, "bands": [list(b) for b in bands]}
    )


def evaluate(runs: list[Run], model: learned.Model, out: dict[str, Tally], probs: list) -> None:
    """Rules against scorer on the same quotes: all of them, and those the scorer decides."""
    for r in runs:
        new, sure = learned.rescore(r.book, r.quotes, r.said, r.runs, model)
        ctx_probs = {}
        for i in sure:
            found = learned.choose(model, r.ctx, i)
            if found is not None:
                ctx_probs[i] = found[1]
        for i, g in r.gold:
            before = i is not None and is_right(r.said[i].speaker, g, r.narrator)
            after = i is not None and is_right(new[i].speaker, g, r.narrator)
            out[f"{r.mode}: rules, all"].add(before)
            out[f"{r.mode}: scorer, all"].add(after)
            if i is not None and i in sure:
                out[f"{r.mode}: rules, scored"].add(before)
                out[f"{r.mode}: scorer, scored"].add(after)
                rule = r.said[i].rule
                out[f"{r.mode}: rules, {rule}"].add(before)
                out[f"{r.mode}: scorer, {rule}"].add(after)
                if r.mode == "no cast":
                    probs.append((ctx_probs[i], after))


def choose_floor(
    runs: list[Run], extra: list[Example], by_rule: bool = False
) -> tuple[float, list[str]]:
    """The probability below which the sieve's choice stays, chosen by a 2-fold
    cross-validation by book inside the given books only (ties: the higher floor); with
    by_rule, also the rules whose quotes the scorer got right more often than the sieve
    there (at that floor)."""
    right: dict[float, int] = defaultdict(int)
    gain: dict[tuple[float, str], int] = defaultdict(int)
    rank = {name: n for n, name in enumerate(sorted({r.name for r in runs}, key=int))}
    for k in range(2):
        inner = [e for r in runs if rank[r.name] % 2 != k for e in r.examples]
        weights = fit(inner + extra)
        held = [r for r in runs if rank[r.name] % 2 == k]
        for floor in FLOORS:
            tallies: dict[str, Tally] = defaultdict(Tally)
            evaluate(held, model_of(weights, floor=floor), tallies, [])
            right[floor] += sum(
                t.right for key, t in tallies.items() if key.endswith("scorer, all")
            )
            for rule in RULES:
                for mode in ("no cast", "cast"):
                    gain[floor, rule] += (
                        tallies[f"{mode}: scorer, {rule}"].right
                        - tallies[f"{mode}: rules, {rule}"].right
                    )
    floor = max(FLOORS, key=lambda f: (right[f], f))
    rules = [r for r in RULES if gain[floor, r] > 0] if by_rule else RULES
    return floor, rules


def bands_of(probs: list[tuple[float, bool]]) -> tuple[list[tuple[float, float]], list[str]]:
    """Confidence per probability band: its out-of-fold accuracy, rounded down to 0.05."""
    rows, lines = [], []
    for n, lo in enumerate(BAND_EDGES):
        hi = BAND_EDGES[n - 1] if n else 1.01
        inside = [ok for p, ok in probs if lo <= p < hi]
        if not inside:
            continue
        acc = sum(inside) / len(inside)
        rows.append((lo, max(0.05, int(acc * 20) / 20)))
        lines.append(f"    p {lo:.2f}-{min(hi, 1):.2f}: {len(inside)} quotes, right {acc:.3f}")
    return rows, lines


def _quotes(t: Tally) -> str:
    return f"{t.right / max(1, t.total):.3f} ({t.right}/{t.total})"


def report(title: str, tallies: dict[str, Tally]) -> None:
    print(f"== {title}")
    for mode in ("no cast", "cast"):
        keys = [k for k in tallies if k.startswith(f"{mode}:")]
        if not keys:
            continue
        before, after = tallies[f"{mode}: rules, all"], tallies[f"{mode}: scorer, all"]
        print(
            f"  {mode}: all {_quotes(before)} -> {_quotes(after)};"
            f" scored {tallies[f'{mode}: rules, scored']} -> {tallies[f'{mode}: scorer, scored']}"
        )
        for rule in RULES:
            k = f"{mode}: rules, {rule}"
            if k in tallies:
                print(f"    {rule:20} {tallies[k]} -> {tallies[f'{mode}: scorer, {rule}']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", type=Path, help="folder of gold texts (LitBank)")
    ap.add_argument("--check", type=Path, action="append", default=[], help="held-out gold set")
    ap.add_argument("--self", type=Path, action="append", default=[], help="text without gold")
    ap.add_argument("--folds", type=int, default=2)
    ap.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    ap.add_argument(
        "--choose-rules",
        action="store_true",
        help="decide only the rules the scorer beat the sieve on, by an inner cross-validation",
    )
    ap.add_argument("--write", type=Path, help="write the weights trained on all books here")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    files = books(args.train, args.gold_dir, None)
    runs: list[Run] = []
    for n, (t, g, c) in enumerate(files):
        for cast_mode in (False, True):
            r = read(t, g, c, cast_mode)
            if r is not None:
                r.name = f"{n}"
                runs.append(r)
    extra = [e for p in args.self for e in self_supervised(p)]
    print(f"read {len(files)} books in {time.perf_counter() - start:.1f} s; {len(extra)} self")
    examples = [e for r in runs for e in r.examples]
    answerable = sum(e.label is not None for e in examples)
    print(f"examples: {len(examples)}, gold among candidates {answerable}")
    oof: dict[str, Tally] = defaultdict(Tally)
    probs: list[tuple[float, bool]] = []
    for k in range(args.folds):
        train = [r for r in runs if int(r.name) % args.folds != k]
        floor, rules = choose_floor(train, extra, args.choose_rules)
        weights = fit([e for r in train for e in r.examples] + extra)
        held = [r for r in runs if int(r.name) % args.folds == k]
        evaluate(held, model_of(weights, floor=floor, rules=rules), oof, probs)
        print(f"  fold {k}: floor {floor}, rules {', '.join(rules)} (chosen on the other folds)")
    report(f"{args.train.name or args.train}: out of fold ({args.folds} folds by book)", oof)
    bands, lines = bands_of(probs)
    print("  scorer's probability where it decided, out of fold (no cast):")
    print("\n".join(lines))
    floor, rules = choose_floor(runs, extra, args.choose_rules)
    weights = fit(examples + extra)
    final = model_of(weights, bands, floor, rules)
    print(f"final model: floor {floor}, rules {', '.join(rules)}")
    for path in args.check:
        tallies: dict[str, Tally] = defaultdict(Tally)
        checks = [
            r
            for t, g, c in books(path, args.gold_dir, None)
            for m in (False, True)
            if (r := read(t, g, c, m)) is not None
        ]
        evaluate(checks, final, tallies, [])
        report(f"{path.name}: model trained on all of {args.train.name}", tallies)
    print(f"{len(weights)} weights; {time.perf_counter() - start:.1f} s")
    if args.write:
        data = {
            "about": "bench/train_scorer.py; conditional logit over (quote, candidate) features",
            "rules": rules,
            "floor": floor,
            "bands": [list(b) for b in bands],
            "weights": dict(sorted(weights.items())),
        }
        args.write.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
