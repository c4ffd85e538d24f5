"""Server-side browser sessions: opened at log-in, ended by log-out, a new password or
deactivation. The cookie carries only a random id; its SHA-256 is what the database keeps."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user
from core.accounts.tables import UserSession
from core.clock import wall_clock

SESSION_LIFETIME = timedelta(hours=8)


def _hash(raw: str) -> str:
    return hashlib.sha256(f"session:{raw}".encode()).hexdigest()


async def open_session(user_id: int) -> str:
    """A new session for the user (expired ones of everyone are swept); the raw id for the cookie."""
    raw = secrets.token_urlsafe(32)
    now = wall_clock()
    await UserSession.delete().where(UserSession.expires_at <= now)
    await UserSession.insert(
        UserSession(
            token_hash=_hash(raw), user=user_id, created_at=now, expires_at=now + SESSION_LIFETIME
        )
    )
    return raw


async def actor_for_session(raw: str) -> Actor | None:
    """The actor of a live session (None when ended, expired, or the user is deactivated)."""
    row = (
        await UserSession.select(UserSession.user, UserSession.expires_at)
        .where(UserSession.token_hash == _hash(raw))
        .first()
    )
    if row is None or row["expires_at"] <= wall_clock():
        return None
    return await actor_for_user(row["user"])


async def end_session(raw: str) -> None:
    """End one session (log-out); an unknown id is already ended."""
    await UserSession.delete().where(UserSession.token_hash == _hash(raw))


async def end_user_sessions(user_id: int) -> None:
    """End every session of a user (new password, deactivation); call inside their atomic()."""
    await UserSession.delete().where(UserSession.user == user_id)
