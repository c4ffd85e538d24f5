"""The public pace: how many responses one client address may send to one cycle per window."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from core.clock import utcnow
from core.db import lock_key
from core.errors import RateLimited
from core.settings import Settings

# True while fewer than the limit of this address's responses to the cycle fall in the window.
# The inner LIMIT bounds the work: the count stops at the limit, however busy the address.
PACE_SQL = (
    "(SELECT COUNT(*) FROM (SELECT 1 FROM survey_response p WHERE p.cycle = {} "
    "AND p.source_key = {} AND p.created_at > {} LIMIT {}) recent) < {}"
)


def source_key(settings: Settings, source: str) -> str:
    """A keyed hash of the client address: enough to rate-limit, useless to identify anyone."""
    return hashlib.sha256(f"{settings.secret_key}:{source}".encode()).hexdigest()[:32]


async def lock_pace(cycle_id: int, key: str) -> None:
    """Take this address's lock on this cycle until the end of the current atomic() block.

    The statement that stores the response counts the window (``pace_condition``) after this
    lock is held, so parallel posts from one address cannot pass the limit together. It must be
    a statement of its own: a statement's snapshot is taken when it starts, before a lock it
    would take itself.
    """
    await lock_key(f"public:{cycle_id}:{key}")


def pace_condition(settings: Settings, cycle_id: int, key: str) -> tuple[str, list[Any]]:
    """The SQL condition (and its values) that this address is still under the limit."""
    since: datetime = utcnow() - timedelta(seconds=settings.public_submission_window_seconds)
    limit = settings.public_submission_limit
    return PACE_SQL, [cycle_id, key, since, limit, limit]


def pace_refused() -> RateLimited:
    """The error of an address over the limit."""
    return RateLimited("Terlalu banyak pengisian dari perangkat ini. Coba lagi nanti.")
