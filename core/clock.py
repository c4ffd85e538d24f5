"""The one place that reads the wall clock, so tests can reason about time.

``frozen_at`` runs a block as if it were another moment (in this task and the tasks it starts):
the demo replays a past forum on its own day, and tests check in on the forum's day.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

_FROZEN: ContextVar[datetime | None] = ContextVar("suara_frozen_clock", default=None)


def utcnow() -> datetime:
    """Current time in UTC, truncated to microseconds (what both databases store)."""
    frozen = _FROZEN.get()
    return frozen if frozen is not None else datetime.now(UTC)


def wall_clock() -> datetime:
    """The real time, never frozen: for security lifetimes (sessions, log-in throttles) that a
    replayed moment must neither stretch nor cut short."""
    return datetime.now(UTC)


@contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Within the block, ``utcnow()`` answers ``moment`` (an aware datetime)."""
    token = _FROZEN.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _FROZEN.reset(token)
