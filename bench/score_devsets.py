"""Speaker attribution on every dev set at once, with the figures a listener hears.

    python bench/score_devsets.py /work/shared/devset/litbank/ \
        /work/shared/devset/the_steppe.txt \
        /work/shared/devset/great_expectations.txt \
        /work/shared/devset/the_count_of_monte_cristo.txt \
        bench/gold/a_christmas_carol.txt bench/gold/the_moon_pool.txt

Each argument is a text file or a folder of them. A text's gold is `STEM.gold.json`
(and its cast `STEM.characters.json`) next to it, else in `--gold-dir` (default
`bench/gold/`). A folder is one set, micro-averaged over all its quotes.

For every set it prints speaker accuracy end to end (our quote finder; a gold quote the
finder misses counts as wrong) without and with a cast built from the characters file,
and on the gold spans; then, end to end without a cast: coverage and accuracy of each
rule, accuracy per confidence band, and the listener figures:

- one voice: of each gold character's quotes, the share given to the predicted character
  they most often get (quote-weighted; a quote given to nobody or missed counts as another
  voice). A predicted character stands for a voice, so this is a lower bound.
- gender: of quotes whose gold speaker has a gender, the share whose predicted character
  has that same gender in the roster (an unknown gender counts as wrong). A first-person
  narrator's own lines predicted as `narrator` count right. Printed next to it, the gender
  of the voice heard: casting voices a character of unknown gender as a man, so there an
  unknown gender counts as male; the first-person narrator's own lines are heard in the
  narrator's voice, a man's unless the roster says the narrator is a woman
  (narrator_gender.py), so a woman's lines read by a male narrator count wrong there
  (`narrator` for anyone else counts wrong).

A prediction of `narrator` is right for the first-person narrator's quotes: the gold
file's `narrator`, else the gold speaker of the quotes the text tags '"...," said I'
(LitBank names narrators by name). `--strict` counts `narrator` as wrong there, as
bench/score_attribution.py does.

`--split even|odd` keeps only every other file of a folder (by sorted name), so a rule
can be tuned on one half and confirmed on the other.

`--names-only` drops the characters file's described entries ('the man', 'one of the
party', "Konstantin Zvonik's wife"): a cast as a user writes it, listing people by name.
`--diff-cast` prints, per gold-span quote, where the run without a cast is right and the
run with one is wrong, with the cast run's rule and the cause: the gold speaker is not in
the cast and the line went to a listed character ('unlisted -> listed'), or another.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from score_attribution import _match, cast_from, gold_quotes, is_right, load_gold  # noqa: E402

from audiobook.model import NARRATOR  # noqa: E402
from audiobook.speakers import attribution, roster  # noqa: E402
from audiobook.speakers.roster import described_name  # noqa: E402
from audiobook.speakers.tags import VERB  # noqa: E402
from audiobook.text import quotes as quote_finder  # noqa: E402
from audiobook.text.apostrophes import plain_apostrophes  # noqa: E402

BANDS = [(0.9, 1.01), (0.75, 0.9), (0.5, 0.75), (0.0, 0.5)]


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def __str__(self) -> str:
        return f"{self.right / max(1, self.total):.3f} (n={self.total})"


@dataclass
class SetScore:
    modes: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    rules: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    bands: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    voice_top: int = 0
    voice_total: int = 0
    gender: Tally = field(default_factory=Tally)
    heard: Tally = field(default_factory=Tally)  # the voice's gender, as casting picks it
    seconds: float = 0.0


def books(path: Path, gold_dir: Path, split: str | None) -> list[tuple[Path, Path, Path | None]]:
    texts = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    if split:
        texts = texts[(0 if split == "even" else 1) :: 2]
    out = []
    for t in texts:
        stem = t.name.removesuffix(".txt")
        for d in (t.parent, gold_dir):
            gold = d / f"{stem}.gold.json"
            if gold.exists():
                chars = d / f"{stem}.characters.json"
                out.append((t, gold, chars if chars.exists() else None))
                break
    return out


def read_book(text_path: Path, gold_path: Path, strict: bool = False):
    """A gold set's text, gold quotes and the gold name a prediction of `narrator` stands
    for (with `strict`, only the gold file's own narrator)."""
    text = text_path.read_text(encoding="utf-8")
    gold, narrator = load_gold(gold_path)
    return text, gold, narrator if strict else narrator_of(text, gold, narrator)


_SAID_I = re.compile(rf"^[\s,;—–-]*(?:I\s+(?:\w+ly\s+)?{VERB}|{VERB}\s+I\b)")


def narrator_of(text: str, gold: list[dict], narrator: str | None) -> str | None:
    """The gold name a prediction of `narrator` stands for: the gold file's narrator,
    else the speaker of the gold quotes the text itself tags '"...," said I' (LitBank
    names a first-person narrator by name: Pip, Watson, Jane)."""
    if narrator:
        return narrator
    names = {g["speaker"] for g in gold if g["speaker"]}
    said_i = Counter(
        g["speaker"]
        for g, q in zip(gold, gold_quotes(text, gold), strict=True)
        if g["speaker"] and _SAID_I.match(text[q.outer_end : q.outer_end + 60])
    )
    if said_i:
        who, n = said_i.most_common(1)[0]
        if n * 2 > sum(said_i.values()):
            return who
    return next((n for n in ("I", "narrator") if n in names), None)


_DETERMINER = re.compile(r"^(?:the|an?|my|his|her|our|their|your)\s+", re.IGNORECASE)
_SMALL = {"of", "the", "and", "a", "an", "in", "on", "to", "who", "whose", "had", "out"}


def bare(name: str) -> str:
    """A described entry as a character list writes it: 'the old woman' -> 'Old Woman'."""
    words = _DETERMINER.sub("", name).split()
    return " ".join(
        w if i and w.lower() in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def bare_cast(listed: list[dict]) -> tuple[list[dict], dict[str, set[str]]]:
    """The characters file with its described entries bared, and each bare name's gold names
    ('the old woman' and 'an old woman' are both 'Old Woman', as a reader lists them)."""
    out: dict[str, dict] = {}
    gold: dict[str, set[str]] = defaultdict(set)
    for c in listed:
        if not described_name(c["name"]):
            out[c["name"]] = c
            continue
        name = bare(c["name"])
        gold[name].add(c["name"])
        entry = out.setdefault(name, {"name": name, "aliases": [], "gender": c.get("gender")})
        aliases = (bare(a) for a in c.get("aliases") or [] if a != c["name"])
        entry["aliases"] = list(dict.fromkeys([*entry["aliases"], *aliases]))
    return list(out.values()), gold


def attributed(text: str, quotes, cast):
    plain = plain_apostrophes(text)
    ros = roster.build_roster(text, quotes, cast, plain)
    said = attribution.attribute(text, quotes, ros, plain)
    return ros, {(q.start, q.end): a for q, a in zip(quotes, said, strict=True)}


def right(a, g: dict, narrator: str | None, gold_names: dict[str, set[str]] | None) -> bool:
    """is_right, where a bare cast entry ('Old Woman') stands for its gold names."""
    if a is None:
        return False
    names = (gold_names or {}).get(a.speaker) or {a.speaker}
    return any(is_right(n, g, narrator) for n in names)


def diff_cast(
    name: str, text: str, gold: list[dict], narrator: str | None, cast, gold_names=None
) -> None:
    """Each gold-span quote the run without a cast gets right and the cast run gets wrong."""
    quotes = gold_quotes(text, gold)
    _, plain = attributed(text, quotes, None)
    _, with_cast = attributed(text, quotes, cast)
    listed = {a.lower() for e in cast.characters.values() for a in (e.name, *e.aliases)}
    for g, q in zip(gold, quotes, strict=True):
        a, b = plain[(q.start, q.end)], with_cast[(q.start, q.end)]
        if g["speaker"] is None or not is_right(a.speaker, g, narrator):
            continue
        if right(b, g, narrator, gold_names):
            continue
        known = {g["speaker"].lower(), *(x.lower() for x in g.get("aliases") or [])} & listed
        to_listed = b.speaker.lower() in listed
        cause = "listed" if known else "unlisted -> listed" if to_listed else "unlisted -> other"
        where = " ".join(text[q.start : q.start + 40].split())
        print(
            f"  {name[:28]:28} {cause:18} {b.rule:18} gold {g['speaker']!r}, "
            f"cast {b.speaker!r}: {where!r}"
        )


def run(
    text: str,
    gold: list[dict],
    narrator: str | None,
    cast,
    spans: bool,
    s: SetScore,
    mode,
    gold_names: dict[str, set[str]] | None = None,
):
    quotes = gold_quotes(text, gold) if spans else quote_finder.find_quotes(text)
    ros, by_span = attributed(text, quotes, cast)
    gender = {c.name: c.gender for c in ros.characters}
    detailed = mode == "end to end, no cast"
    voices: dict[str, Counter] = defaultdict(Counter)
    for g, gq in zip(gold, gold_quotes(text, gold), strict=True):
        if g["speaker"] is None:
            continue
        a = by_span.get(_match(gq, quotes))
        ok = right(a, g, narrator, gold_names)
        s.modes[mode].add(ok)
        if not detailed:
            continue
        s.rules[a.rule if a else "(quote missed)"].add(ok)
        conf = getattr(a, "confidence", None) if a else None
        if conf is not None:
            band = next(f"{lo:.2f}-{min(hi, 1):.2f}" for lo, hi in BANDS if lo <= conf < hi)
            s.bands[band].add(ok)
        voices[g["speaker"]][a.speaker if a else None] += 1
        if g.get("gender"):
            pred = a.speaker if a else None
            s.gender.add(
                (pred == NARRATOR and ok) or (pred is not None and gender.get(pred) == g["gender"])
            )
            # Casting voices a character of unknown gender as a man (casting.NEUTRAL_HZ), and
            # the narrator too unless the book says the narrator is a woman.
            if pred == NARRATOR:
                voiced = (ros.narrator_gender if ok else None) or "male"
                s.heard.add(ok and voiced == g["gender"])
            else:
                voiced = gender.get(pred) or "male" if pred is not None else None
                s.heard.add(voiced == g["gender"])
    for counts in voices.values():
        s.voice_top += max(counts.values())
        s.voice_total += sum(counts.values())


def score_set(
    path: Path,
    gold_dir: Path,
    split: str | None,
    strict: bool = False,
    names_only: bool = False,
    diff: bool = False,
    bare_descriptions: bool = False,
) -> SetScore:
    s = SetScore()
    start = time.perf_counter()
    for text_path, gold_path, chars in books(path, gold_dir, split):
        text, gold, narrator = read_book(text_path, gold_path, strict)
        listed = json.loads(chars.read_text(encoding="utf-8")) if chars else None
        if listed and names_only:
            listed = [c for c in listed if not described_name(c["name"])]
        gold_names = None
        if listed and bare_descriptions:
            listed, gold_names = bare_cast(listed)
        cast = cast_from(listed) if listed is not None else None
        if diff and cast is not None:
            diff_cast(text_path.stem, text, gold, narrator, cast, gold_names)
        for spans in (False, True):
            where = "gold spans" if spans else "end to end"
            run(text, gold, narrator, None, spans, s, f"{where}, no cast")
            if cast is not None:
                run(text, gold, narrator, cast, spans, s, f"{where}, cast", gold_names)
    s.seconds = time.perf_counter() - start
    return s


def report(name: str, s: SetScore) -> None:
    print(f"== {name} ({s.seconds:.1f} s)")
    for mode in (
        "end to end, no cast",
        "end to end, cast",
        "gold spans, no cast",
        "gold spans, cast",
    ):
        if mode in s.modes:
            print(f"  {mode:22} {s.modes[mode]}")
    total = s.modes["end to end, no cast"].total
    print("  rules (end to end, no cast): coverage, accuracy")
    for rule, t in sorted(s.rules.items(), key=lambda kv: -kv[1].total):
        print(f"    {rule:22} {t.total / max(1, total):6.1%}  {t}")
    if s.bands:
        print("  confidence bands (end to end, no cast): share, accuracy")
        for band, t in sorted(s.bands.items(), reverse=True):
            print(f"    {band:22} {t.total / max(1, total):6.1%}  {t}")
    print(
        f"  listener: one voice {s.voice_top / max(1, s.voice_total):.3f}, right gender {s.gender}"
    )
    heard = "voice heard of the right gender (unknown gender cast as a man, the narrator as told)"
    print(f"  {heard}: {s.heard}")


def set_arguments(description: str) -> argparse.ArgumentParser:
    """The arguments every scorer of gold sets takes: the sets, where gold is, a half."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("paths", type=Path, nargs="+", help="texts or folders of texts")
    ap.add_argument("--gold-dir", type=Path, default=HERE / "gold")
    ap.add_argument("--split", choices=["even", "odd"], help="every other file of a folder")
    return ap


def main(argv: list[str] | None = None) -> int:
    ap = set_arguments(__doc__.splitlines()[0])
    ap.add_argument("--strict", action="store_true", help="`narrator` only right if gold says so")
    ap.add_argument("--names-only", action="store_true", help="cast without described entries")
    ap.add_argument("--diff-cast", action="store_true", help="list quotes a cast gets wrong")
    ap.add_argument(
        "--bare-descriptions", action="store_true", help="described entries as 'Old Woman'"
    )
    args = ap.parse_args(argv)
    for path in args.paths:
        if not books(path, args.gold_dir, args.split):
            print(f"{path}: no gold file found", file=sys.stderr)
            return 1
        s = score_set(
            path,
            args.gold_dir,
            args.split,
            args.strict,
            args.names_only,
            args.diff_cast,
            args.bare_descriptions,
        )
        report(path.name or str(path), s)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
