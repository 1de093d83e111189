"""Build benchmark: our build against the raw espeak-ng + ffmpeg floor, in one run.

    python bench/bench_build.py NOVEL.txt [--words N | --chars N] [--jobs J] [--keep DIR]
                                          [--no-m4b] [--no-floor]

Measures, side by side on the same text (the first N words, cut at a
paragraph end; the whole novel without --words):
  floor    espeak-ng CLI reading the text, piped into ffmpeg encoding the
           same MP3 settings (44.1 kHz mono 192 kbps CBR);
  cold     `audiobook build` with an empty clip cache;
  edit     `audiobook build` again after one paragraph in the middle changed;
  noop     `audiobook build` once more with nothing changed (answered from the last
           build's record), and noop_full: the same with that record removed (the build
           looks into the book and finds every file up to date);
  m4b      `audiobook build --format m4b` with an empty cache of its own, against cold;
and prints the ratios cold/floor and edit/cold (wall, and CPU seconds of each command
with all its children, which a loaded machine inflates less), peak memory (largest single
process, and the whole process tree polled from /proc), seconds of audio
per wall second, and milliseconds per word (compare an excerpt run with a
whole-novel run: the build should scale linearly).

The package's bytecode is compiled first (--source-only: not), as `pip install` does: with
PYTHONDONTWRITEBYTECODE set and an editable install, every command would otherwise compile
the package's ~150 modules from source (~0.1-0.3 s of CPU each run), which no installed
copy does.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def excerpt(text: str, words: int | None) -> str:
    """The first ``words`` words, ending at a paragraph end."""
    if not words:
        return text
    count = 0
    for match in re.finditer(r"\n\s*\n", text):
        count = len(text[: match.start()].split())
        if count >= words:
            return text[: match.start()].rstrip() + "\n"
    return text


def excerpt_chars(text: str, chars: int | None) -> str:
    """The first ``chars`` characters, extended to the next paragraph end."""
    if not chars or chars >= len(text):
        return text
    cut = text.find("\n\n", chars)
    return text if cut < 0 else text[:cut].rstrip() + "\n"


def du(folder: Path) -> int:
    """Bytes on disk (allocated blocks, as `du` counts them) under ``folder``."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file())


def edit_one_paragraph(text: str) -> str:
    """The same text with one sentence added to a paragraph in the middle."""
    paragraphs = [
        m for m in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text) if len(m.group().split()) > 20
    ]
    target = paragraphs[len(paragraphs) // 2]
    return (
        text[: target.end()] + " And then, quite suddenly, it began to rain." + text[target.end() :]
    )


class TreeMemory:
    """Polls /proc for the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.2):
        self.pid, self.every, self.peak = pid, every, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _children(self) -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                tree.setdefault(ppid, []).append(int(entry))
        return tree

    def _rss(self, pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self.stop.is_set():
            tree, todo, total = self._children(), [self.pid], 0
            while todo:
                pid = todo.pop()
                total += self._rss(pid)
                todo.extend(tree.get(pid, []))
            self.peak = max(self.peak, total)
            self.stop.wait(self.every)

    def close(self) -> int:
        self.stop.set()
        self.thread.join()
        return self.peak


CPU: dict[str, float] = {}  # label -> CPU seconds (user + system) of the command and its children


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str], label: str = "", **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds and peak tree RSS of a command; its CPU seconds go to CPU[label]."""
    started, cpu = time.monotonic(), _children_cpu()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    memory = TreeMemory(proc.pid)
    out, err = proc.communicate()
    peak = memory.close()
    seconds = time.monotonic() - started
    # Every process the command waited for counts: ffmpeg, espeak, speech workers.
    CPU[label] = _children_cpu() - cpu
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    return seconds, peak, subprocess.CompletedProcess(args, proc.returncode, out, err)


def floor(text_file: Path, out: Path) -> tuple[float, int]:
    cmd = (
        f"espeak-ng -v en-us -f '{text_file}' --stdout | ffmpeg -hide_banner -loglevel error -y "
        f"-f wav -i pipe:0 -ar 44100 -ac 1 -c:a libmp3lame -b:a 192k '{out}'"
    )
    seconds, peak, _ = timed(["sh", "-c", cmd], "floor")
    return seconds, peak


def build(
    label: str, text_file: Path, outdir: Path, cache: Path, jobs: int | None, *extra: str
) -> tuple[float, int, dict]:
    args = [
        sys.executable,
        "-m",
        "audiobook",
        "build",
        str(text_file),
        "-o",
        str(outdir),
        "--cache-dir",
        str(cache),
        "--quiet",
        *extra,
    ]
    if jobs:
        args += ["--jobs", str(jobs)]
    seconds, peak, _ = timed(args, label, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return seconds, peak, json.loads((outdir / "manifest.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("novel", type=Path)
    parser.add_argument("--words", type=int, default=None, help="excerpt length (default: whole)")
    parser.add_argument("--chars", type=int, default=None, help="excerpt length in characters")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--no-m4b", action="store_true", help="skip the M4B build")
    parser.add_argument("--no-floor", action="store_true", help="skip the espeak+ffmpeg floor")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep the files")
    parser.add_argument("--json", type=Path, default=None, help="append the figures to this file")
    parser.add_argument(
        "--source-only", action="store_true", help="do not compile the package's bytecode first"
    )
    args = parser.parse_args()
    if not args.source_only:
        compileall.compile_dir(ROOT / "audiobook", quiet=1)

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-audiobook-"))
    work.mkdir(parents=True, exist_ok=True)
    text = excerpt(args.novel.read_text(encoding="utf-8-sig"), args.words)
    text = excerpt_chars(text, args.chars)
    words = len(text.split())
    book = work / "book" / f"{args.novel.stem}.txt"
    book.parent.mkdir(exist_ok=True)
    book.write_text(text, encoding="utf-8")

    load_before = os.getloadavg()
    floor_s, floor_mem = (0.0, 0) if args.no_floor else floor(book, work / "floor.mp3")
    cold_s, cold_mem, manifest = build("cold", book, work / "out", work / "cache", args.jobs)
    cache_bytes = du(work / "cache")
    audio_s = sum(c["duration"] for c in manifest["chapters"])
    book.write_text(edit_one_paragraph(text), encoding="utf-8")
    edit_s, edit_mem, _ = build("edit", book, work / "out", work / "cache", args.jobs)
    noop_s, _, _ = build("noop", book, work / "out", work / "cache", args.jobs)
    for record in (work / "cache" / "frontend").glob("build-*.json"):
        record.unlink()  # what a rebuild costs when it has to look (audiobook/uptodate.py)
    noop_full_s, _, _ = build("noop_full", book, work / "out", work / "cache", args.jobs)
    m4b_s = 0.0
    if not args.no_m4b:
        # The same text as the MP3 cold build, into a cache of its own: clips rendered too.
        book.write_text(text, encoding="utf-8")
        m4b_s, _, _ = build(
            "m4b", book, work / "m4b", work / "cache-m4b", args.jobs, "--format", "m4b"
        )
    own_max = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # largest process
    load_after = os.getloadavg()

    figures = {
        "novel": args.novel.name,
        "words": words,
        "jobs": args.jobs or os.cpu_count(),
        "bytecode": "source only" if args.source_only else "compiled",
        "chapters": len(manifest["chapters"]),
        "audio_hours": round(audio_s / 3600, 3),
        "floor_s": round(floor_s, 1),
        "cold_s": round(cold_s, 1),
        "edit_s": round(edit_s, 1),
        "noop_s": round(noop_s, 2),
        "noop_full_s": round(noop_full_s, 2),
        "m4b_cold_s": round(m4b_s, 1),
        "cold_vs_floor": round(cold_s / floor_s, 3) if floor_s else None,
        "edit_vs_cold": round(edit_s / cold_s, 3),
        "m4b_vs_mp3": round(m4b_s / cold_s, 3) if m4b_s else None,
        **{f"{k}_cpu_s": round(v, 2) for k, v in CPU.items()},
        "edit_vs_cold_cpu": round(CPU["edit"] / CPU["cold"], 3),
        "m4b_vs_mp3_cpu": round(CPU["m4b"] / CPU["cold"], 3) if m4b_s else None,
        "load_avg_before": " ".join(f"{x:.1f}" for x in load_before),
        "load_avg_after": " ".join(f"{x:.1f}" for x in load_after),
        "cache_mb": round(cache_bytes / 1e6, 1),
        "cache_mb_per_audio_hour": round(cache_bytes / 1e6 / (audio_s / 3600), 1),
        "peak_tree_rss_mb": round(max(cold_mem, edit_mem) / 2**20),
        "peak_process_rss_mb": round(own_max / 2**20),
        "audio_s_per_wall_s": round(audio_s / cold_s, 1),
        "ms_per_word": round(cold_s * 1000 / words, 2),
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(
        "targets: cold_vs_floor <= 1.0 (aim 0.6), edit_vs_cold <= 0.03, noop_s < 0.8, "
        "m4b_vs_mp3 <= 1.3, peak RSS <= 400 MB"
    )
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(figures) + "\n")


if __name__ == "__main__":
    main()
