"""One periodic scheduler per installation, and one that dies with its worker.

``suara worker --beat`` runs Celery's beat as a child process of the worker. The child asks the
kernel for SIGTERM when the worker dies (however it dies, ``kill -9`` included), so a restarted
worker never finds an orphaned scheduler still sending. And the scheduler sends nothing unless it
holds the installation's scheduler lock: a Redis key with a short expiry when REDIS_URL is set
(renewed while the beat lives, so several machines share one), else an exclusive file lock under
the data directory (the kernel releases it when the process ends). A second ``--beat`` waits,
and takes over within one lease when the first one stops.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import uuid
from pathlib import Path
from typing import Any, Protocol

from celery.beat import Scheduler

from core.settings import Settings

log = logging.getLogger(__name__)

LOCK_NAME = "suara:beat-lock"
LOCK_FILE = "beat.lock"
LOCK_TTL_SECONDS = 30
# The scheduler wakes at least this often, so it renews its lock well before the lock expires.
TICK_SECONDS = 5.0


class SchedulerLock(Protocol):
    """Held by at most one scheduler of an installation at a time."""

    def hold(self) -> bool:
        """Take or renew the lock; False while another scheduler holds it."""

    def release(self) -> None:
        """Let go of the lock (a no-op when not held)."""


class FileLock:
    """An exclusive ``flock`` on a file under the data directory (one machine, no Redis)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def hold(self) -> bool:
        """Take the lock if free; once taken, it is ours until release or process end."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def release(self) -> None:
        """Unlock and close the file."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class RedisLock:
    """A Redis key set only if absent, with an expiry the holder renews (several machines)."""

    def __init__(self, url: str, ttl: int = LOCK_TTL_SECONDS) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)
        self.ttl = ttl
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self._held = False

    def hold(self) -> bool:
        """Renew the key if it is still ours, else try to take it; False when Redis is down."""
        try:
            if self._held and self._renew():
                return True
            self._held = bool(self.client.set(LOCK_NAME, self.token, nx=True, ex=self.ttl))
        except Exception as exc:  # Redis down: nothing could be sent anyway
            log.warning("scheduler lock: Redis unavailable (%s)", exc)
            self._held = False
        return self._held

    def _renew(self) -> bool:
        renew = self.client.register_script(
            "if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"
        )
        return bool(renew(keys=[LOCK_NAME], args=[self.token, self.ttl]))

    def release(self) -> None:
        """Delete the key if it is still ours."""
        if not self._held:
            return
        release = self.client.register_script(
            "if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('del', KEYS[1]) else return 0 end"
        )
        try:
            release(keys=[LOCK_NAME], args=[self.token])
        except Exception as exc:  # it expires by itself
            log.warning("scheduler lock not released: %s", exc)
        self._held = False


def scheduler_lock(settings: Settings) -> SchedulerLock:
    """The lock of this installation: Redis when configured, else a file under the data dir."""
    if settings.redis_url:
        return RedisLock(settings.redis_url)
    return FileLock(settings.data_dir / LOCK_FILE)


class LockedScheduler(Scheduler):
    """Celery beat's in-memory scheduler, sending only while it holds the scheduler lock."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = getattr(self.app, "suara_settings", None) or Settings.from_env()
        self.lock = scheduler_lock(settings)
        self._holding: bool | None = None

    def tick(self, *args: Any, **kwargs: Any) -> float:
        """Send what is due while holding the lock; otherwise wait and try to take it again."""
        holding = self.lock.hold()
        if holding != self._holding:
            log.warning(
                "scheduler %s the lock (pid %s)", "holds" if holding else "waits for", os.getpid()
            )
            self._holding = holding
        if not holding:
            return TICK_SECONDS
        return min(super().tick(*args, **kwargs), TICK_SECONDS)

    def close(self) -> None:
        """Release the lock as the beat stops."""
        try:
            super().close()
        finally:
            self.lock.release()
