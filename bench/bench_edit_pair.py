"""One-paragraph edit rebuilds of a kept build, by two checkouts of the code side by side.

    bench/bench_edit_pair.py KEPT BEFORE_TREE AFTER_TREE [--rounds N]

KEPT is a folder left by ``bench_build.py --keep`` (book/, cache/, out/). Each tree (a
checkout with its own .venv, or a symlink to one) gets its own fresh copy of the cache and
the output, so their memos never mix and every edit renders its new clip. Every round
builds the book back to its kept text, then with one new sentence added to a different
paragraph (the same text for both trees, which alternate who goes first), and times only
that edit build: the command bench_build.py runs,
CPU = user + sys of it and everything it waited for. Prints medians and every figure with
the load average, and whether the chapter files the two trees wrote are byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import resource
import shutil
import statistics
import subprocess
import time
from pathlib import Path

WORDS = [
    "red",
    "green",
    "blue",
    "amber",
    "violet",
    "silver",
    "golden",
    "copper",
    "scarlet",
    "indigo",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kept", type=Path)
    parser.add_argument("trees", type=Path, nargs=2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    book = next((args.kept / "book").glob("*.txt"))
    base = book.read_text(encoding="utf-8")
    paragraphs = [
        m for m in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", base) if len(m.group().split()) > 20
    ]

    def edited(n: int) -> str:
        target = paragraphs[len(paragraphs) // 3 + n]
        sentence = f" The lamp glowed {WORDS[n % 10]} for {WORDS[n // 10 % 10]} reasons."
        return base[: target.end()] + sentence + base[target.end() :]

    def where(tree: Path, what: str) -> Path:
        return args.kept / f"{what}-{tree.resolve().name}"

    for tree in args.trees:  # fresh copies: an edit of an earlier run would find its clips
        for what in ("cache", "out"):
            shutil.rmtree(where(tree, what), ignore_errors=True)
            shutil.copytree(args.kept / what, where(tree, what))

    def build(tree: Path) -> tuple[float, float]:
        command = [str(tree / ".venv/bin/python"), "-m", "audiobook", "build", str(book)]
        command += ["-o", str(where(tree, "out")), "--cache-dir", str(where(tree, "cache"))]
        before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        done = subprocess.run(
            [*command, "--quiet"],
            cwd=tree,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{tree}: {done.stderr.strip()}")
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return cpu, time.monotonic() - started

    trees = list(args.trees)
    cpu: dict[Path, list[float]] = {t: [] for t in trees}
    wall: dict[Path, list[float]] = {t: [] for t in trees}
    try:
        load_before = os.getloadavg()
        for n in range(args.rounds):
            for tree in trees if n % 2 == 0 else trees[::-1]:
                book.write_text(base, encoding="utf-8")
                build(tree)  # back to the kept text (not timed)
                book.write_text(edited(n), encoding="utf-8")
                seconds, elapsed = build(tree)
                cpu[tree].append(seconds)
                wall[tree].append(elapsed)
        load_after = os.getloadavg()
    finally:
        book.write_text(base, encoding="utf-8")
    print("load average", " ".join(f"{x:.1f}" for x in load_before), "->", end=" ")
    print(" ".join(f"{x:.1f}" for x in load_after))
    for tree in trees:
        figures = ", ".join(f"{x:.2f}" for x in cpu[tree])
        print(
            f"{tree}: edit CPU median {statistics.median(cpu[tree]):.2f} s ({figures}); "
            f"wall median {statistics.median(wall[tree]):.2f} s"
        )
    first, second = (where(t, "out") for t in trees)
    files = sorted(p.name for p in first.glob("*.mp3"))
    _, differ, missing = filecmp.cmpfiles(first, second, files, shallow=False)
    print(f"chapter files byte-identical: {len(files) - len(differ) - len(missing)}/{len(files)}")


if __name__ == "__main__":
    main()
