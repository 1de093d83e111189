"""Child process of the pyttsx3 engine: one JSON request per line, one reply per line.

Requests: {"pieces", "voice", "rate", "pitch", "path"}; replies: {"ok": true}
or {"error": "..."}.

libespeak-ng carries state from one utterance to the next (the pitch flutter
phase among others), so the same text comes out a few samples different
depending on what was said before. To make a clip identical whatever was
rendered earlier, every request is spoken by a fresh fork of this process,
taken *before* pyttsx3 initialises espeak (its synthesis thread makes a
later fork hang). A fork costs ~6 ms per clip.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import wave
from pathlib import Path

SAMPLE_RATE = 22050


def _speak(tts, text: str, request: dict, scratch: Path) -> bytes:
    for _attempt in range(3):  # pyttsx3 can return before the file is written
        scratch.unlink(missing_ok=True)
        tts.setProperty("voice", request["voice"])
        tts.setProperty("rate", request["rate"])
        tts.setProperty("pitch", request["pitch"])
        tts.setProperty("volume", 1.0)
        with contextlib.redirect_stdout(io.StringIO()):  # it prints "Audio saved to"
            tts.save_to_file(text, str(scratch))
            tts.runAndWait()
        try:
            with wave.open(str(scratch), "rb") as w:
                if w.getnframes() > 0 and w.getframerate() == SAMPLE_RATE:
                    return w.readframes(w.getnframes())
        except (OSError, EOFError, wave.Error):
            pass
    raise RuntimeError(f"espeak-ng rendered no audio for {text[:60]!r}")


def render(request: dict) -> None:
    """Speak one request into its WAV file, from espeak's initial state."""
    import pyttsx3

    path = Path(request["path"])
    scratch = path.with_name(path.name + ".piece.wav")
    try:
        tts = pyttsx3.init("espeak")
        frames = b"".join(_speak(tts, p, request, scratch) for p in request["pieces"])
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(frames)
    finally:
        scratch.unlink(missing_ok=True)


def _render_in_fork(request: dict) -> None:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        os.close(read_end)
        code = 0
        try:
            render(request)
        except BaseException as exc:  # noqa: BLE001 - reported through the pipe
            os.write(write_end, str(exc).encode("utf-8", "replace")[:2000] or b"failed")
            code = 1
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        message = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(message or f"espeak worker child ended with status {status}")


def serve(lines, reply) -> None:
    import pyttsx3  # noqa: F401 - imported once, before any fork

    speak = _render_in_fork if hasattr(os, "fork") else render
    for line in lines:
        request = json.loads(line)
        try:
            speak(request)
            answer = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
            answer = {"error": str(exc)}
        reply(json.dumps(answer))


if __name__ == "__main__":
    # Ctrl-C goes to the whole process group; the parent decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies may reach the parent's pipe

    def _reply(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    serve(sys.stdin, _reply)
