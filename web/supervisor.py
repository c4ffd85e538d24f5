"""The worker child of ``suara run``: restarted when it dies (with backoff), stopped in bounded time.

The child runs in its own process group, so Ctrl-C on the terminal reaches only ``suara run``,
which then stops the worker itself: SIGTERM to the worker (Celery's warm shutdown finishes the
running tasks), and SIGKILL to its whole group (pool processes too) when the grace period is over.
Every job is idempotent and kept in the outbox until done, so a killed task is run again later.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence

from core.processes import die_with_parent

log = logging.getLogger("suara.worker")


class WorkerSupervisor:
    """Keeps one worker process running; its state is shown by /healthz (``worker_process``)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        first_backoff: float = 1.0,
        max_backoff: float = 60.0,
        stable_after: float = 60.0,
        grace: float = 4.0,
    ) -> None:
        self.argv = list(argv)
        self.first_backoff = first_backoff
        self.max_backoff = max_backoff
        self.stable_after = stable_after  # a run this long resets the backoff
        self.grace = grace
        self.restarts = 0
        self.last_exit: str | None = None
        self._child: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        """Start the worker and the thread that restarts it."""
        self._spawn()
        self._thread.start()

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            self._child = subprocess.Popen(
                self.argv, preexec_fn=die_with_parent, process_group=0
            )

    def _watch(self) -> None:
        backoff = self.first_backoff
        while not self._stopping.is_set():
            child = self._child
            if child is None:
                return
            started = time.monotonic()
            code = child.wait()
            if self._stopping.is_set():
                return
            self._signal_group(child, signal.SIGKILL)  # its pool processes outlive a crash
            if time.monotonic() - started >= self.stable_after:
                backoff = self.first_backoff
            self.last_exit = f"code {code}" if code >= 0 else f"signal {-code}"
            log.warning(
                "worker (pid %s) exited with %s; restarting in %.1f s",
                child.pid,
                self.last_exit,
                backoff,
            )
            if self._stopping.wait(backoff):
                return
            self.restarts += 1
            self._spawn()
            log.warning("worker restarted (pid %s), restart %d", self.pid, self.restarts)
            backoff = min(backoff * 2, self.max_backoff)

    @property
    def pid(self) -> int | None:
        """The running worker's process id (None while it is down)."""
        child = self._child
        return child.pid if child is not None and child.poll() is None else None

    def status(self) -> str:
        """'running (pid N)' or 'down', and how often it was restarted after dying."""
        pid = self.pid
        state = f"running (pid {pid})" if pid else "down"
        if not self.restarts and self.last_exit is None:
            return state
        return f"{state}; restarted {self.restarts} times, last exit: {self.last_exit}"

    def stop(self) -> None:
        """Stop the worker and everything it started within ``grace`` seconds, then kill."""
        self._stopping.set()
        with self._lock:
            child = self._child
        if child is None or child.poll() is not None:
            return
        child.send_signal(signal.SIGTERM)  # not the group: pool processes are Celery's to stop
        try:
            child.wait(timeout=self.grace)
        except subprocess.TimeoutExpired:
            log.warning("worker did not stop within %.0f s; killing it", self.grace)
        self._signal_group(child, signal.SIGKILL)  # pool processes left behind, if any
        child.wait()

    @staticmethod
    def _signal_group(child: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)
