"""A real Celery worker process: health round trip and outbox jobs run exactly once.

The broker-outage test runs its own redis-server on a free port, stops it while changes are made,
starts it again, and checks that every job then runs once and only once.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from litestar.testing import AsyncTestClient

from core.accounts.policy import Actor
from core.jobs.outbox import Relay, relaying
from core.jobs.tables import OutboxJob
from core.units.schemas import UnitIn
from core.units.service import create_unit
from tests.conftest import make_app, unavailable
from tests.factories import make_user
from workers.celery_app import make_celery
from workers.dispatch import CelerySender

WAIT_SECONDS = 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server that the test can stop and start again on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown, and (no persistence) every queued message is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def start_worker(
    env_overrides: dict[str, str], *, beat: bool = False, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """`suara worker` in a child process with the test's database and data directory."""
    env = {**os.environ, **env_overrides}
    output = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "workers", "--concurrency=1", *(["--beat"] if beat else [])],
        env=env,
        stdout=output,
        stderr=output,
        process_group=0,  # its own group: a test can freeze or kill the worker with its children
    )


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


async def wait_for(predicate, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if await predicate():
            return
        await anyio.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


async def all_jobs_done() -> bool:
    pending = await OutboxJob.count().where(OutboxJob.done_at.is_null())
    return pending == 0 and await OutboxJob.count() > 0


async def make_units(codes: list[str]) -> None:
    for code in codes:
        await create_unit(Actor.system(), UnitIn(code=code, name=f"Unit {code}", kind="opd"))


async def test_healthz_is_503_without_a_worker(client):
    # runs before the module's worker starts
    response = await client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["worker"].startswith("error")


@pytest.fixture(scope="module")
def filesystem_worker(migrated) -> Iterator[subprocess.Popen[bytes]]:
    """A worker on the default filesystem broker, shared by this module's tests.

    Messages other tests left in the queue (for jobs of databases since emptied) are dropped.
    """
    from core.settings import Settings

    for leftover in (Settings.from_env().broker_dir / "queue").glob("*"):
        leftover.unlink()
    process = start_worker({})
    yield process
    stop_worker(process)


async def test_healthz_round_trip_with_filesystem_broker(client, db, filesystem_worker):
    async def healthy() -> bool:
        response = await client.get("/healthz")
        return response.status_code == 200

    await wait_for(healthy, "a healthy /healthz")
    body = (await client.get("/healthz")).json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "broker": "ok",
        "worker": "ok",
    }


async def test_a_bad_message_file_is_moved_aside_and_the_worker_goes_on(
    client, db, filesystem_worker, settings
):
    from workers.broker import Transport

    with make_celery(settings).connection_for_write() as conn:
        assert isinstance(conn.transport, Transport)
    bad = settings.broker_dir / "queue" / "0000001_bad.default.msg"
    bad.write_bytes(b"")  # what a reader found when it listed the folder mid-write

    async def moved_aside() -> bool:
        return (settings.broker_dir / "bad" / bad.name).exists()

    await wait_for(moved_aside, "the bad file to be moved aside")
    assert filesystem_worker.poll() is None  # still running
    response = await client.get("/healthz")
    assert response.status_code == 200, response.json()


async def test_events_are_delivered_by_the_worker(db, filesystem_worker, settings):
    relay = Relay(CelerySender(make_celery(settings)).send)
    await make_units(["A1", "A2"])
    await relay.relay_pending()
    await wait_for(all_jobs_done, "jobs done")
    rows = await OutboxJob.select(OutboxJob.attempts, OutboxJob.relayed_at)
    assert [r["attempts"] for r in rows] == [1, 1]
    assert all(r["relayed_at"] is not None for r in rows)


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


async def test_broker_outage_delays_jobs_and_each_runs_exactly_once(
    db, settings, hooks, redis_server
):
    redis_settings = dataclasses.replace(settings, redis_url=redis_server.url)
    relay = Relay(CelerySender(make_celery(redis_settings)).send)
    worker = start_worker({"REDIS_URL": redis_server.url})
    try:
        redis_server.stop()
        with relaying(relay):  # as the web app does for a request
            await make_units(["B1", "B2", "B3"])  # each commit tries to relay and fails
        assert await relay.relay_pending() == 0
        waiting = (
            await OutboxJob.select()
            .where(OutboxJob.relayed_at.is_null())
            .order_by(OutboxJob.id)  # the reason is kept on the oldest; heap order is no order
        )
        assert len(waiting) == 3
        assert waiting[0]["last_error"].startswith("relay:")

        redis_server.start()
        assert await relay.relay_pending() == 3
        first = await OutboxJob.select(OutboxJob.id).first()
        relay.send(first["id"])  # a duplicate delivery of an already relayed job

        await wait_for(all_jobs_done, "every job to run after the broker came back")
        await anyio.sleep(2)  # let the duplicate delivery reach the worker too
        rows = await OutboxJob.select(OutboxJob.attempts, OutboxJob.done_at)
        assert len(rows) == 3
        assert [row["attempts"] for row in rows] == [1, 1, 1]

        app = make_app(redis_settings, hooks)
        async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
            response = await client.get("/healthz")
        assert response.json() == {
            "status": "ok",
            "database": "ok",
            "migrations": "ok",
            "broker": "ok",
            "worker": "ok",
        }
    finally:
        stop_worker(worker)


def test_broker_check_reaches_the_configured_redis(settings, redis_url):
    """The machine's Redis (started by CI) answers the health check's broker probe."""
    app = make_celery(dataclasses.replace(settings, redis_url=redis_url))
    assert CelerySender(app).broker_status() == "ok"


class RecordingSender:
    """A JobSender that keeps the ids it was given (the broker is not what this test is about)."""

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send(self, job_id: int) -> None:
        self.sent.append(job_id)

    def broker_epoch(self) -> str:
        return "one"

    def broker_status(self) -> str:
        return "ok"

    def worker_status(self) -> str:
        return "ok"


async def test_each_app_relays_its_own_jobs_and_nothing_outside_a_request(db, settings, hooks):
    from core.accounts.service import issue_token
    from web.app import create_app

    first, second = RecordingSender(), RecordingSender()
    app = create_app(settings=settings, hooks=hooks, sender=first)
    create_app(settings=settings, hooks=hooks, sender=second)  # a second app changes nothing
    await make_units(["KAB"])  # outside any request: no relay, the periodic one picks it up
    assert first.sent == second.sent == []
    admin = await make_user("adm", "admin")
    token = await issue_token(admin)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        response = await client.post(
            "/api/v1/units",
            json={"code": "C2", "name": "Unit C2", "kind": "opd"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 201, response.text
    # the request's commit relayed every waiting row through this app's sender, and only it
    assert first.sent == [row["id"] for row in await OutboxJob.select(OutboxJob.id)]
    assert len(first.sent) >= 2 and second.sent == []


async def test_healthz_without_a_job_sender_says_so(db, settings, hooks):
    from web.app import create_app

    app = create_app(settings=settings, hooks=hooks)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "error: no job sender configured"
