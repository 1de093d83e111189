"""Lay a chapter's clips out in time and stream its PCM, in one pass.

The plan says where every clip starts (in frames at the working rate), with
a pause before it scaled by its boundary, room tone at the head and the
tail, and cuts a chapter longer than the per-file limit into parts at
paragraph boundaries. The stream then writes room tone and clips straight to
a sink (an encoder's stdin), a clip at a time: each clip is fitted and
levelled as a pydub AudioSegment (audio/clipaudio.py), but the chapter is
never one, so memory does not grow with it and nothing is concatenated.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from audiobook.audio.cache import ClipAudio, read_pcm
from audiobook.audio.clipaudio import fit, from_pcm, level
from audiobook.model import ChapterScript, Segment

CHUNK_FRAMES = 1 << 16  # silence is written in chunks of this many frames
SPLIT_AT = ("scene", "paragraph")  # boundaries a long chapter may be cut at
# Blocks: runs of paragraphs encoded on their own (see plan_blocks). An edit re-encodes about
# 1.3x the mean block. Blocks share ffmpeg processes (audio/encode.py), so a block costs no
# process start of its own and short ones cost a cold build nothing measurable.
# Great Expectations' first 100,000 characters: 292 blocks of 5-106 s, 24 s on average
# (a block ends only at a paragraph start); an edit re-encodes 22 s in the median.
BLOCK_MIN, BLOCK_MAX = 5.0, 25.0  # seconds
BLOCK_WINDOW = 6.0  # seconds: a block starts at a paragraph whose key is least within it


@dataclass(frozen=True)
class Pauses:
    """Seconds of silence; ``head``/``tail`` are the room tone around each file."""

    head: float = 0.75
    tail: float = 2.0
    none: float = 0.12  # a sentence broken by a speech tag
    sentence: float = 0.35
    paragraph: float = 0.8
    scene: float = 1.5
    chapter: float = 1.2  # after the chapter title

    def before(self, boundary: str) -> float:
        return float(getattr(self, boundary, self.sentence)) if boundary != "head" else self.head


@dataclass(frozen=True)
class Piece:
    segment: int  # index of the segment in its chapter
    key: str | None  # clip key; None for a segment with nothing to say
    start: int  # first frame in the part
    frames: int


@dataclass(frozen=True)
class Block:
    """A stretch of a part, encoded on its own: pieces [first, last), frames [start, end)."""

    first: int
    last: int
    start: int
    end: int


@dataclass
class Part:
    """One output file's worth of a chapter (the whole chapter unless it is too long)."""

    chapter: int
    index: int  # 0-based part number within the chapter
    rate: int
    frames: int = 0
    pieces: list[Piece] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def working_rate(audio: Sequence[ClipAudio]) -> int:
    """The rate a chapter is assembled at: its clips' rate (the highest if they differ)."""
    return max((a.rate for a in audio), default=22050)


def _frames_at(clip: ClipAudio, rate: int) -> int:
    return clip.frames if clip.rate == rate else round(clip.frames * rate / clip.rate)


def plan_chapter(
    chapter_index: int,
    chapter: ChapterScript,
    keys: Sequence[str | None],
    audio: dict[str, ClipAudio],
    pauses: Pauses,
    rate: int,
    max_seconds: float | None = None,
    align: tuple[int, int] | None = None,
) -> list[Part]:
    """Where each segment's clip goes; more than one part only past ``max_seconds``.

    ``align`` = (period, residue): every block but the last is made ``residue``
    frames modulo ``period`` long (see mp3_alignment).
    """
    segments = chapter.segments
    heading = chapter.chapter.heading
    lengths = [_frames_at(audio[k], rate) if k else 0 for k in keys]
    gaps = []
    for i, seg in enumerate(segments):
        gap = pauses.before(seg.boundary) if i else 0.0
        prev = segments[i - 1] if i else None
        if prev is not None and heading and heading[0] <= prev.start and prev.end <= heading[1]:
            gap = max(gap, pauses.chapter)
        gaps.append(round(gap * rate))
    head, tail = round(pauses.head * rate), round(pauses.tail * rate)
    limit = None if max_seconds is None else int(max_seconds * rate) - head - tail
    cuts = _cuts(segments, lengths, gaps, limit)
    parts = []
    for n, (lo, hi) in enumerate(zip(cuts, cuts[1:], strict=False)):
        part = Part(chapter_index, n, rate)
        pos = head
        for i in range(lo, hi):
            pos += gaps[i] if i > lo else 0
            part.pieces.append(Piece(i, keys[i], pos, lengths[i]))
            pos += lengths[i]
        part.frames = pos + tail
        part.blocks = plan_blocks(part, [segments[p.segment].boundary for p in part.pieces])
        if align is not None:
            _align_blocks(part, *align)
        parts.append(part)
    return parts


# LAME delays its output by 576 samples and flushes with zeros to whole frames (at
# least 576 more); blocks encoded apart and joined frame to frame leave one block's
# padding and the next one's delay as digital silence between them: up to 66 ms at
# 44.1 kHz, measured. A block of a whole number of frames is padded least (576
# samples): 26 ms of silence at each join, under the 50 ms a listener hears as a gap.


def mp3_alignment(rate: int, out_rate: int) -> tuple[int, int] | None:
    """(period, residue) in frames at ``rate``: blocks of whole MPEG frames."""
    frame = 1152 if out_rate >= 32000 else 576  # MPEG-1 / MPEG-2 Layer III
    if (frame * rate) % out_rate:
        return None  # no whole number of working frames per MPEG frame
    return frame * rate // out_rate, 0


def _align_blocks(part: Part, period: int, residue: int) -> None:
    """Lengthen the room tone at the end of each block (never more than one MPEG frame)
    so it is whole encoder frames (see mp3_alignment); later pieces move with it.

    The extra tone goes at the end of the block before the cut, so a block's own
    layout never depends on the blocks before it: an edit still re-encodes one block.
    """
    shift = 0
    blocks, pieces = [], part.pieces
    for n, block in enumerate(part.blocks):
        start, end = block.start + shift, block.end + shift
        for i in range(block.first, block.last):
            p = pieces[i]
            pieces[i] = Piece(p.segment, p.key, p.start + shift, p.frames)
        if n < len(part.blocks) - 1:
            extra = (residue - (end - start)) % period
            end += extra
            shift += extra
        blocks.append(Block(block.first, block.last, start, end))
    part.blocks = blocks
    part.frames += shift


def plan_blocks(part: Part, boundaries: Sequence[str]) -> list[Block]:
    """Cut a part into blocks at paragraph starts chosen by content, not by position.

    A paragraph start is a cut when its clip key (a hash) is the least of every
    paragraph start within BLOCK_WINDOW of it, and it lies BLOCK_MIN inside the part;
    a stretch between cuts still longer than BLOCK_MAX is cut into equal shares. Every
    cut depends only on the paragraphs around it, so an edit changes the block that
    holds it (now and then one beside it too: the edited paragraph's own key and its
    length take part in the cuts nearest to it) and leaves every other block, and its
    encoded audio, alone.
    """
    rate, pieces = part.rate, part.pieces
    starts = [i for i in range(1, len(pieces)) if boundaries[i] in SPLIT_AT and pieces[i].key]
    cuts = [0, *_block_cuts(pieces, starts, part.frames, rate), len(pieces)]
    blocks = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        # A block starts where the previous clip ends: the pause belongs to the block after it.
        start = 0 if lo == 0 else pieces[lo - 1].start + pieces[lo - 1].frames
        end = part.frames if hi == len(pieces) else pieces[hi - 1].start + pieces[hi - 1].frames
        blocks.append(Block(lo, hi, start, end))
    return blocks


def _block_cuts(pieces: Sequence[Piece], starts: list[int], end: int, rate: int) -> list[int]:
    """Indices of the pieces that start a block (see plan_blocks), in order."""
    window, least = BLOCK_WINDOW * rate, BLOCK_MIN * rate
    at = [pieces[i].start for i in starts]
    rank = [int((pieces[i].key or "")[:8], 16) for i in starts]
    cuts = [0]
    for n, i in enumerate(starts):
        if at[n] < least or end - at[n] < least:
            continue
        before, after = n - 1, n + 1
        while before >= 0 and at[n] - at[before] < window and rank[before] > rank[n]:
            before -= 1
        while after < len(at) and at[after] - at[n] < window and rank[after] > rank[n]:
            after += 1
        if (before < 0 or at[n] - at[before] >= window) and (
            after == len(at) or at[after] - at[n] >= window
        ):
            cuts.append(i)
    # A stretch still longer than BLOCK_MAX: cut into equal shares at the nearest paragraph
    # starts (only an edit inside the stretch moves them).
    found = [0]
    edges = [*(pieces[c].start for c in cuts), end]
    for n, cut in enumerate(cuts):
        lo, hi = edges[n], edges[n + 1]
        if n:
            found.append(cut)
        shares = math.ceil((hi - lo) / (BLOCK_MAX * rate))
        inside = [i for i in starts if lo + least <= pieces[i].start <= hi - least]
        for k in range(1, shares if inside else 1):
            target = lo + (hi - lo) * k / shares
            best = min(inside, key=lambda i: abs(pieces[i].start - target))
            if best > found[-1]:
                found.append(best)
    return found[1:]


def _cuts(
    segments: Sequence[Segment], lengths: list[int], gaps: list[int], limit: int | None
) -> list[int]:
    """Segment indices where parts start (plus the end): at the last paragraph before the limit."""
    cuts = [0]
    if limit is not None and limit > 0:
        used, best = 0, None  # best: the latest paragraph start in the current part
        for i, seg in enumerate(segments):
            step = lengths[i] + (gaps[i] if i > cuts[-1] else 0)
            if used + step > limit and i > cuts[-1]:
                cut = best if best is not None else i
                cuts.append(cut)
                used = sum(lengths[j] + (gaps[j] if j > cut else 0) for j in range(cut, i))
                best = None
                step = lengths[i] + (gaps[i] if i > cut else 0)
            if seg.boundary in SPLIT_AT and i > cuts[-1]:
                best = i
            used += step
    cuts.append(len(segments))
    return cuts


def stream_part(
    part: Part,
    audio: dict[str, ClipAudio],
    gains: dict[str, float],
    write: Callable[[bytes], object],
    block: Block | None = None,
) -> None:
    """Write the part's (or one block's) 16-bit mono PCM at ``part.rate``, in order.

    ``gains`` maps clip keys to a linear gain (absent: 1.0); samples saturate
    rather than wrap, and the mastering plan keeps them below full scale.
    """
    for chunk in part_chunks(part, audio, gains, block):
        write(chunk)


def part_chunks(
    part: Part,
    audio: dict[str, ClipAudio],
    gains: dict[str, float],
    block: Block | None = None,
) -> Iterator[bytes]:
    """The PCM ``stream_part`` writes, as it goes: room tone and one clip at a time."""
    block = block or Block(0, len(part.pieces), 0, part.frames)
    pos = block.start
    for piece in part.pieces[block.first : block.last]:
        yield from _silence(piece.start - pos)
        pos = piece.start
        if piece.key is None:
            continue
        # One clip at a time through pydub: the chapter itself is never held in memory.
        clip = audio[piece.key]
        fitted = fit(from_pcm(read_pcm(clip), clip.rate), part.rate, piece.frames)
        yield fill_digital_silence(level(fitted, gains.get(piece.key, 1.0)).raw_data)
        pos += piece.frames
    yield from _silence(block.end - pos)


ROOM_TONE_PEAK = 10  # 16-bit steps: uniform noise at about -75 dBFS RMS


@cache
def _room_tone_chunk() -> bytes:
    """A fixed run of very quiet noise for pauses and head/tail room tone.

    Digital silence between sentences sounds like the recording was gated, and
    ACX reviewers flag dead air; a constant, inaudible floor well under their
    -60 dB limit sounds like a quiet room. Seeded, so every build is the same.

    The samples are ``random.Random(0).randint(-ROOM_TONE_PEAK, ROOM_TONE_PEAK)`` drawn
    CHUNK_FRAMES times, made without a Python call per sample (~0.03 s of CPU in every
    process that writes audio): randint takes the top bits of one 32-bit Mersenne Twister
    word per draw and draws again when they are too large; ``randbytes`` hands out the same
    words, little-endian, so the top byte of each is every fourth byte.
    """
    width = 2 * ROOM_TONE_PEAK + 1
    shift = 8 - width.bit_length()  # top byte -> the top bits randint reads
    too_large = bytes(b for b in range(256) if b >> shift >= width)
    words = random.Random(0).randbytes(8 * CHUNK_FRAMES)  # 2 words a sample: plenty
    draws = words[3::4].translate(None, too_large)
    assert len(draws) >= CHUNK_FRAMES  # fixed by the seed
    sample = [
        ((b >> shift) - ROOM_TONE_PEAK).to_bytes(2, "little", signed=True) for b in range(256)
    ]
    return b"".join(map(sample.__getitem__, draws[:CHUNK_FRAMES]))  # 16-bit little-endian


# Runs of 16-bit little-endian samples 0, 1 or -1: digital silence, not a room.
DIGITAL_SILENCE = re.compile(rb"(?:\x00\x00|\x01\x00|\xff\xff){32,}")
# Every byte of such a run is 00, 01 or ff: bytes marked 0 here, any other byte 1.
_QUIET_BYTES = bytes(0 if b in (0x00, 0x01, 0xFF) else 1 for b in range(256))
_MIN_RUN = 64  # bytes: 32 samples


def _quiet_runs(data: bytes) -> Iterator[tuple[int, int]]:
    """Maximal runs of at least ``_MIN_RUN`` bytes that are all 00, 01 or ff.

    Only these can hold a DIGITAL_SILENCE match, and the regex finds the same matches in
    a run as in the whole clip (a match cannot cross a byte outside the set). Scanning a
    clip with the regex itself costs ~6 s of CPU per hour of speech; a translate and a
    substring search find the runs in a fifth of that, and the regex then reads only them.
    """
    marks = data.translate(_QUIET_BYTES)
    wanted, pos = bytes(_MIN_RUN), 0
    while (start := marks.find(wanted, pos)) >= 0:
        end = marks.find(b"\x01", start + _MIN_RUN)
        pos = len(data) if end < 0 else end
        yield start, pos


def fill_digital_silence(data: bytes) -> bytes:
    """Room tone in place of the digital silence inside a clip (engines pad with zeros).

    Only runs of at least 32 samples of (near) zero are filled: speech is left as it is.
    """
    out, pos = [], 0
    for first, last in _quiet_runs(data):
        for match in DIGITAL_SILENCE.finditer(data, first, last):
            start, end = match.start() + match.start() % 2, match.end() - match.end() % 2
            if end - start < 64:
                continue
            out.append(data[pos:start])
            out.append(room_tone(end - start, start))
            pos = end
    if not out:
        return data
    out.append(data[pos:])
    return b"".join(out)


def room_tone(size: int, offset: int = 0) -> bytes:
    """``size`` bytes of room tone, from a place in the chunk that depends on ``offset``."""
    chunk = _room_tone_chunk()
    begin = (offset * 7919) % len(chunk) & ~1
    pieces, left = [], size
    while left > 0:
        piece = chunk[begin : begin + left]
        pieces.append(piece)
        left -= len(piece)
        begin = 0
    return b"".join(pieces)


def _silence(frames: int) -> Iterator[bytes]:
    while frames > 0:
        n = min(frames, CHUNK_FRAMES)
        yield _room_tone_chunk()[: n * 2]
        frames -= n
