"""Voice previews: a few seconds of each voice, in that character's own words.

Listening to previews is how a cast gets tuned before a long build, so each
sample speaks the character's first lines (the narrator's first narration)
through the lexicon, exactly as the build will say them.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.audio import previewfiles
from audiobook.errors import InputError, OutputError
from audiobook.ffmpeg import require_ffmpeg
from audiobook.fsutil import atomic_write
from audiobook.model import NARRATOR, Cast, CastEntry, VoiceSettings
from audiobook.speakers.casting import speaker_entry, speaker_rate

if TYPE_CHECKING:
    from audiobook.audio.engines import Engine
    from audiobook.pipeline import Prepared

PREVIEW_WORDS = 55  # about 20 s at the default 175 words per minute
STOCK_LINE = "Hello, I am {name}. This is the voice I speak with in this book."
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")


@dataclass(frozen=True)
class Sample:
    """One preview to render: who, in which language and voice, saying what."""

    name: str
    language: str
    settings: VoiceSettings
    text: str
    file: str  # file name inside the output folder


def find_entry(cast: Cast, name: str) -> CastEntry:
    """The cast entry called ``name`` (or one of its aliases), any case."""
    wanted = name.strip().casefold()
    if wanted == NARRATOR:
        return cast.narrator
    for entry in cast.characters.values():
        if wanted in {entry.name.casefold(), *(a.casefold() for a in entry.aliases)}:
            return entry
    known = ", ".join(sorted(cast.characters)) or "none"
    raise InputError(
        f"unknown character {name!r}; characters in this cast: {known} "
        "(or `narrator`); see `audiobook cast`"
    )


def _voiced(entry: CastEntry) -> CastEntry:
    if not entry.voice:
        raise InputError(
            f"{entry.name} speaks no line of this book, so has no voice to preview; "
            "give it a voice in the cast file (`audiobook voices` lists them)"
        )
    return entry


def plan_previews(
    prepared: Prepared,
    character: str | None = None,
    text: str | None = None,
    engine: Engine | None = None,
) -> list[Sample]:
    """What `render_previews` will say, without rendering it."""
    script, cast = prepared.script, prepared.cast
    main = script.main_language
    # A character the book names but never hears has no voice (`cast` lists no voice for it).
    entries = [e for e in (cast.narrator, *cast.characters.values()) if e.voice]
    if character is not None:
        entries = [_voiced(find_entry(cast, character))]
    if text is not None:
        if not re.search(r"\w", text):
            raise InputError("--text has nothing to speak: give a sentence with words in it")
        entry = entries[0]  # the narrator unless a character was named
        language = _language_of(text, main, engine)
        voice = _variant(engine, entry.voice, language)
        return [
            Sample(
                entry.name,
                language,
                VoiceSettings(voice, speaker_rate(cast, entry), entry.pitch),
                text.strip(),
                _file_name(entry.name, language, main, set()),
            )
        ]

    # Every voice a speaker uses, with its lines, first lines first.
    spoken: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for chapter in script.chapters:
        for seg in chapter.segments:
            if seg.source and seg.source.startswith("credits:"):
                continue  # the generated credits are no line of the book
            owner = speaker_entry(cast, seg).name
            if seg.kind == "dialogue" and owner == NARRATOR and seg.speaker != NARRATOR:
                continue  # unattributed speech is read by the narrator, but is not its voice
            voice, lines = spoken.setdefault((owner, seg.language), (seg.voice, []))
            if sum(len(line.split()) for line in lines) < PREVIEW_WORDS:
                lines.append(seg.text)

    samples: list[Sample] = []
    used: set[str] = set()
    for entry in entries:
        languages = sorted(
            {lang for (name, lang) in spoken if name == entry.name},
            key=lambda lang: (lang != main, lang),
        )
        if not languages:
            stock = STOCK_LINE.format(name=entry.name if entry.name != NARRATOR else "the narrator")
            languages, lines_of = [main], {main: (entry.voice, [stock])}
        else:
            lines_of = {lang: spoken[(entry.name, lang)] for lang in languages}
        for lang in languages:
            voice, lines = lines_of[lang]
            samples.append(
                Sample(
                    entry.name,
                    lang,
                    VoiceSettings(voice or entry.voice, speaker_rate(cast, entry), entry.pitch),
                    clip_words(lines, PREVIEW_WORDS),
                    _file_name(entry.name, lang, main, used),
                )
            )
    return samples


def render_previews(
    prepared: Prepared,
    outdir: Path,
    character: str | None = None,
    engine: Engine | str | None = None,
    text: str | None = None,
) -> list[Path]:
    """Render one MP3 per voice (or only ``character``'s) into ``outdir``; their paths."""
    engine = engine or prepared.tts
    if engine is None or isinstance(engine, str):
        from audiobook.audio.engines import get_engine

        engine = get_engine(engine or prepared.engine_name)
    samples = plan_previews(prepared, character, text, engine)
    ffmpeg = require_ffmpeg("mp3").ffmpeg
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {outdir}: {exc.strerror or exc}") from None
    previewfiles.check_targets(outdir, [sample.file for sample in samples])
    lexicon = prepared.lexicon
    written: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix="audiobook-preview-") as tmp:
            for i, sample in enumerate(samples):
                spoken = lexicon.apply(sample.text, sample.language) if lexicon else sample.text
                wav = Path(tmp) / f"{i}.wav"
                engine.render(spoken, sample.settings, wav)
                target = outdir / sample.file
                atomic_write(target, to_mp3(ffmpeg, wav))
                written.append(target)
    finally:  # what was written before a failure is ours too, and may be replaced next time
        if written:
            previewfiles.record(outdir, written)
    return written


def clip_words(lines: list[str], limit: int) -> str:
    """The lines as one text of about ``limit`` words, cut at a sentence end if possible."""
    text = " ".join(_ended(" ".join(line.split())) for line in lines if line.strip())
    words = text.split()
    if len(words) <= limit:
        return text
    head = " ".join(words[:limit])
    ends = [m.start() for m in _SENTENCE_END.finditer(head + " ")]
    if ends and ends[-1] > len(head) // 3:
        return head[: ends[-1]].strip()
    return _ended(head.rstrip(",;:–—-"))


def _ended(line: str) -> str:
    # A line cut by its tag ('"I don't know," she said') ends in a comma: a stop replaces it.
    line = line.rstrip(",;:–—- ") if line and line[-1] in ",;:–—-" else line
    return line if not line or line[-1] in ".!?…\"'”’)" else line + "."


def _file_name(name: str, language: str, main: str, used: set[str]) -> str:
    slug = re.sub(r"[^\w]+", "-", name.casefold()).strip("-") or "character"
    stem = slug if language == main else f"{slug}.{language}"
    candidate, n = stem, 2
    while candidate in used:  # "Mila Arias" and "mila-arias" would collide
        candidate, n = f"{stem}-{n}", n + 1
    used.add(candidate)
    return f"{candidate}.mp3"


def _language_of(text: str, main: str, engine: Engine | None) -> str:
    from audiobook.text.language import candidate_languages, segment_language

    supported = engine.supported_languages() if engine is not None else {main}
    return segment_language(text, main, candidate_languages(main, supported))


def _variant(engine: Engine | None, voice: str, language: str) -> str:
    return (engine.language_variant(voice, language) if engine is not None else None) or voice


def to_mp3(ffmpeg: str, wav: Path) -> bytes:
    done = subprocess.run(
        [
            ffmpeg,
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(wav),
            "-ac",
            "1",
            "-ar",
            "44100",
            "-codec:a",
            "libmp3lame",
            "-q:a",
            "4",
            "-f",
            "mp3",
            "-",
        ],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        problem = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OutputError(
            f"ffmpeg could not encode a preview ({problem[-1] if problem else 'no output'})"
        )
    return done.stdout
