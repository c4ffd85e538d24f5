"""One scheduler per installation, and none left behind by a killed worker (issue 14 item 12).

The locks are tested on their own (the file lock, and the Redis lock on a private redis-server),
then two real ``suara worker --beat`` processes share one data directory: one beat schedules,
the other waits, and when the first worker is killed with SIGKILL its beat dies with it and the
second takes over.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from tests.integration.test_reports_worker import _alive, _children_of
from tests.integration.test_worker import RedisServer, redis_server, start_worker, stop_worker
from workers import beat
from workers.beat import FileLock, LockedScheduler, RedisLock

__all__ = ["redis_server"]  # the shared fixture
WAIT_SECONDS = 60


def wait_until(predicate, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_file_lock_is_held_by_one_and_freed_by_release(tmp_path):
    first, second = FileLock(tmp_path / "beat.lock"), FileLock(tmp_path / "beat.lock")
    assert first.hold() and first.hold()  # taking it again is keeping it
    assert not second.hold()
    first.release()
    assert second.hold()
    assert (tmp_path / "beat.lock").read_text().strip() == str(os.getpid())
    second.release()


def _hold_forever(path: str) -> None:
    FileLock(Path(path)).hold()
    time.sleep(600)


def test_file_lock_of_a_killed_process_is_free_again(tmp_path):
    path = tmp_path / "beat.lock"
    holder = multiprocessing.get_context("spawn").Process(target=_hold_forever, args=(str(path),))
    holder.start()
    try:
        wait_until(lambda: path.exists() and path.read_text().strip() == str(holder.pid), "lock")
        assert not FileLock(path).hold()
        os.kill(holder.pid, signal.SIGKILL)
        holder.join(timeout=10)
        assert FileLock(path).hold()  # the kernel let go of it with the process
    finally:
        holder.kill()


def test_redis_lock_is_held_by_one_and_expires_when_not_renewed(redis_server: RedisServer):
    first, second = RedisLock(redis_server.url, ttl=1), RedisLock(redis_server.url, ttl=1)
    assert first.hold() and first.hold()  # renewed
    assert not second.hold()
    first.release()
    assert second.hold()
    wait_until(lambda: first.hold(), "the unrenewed key to expire and be taken")
    assert not second.hold()  # it lost the lock; it will not schedule beside the new holder
    redis_server.kill()
    assert not first.hold()  # Redis down: nobody holds it (nothing could be sent anyway)


def test_scheduler_sends_nothing_without_the_lock(settings, monkeypatch):
    from celery.beat import Scheduler

    from workers.celery_app import make_celery

    ticks: list[int] = []
    monkeypatch.setattr(Scheduler, "tick", lambda self, *a, **k: ticks.append(1) or 300.0)
    other = FileLock(settings.data_dir / beat.LOCK_FILE)
    assert other.hold()
    try:
        scheduler = LockedScheduler(app=make_celery(settings), lazy=True)
        assert scheduler.tick() == beat.TICK_SECONDS and ticks == []
    finally:
        other.release()
    assert scheduler.tick() == beat.TICK_SECONDS and ticks == [1]  # wakes to renew the lock
    scheduler.lock.release()


def _holds(log: Path) -> bool:
    return log.exists() and "scheduler holds the lock" in log.read_text(errors="replace")


@pytest.mark.usefixtures("migrated")
def test_a_killed_workers_beat_dies_and_the_other_beat_takes_over(tmp_path):
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    first = start_worker({}, beat=True, log=logs[0])
    second = None
    try:
        wait_until(lambda: _holds(logs[0]), "the first beat to take the lock")
        second = start_worker({}, beat=True, log=logs[1])
        wait_until(lambda: len(_children_of(second.pid)) >= 2, "the second worker's children")
        time.sleep(beat.TICK_SECONDS + 1)  # it has ticked, and kept waiting
        assert not _holds(logs[1])

        children = _children_of(first.pid)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        wait_until(lambda: not any(_alive(pid) for pid in children), "the orphans to die")
        wait_until(lambda: _holds(logs[1]), "the second beat to take over")
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                stop_worker(worker)


async def test_the_scheduled_checkpoint_is_written_once_a_day(db, tmp_path, monkeypatch):
    from core.audit import service as audit
    from core.audit.checkpoints import CHECKPOINT_FILE
    from tests.factories import make_unit

    assert await audit.daily_checkpoint(tmp_path) is None  # nothing to sign yet
    await make_unit("PKM-C", "puskesmas")
    first = await audit.daily_checkpoint(tmp_path)
    assert first is not None and await audit.verify(tmp_path) == (first.events, None)
    assert await audit.daily_checkpoint(tmp_path) is None  # the hourly run: not due yet
    await make_unit("PKM-D", "puskesmas")
    later = audit.utcnow() + audit.CHECKPOINT_INTERVAL
    monkeypatch.setattr(audit, "utcnow", lambda: later)
    second = await audit.daily_checkpoint(tmp_path)
    assert second is not None and second.events > first.events
    assert len((tmp_path / CHECKPOINT_FILE).read_text().splitlines()) == 2


def test_beat_runs_the_checkpoint_hourly(settings):
    from workers.celery_app import CHECKPOINT_EVERY, make_celery

    schedule = make_celery(settings).conf.beat_schedule
    assert schedule["audit-checkpoint"] == {
        "task": "suara.audit_checkpoint",
        "schedule": CHECKPOINT_EVERY,
    }
