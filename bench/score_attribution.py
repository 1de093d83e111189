"""Score quote detection and speaker attribution against a gold file.

    python bench/score_attribution.py BOOK.txt BOOK.gold.json [BOOK.characters.json]

Gold: a JSON list of {"start", "end", "speaker", "aliases"} (content offsets,
no quotation marks), or {"narrator": NAME, "quotes": [...]} for a first-person
book, where a prediction of `narrator` counts for NAME's quotes. Reports
quote-detection recall/precision (audiobook.text.quotes; precision is
only meaningful when the gold covers the whole book), and speaker accuracy overall and by tag type
(named tag, pronoun tag, no tag), end to end without a cast, and with a cast
built from the characters file. A prediction is right when it is the gold
speaker's name or one of its aliases (case-insensitive).
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from audiobook.model import NARRATOR, Cast, CastEntry, Quote  # noqa: E402
from audiobook.speakers import attribution, roster
from audiobook.text.speechverbs import SPEECH_VERBS  # noqa: E402

_VERB = r"(?:" + "|".join(sorted(SPEECH_VERBS)) + r")"
_PRONOUN_TAG = re.compile(
    rf"^[\s,—–-]*(?:(?:he|she|I|they|we)\s+(?:\w+ly\s+)?{_VERB}|{_VERB}\s+(?:he|she|I|they|we)\b)"
)
_NAMED_TAG = re.compile(
    rf"^[\s,—–-]*(?:[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*\s+(?:\w+ly\s+)?{_VERB}|{_VERB}\s+[A-Z])"
)


def paragraph_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n[ \t]*\n\s*", text)]


def gold_quotes(text: str, gold: list[dict]) -> list[Quote]:
    """Quote objects from the gold spans, for scoring attribution on its own."""
    starts = paragraph_starts(text)
    return [
        Quote(
            g["start"],
            g["end"],
            g["start"] - 1,
            g["end"] + 1,
            bisect.bisect_right(starts, g["start"]) - 1,
            i,
            True,
        )
        for i, g in enumerate(gold)
    ]


def tag_kind(text: str, q: Quote) -> str:
    """How the text itself tags a quote, independent of the system under test."""
    after = text[q.outer_end : q.outer_end + 60]
    if _PRONOUN_TAG.match(after):
        return "pronoun tag"
    if _NAMED_TAG.match(after):
        return "named tag"
    return "no tag"


def cast_from(characters: list[dict]) -> Cast:
    return Cast(
        CastEntry("narrator", ""),
        {
            c["name"]: CastEntry(
                c["name"], "", c.get("gender"), list(c.get("aliases") or []), from_file=True
            )
            for c in characters
        },
    )


def load_gold(path: Path) -> tuple[list[dict], str | None]:
    """The gold quotes and the first-person narrator's name, if the book has one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return data["quotes"], data.get("narrator")
    return data, None


def is_right(pred: str | None, gold: dict, narrator: str | None = None) -> bool:
    if pred is None or gold["speaker"] is None:
        return False
    if pred == NARRATOR and narrator is not None and gold["speaker"] == narrator:
        return True
    names = {gold["speaker"].lower(), *(a.lower() for a in gold.get("aliases") or [])}
    return pred.lower() in names


def score(
    text: str, gold: list[dict], quotes: list[Quote], cast: Cast | None, narrator: str | None = None
) -> dict:
    start = time.perf_counter()
    ros = roster.build_roster(text, quotes, cast)
    said = attribution.attribute(text, quotes, ros)
    seconds = time.perf_counter() - start
    by_span = {(q.start, q.end): a for q, a in zip(quotes, said, strict=False)}
    known = {c.name: c.aliases for c in ros.characters}
    right, total, linked = Counter(), Counter(), 0
    gq = gold_quotes(text, gold)
    for g, q in zip(gold, gq, strict=False):
        if g["speaker"] is None:
            continue
        kind = tag_kind(text, q)
        a = by_span.get(_match(q, quotes))
        ok = a is not None and is_right(a.speaker, g, narrator)
        for k in ("all", kind):
            total[k] += 1
            right[k] += ok
        # Lenient: the predicted character goes by one of the gold names ("Konstantin"
        # for "Konstantin Zvonik" when the roster clustered both forms).
        linked += ok or (
            a is not None and any(is_right(n, g, narrator) for n in known.get(a.speaker, ()))
        )
    return {
        "seconds": seconds,
        "characters": len(ros.characters),
        "linked": linked / max(1, total["all"]),
        "accuracy": {k: (right[k] / total[k], total[k]) for k in total},
    }


def _match(gold_q: Quote, quotes: list[Quote]) -> tuple[int, int] | None:
    """The found quote that covers most of a gold quote (found spans may be trimmed)."""
    i = bisect.bisect_left([q.start for q in quotes], gold_q.start)
    best, best_overlap = None, 0
    for q in quotes[max(0, i - 2) : i + 2]:
        overlap = min(q.end, gold_q.end) - max(q.start, gold_q.start)
        if overlap > best_overlap:
            best, best_overlap = (q.start, q.end), overlap
    if best and best_overlap >= 0.5 * (gold_q.end - gold_q.start):
        return best
    return None


def detection(text: str, gold: list[dict]) -> tuple[list[Quote], dict]:
    from audiobook.text import quotes as quote_finder

    found = list(quote_finder.find_quotes(text))
    speech = [q for q in found if q.is_speech]
    gq = gold_quotes(text, [g for g in gold if g["speaker"] is not None])
    hits = sum(1 for g in gq if _match(g, speech))
    gold_spans = gold_quotes(text, gold)
    precise = sum(1 for q in speech if _match(q, gold_spans))
    return found, {
        "recall": hits / max(1, len(gq)),
        "precision": precise / max(1, len(speech)),
        "found": len(speech),
        "gold": len(gq),
    }


def report(label: str, result: dict) -> None:
    acc = result["accuracy"]
    parts = [
        f"{k} {v[0]:.3f} (n={v[1]})" for k, v in sorted(acc.items(), key=lambda kv: kv[0] != "all")
    ]
    print(
        f"{label}: "
        + ", ".join(parts)
        + f"; alias-linked {result['linked']:.3f}; {result['characters']} characters;"
        f" {result['seconds']:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("text", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("characters", type=Path, nargs="?")
    args = ap.parse_args(argv)
    text = args.text.read_text(encoding="utf-8")
    gold, narrator = load_gold(args.gold)
    cast = (
        cast_from(json.loads(args.characters.read_text(encoding="utf-8")))
        if args.characters
        else None
    )
    spans = gold_quotes(text, gold)
    report("gold spans, no cast", score(text, gold, spans, None, narrator))
    if cast:
        report("gold spans, cast", score(text, gold, spans, cast, narrator))
    quotes, det = detection(text, gold)
    print(
        f"quote detection: recall {det['recall']:.3f}, precision {det['precision']:.3f} "
        f"({det['found']} found, {det['gold']} gold speech quotes)"
    )
    report("end to end, no cast", score(text, gold, quotes, None, narrator))
    if cast:
        report("end to end, cast", score(text, gold, quotes, cast, narrator))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
