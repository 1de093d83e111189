"""Child processes die with their parent.

A speech worker that outlives its build (the build was killed with SIGKILL, or
crashed) would hold a CPU and an espeak process forever. On Linux, each child
asks the kernel to send it SIGKILL when its parent goes (``PR_SET_PDEATHSIG``),
then checks the parent did not go already, in the instant before it asked.
Elsewhere this is a no-op: those workers still end when their pipes close.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Iterator

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Call first thing in a child process; ``parent`` is the pid that started it."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no libc prctl: nothing more we can do
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def ignore_stop_signals() -> None:
    """Ctrl-C and SIGTERM reach the whole process group: the parent alone decides what stops.

    Then unblocks them (see :func:`stop_signals_blocked`): one that arrived while this child
    started is dropped here instead of killing it half-started.
    """
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@contextlib.contextmanager
def stop_signals_blocked() -> Iterator[None]:
    """Start children inside this: they are born with Ctrl-C and SIGTERM held back.

    A child started by Python gets the default action for signals its parent handles, so a
    SIGTERM to the process group in its first instants would kill it (and print a traceback)
    before it could ignore the signal. Blocked, the signal waits: the child drops it once it
    ignores it, and the parent receives its own copy when this block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
