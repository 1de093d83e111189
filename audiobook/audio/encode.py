"""One encode as a self-contained task: it may run in a thread here or on a cluster worker.

The task holds everything the encode reads (the part's plan, the clips it uses, their
gains, the encoder's settings) and nothing else, so it pickles small and an encode on
another machine gives the same bytes as one here: the same PCM from the same cached
clips into the same ffmpeg arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.assemble import Block, Part, stream_part
from audiobook.audio.cache import ClipAudio
from audiobook.audio.mastering import Profile
from audiobook.publish.export import encode_pcm


@dataclass(frozen=True)
class EncodeTask:
    part: Part
    audio: dict[str, ClipAudio]  # only the clips of ``block`` (of the whole part when None)
    gains: dict[str, float]
    block: Block | None
    encoder_gain: float
    profile: Profile
    codec: str  # "mp3" | "aac"


def encode_task(
    part: Part,
    audio: dict[str, ClipAudio],
    gains: dict[str, float],
    block: Block | None,
    encoder_gain: float,
    profile: Profile,
    codec: str,
) -> EncodeTask:
    pieces = part.pieces[block.first : block.last] if block else part.pieces
    used = {p.key for p in pieces if p.key}
    return EncodeTask(
        part,
        {k: audio[k] for k in used},
        {k: g for k, g in gains.items() if k in used},
        block,
        encoder_gain,
        profile,
        codec,
    )


def run_encode(
    task: EncodeTask, dest: Path, encoded: Callable[[float], object] | None = None
) -> None:
    """Encode the task's PCM into ``dest`` (a temporary path the caller renames).

    ``encoded(seconds)`` hears how much audio went to the encoder, as it goes.
    """
    rate = task.part.rate

    def counted(write: Callable[[bytes], object]) -> Callable[[bytes], object]:
        if encoded is None:
            return write

        def both(data: bytes) -> None:
            write(data)
            encoded(len(data) / (2 * rate))  # 16-bit mono

        return both

    encode_pcm(
        lambda write: stream_part(task.part, task.audio, task.gains, counted(write), task.block),
        task.part.rate,
        task.encoder_gain,
        task.profile,
        task.codec,
        dest,
    )
