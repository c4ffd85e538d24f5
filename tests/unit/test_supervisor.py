"""The worker supervisor of `suara run`: restarts with growing backoff, stops in bounded time."""

import logging
import re
import sys
import time

from web.supervisor import WorkerSupervisor

DIES = [sys.executable, "-c", "import sys; sys.exit(3)"]
IGNORES_SIGTERM = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up', flush=True);"
    " time.sleep(60)",
]


def test_a_dying_worker_is_restarted_with_doubling_backoff_and_logged(caplog):
    supervisor = WorkerSupervisor(DIES, first_backoff=0.1, max_backoff=0.4)
    with caplog.at_level(logging.WARNING, logger="suara.worker"):
        supervisor.start()
        deadline = time.monotonic() + 20  # each restart also waits for a Python to start
        while supervisor.restarts < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        supervisor.stop()
    assert supervisor.restarts >= 3
    assert supervisor.status().endswith(f"restarted {supervisor.restarts} times, last exit: code 3")
    waits = [
        float(m.group(1))
        for r in caplog.records
        if (m := re.search(r"exited with code 3; restarting in ([\d.]+) s", r.getMessage()))
    ]
    assert waits[:4] == [0.1, 0.2, 0.4, 0.4][: len(waits[:4])]
    assert any("worker restarted (pid" in r.getMessage() for r in caplog.records)


def test_stop_kills_a_worker_that_ignores_sigterm_after_the_grace_period():
    supervisor = WorkerSupervisor(IGNORES_SIGTERM, grace=0.5)
    supervisor.start()
    time.sleep(0.5)
    pid = supervisor.pid
    assert pid is not None and supervisor.status() == f"running (pid {pid})"
    started = time.monotonic()
    supervisor.stop()
    assert time.monotonic() - started < 2
    assert supervisor.pid is None
    assert supervisor.restarts == 0  # a stop is not a death to restart from
