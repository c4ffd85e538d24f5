"""Process helpers shared by the web's worker supervisor and the worker's own children."""

from __future__ import annotations

import os
import signal
import sys


def die_with_parent(signum: int = signal.SIGTERM, parent: int | None = None) -> None:
    """In a child process: get ``signum`` when the parent dies, however it dies (Linux only).

    A parent killed with SIGKILL runs no cleanup, so without this its children live on. When
    ``parent`` (the pid the child was started by) is given and is already gone, the signal is
    sent at once: the child was adopted before it could ask.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signum)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)
