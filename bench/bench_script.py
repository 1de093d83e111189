"""`audiobook script` speed: the whole manuscript pipeline, end to end and stage by stage.

    python bench/bench_script.py NOVEL.txt [NOVEL.txt ...] [--cores N] [--profile STAGE]

For each novel:
  whole    `audiobook script NOVEL --json` in a subprocess pinned to N cores
           (1 by default): wall seconds and that process's own peak RSS
           (from wait4, so earlier runs don't count);
  stages   the same stages called in this process, one after another as the
           pipeline calls them, each timed: read, chapters, quotes, roster,
           attribution, segments, language, casting; with the peak RSS of
           this process after each stage.
--profile STAGE prints the top cProfile entries of that stage.
Target: a 200,000-word novel in under 15 s and 500 MB on one core.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# In the order the pipeline calls them.
STAGES = ("read", "quotes", "roster", "attribution", "chapters", "segments", "language", "casting")
TARGET_SECONDS_PER_200K = 15.0
TARGET_MB = 500


def whole_run(novel: Path, cores: int) -> dict:
    """`audiobook script --json` in its own process: wall time, peak RSS, output size."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "audiobook", "script", str(novel), "--json"],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            preexec_fn=lambda: os.sched_setaffinity(0, range(cores)),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(
                f"{novel}: exit {proc.returncode}: {err.read().decode(errors='replace')[-500:]}"
            )
        data = json.loads(out.read())
    segments = [s for c in data["chapters"] for s in c["segments"]]
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,  # KiB on Linux
        "chapters": len(data["chapters"]),
        "segments": len(segments),
        "dialogue": sum(s["kind"] == "dialogue" for s in segments),
    }


def stage_run(novel: Path, profile: str | None) -> dict[str, tuple[float, float]]:
    """Each stage's seconds and this process's peak RSS (MB) after it, wired as prepare() does."""
    from audiobook.audio.engines import DEFAULT_ENGINE, get_engine
    from audiobook.model import ChapterScript, Script
    from audiobook.speakers import attribution, casting, roster
    from audiobook.text import chapters, language, quotes, reader, segments
    from audiobook.text.apostrophes import plain_apostrophes

    times = dict.fromkeys(STAGES, 0.0)
    peaks: dict[str, float] = {}
    profiler = cProfile.Profile() if profile else None

    def timed(stage: str, fn, *args):
        if profiler and stage == profile:
            profiler.enable()
        start = time.perf_counter()
        result = fn(*args)
        times[stage] += time.perf_counter() - start
        if profiler and stage == profile:
            profiler.disable()
        peaks[stage] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result

    tts = get_engine(DEFAULT_ENGINE)
    docs = timed("read", reader.read_inputs, [novel])
    scripts: list[ChapterScript] = []
    for doc in docs:
        found = timed("quotes", quotes.find_quotes, doc.text)
        # Straightened once for both stages, as prepare() does; counted with the roster.
        plain = timed("roster", plain_apostrophes, doc.text)
        cast_roster = timed("roster", roster.build_roster, doc.text, found, None, plain)
        said = timed("attribution", attribution.attribute, doc.text, found, cast_roster, plain)
        speakers = dict(enumerate(said))
        for chapter in timed("chapters", chapters.split_chapters, doc):
            if not chapter.title:
                chapter = replace(chapter, title=f"Chapter {len(scripts) + 1}")
            segs = timed("segments", segments.segment_chapter, doc, chapter, found, speakers)
            scripts.append(ChapterScript(chapter, segs))
    every = [s for c in scripts for s in c.segments]
    main = timed("language", language.main_language, "\n\n".join(d.text for d in docs))
    timed("language", language.detect_languages, every, main, tts.supported_languages())
    script = Script(scripts, cast_roster, main)
    cast = timed("casting", casting.make_cast, script, tts, None)
    timed("casting", casting.assign_voices, script, cast, tts)
    if profiler:
        print(f"\n-- cProfile of {profile} --")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(15)
    return {stage: (times[stage], peaks.get(stage, 0.0)) for stage in STAGES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("novels", nargs="+", type=Path)
    parser.add_argument(
        "--cores", type=int, default=1, help="cores the whole run may use (default 1)"
    )
    parser.add_argument("--profile", choices=STAGES, help="print a cProfile of one stage")
    args = parser.parse_args()
    for novel in args.novels:
        words = len(novel.read_text(encoding="utf-8", errors="replace").split())
        whole = whole_run(novel, args.cores)
        # Scale the 15 s budget to this novel's length (the pipeline should be
        # linear), with a floor for start-up: imports and the engine take ~1 s.
        budget = max(TARGET_SECONDS_PER_200K * words / 200_000, 2.0)
        print(
            f"\n{novel.name}: {words:,} words, {whole['chapters']} chapters, "
            f"{whole['segments']:,} segments ({whole['dialogue']:,} dialogue)"
        )
        print(
            f"  whole   wall {whole['wall_s']:6.2f} s  cpu {whole['cpu_s']:6.2f} s  "
            f"peak {whole['peak_mb']:6.0f} MB  on {args.cores} core(s)  "
            f"[{'ok' if whole['wall_s'] <= budget and whole['peak_mb'] <= TARGET_MB else 'OVER'}: "
            f"budget {budget:.1f} s, {TARGET_MB} MB]  {whole['wall_s'] / words * 1e6:.0f} us/word"
        )
        stages = stage_run(novel, args.profile)
        total = sum(t for t, _ in stages.values())
        for stage, (seconds, peak) in stages.items():
            print(
                f"  {stage:<12} {seconds:6.2f} s  {100 * seconds / total:5.1f} %  peak RSS after "
                f"{peak:5.0f} MB"
            )
        print(
            f"  {'stages':<12} {total:6.2f} s  (in one process, engine start and imports not "
            "counted)"
        )


if __name__ == "__main__":
    main()
