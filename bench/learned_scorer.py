"""A small learned scorer for who speaks a quote the sieve could only guess (issue 10,
part 6). Evaluated by bench/train_scorer.py and NOT used by `audiobook`: out of fold it
did not beat the rules by more than a few quotes, and it lost a quote on The Steppe
(figures in bench/README.md), so the sieve stays the attribution.

The sieve (speakers/sieve.py, runs.py) decides every quote first. For the quotes its rules
only guess (turn-taking, fallback, description tags, ...), each candidate character of
the conversation is scored by a conditional logistic regression over features of the
(quote, candidate) pair: whether the sieve proposed them and by which rule, whether they
spoke one to four turns before or one or two after (and whether that turn was named in a
tag), alternation from the nearest tagged turns on both sides, whether the line before or
after calls them by name, agreement with a pronoun or description tag, how often and how
lately the narration mentions them, and how much the book talks about them. The candidate
with the highest score speaks (rule `learned`) when its softmax probability reaches the
model's floor; quotes that continued a re-labelled decision follow it.

Inference is plain Python over a weights dict (a JSON file of a few dozen numbers, as
train_scorer.py --write makes). The features are computed from the sieve's own decisions,
the same at training and at run time, so the scorer never sees gold data when it runs.
To switch it on, attribution.attribute would call rescore() on sieve_pass()'s output.
"""

from __future__ import annotations

import bisect
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.model import NARRATOR, Attribution, Quote
from audiobook.speakers.phrases import head_noun

if TYPE_CHECKING:
    from audiobook.speakers.attribution import Book

RULE = "learned"
# A turn decided by one of these says who spoke it about as surely as the text can.
_STRONG = {"named-tag", "relation-tag", "former-latter"}
_MEDIUM = {"pronoun-tag", "between-tags", "named-by-answer"}
_MENTION_WINDOW = 3000  # characters of narration before a quote that bring people into view
_PREV_TURNS = 4
_NEXT_TURNS = 2


@dataclass
class Turn:
    """A dialogue paragraph (or several, when one speech runs on), as the sieve decided it."""

    run: int
    quotes: list[int]
    speaker: str | None
    strength: str  # "strong" | "medium" | "weak"
    addressee: str | None


@dataclass
class Context:
    """What the features read: the book, the sieve's decisions, turns, narration mentions."""

    book: Book
    quotes: list[Quote]
    said: list[Attribution]
    turns: list[Turn] = field(default_factory=list)
    turn_of: dict[int, int] = field(default_factory=dict)  # quote index -> turn index
    mentions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    subjects: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    positions: list[tuple[int, str]] = field(default_factory=list)  # (offset, who), sorted
    share: dict[str, float] = field(default_factory=dict)  # of the roster's mentions
    rank: dict[str, int] = field(default_factory=dict)


def context(book: Book, quotes: list[Quote], said: list[Attribution], runs: list) -> Context:
    from audiobook.speakers.runs import turns_of

    ctx = Context(book, quotes, said)
    for r, run in enumerate(runs):
        for turn in turns_of(quotes, run):
            first = said[turn[0]]
            strength = (
                "strong" if first.rule in _STRONG else "medium" if first.rule in _MEDIUM else "weak"
            )
            told = next((said[i].addressee for i in turn if said[i].addressee), None)
            for i in turn:
                ctx.turn_of[i] = len(ctx.turns)
            ctx.turns.append(Turn(r, turn, first.speaker, strength, told))
    # Mentions in narration only: what is said inside speech is read as vocatives.
    text, at = book.text, 0
    spans = sorted((q.outer_start, q.outer_end) for q in quotes if q.is_speech)
    for start, end in [*spans, (len(text), len(text))]:
        if start > at:
            for pos, who, role in book.mentions(text[at:start]):
                ctx.mentions[who].append(at + pos)
                ctx.positions.append((at + pos, who))
                if role == "subject":
                    ctx.subjects[who].append(at + pos)
        at = max(at, end)
    ctx.positions.sort()
    people = sorted(book.roster.characters, key=lambda c: -c.mentions)
    total = sum(c.mentions for c in people) or 1
    for n, c in enumerate(people):
        who = book.alias.get(c.name, c.name)
        ctx.share.setdefault(who, c.mentions / total)
        ctx.rank.setdefault(who, n)
    return ctx


def _count(positions: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_left(positions, hi) - bisect.bisect_left(positions, lo)


def _last_before(positions: list[int], pos: int) -> int | None:
    n = bisect.bisect_left(positions, pos)
    return positions[n - 1] if n else None


def candidates(ctx: Context, i: int) -> list[str]:
    """Everyone in view for quote i: the sieve's choice, speakers of the turns around it,
    whom those turns address, people the narration named lately, the narrator."""
    q, book = ctx.quotes[i], ctx.book
    proposed = ctx.said[i].speaker
    out: list[str] = [proposed] if proposed else []
    t = ctx.turn_of.get(i)
    if t is not None:
        for k in range(max(0, t - 6), min(len(ctx.turns), t + _NEXT_TURNS + 1)):
            turn = ctx.turns[k]
            out += [w for w in (turn.speaker, turn.addressee) if w]
    lo = bisect.bisect_left(ctx.positions, (q.outer_start - _MENTION_WINDOW, ""))
    para_end = book.paragraph_span(q.outer_start)[1]
    hi = bisect.bisect_left(ctx.positions, (para_end, ""))
    out += [who for _, who in reversed(ctx.positions[lo:hi])]
    if book.roster.first_person:
        out.append(NARRATOR)
    return list(dict.fromkeys(out))[:12]


def features(ctx: Context, i: int, who: str, tag) -> dict[str, float]:
    """The features of one (quote, candidate) pair; absent ones are 0."""
    q, book, said = ctx.quotes[i], ctx.book, ctx.said
    f: dict[str, float] = {}
    rule = said[i].rule
    if said[i].speaker == who:
        f[f"proposed:{rule}"] = 1.0
    t = ctx.turn_of.get(i)
    if t is not None:
        turn = ctx.turns[t]
        for k in range(1, _PREV_TURNS + 1):
            if t - k < 0 or ctx.turns[t - k].run != turn.run:
                break
            prev = ctx.turns[t - k]
            if prev.speaker == who:
                f[f"spoke-{k}:{prev.strength}"] = 1.0
            if k == 1 and prev.addressee == who:
                f["called-by-previous"] = 1.0
        for k in range(1, _NEXT_TURNS + 1):
            if t + k >= len(ctx.turns) or ctx.turns[t + k].run != turn.run:
                break
            nxt = ctx.turns[t + k]
            if nxt.speaker == who:
                f[f"speaks+{k}:{nxt.strength}"] = 1.0
            if k == 1 and nxt.addressee == who:
                f["called-by-next"] = 1.0
        _alternation(ctx, t, who, f)
        if t == 0 or ctx.turns[t - 1].run != turn.run:
            earlier = [x.speaker for x in ctx.turns[max(0, t - 4) : t]]
            if who in earlier:
                f["spoke-last-run"] = 1.0
    if said[i].addressee == who:
        f["called-here"] = 1.0
    para = book.paragraph_span(q.outer_start)
    prev_end = ctx.quotes[ctx.turns[t - 1].quotes[-1]].outer_end if t else 0
    seen = ctx.mentions.get(who, [])
    between = _count(seen, max(prev_end, para[0] - _MENTION_WINDOW), para[0])
    if between:
        f["named-between"] = math.log1p(between)
    subj = ctx.subjects.get(who, [])
    if _count(subj, para[0], q.outer_start):
        f["subject-in-paragraph"] = 1.0
    elif _count(seen, para[0], q.outer_start):
        f["named-in-paragraph"] = 1.0
    if _count(seen, q.outer_end, para[1]):
        f["named-after-in-paragraph"] = 1.0
    last = _last_before(seen, q.outer_start)
    if last is not None:
        gap = q.outer_start - last
        f["mention-near" if gap < 300 else "mention-1k" if gap < 1500 else "mention-far"] = 1.0
        f["mention-order"] = _order(ctx, who, last, q.outer_start)
    f["share"] = math.sqrt(ctx.share.get(who, 0.0))
    if ctx.rank.get(who) == 0:
        f["most-mentioned"] = 1.0
    if who == NARRATOR:
        f["narrator" if tag is None else f"narrator:{tag.kind}"] = 1.0
    if tag is not None and tag.kind in ("pronoun", "description"):
        gender = book.gender.get(who)
        if tag.gender and who != NARRATOR:
            agree = "unknown" if gender is None else "agree" if gender == tag.gender else "clash"
            f[f"gender-{agree}:{tag.kind}"] = 1.0
        if tag.kind == "description" and head_noun(tag.text) in book.described.get(who, ()):
            f["described"] = 1.0
    return f


def _alternation(ctx: Context, t: int, who: str, f: dict[str, float]) -> None:
    """Turns alternate between two people: from the nearest tagged turn before and after
    in the run, an even number of turns away is that speaker's, an odd number the other
    participant's (the nearest tagged speaker who is not them, else whom they address)."""
    run = ctx.turns[t].run
    tagged = [
        k
        for k in range(max(0, t - _ALTERNATION), min(len(ctx.turns), t + _ALTERNATION + 1))
        if k != t and ctx.turns[k].run == run and ctx.turns[k].strength != "weak"
    ]
    if not tagged:
        return
    if any(ctx.turns[k].speaker == who for k in tagged):
        f["run-tagged"] = 1.0
    for side, near in (
        ("before", [k for k in reversed(tagged) if k < t]),
        ("after", [k for k in tagged if k > t]),
    ):
        if not near:
            continue
        anchor = ctx.turns[near[0]]
        by_distance = sorted(tagged, key=lambda k: abs(k - near[0]))
        other = next(
            (ctx.turns[k].speaker for k in by_distance if ctx.turns[k].speaker != anchor.speaker),
            anchor.addressee,
        )
        odd = abs(near[0] - t) % 2 == 1
        if who == anchor.speaker:
            f[f"alt-{side}:{'odd-self' if odd else 'even-self'}"] = 1.0
        elif who == other and odd:
            f[f"alt-{side}:odd-other"] = 1.0


_ALTERNATION = 8


def _order(ctx: Context, who: str, last: int, pos: int) -> float:
    """1 for the person named last before pos, 1/2 for the one before, and so on."""
    lo = bisect.bisect_right(ctx.positions, (last, "\uffff"))
    hi = bisect.bisect_left(ctx.positions, (pos, ""))
    others = {w for _, w in ctx.positions[lo:hi] if w != who}
    return 1.0 / (1 + len(others))


def tag_of(ctx: Context, i: int):
    """The tag mention glued to quote i (after it, else an introducing one), if any."""
    q, book = ctx.quotes[i], ctx.book
    para = book.paragraph_span(q.outer_start)
    later = [p.outer_start for p in ctx.quotes[i + 1 : i + 3] if p.outer_start > q.outer_end]
    end = min([para[1], *later])
    tag = book.tags.after(book.text[q.outer_end : end])
    if tag is None:
        earlier = [p.outer_end for p in ctx.quotes[max(0, i - 2) : i] if p.outer_end <= q.start]
        start = max([para[0], *earlier])
        tag = book.tags.before(book.text[start : q.outer_start])
    return tag


@dataclass(frozen=True)
class Model:
    weights: dict[str, float]
    rules: frozenset[str]  # the sieve rules whose quotes the scorer decides
    floor: float  # below this probability the sieve's own choice stays
    # (lowest probability, confidence): out-of-fold accuracy of the scorer's choices per
    # band of its probability, rounded down (bench/train_scorer.py measures it)
    bands: tuple[tuple[float, float], ...]

    def score(self, f: dict[str, float]) -> float:
        return sum(self.weights.get(k, 0.0) * v for k, v in f.items())

    def confidence(self, p: float) -> float:
        return next((c for lo, c in self.bands if p >= lo), 0.3)


def load(path: Path) -> Model:
    return from_json(json.loads(path.read_text(encoding="utf-8")))


def from_json(data: dict) -> Model:
    bands = tuple(sorted(((float(lo), float(c)) for lo, c in data["bands"]), reverse=True))
    return Model(dict(data["weights"]), frozenset(data["rules"]), float(data["floor"]), bands)


def choose(model: Model, ctx: Context, i: int) -> tuple[str, float] | None:
    """The best candidate for quote i and its probability among the candidates."""
    people = candidates(ctx, i)
    if not people:
        return None
    tag = tag_of(ctx, i)
    scores = [model.score(features(ctx, i, who, tag)) for who in people]
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    best = scores.index(top)
    return people[best], weights[best] / sum(weights)


def rescore(
    book: Book, quotes: list[Quote], said: list[Attribution], runs: list, model: Model
) -> tuple[list[Attribution], dict[int, float]]:
    """The sieve's guesses re-decided by the model; continuations follow their source.
    Returns the new decisions and the probability of each quote the model decided."""
    ctx = context(book, quotes, said, runs)
    out = list(said)
    sure: dict[int, float] = {}
    for i, a in enumerate(said):
        if a.rule not in model.rules or i not in ctx.turn_of:
            continue
        found = choose(model, ctx, i)
        if found is None or found[1] < model.floor:
            continue
        who, p = found
        sure[i] = model.confidence(p)
        if who != a.speaker:
            out[i] = Attribution(who, RULE, a.addressee)
    _follow(quotes, said, out)
    return out, sure


def _follow(quotes: list[Quote], before: list[Attribution], out: list[Attribution]) -> None:
    """A continuation of a decision the model changed takes the new speaker: the
    utterance's first decision, else the paragraph's last one before, else its first after."""
    source: dict[tuple[str, int], int] = {}
    for i in range(len(before) - 1, -1, -1):
        if before[i].rule not in ("continuation", "not-speech"):
            source[("after", quotes[i].paragraph)] = i
    for i, a in enumerate(before):
        q = quotes[i]
        if a.rule != "continuation":
            if a.rule != "not-speech":
                source.setdefault(("group", q.group), i)
                source[("para", q.paragraph)] = i
            continue
        j = source.get(("group", q.group), source.get(("para", q.paragraph)))
        if j is None:
            j = source.get(("after", q.paragraph))
        if j is None or out[j] is before[j] or before[j].speaker != a.speaker:
            continue
        if out[j].speaker != a.addressee:
            out[i] = Attribution(out[j].speaker, a.rule, a.addressee)
