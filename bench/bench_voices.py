"""Voices a listener can tell apart, at audiobook pace, on room tone; and engine throughput.

    python bench/bench_voices.py NOVEL [--chapters 4] [--out DIR] [--sample-words 600]

Builds the first chapters of NOVEL (e.g. ../shared/devset/great_expectations.txt) with
the default cast and measures, on the built audio:
- distinctness: the narrator and the 6 busiest characters; for every pair that takes
  turns in conversation (and the narrator with each), the median pitch of each voice as
  heard in the book, the difference in semitones, and whether the variant family differs;
- pace: words spoken per minute of built audio, pauses and room tone included;
- room tone: the longest run of digital zero, and how many of 50 ms or more, per file;
then renders the same sample text with espeak-ng and with Piper side by side: seconds of
audio per wall second and per CPU second, and the CPU cost of an hour of audio.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the same pitch measure the tests use

from audio_utils import median_pitch_hz, pcm  # noqa: E402

from audiobook.audio.engines import get_engine  # noqa: E402
from audiobook.model import NARRATOR, VoiceSettings  # noqa: E402
from audiobook.pipeline import prepare  # noqa: E402
from audiobook.publish.floor import measure_floor  # noqa: E402
from audiobook.speakers import voicespace  # noqa: E402
from audiobook.speakers.casting import dialogue_lines  # noqa: E402

HEADING = re.compile(r"^\s*chapter\s+[ivxlcdm\d]+\b", re.I | re.M)
BUSIEST = 6
PITCH_SECONDS = 40.0  # of each voice's speech, measured for its median pitch


def excerpt(novel: Path, chapters: int, into: Path) -> Path:
    text = novel.read_text(encoding="utf-8")
    found = [m.start() for m in HEADING.finditer(text)] + [len(text)]
    # A contents list is headings a line apart: chapters start at headings followed by text.
    starts = [a for a, b in zip(found, found[1:], strict=False) if b - a > 500]
    if not starts:
        sys.exit(f"no chapter headings found in {novel}")
    end = starts[chapters] if len(starts) > chapters else len(text)
    path = into / "excerpt.txt"
    path.write_text(text[starts[0] : end], encoding="utf-8")
    return path


def build(text: Path, out: Path, cache: Path, jobs: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "audiobook", "build", str(text), "-o", str(out)]
        + ["--cache-dir", str(cache), "-q", "--jobs", str(jobs)],
        check=True,
    )
    return time.perf_counter() - start


def segments(out: Path) -> list[tuple[Path, dict]]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [(out / c["file"], s) for c in manifest["chapters"] for s in c["segments"]]


def heard_pitch(segs: list[tuple[Path, dict]], who: str) -> float:
    """Median pitch of ``who``'s speech in the built files (narration for the narrator)."""
    import numpy as np

    pieces, total = [], 0.0
    for path, s in segs:
        mine = s["kind"] == "narration" if who == NARRATOR else s["speaker"] == who
        if mine and s["kind"] == ("narration" if who == NARRATOR else "dialogue"):
            pieces.append(pcm(path, s["start_ms"], s["end_ms"]))
            total += (s["end_ms"] - s["start_ms"]) / 1000
            if total >= PITCH_SECONDS:
                break
    return median_pitch_hz(np.concatenate(pieces)) if pieces else 0.0


def distinctness(text: Path, out: Path) -> bool:
    prepared = prepare([text])
    script, cast, engine = prepared.script, prepared.cast, prepared.tts
    lines = dialogue_lines(script)
    busiest = [n for n, _ in lines.most_common() if n != NARRATOR][:BUSIEST]
    pairs = voicespace.conversations(script)
    segs = segments(out)
    who = [NARRATOR, *busiest]
    pitch = {n: heard_pitch(segs, n) for n in who}
    entry = {n: cast.entry(n) for n in who}
    print(f"\n== distinctness: narrator + {len(busiest)} busiest characters ==")
    for n in who:
        e = entry[n]
        print(
            f"  {n:<20} {lines[n]:>4} lines  {e.voice:<18} pitch {e.pitch or 50:>3}"
            f"  heard {pitch[n]:6.1f} Hz"
        )
    print(f"  {'pair':<42} {'turns':>5} {'semitones':>9}  family  verdict")
    ok = True
    for i, a in enumerate(who):
        for b in who[i + 1 :]:
            turns = pairs[frozenset((a, b))]
            if a != NARRATOR and not turns:
                continue
            apart = abs(12 * math.log2(pitch[a] / pitch[b])) if pitch[a] and pitch[b] else 0.0
            other_family = engine.family(entry[a].voice) != engine.family(entry[b].voice)
            good = apart >= 2.0 or other_family
            ok &= good
            print(
                f"  {a + ' / ' + b:<42} {turns:>5} {apart:9.1f}  "
                f"{'differs' if other_family else 'same':<7} {'ok' if good else 'TOO CLOSE'}"
            )
    return ok


def pace(out: Path) -> float:
    segs = segments(out)
    words = sum(len(re.findall(r"\w+(?:['’]\w+)?", s["text"])) for _, s in segs)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    minutes = sum(c["duration"] for c in manifest["chapters"]) / 60
    wpm = words / minutes
    print(f"\n== pace == {words} words in {minutes:.1f} min of built audio: {wpm:.0f} wpm")
    return wpm


def room_tone(out: Path) -> bool:
    print("\n== room tone: digital zero (|sample| <= 1) runs per chapter file ==")
    ok = True
    for path in sorted(out.glob("*.mp3")):
        floor = measure_floor(path, 44100)
        ok &= floor.silences == 0
        print(
            f"  {path.name:<28} floor {floor.floor_db:6.1f} dB  longest zero run "
            f"{floor.longest_silence * 1000:4.0f} ms  runs >= 50 ms: {floor.silences}"
        )
    return ok


def children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def render_all(voice: str, paragraphs: list[str], scratch: Path) -> float:
    """In a child process of its own: render every paragraph; seconds of audio made."""
    import wave

    engine = get_engine()
    audio = 0.0
    try:
        for i, para in enumerate(paragraphs):
            path = scratch / f"{i}.wav"
            engine.render(para, VoiceSettings(voice, 150), path)
            with wave.open(str(path)) as w:
                audio += w.getnframes() / w.getframerate()
    finally:
        engine.close()  # reaps espeak's worker, so its CPU time is counted
    return audio


def throughput(text: Path, words: int, scratch: Path, usd_per_cpu_hour: float) -> None:
    paragraphs, count = [], 0
    for para in re.split(r"\n\s*\n", text.read_text(encoding="utf-8")):
        para = " ".join(para.split())
        if para and not HEADING.match(para):
            paragraphs.append(para)
            count += len(para.split())
            if count >= words:
                break
    voices = {"espeak-ng (pyttsx3)": "en-us+m1", "piper": "piper:en_US-joe-medium"}
    if not get_engine().is_valid_voice(voices["piper"]):
        del voices["piper"]
    (scratch / "paragraphs.json").write_text(json.dumps(paragraphs))
    print(
        f"\n== engines, same {count} words ({len(paragraphs)} paragraphs), one process each "
        f"(model loading included), load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "cores =="
    )
    print(
        f"  {'engine':<22} {'audio s':>8} {'wall s':>7} {'audio/wall':>10} {'audio/CPU':>9}"
        f" {'CPU-h per audio h':>17} {'USD per audio h':>15}"
    )
    for name, voice in voices.items():
        wall0, cpu0 = time.perf_counter(), children_cpu()
        done = subprocess.run(
            [sys.executable, __file__, "--render", voice, str(scratch)],
            capture_output=True,
            text=True,
            check=True,
        )
        wall, cpu = time.perf_counter() - wall0, children_cpu() - cpu0
        audio = float(done.stdout.strip())
        print(
            f"  {name:<22} {audio:8.1f} {wall:7.1f} {audio / wall:10.1f} {audio / cpu:9.1f}"
            f" {cpu / audio:17.4f} {cpu / audio * usd_per_cpu_hour:15.5f}"
        )
    print(f"  (cost at {usd_per_cpu_hour} USD per CPU-hour; wall figures depend on load)")


def main() -> None:
    if sys.argv[1:2] == ["--render"]:  # a child of throughput(): one engine, timed from outside
        voice, scratch = sys.argv[2], Path(sys.argv[3])
        paragraphs = json.loads((scratch / "paragraphs.json").read_text())
        print(render_all(voice, paragraphs, scratch))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("novel", type=Path)
    parser.add_argument("--chapters", type=int, default=4)
    parser.add_argument("--out", type=Path, default=None, help="keep the build here")
    parser.add_argument("--sample-words", type=int, default=600)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--usd-per-cpu-hour", type=float, default=0.05)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.out or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        text = excerpt(args.novel, args.chapters, work)
        out = work / "book"
        seconds = build(text, out, work / "cache", args.jobs)
        print(f"built {args.chapters} chapters of {args.novel.name} in {seconds:.0f} s -> {out}")
        distinct = distinctness(text, out)
        wpm = pace(out)
        clean = room_tone(out)
        throughput(text, args.sample_words, Path(tmp), args.usd_per_cpu_hour)
        print("\n== verdict ==")
        print(f"  distinct voices: {'met' if distinct else 'NOT met'}")
        print(f"  pace 150-170 wpm: {'met' if 150 <= wpm <= 170 else 'NOT met'} ({wpm:.0f})")
        print(f"  no digital zero >= 50 ms: {'met' if clean else 'NOT met'}")
        counts = Counter(s["voice"] for _, s in segments(out))
        print(f"  voices used: {len(counts)}")


if __name__ == "__main__":
    main()
