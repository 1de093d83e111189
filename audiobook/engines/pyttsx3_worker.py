"""Child process of the pyttsx3 engine: one JSON request per line, one reply per line.

Runs pyttsx3 in its own process so that each process speaks with one base
voice only (see pyttsx3_engine). Requests: {"pieces", "voice", "rate",
"pitch", "path"}; replies: {"ok": true} or {"error": "..."}.
"""

from __future__ import annotations

import contextlib
import io
import json
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


def serve(lines, reply) -> None:
    import pyttsx3

    tts = pyttsx3.init("espeak")
    for line in lines:
        request = json.loads(line)
        path = Path(request["path"])
        scratch = path.with_name(path.name + ".piece.wav")
        try:
            frames = b"".join(_speak(tts, p, request, scratch) for p in request["pieces"])
            with wave.open(str(path), "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(SAMPLE_RATE)
                out.writeframes(frames)
            answer = {"ok": True}
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises
            answer = {"error": str(exc)}
        finally:
            scratch.unlink(missing_ok=True)
        reply(json.dumps(answer))


if __name__ == "__main__":
    out = sys.stdout
    sys.stdout = sys.stderr  # nothing but replies may reach the parent's pipe

    def _reply(text: str) -> None:
        out.write(text + "\n")
        out.flush()

    serve(sys.stdin, _reply)
