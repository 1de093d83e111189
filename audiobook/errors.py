"""Library errors. The CLI turns every AudiobookError into one `Error: ...` line.

The message must say what to fix, in one line, for the person at the terminal.
"""


class AudiobookError(Exception):
    """Base of every error the user can act on."""


class InputError(AudiobookError):
    """A manuscript file or folder that cannot be read or used."""


class CastFileError(AudiobookError):
    """A cast or lexicon file that is malformed or names unknown voices."""


class EngineError(AudiobookError):
    """A TTS engine that is missing, misconfigured, or failed to render."""


class ImplausibleClip(EngineError):
    """A clip was written but lasts implausibly long or short for its text.

    Raised after the WAV is complete: the renderer tries once more, then keeps the clip and
    warns, naming the line, rather than stopping a whole book on one odd line.
    """


class ToolMissingError(AudiobookError):
    """A required external program (ffmpeg, espeak-ng) is not installed."""


class OutputError(AudiobookError):
    """An output path that cannot be written."""


class ClusterError(AudiobookError):
    """The cluster that was to do the work cannot be reached, or was lost mid-build."""


class BookWarning(UserWarning):
    """Something the user should know that does not stop the book (a skipped file, an odd clip).

    The library raises it with :func:`warn`; the CLI collects every one and prints them once,
    after the command's result, each on its own ``Warning: ...`` line.
    """


def warn(message: str) -> None:
    import warnings

    warnings.warn(BookWarning(message), stacklevel=2)
