"""The public pace: how many responses one client address may send to one cycle per window."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from core.clock import utcnow
from core.db import is_postgres, lock_id
from core.errors import RateLimited
from core.settings import Settings

# True while fewer than the limit of this address's responses to the cycle fall in the window.
# The inner LIMIT bounds the work: the count stops at the limit, however busy the address.
# SQLite: plain SQL, inside the IMMEDIATE transaction that stores the response (writes are serial).
PACE_SQL = (
    "(SELECT COUNT(*) FROM (SELECT 1 FROM survey_response p WHERE p.cycle = {} "
    "AND p.source_key = {} AND p.created_at > {} LIMIT {}) recent) < {}"
)
# PostgreSQL: the same count after taking the address's transaction advisory lock, in one VOLATILE
# function (migration 0870), so its count sees every post that held the lock before: parallel
# posts from one address cannot pass the limit together, and the INSERT stays one statement.
PACE_FUNCTION = "suara_pace_ok({}, {}, {}, {}, {})"


def source_key(settings: Settings, source: str) -> str:
    """A keyed hash of the client address: enough to rate-limit, useless to identify anyone."""
    return hashlib.sha256(f"{settings.secret_key}:{source}".encode()).hexdigest()[:32]


def pace_condition(
    settings: Settings,
    cycle_id: int,
    key: str,
    *,
    limit: int | None = None,
    window_seconds: int | None = None,
) -> tuple[str, list[Any]]:
    """The SQL condition (and its values) that this address (or kiosk device) is still under the
    limit (the public one unless given); the statement that stores a response puts it in its
    WHERE clause."""
    window = settings.public_submission_window_seconds if window_seconds is None else window_seconds
    since = utcnow() - timedelta(seconds=window)
    limit = settings.public_submission_limit if limit is None else limit
    if is_postgres():
        lock = lock_id(f"public:{cycle_id}:{key}")
        return PACE_FUNCTION, [lock, cycle_id, key, since, limit]
    return PACE_SQL, [cycle_id, key, since, limit, limit]


def pace_refused() -> RateLimited:
    """The error of an address over the limit."""
    return RateLimited("Terlalu banyak pengisian dari perangkat ini. Coba lagi nanti.")
