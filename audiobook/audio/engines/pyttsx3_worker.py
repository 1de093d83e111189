"""Child process of the pyttsx3 engine: one JSON request per line, one reply per line.

Requests: {"pieces", "voice", "rate", "pitch", "path"}; replies: {"ok": true}
or {"error": "..."}.

Speech goes through pyttsx3's own libespeak-ng binding (``pyttsx3.drivers._espeak``),
with the same calls its espeak driver makes (voice by name, rate, pitch, volume,
``Synth`` with ENDPAUSE), but in espeak's *synchronous* mode: the driver's
retrieval mode runs a synthesis thread that its ``runAndWait`` polls with
10 ms sleeps, and it appends audio to one bytes object; that made clips ~6x
slower than espeak-ng itself. The samples are the same.

libespeak-ng carries state from one utterance to the next (the pitch flutter
phase among others), so the same text comes out a few samples different
depending on what was said before. To make a clip identical whatever was
rendered earlier, this process initialises espeak once and never speaks:
each request is spoken by a fresh fork of it (synchronous mode starts no
thread, so the fork is safe), which costs ~3 ms.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import wave

from audiobook.lifeline import die_with_parent, ignore_stop_signals

SAMPLE_RATE = 22050
_chunks: list[bytes] = []


def _on_synth(wav, numsamples, events) -> int:
    if numsamples > 0:
        _chunks.append(ctypes.string_at(wav, numsamples * 2))
    return 0


def init():
    """Load and initialise libespeak-ng once, in the process that will fork."""
    from pyttsx3.drivers import _espeak

    rate = _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000)
    if rate != SAMPLE_RATE:
        raise RuntimeError(f"espeak-ng initialised at {rate} Hz, expected {SAMPLE_RATE}")
    _espeak.SetSynthCallback(_on_synth)
    return _espeak


def render(espeak, request: dict) -> None:
    """Speak one request into its WAV file."""
    if espeak.SetVoiceByName(request["voice"].encode("utf-8")) != espeak.EE_OK:
        raise RuntimeError(f"espeak-ng has no voice {request['voice']!r}")
    espeak.SetParameter(espeak.RATE, int(request["rate"]), 0)
    espeak.SetParameter(espeak.PITCH, int(request["pitch"]), 0)
    espeak.SetParameter(espeak.VOLUME, 100, 0)
    _chunks.clear()
    for piece in request["pieces"]:
        espeak.Synth(piece.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8)
    frames = b"".join(_chunks)
    if not frames:
        raise RuntimeError(f"espeak-ng rendered no audio for {' '.join(request['pieces'])[:60]!r}")
    with wave.open(str(request["path"]), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(frames)


def _render_in_fork(espeak, request: dict) -> None:
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked child
        die_with_parent(parent)
        os.close(read_end)
        code = 0
        try:
            render(espeak, request)
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
    espeak = init()
    # Without fork (not Linux/macOS) clips depend a little on what came before.
    speak = _render_in_fork if hasattr(os, "fork") else render
    for line in lines:
        request = json.loads(line)
        try:
            speak(espeak, request)
            answer: dict[str, object] = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
            answer = {"error": str(exc)}
        reply(json.dumps(answer))


if __name__ == "__main__":
    # Ctrl-C and SIGTERM go to the whole process group; the parent decides what to do,
    # and this process goes when its parent does (even after kill -9).
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        die_with_parent(int(sys.argv[1]))
    ignore_stop_signals()
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies may reach the parent's pipe

    def _reply(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    serve(sys.stdin, _reply)
