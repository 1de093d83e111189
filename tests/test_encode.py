"""Several blocks in one ffmpeg process (real ffmpeg): each output is what it would be alone."""

from __future__ import annotations

import math
import os
import random
import subprocess
import time
from pathlib import Path

import pytest

from audiobook.audio.encode import Encoder, Feed, Spare, codec_args
from audiobook.audio.mastering import PROFILES, filter_chain
from audiobook.errors import OutputError
from audiobook.publish.export import mp3_frames

RATE = 22050


def encode_streams(streams: list[tuple[Feed, int, float]], profile, codec: str, outs) -> None:
    """One ffmpeg for the streams (feed, rate, encoder gain), each into its ``outs`` entry."""
    Encoder(profile, codec, outs, [gain for _, _, gain in streams]).run(streams)


def encode_pcm(feed: Feed, rate: int, gain: float, profile, codec: str, out) -> None:
    encode_streams([(feed, rate, gain)], profile, codec, [out])


def _speechlike(seconds: float, seed: int) -> bytes:
    """Tone bursts of varying pitch and level over quiet noise, 16-bit mono."""
    rng = random.Random(seed)
    out = bytearray()
    for n in range(int(seconds * RATE)):
        burst = (n // 4000) % 3 != 2
        pitch = 120 + 40 * ((n // 4000) % 5) + 10 * seed
        value = 9000 * math.sin(2 * math.pi * pitch * n / RATE) if burst else 0.0
        out += int(value + rng.randint(-20, 20)).to_bytes(2, "little", signed=True)
    return bytes(out)


def _children() -> set[int]:
    pid = os.getpid()
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(c) for c in text.split()}
    return found


def test_blocks_encoded_together_are_the_bytes_of_each_encoded_alone(tmp_path):
    profile = PROFILES["acx"]
    blocks = [
        (_speechlike(seconds, n), gain)
        for n, (seconds, gain) in enumerate([(3.0, 1.0), (7.5, 1.4), (1.2, 0.8), (5.0, 1.1)])
    ]
    alone = []
    for n, (data, gain) in enumerate(blocks):
        path = tmp_path / f"alone{n}.mp3"
        encode_pcm([data], RATE, gain, profile, "mp3", path)
        alone.append(path.read_bytes())
    together = [tmp_path / f"together{n}.mp3" for n in range(len(blocks))]
    streams = [
        # Written in pieces, as a block's clips and pauses are: ffmpeg reads all inputs at once.
        ([data[i : i + 10_000] for i in range(0, len(data), 10_000)], RATE, gain)
        for data, gain in blocks
    ]
    encode_streams(streams, profile, "mp3", together)
    for path, expected, (data, _) in zip(together, alone, blocks, strict=True):
        encoded = path.read_bytes()
        assert encoded == expected
        frames = mp3_frames(encoded)
        assert frames.sample_rate == 44100 and frames.bitrates == {192}
        seconds = len(data) / 2 / RATE
        assert seconds <= frames.samples / 44100 <= seconds + 0.06  # delay + padding: 2 frames


def test_a_feed_that_fails_stops_its_group_and_is_raised(tmp_path):
    def broken():
        yield _speechlike(0.5, 1)
        raise OutputError("cached clip damaged")

    streams = [
        ([_speechlike(30.0, 0)], RATE, 1.0),
        (broken(), RATE, 1.0),
        ((bytes(20_000) for _ in range(200)), RATE, 1.0),
    ]
    before = _children()
    started = time.monotonic()
    with pytest.raises(OutputError, match="cached clip damaged"):
        encode_streams(streams, PROFILES["acx"], "mp3", [tmp_path / f"{n}.mp3" for n in range(3)])
    assert time.monotonic() - started < 30
    assert _children() <= before  # no encoder left running


def test_an_ffmpeg_failure_names_the_files(tmp_path):
    missing = tmp_path / "no such folder" / "x.mp3"
    streams = [([bytes(4000)], RATE, 1.0), ([bytes(4000)], RATE, 1.0)]
    with pytest.raises(OutputError, match="x.mp3"):
        encode_streams(streams, PROFILES["acx"], "mp3", [tmp_path / "ok.mp3", missing])


def test_blocks_are_grouped_few_per_worker_and_balanced():
    from audiobook.audio.assemble import Block, Part
    from audiobook.audio.mastering import Levels
    from audiobook.publish.context import Output, PlannedBlock
    from audiobook.publish.mp3_files import GROUP_MAX, _groups

    rng = random.Random(3)
    part = Part(0, 0, RATE)
    fresh = []
    for n in range(150):
        frames = int(rng.uniform(5, 40) * RATE)
        block = PlannedBlock(f"fp{n}", Block(0, 1, 0, frames), Levels({}, 1.0))
        fresh.append((f"fp{n}", (Output(part, "t"), block)))
    groups = _groups(fresh, 2)
    assert sorted(fp for g in groups for fp, _ in g) == sorted(fp for fp, _ in fresh)
    assert len(groups) == math.ceil(150 / GROUP_MAX) and all(len(g) <= GROUP_MAX for g in groups)
    loads = [sum(b.block.end - b.block.start for _, (_, b) in g) / RATE for g in groups]
    assert max(loads) - min(loads) <= 40  # no group longer than another by a block
    assert len(_groups(fresh[:1], 2)) == 1
    assert [len(g) for g in _groups(fresh[:3], 2)] in ([2, 1], [1, 2])  # both cores busy
    assert _groups([], 2) == []


def test_the_bytes_are_those_of_raw_pcm_through_the_chain_on_the_command_line(tmp_path):
    """Streams go in as WAV with their chains as scripts: the same MP3 as raw PCM with ``-af``."""
    profile, data = PROFILES["acx"], _speechlike(4.0, 2)
    reference = tmp_path / "reference.mp3"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "1"]
    command += ["-i", "pipe:0", "-af", filter_chain(1.3, profile), "-ac", "1"]
    subprocess.run([*command, *codec_args("mp3", profile), str(reference)], input=data, check=True)
    ours = tmp_path / "ours.mp3"
    encode_pcm([data], RATE, 1.3, profile, "mp3", ours)
    assert ours.read_bytes() == reference.read_bytes()


def test_a_spare_encoder_started_early_writes_the_same_bytes_and_is_stopped_unused(tmp_path):
    profile, data = PROFILES["acx"], _speechlike(2.0, 3)
    alone = tmp_path / "alone.mp3"
    encode_pcm([data], RATE, 0.9, profile, "mp3", alone)
    before = _children()
    spare = Spare()
    spare.start(profile, "mp3", tmp_path / "block-spare.mp3")
    time.sleep(0.3)  # it waits for its stream
    held = spare.take()
    assert held is not None and spare.take() is None  # taken once
    encoder, dest = held
    encoder.run([([data], RATE, 0.9)])
    assert dest.read_bytes() == alone.read_bytes()
    dest.unlink()
    unused = Spare()
    unused.start(profile, "mp3", tmp_path / "block-spare.mp3")
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name]
    unused.close()
    assert not [p.name for p in tmp_path.iterdir() if ".partial-" in p.name]
    assert _children() <= before


def test_a_spare_that_stopped_is_not_used(tmp_path):
    """An ffmpeg that cannot run the spare's options (-filter_script left a later version)
    stops at once: the build then encodes with a new process instead."""
    spare = Spare()
    spare.start(PROFILES["acx"], "mp3", tmp_path / "block-spare.mp3")
    held = spare._held
    assert held is not None
    held[0].proc.kill()
    held[0].proc.wait()
    assert spare.take() is None
    assert not list(tmp_path.iterdir())  # its file is gone too
