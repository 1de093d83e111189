"""Catalogue throughput: one shelf built locally and on a Dask cluster of 1 and 2 workers.

    .venv/bin/python bench/bench_catalogue.py TEXT... [--books N] [--words W] [--json FILE]

A temporary shelf of N books is made from the given texts (each book: the first W words of
one text cut at a paragraph end, in a folder with its book.toml). The same shelf is then
built three times side by side, each with an empty clip cache and library:

- ``local``: ``audiobook catalogue`` on this machine (``--jobs`` = every core);
- ``dask-1``: through a Dask scheduler with one single-thread worker process;
- ``dask-2``: the same with two worker processes.

Printed per run: wall seconds, books per hour, audio hours per wall hour, and the ratio to
the local run; every run's library must be byte-identical to the local one (checked). The
scheduler and workers listen on 127.0.0.1 only and are stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from dask_cluster import Cluster  # noqa: E402 - the tests' local cluster, started the same way


def make_shelf(texts: list[Path], books: int, words: int, shelf: Path) -> None:
    for n in range(books):
        source = texts[n % len(texts)]
        text = _first_words(source.read_text(encoding="utf-8"), words)
        folder = shelf / f"book-{n + 1:03d}"
        folder.mkdir(parents=True)
        (folder / "text.txt").write_text(text, encoding="utf-8")
        title = re.sub(r"^\d+_", "", source.stem).replace("_", " ").title()
        (folder / "book.toml").write_text(
            f'[book]\ntitle = "{title} ({n + 1})"\nauthor = "Bench Author {n % 3}"\n',
            encoding="utf-8",
        )


def _first_words(text: str, words: int) -> str:
    if words <= 0:
        return text
    out, count = [], 0
    for para in re.split(r"\n\s*\n", text):
        out.append(para)
        count += len(para.split())
        if count >= words:
            break
    return "\n\n".join(out) + "\n"


def run(shelf: Path, library: Path, executor: str | None) -> float:
    cmd = [sys.executable, "-m", "audiobook", "catalogue", str(shelf), "-o", str(library)]
    cmd += ["--cache-dir", f"{library}-cache", "--no-check", "-q"]
    if executor:
        cmd += ["--executor", executor]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"catalogue failed ({executor or 'local'}):\n{done.stderr}")
    return seconds


def same_library(a: Path, b: Path) -> bool:
    files = sorted(a.rglob("*.mp3"))
    differ = [p for p in files if p.read_bytes() != (b / p.relative_to(a)).read_bytes()]
    for path in differ:
        print(f"differs: {path.relative_to(a)} ({b.name})", file=sys.stderr)
    return bool(files) and not differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", nargs="+", type=Path)
    parser.add_argument("--books", type=int, default=6)
    parser.add_argument("--words", type=int, default=1500, help="0: whole texts")
    parser.add_argument("--json", type=Path, help="append the figures as one JSON line")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-catalogue-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        shelf = work / "shelf"
        make_shelf(args.texts, args.books, args.words, shelf)
        libraries = {}
        for name, workers in (("local", 0), ("dask-1", 1), ("dask-2", 2)):
            cluster = None
            if workers:
                folder = work / f"cluster-{workers}"
                folder.mkdir()
                cluster = Cluster(folder).start(workers=workers)
            try:
                library = work / f"library-{name}"
                seconds = run(shelf, library, cluster.url if cluster else None)
            finally:
                if cluster:
                    cluster.stop()
            report = json.loads((library / "catalogue.json").read_text())
            audio_h = report["totals"]["audio_hours"]
            libraries[name] = library
            rows.append(
                {
                    "run": name,
                    "books": len(report["books"]),
                    "wall_s": round(seconds, 1),
                    "books_per_hour": round(len(report["books"]) * 3600 / seconds, 1),
                    "audio_h_per_wall_h": round(audio_h * 3600 / seconds, 1),
                    "audio_h": audio_h,
                }
            )
        local = rows[0]
        for row in rows:
            row["vs_local"] = round(row["books_per_hour"] / local["books_per_hour"], 2)
            row["identical_to_local"] = same_library(libraries["local"], libraries[row["run"]])
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"{args.books} books of ~{args.words} words, {os.cpu_count()} cores, load {_load()}")
    print(f"{'run':8} {'wall s':>8} {'books/h':>9} {'audio h/h':>10} {'vs local':>9} same")
    for r in rows:
        print(
            f"{r['run']:8} {r['wall_s']:8.1f} {r['books_per_hour']:9.1f} "
            f"{r['audio_h_per_wall_h']:10.1f} {r['vs_local']:9.2f} {r['identical_to_local']}"
        )
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"books": args.books, "words": args.words, "rows": rows}) + "\n")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
