"""The public pace: how many responses one client address may send to one cycle per window."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from core.clock import utcnow
from core.db import lock_key
from core.errors import RateLimited
from core.settings import Settings
from core.surveys.tables import Response


def source_key(settings: Settings, source: str) -> str:
    """A keyed hash of the client address: enough to rate-limit, useless to identify anyone."""
    return hashlib.sha256(f"{settings.secret_key}:{source}".encode()).hexdigest()[:32]


async def check_public_pace(settings: Settings, cycle_id: int, key: str) -> None:
    """RateLimited when this address already sent ``public_submission_limit`` responses to this
    cycle within the window. Call inside the atomic() block that stores the response: the count
    is taken under a lock, so parallel posts cannot pass the limit together."""
    await lock_key(f"public:{cycle_id}:{key}")
    since = utcnow() - timedelta(seconds=settings.public_submission_window_seconds)
    recent = await Response.count().where(
        (Response.cycle == cycle_id) & (Response.source_key == key) & (Response.created_at > since)
    )
    if recent >= settings.public_submission_limit:
        raise RateLimited("Terlalu banyak pengisian dari perangkat ini. Coba lagi nanti.")
