"""`suara run` as an operator starts it: a worker that dies comes back, Ctrl-C ends it all in 10 s.

Its own SQLite database and data directory (a fresh installation), its own free port.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

STOP_WITHIN_SECONDS = 10


def _group_alive(group: int) -> bool:
    """Whether any process of the group is still there."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
WAIT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())
    except OSError:
        return 0, {}


def _wait_for(predicate, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _worker_pid(port: int) -> int | None:
    status, body = _health(port)
    match = re.match(r"running \(pid (\d+)\)", body.get("worker_process", ""))
    return int(match.group(1)) if status == 200 and match else None


@pytest.fixture
def installation(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "SUARA_DATA_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'suara.sqlite3'}",
        "SUARA_DB_POOL": "false",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "-m", "suara_cli", "db", "migrate"],
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def test_a_dying_worker_is_restarted_and_ctrl_c_stops_everything(installation, tmp_path):
    port = _free_port()
    log = (tmp_path / "run.log").open("wb")
    # its own session, as a terminal's foreground job: Ctrl-C goes to its process group
    run = subprocess.Popen(
        [sys.executable, "-m", "suara_cli", "run", "--port", str(port)],
        env=installation,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        first = _wait_for(lambda: _worker_pid(port), "a healthy worker")
        os.kill(first, signal.SIGKILL)  # the worker dies, as it did of a broker error
        second = _wait_for(
            lambda: (pid := _worker_pid(port)) and pid != first and pid, "a restarted worker"
        )
        _, body = _health(port)
        assert body["worker_process"] == (
            f"running (pid {second}); restarted 1 times, last exit: signal 9"
        )
        assert body["status"] == "ok"

        started = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # Ctrl-C
        run.wait(timeout=STOP_WITHIN_SECONDS + 5)
        assert time.monotonic() - started < STOP_WITHIN_SECONDS
        # Nothing of either worker (nor their pools) is left once the budget is spent: the last
        # pool processes may still be on their way out when the web process itself has exited.
        left = [group for group in (first, second) if _group_alive(group)]
        while left and time.monotonic() - started < STOP_WITHIN_SECONDS:
            time.sleep(0.2)
            left = [group for group in left if _group_alive(group)]
        assert not left, f"worker process groups still running: {left}"
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "run.log").read_text(errors="replace")
    assert f"worker (pid {first}) exited with signal 9; restarting in 1.0 s" in output
