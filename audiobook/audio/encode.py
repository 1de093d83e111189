"""Encodes as self-contained tasks, and the ffmpeg process that runs them.

A task holds everything its encode reads (the part's plan, the clips it uses, their
gains, the encoder's settings) and nothing else, so it pickles small and an encode on
another machine gives the same bytes as one here: the same PCM from the same cached
clips into the same ffmpeg arguments.

Several tasks can share one ffmpeg process (``run_encodes``): each has its own input
pipe, filter chain and encoder instance, so each output is byte for byte what the task
encoded alone gives, while the group pays for one process start. Starting ffmpeg (loading
its libraries) costs ~0.1 s of CPU, as much as encoding ~15 s of audio: with short blocks,
which keep an edit's re-encode small, one process per block would make the cold build
pay that hundreds of times.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import os
import selectors
import struct
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from audiobook.audio.assemble import Block, Part, part_chunks
from audiobook.audio.cache import ClipAudio
from audiobook.audio.mastering import Profile, filter_chain
from audiobook.errors import OutputError, ToolMissingError
from audiobook.ffmpeg import INSTALL
from audiobook.fsutil import new_partial, output_errors

PIPE_BUFFER = 1 << 18  # bytes a pipe to ffmpeg holds (Linux; 64 KiB elsewhere)
Feed = Iterable[bytes]  # a stream's PCM, in pieces


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
    run_encodes([task], [dest], encoded)


def run_encodes(
    tasks: Sequence[EncodeTask],
    dests: Sequence[Path],
    encoded: Callable[[float], object] | None = None,
    encoder: Encoder | None = None,
) -> None:
    """Encode each task into its ``dests`` entry, all in one ffmpeg process (``encoder``,
    started for those dests, or a new one).

    The tasks must share a codec and profile (one process, one set of encoder settings).
    """
    if not tasks:
        return

    def feed(task: EncodeTask) -> Feed:
        rate = task.part.rate
        for chunk in part_chunks(task.part, task.audio, task.gains, task.block):
            yield chunk
            if encoded is not None:
                encoded(len(chunk) / (2 * rate))  # 16-bit mono

    first = tasks[0]
    if encoder is None:
        encoder = Encoder(first.profile, first.codec, dests, [t.encoder_gain for t in tasks])
    encoder.run([(feed(t), t.part.rate, t.encoder_gain) for t in tasks])


def codec_args(codec: str, profile: Profile) -> list[str]:
    if codec == "mp3":
        # A block of a chapter: constant bit rate (-b:a alone), no bit reservoir so
        # every frame stands alone and blocks join frame to frame, no header (the
        # chapter file is joined and tagged later). LAME's -q 7 is plenty at
        # 192 kbps mono and encodes ~1.5x faster than its default.
        return [
            "-c:a",
            "libmp3lame",
            "-b:a",
            f"{profile.bitrate_k}k",
            "-reservoir",
            "0",
            "-compression_level",
            "7",
            "-write_xing",
            "0",
            "-id3v2_version",
            "0",
            "-f",
            "mp3",
        ]
    # ffmpeg's AAC encoder with its default "twoloop" search runs at about a fifth of LAME's
    # speed; the "fast" coder halves that gap, at no audible cost for speech at these rates.
    return ["-c:a", "aac", "-aac_coder", "fast", "-b:a", f"{profile.aac_bitrate_k}k", "-f", "ipod"]


def _wav_header(rate: int) -> bytes:
    """A WAV header of unknown length (ffmpeg reads to the end of the pipe): the stream
    carries its own rate, so an encoder can be started before the rate is known."""
    size = 0xFFFFFFFF
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, rate, 2 * rate, 2, 16)  # PCM, mono, 16-bit
    return b"RIFF" + struct.pack("<I", size) + b"WAVEfmt " + fmt + b"data" + struct.pack("<I", size)


class Encoder:
    """An ffmpeg process for ``len(outs)`` streams, started before it is given them.

    Each stream has its own pipe, mastering chain and encoder, so its output does not
    depend on the others. Streams go in as WAV, so ffmpeg learns their rates from them;
    without ``gains`` the chains come through pipes too (``-filter_script``, read once
    ffmpeg has its inputs), so the process can be started, and load its ~200 libraries,
    before the gains are known: see Spare.
    """

    def __init__(
        self, profile: Profile, codec: str, outs: Sequence[Path], gains: Sequence[float] = ()
    ) -> None:
        self.profile, self.outs, self.gains = profile, list(outs), list(gains)
        args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
        self._pipes = [os.pipe() for _ in outs]
        self._scripts = [] if gains else [os.pipe() for _ in outs]
        for read_end, _ in self._pipes:
            args += ["-f", "wav", "-i", f"pipe:{read_end}"]
        for n, out in enumerate(outs):
            args += ["-map", f"{n}:a"]
            if gains:
                args += ["-af", filter_chain(self.gains[n], profile)]
            else:  # deprecated in ffmpeg 7 (for -/filter); a spare that fails is not used
                args += ["-filter_script:a", f"pipe:{self._scripts[n][0]}"]
            args += ["-ac", "1", *codec_args(codec, profile), str(out)]
        theirs = [r for r, _ in self._pipes + self._scripts]
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, pass_fds=theirs
            )
        except FileNotFoundError as exc:
            self._close_pipes()
            raise ToolMissingError(f"ffmpeg not found; {INSTALL}") from exc
        except BaseException:
            self._close_pipes()
            raise
        for fd in theirs:
            os.close(fd)

    def _close_pipes(self) -> None:
        for pair in self._pipes + self._scripts:
            for fd in pair:
                os.close(fd)
        self._pipes = self._scripts = []

    def close(self) -> None:
        """Stop an encoder that was never run (or failed): no ffmpeg is left behind."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for _, w in self._pipes + self._scripts:
            os.close(w)
        self._pipes = self._scripts = []
        if self.proc.stderr is not None:
            self.proc.stderr.close()

    def run(self, streams: Sequence[tuple[Feed, int, float]]) -> None:
        """Encode (feed, rate, encoder gain) of each stream into its ``outs`` entry.

        ffmpeg reads its inputs side by side (it opens every one before it encodes and
        then takes from whichever output is behind), so each pipe is written as it has
        room (see _pour).
        """
        assert len(streams) == len(self.outs)
        assert not self.gains or self.gains == [gain for _, _, gain in streams]
        proc = self.proc
        try:
            for (_, _, gain), (_, script) in zip(streams, self._scripts, strict=False):  # or -af
                with contextlib.suppress(BrokenPipeError):  # ffmpeg is gone: stderr says why
                    os.write(script, filter_chain(gain, self.profile).encode())  # < a pipe
        except BaseException:
            self.close()
            raise
        for _, script in self._scripts:
            os.close(script)
        self._scripts = []
        pipes = [w for _, w in self._pipes]
        self._pipes = []  # _pour closes them
        stderr = proc.stderr
        assert stderr is not None  # opened as a pipe
        try:
            with output_errors(self.outs[0]):
                _pour(
                    [
                        (fd, itertools.chain([_wav_header(rate)], feed))
                        for fd, (feed, rate, _) in zip(pipes, streams, strict=True)
                    ]
                )
                err = stderr.read().decode("utf-8", "replace")
                code = proc.wait()
        finally:
            if proc.poll() is None:  # interrupted or failed: do not leave an encoder behind
                proc.kill()
                proc.wait()
            stderr.close()
        if code != 0:
            last = (err.strip().splitlines() or ["no message"])[-1]
            if "No space left" in err:
                raise OutputError(
                    f"disk full while writing {self.outs[0].parent}; free some space and run again"
                )
            names = ", ".join(out.name for out in self.outs)
            raise OutputError(f"ffmpeg could not encode {names}: {last}")


class Spare:
    """A one-stream Encoder started ahead of need, until someone takes it, or none.

    A rebuild after an edit starts one while it speaks the new clips; the block they
    land in is then encoded by a process that has already started (~0.05-0.1 s of wall
    time, ffmpeg loading its libraries, off the edit). Unused, it is stopped.
    """

    def __init__(self) -> None:
        self._held: tuple[Encoder, Path] | None = None
        self._lock = threading.Lock()

    def start(self, profile: Profile, codec: str, beside: Path) -> None:
        """Start one writing a new temporary file named after ``beside``."""
        if self._held is not None:
            return
        try:
            dest = new_partial(beside)
        except OutputError:
            return  # the encode itself will say what is wrong
        try:
            self._held = (Encoder(profile, codec, [dest]), dest)
        except (OSError, ToolMissingError):
            dest.unlink(missing_ok=True)

    def take(self) -> tuple[Encoder, Path] | None:
        """The started encoder and the file it writes (the taker removes it), once; none
        if it has stopped (an ffmpeg without ``-filter_script`` stops at once)."""
        with self._lock:
            held, self._held = self._held, None
        if held is not None and held[0].proc.poll() is not None:
            held[0].close()
            held[1].unlink(missing_ok=True)
            return None
        return held

    def close(self) -> None:
        held = self.take()
        if held is not None:
            held[0].close()
            held[1].unlink(missing_ok=True)


def _pour(streams: list[tuple[int, Iterator[bytes]]]) -> None:
    """Write each iterator's bytes into its pipe (non-blocking: whichever has room), then
    close the pipe; all from this thread.

    One thread, not one per stream: every thread that allocates a clip's PCM gets a
    malloc arena of its own that keeps the memory, ~6 MB per stream (measured: a build
    process of 157 MB with 16 feeding threads, 71 MB with one arena). A pipe ffmpeg
    stopped reading is closed like a finished one: its stderr says why.
    """
    pending = {fd: (chunks, memoryview(b"")) for fd, chunks in streams}
    selector = selectors.DefaultSelector()
    try:
        for fd in pending:
            os.set_blocking(fd, False)
            with contextlib.suppress(OSError):  # Linux: fewer, larger writes
                fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BUFFER)
            selector.register(fd, selectors.EVENT_WRITE)
        while pending:
            for key, _ in selector.select():
                fd = int(key.fd)
                chunks, rest = pending[fd]
                while not rest and (piece := next(chunks, None)) is not None:
                    rest = memoryview(piece)
                try:
                    if rest:
                        pending[fd] = (chunks, rest[os.write(fd, rest) :])
                        continue
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    pass
                selector.unregister(fd)  # done, or ffmpeg stopped reading it
                os.close(fd)
                del pending[fd]
    finally:
        for fd in pending:
            os.close(fd)
        selector.close()
