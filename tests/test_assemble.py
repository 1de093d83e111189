"""Timeline, streaming and levels of a chapter, on clips rendered by real espeak-ng."""

from __future__ import annotations

import math
import random
import re
from array import array

import pytest

from audiobook.audio.assemble import (
    CHUNK_FRAMES,
    ROOM_TONE_PEAK,
    Pauses,
    _room_tone_chunk,
    fill_digital_silence,
    plan_chapter,
    room_tone,
    stream_part,
)
from audiobook.audio.cache import ClipCache, read_pcm
from audiobook.audio.clips import make_clips
from audiobook.audio.engines import get_engine
from audiobook.audio.mastering import PROFILES, block_levels, db, file_gain, part_rms, voice_gains
from audiobook.audio.render import Job, render_jobs

LONG_CHAPTER = [
    (
        "A Long Day",
        [
            (
                None,
                f"Part {n} of the day went by like the part before it.",
                "paragraph" if n % 3 == 0 else "sentence",
            )
            for n in range(12)
        ],
    )
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, make_book):
    tmp = tmp_path_factory.mktemp("assemble")
    book = make_book(tmp)
    long = make_book(tmp, LONG_CHAPTER, "long.txt")
    version = get_engine().version()
    cache = ClipCache(tmp / "cache", "pyttsx3", version)
    keys, jobs = {}, {}
    for name, b in (("book", book), ("long", long)):
        for clip in make_clips(b.script, b.cast, None):
            key = cache.key(clip)
            keys[(name, clip.chapter, clip.segment)] = key
            jobs[key] = Job(key, clip.text, clip.settings, "test")
    audio = render_jobs(list(jobs.values()), cache, "pyttsx3", 2)
    return book, long, keys, audio


def longest_digital_silence(data: bytes) -> int:
    longest = run = 0
    for x in array("h", data):
        run = run + 1 if abs(x) <= 1 else 0
        longest = max(longest, run)
    return longest


def test_room_tone_fills_digital_silence_and_leaves_sound_alone():
    speech = array("h", [1000, -2000, 3000, 1, 0, -1] * 10)
    gap = array("h", [0] * 5000)
    data = (speech + gap + speech).tobytes()
    out = array("h", fill_digital_silence(data))
    assert len(out) == len(speech) * 2 + len(gap)
    # Sound is untouched; near-zero samples stay too, unless they run into the long gap.
    assert out[: len(speech) - 3] == speech[:-3] and out[-len(speech) :] == speech
    middle = out[len(speech) : len(speech) + len(gap)]
    assert (
        max(map(abs, middle)) <= ROOM_TONE_PEAK and longest_digital_silence(middle.tobytes()) < 32
    )
    assert fill_digital_silence(speech.tobytes()) == speech.tobytes()


def whole_clip_fill(data: bytes) -> bytes:
    """What fill_digital_silence means, the slow way: the silence regex over the whole clip."""
    out, pos = [], 0
    for match in re.finditer(rb"(?:\x00\x00|\x01\x00|\xff\xff){32,}", data):
        start, end = match.start() + match.start() % 2, match.end() - match.end() % 2
        if end - start >= 64:
            out += [data[pos:start], room_tone(end - start, start)]
            pos = end
    return b"".join([*out, data[pos:]]) if out else data


def test_filling_finds_the_same_silences_as_the_regex_over_the_whole_clip():
    # Near-zero runs at odd byte offsets, of 31-33 samples, at both ends, in loud sound.
    rng = random.Random(7)
    pairs = (b"\x00\x00", b"\x01\x00", b"\xff\xff")
    for _ in range(2000):
        parts = []
        for _ in range(rng.randint(1, 8)):
            kind = rng.random()
            if kind < 0.4:  # bytes of the silent set, in any order
                parts.append(bytes(rng.choice((0, 1, 255)) for _ in range(rng.randint(0, 150))))
            elif kind < 0.6:
                parts.append(rng.choice(pairs) * rng.randint(29, 40))
            else:
                parts.append(bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 30))))
        data = b"".join(parts)
        data = data[: len(data) // 2 * 2]
        assert fill_digital_silence(data) == whole_clip_fill(data)


@pytest.mark.slow  # clips of real espeak-ng speech
def test_filling_real_clips_matches_the_regex_over_the_whole_clip(rendered):
    *_, audio = rendered
    for clip in audio.values():
        data = read_pcm(clip)
        assert fill_digital_silence(data) == whole_clip_fill(data)


def test_room_tone_is_the_seeded_randint_noise():
    noise = random.Random(0)
    drawn = (noise.randint(-ROOM_TONE_PEAK, ROOM_TONE_PEAK) for _ in range(CHUNK_FRAMES))
    assert _room_tone_chunk() == array("h", drawn).tobytes()  # little-endian hosts
    assert max(map(abs, array("h", _room_tone_chunk()))) == ROOM_TONE_PEAK


def chapter_keys(keys, name, c, n):
    return [keys[(name, c, s)] for s in range(n)]


@pytest.mark.slow  # clips of real espeak-ng speech
def test_pauses_follow_the_boundaries(rendered):
    book, _, keys, audio = rendered
    pauses = Pauses()
    chapter = book.script.chapters[0]
    [part] = plan_chapter(
        0, chapter, chapter_keys(keys, "book", 0, len(chapter.segments)), audio, pauses, 22050
    )
    pieces = part.pieces
    assert pieces[0].start == round(pauses.head * 22050)
    for prev, piece in zip(pieces, pieces[1:], strict=False):
        seg = chapter.segments[piece.segment]
        wanted = pauses.chapter if prev.segment == 0 else getattr(pauses, seg.boundary)
        assert piece.start - (prev.start + prev.frames) == round(wanted * 22050)
    assert part.frames == pieces[-1].start + pieces[-1].frames + round(pauses.tail * 22050)


@pytest.mark.slow  # clips of real espeak-ng speech
def test_streamed_pcm_is_silence_and_the_clips_at_their_places(rendered):
    book, _, keys, audio = rendered
    chapter = book.script.chapters[1]
    [part] = plan_chapter(
        1, chapter, chapter_keys(keys, "book", 1, len(chapter.segments)), audio, Pauses(), 22050
    )
    chunks: list[bytes] = []
    stream_part(part, audio, {}, chunks.append)
    data = b"".join(chunks)
    assert len(data) == part.frames * 2
    assert max(len(c) for c in chunks) <= max(p.frames for p in part.pieces) * 2  # never the whole
    filled = 0
    for piece in part.pieces:
        clip = array("h", read_pcm(audio[piece.key])[: piece.frames * 2])
        streamed = array("h", data[piece.start * 2 : (piece.start + piece.frames) * 2])
        # Speech is as rendered; the engine's digital silence inside the clip is room tone.
        for was, now in zip(clip, streamed, strict=True):
            if abs(was) > 1:
                assert now == was
            else:
                assert abs(now) <= ROOM_TONE_PEAK
        filled += sum(1 for was, now in zip(clip, streamed, strict=True) if was != now)
    assert filled > 0  # espeak pads its clips with zeros: some were replaced
    assert longest_digital_silence(data) < 32  # not one run of digital zero left, 1.5 ms
    # Head and tail are room tone: constant noise far under speech, never louder
    # than ROOM_TONE_PEAK steps, and not digital silence.
    for gap in (
        data[: part.pieces[0].start * 2],
        data[(part.pieces[-1].start + part.pieces[-1].frames) * 2 :],
    ):
        samples = array("h", gap)
        assert samples and max(map(abs, samples)) <= ROOM_TONE_PEAK
        assert sum(1 for x in samples if x) > len(samples) // 2


@pytest.mark.slow  # clips of real espeak-ng speech
def test_a_long_chapter_splits_at_a_paragraph_within_the_limit(rendered):
    _, long, keys, audio = rendered
    chapter = long.script.chapters[0]
    parts = plan_chapter(
        0,
        chapter,
        chapter_keys(keys, "long", 0, len(chapter.segments)),
        audio,
        Pauses(),
        22050,
        max_seconds=20,
    )
    assert len(parts) > 1
    assert [p.segment for part in parts for p in part.pieces] == list(range(len(chapter.segments)))
    for part in parts:
        assert part.seconds <= 20
    for part in parts[1:]:
        assert chapter.segments[part.pieces[0].segment].boundary == "paragraph"


@pytest.mark.slow  # clips of real espeak-ng speech
def test_each_voice_is_levelled_once_and_the_file_lands_on_target(rendered):
    book, _, keys, audio = rendered
    voice_of = {}
    for b, name in ((book, "book"),):
        for clip in make_clips(b.script, b.cast, None):
            voice_of[keys[(name, clip.chapter, clip.segment)]] = clip.settings.voice
    gains = voice_gains((v, audio[k]) for k, v in voice_of.items())
    levels = {}
    for key, voice in voice_of.items():
        e, n = levels.get(voice, (0.0, 0))
        levels[voice] = (e + audio[key].sumsq * gains[voice] ** 2, n + audio[key].frames)
    loudness = [db(math.sqrt(e / n)) for e, n in levels.values()]
    assert len(loudness) == 3 and max(loudness) - min(loudness) < 0.01
    # A small edit moves a voice's average a little: its gain is held.
    nudged = {v: g * 1.02 for v, g in gains.items()}
    assert voice_gains(((v, audio[k]) for k, v in voice_of.items()), nudged) == nudged
    chapter = book.script.chapters[0]
    [part] = plan_chapter(
        0, chapter, chapter_keys(keys, "book", 0, len(chapter.segments)), audio, Pauses(), 22050
    )
    total = file_gain(part_rms(part, audio, voice_of, gains), PROFILES["acx"])
    assert abs(db(part_rms(part, audio, voice_of, gains) * total) - PROFILES["acx"].rms_db) < 0.01
    lv = block_levels(part, None, voice_of, gains, audio, total)
    assert max(audio[k].peak * g for k, g in lv.clip_gains.items()) <= 0.98
    for key, g in lv.clip_gains.items():  # what the stream does not carry, the encoder does
        assert g * lv.encoder_gain == pytest.approx(gains[voice_of[key]] * total, rel=1e-4)


def _part_of(lengths_s, keys, rate=22050):
    from audiobook.audio.assemble import Part, Piece

    part, pos = Part(0, 0, rate), rate
    for n, (length, key) in enumerate(zip(lengths_s, keys, strict=False)):
        part.pieces.append(Piece(n, key, pos, int(length * rate)))
        pos += int((length + 0.8) * rate)
    part.frames = pos + 2 * rate
    return part


def test_blocks_are_cut_by_content_so_an_edit_leaves_other_blocks_alone():
    import hashlib

    from audiobook.audio.assemble import BLOCK_MAX, BLOCK_MIN, plan_blocks

    keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(200)]
    part = _part_of([2.0] * 200, keys)
    blocks = plan_blocks(part, ["paragraph"] * 200)
    assert part.seconds / BLOCK_MAX < len(blocks) < part.seconds / BLOCK_MIN
    assert len({b.last - b.first for b in blocks}) > 2  # cut by content, not every n
    assert blocks[0].start == 0 and blocks[-1].end == part.frames
    assert all(
        a.end == b.start and a.last == b.first for a, b in zip(blocks, blocks[1:], strict=False)
    )
    assert all((b.end - b.start) / part.rate <= BLOCK_MAX + 3 for b in blocks)
    # Paragraph 100 grows by 2 s: every block but the one holding it keeps its clips.
    edited = _part_of(
        [2.0] * 100 + [4.0] + [2.0] * 99, keys[:100] + ["e" + keys[100][1:]] + keys[101:]
    )
    after = plan_blocks(edited, ["paragraph"] * 200)
    spans = {(b.first, b.last) for b in blocks}
    changed = [b for b in after if (b.first, b.last) not in spans]
    holding = next(b for b in after if b.first <= 100 < b.last)
    assert all(b.first >= holding.first - 30 and b.last <= holding.last + 30 for b in changed)
    assert len([b for b in after if (b.first, b.last) in spans]) >= len(after) - 2


def test_mp3_blocks_are_whole_encoder_frames_and_stay_independent():
    """Blocks of whole MPEG frames: LAME pads them least, so joins stay under 50 ms."""
    import hashlib

    from audiobook.audio.assemble import _align_blocks, mp3_alignment, plan_blocks

    assert mp3_alignment(22050, 44100) == (576, 0)  # 1152-sample frames at 44.1 kHz
    assert mp3_alignment(22050, 22050) == (576, 0)  # MPEG-2: 576-sample frames
    assert mp3_alignment(16000, 44100) is None

    def aligned(lengths):
        keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(len(lengths))]
        part = _part_of(lengths, keys)
        part.blocks = plan_blocks(part, ["paragraph"] * len(lengths))
        before = [(p.start, p.frames) for p in part.pieces]
        _align_blocks(part, 576, 0)
        return part, before

    part, before = aligned([12.0] * 200)
    assert len(part.blocks) > 3 and part.blocks[-1].end == part.frames
    for a, b in zip(part.blocks, part.blocks[1:], strict=False):
        assert a.end == b.start and (a.end - a.start) % 576 == 0
        assert (
            b.start - (part.pieces[a.last - 1].start + part.pieces[a.last - 1].frames) < 0.9 * 22050
        )
    # Pieces keep their lengths; pauses grow by less than one MPEG frame per block.
    shifts = [p.start - s for p, (s, _) in zip(part.pieces, before, strict=True)]
    assert shifts == sorted(shifts) and shifts[-1] < 576 * len(part.blocks)
    # A longer first clip changes no later block's own layout.
    edited, _ = aligned([13.0] + [12.0] * 199)
    layout = lambda p, b: [(x.start - b.start, x.frames) for x in p.pieces[b.first : b.last]]  # noqa: E731
    for old, new in zip(part.blocks[1:], edited.blocks[1:], strict=True):
        assert layout(part, old) == layout(edited, new)


def test_an_edit_changes_only_the_block_that_holds_it_or_one_beside_it():
    """Cuts are decided from neighbouring paragraph starts only: wherever a paragraph
    grows (and so gets a new clip key), no block away from it changes, and most of the
    time only the block holding it does."""
    import hashlib
    import random

    from audiobook.audio.assemble import BLOCK_MAX, BLOCK_MIN, plan_blocks

    rng = random.Random(7)
    lengths = [rng.uniform(0.5, 8.0) for _ in range(300)]
    keys = [hashlib.sha256(str(n).encode()).hexdigest() for n in range(300)]

    def layout(lengths, keys):
        part = _part_of(lengths, keys)
        blocks = plan_blocks(part, ["paragraph"] * len(lengths))

        def own(b):  # what a block's encoded audio is made of, wherever it sits
            pieces = part.pieces[b.first : b.last]
            return (b.end - b.start, [(p.key, p.start - b.start, p.frames) for p in pieces])

        return part, blocks, {b: own(b) for b in blocks}

    part, before, old = layout(lengths, keys)
    seconds = [(b.end - b.start) / part.rate for b in before]
    assert all(BLOCK_MIN - 1 <= s <= BLOCK_MAX + 1 for s in seconds[:-1])
    assert BLOCK_MIN * 2 <= sum(seconds) / len(seconds) <= BLOCK_MAX
    old_sigs = [repr(s) for s in old.values()]
    only_holding = 0
    for n in rng.sample(range(300), 120):
        grown = lengths[:n] + [lengths[n] + 2.0] + lengths[n + 1 :]
        _, after, new = layout(grown, keys[:n] + ["f" + keys[n][1:]] + keys[n + 1 :])
        changed = [b for b in after if repr(new[b]) not in old_sigs]
        holding = next(i for i, b in enumerate(after) if b.first <= n < b.last)
        assert after[holding] in changed
        near = set(after[max(0, holding - 1) : holding + 2])
        assert set(changed) <= near, n
        only_holding += changed == [after[holding]]
    assert only_holding >= 70  # the rest: a neighbour too (the edited paragraph was a cut)
