"""Leases on running work: a worker renews its lease while it runs, and work whose lease ran out
(its worker was killed, its machine lost power) is handed out again by the periodic relay.

A lease is a ``lease_until`` timestamp on the row being worked on. Renewal is a heartbeat task on
the worker's event loop, so the work itself must not block that loop for longer than a lease
(long CPU work runs in a thread, as the report renderers do).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from core.clock import utcnow

log = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(seconds=30)


def lease_end(lease: timedelta) -> datetime:
    """When a lease taken now runs out."""
    return utcnow() + lease


@asynccontextmanager
async def heartbeat(
    renew: Callable[[datetime], Awaitable[object]], lease: timedelta
) -> AsyncIterator[None]:
    """Within the block, call ``renew(new_end)`` every third of ``lease`` (errors are logged)."""
    every = lease.total_seconds() / 3

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await renew(lease_end(lease))
            except Exception as exc:  # a missed beat shortens the lease; the work goes on
                log.warning("lease renewal failed: %s", exc)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
