"""The in-app inbox: the "inapp" channel writes to it, each user reads their own."""

from __future__ import annotations

from core.accounts.policy import Actor
from core.clock import utcnow
from core.db import atomic
from core.errors import NotFound, PermissionDenied
from core.notifications.schemas import InboxItem
from core.notifications.tables import InboxMessage


def signed_in_user(actor: Actor) -> int:
    """The signed-in user's id (the system actor has no inbox or preferences)."""
    if actor.user_id is None:
        raise PermissionDenied("Hanya untuk pengguna yang masuk.")
    return actor.user_id


async def post_to_inbox(user_id: int, subject: str, body: str, link: str = "") -> int:
    """Put a message in a user's in-app inbox; returns its id."""
    rows = await InboxMessage.insert(
        InboxMessage(
            user=user_id,
            subject=subject[:250],
            body=body,
            link=link[:500],
            read=False,
            created_at=utcnow(),
        )
    ).returning(InboxMessage.id)
    return int(rows[0]["id"])


async def list_inbox(actor: Actor, limit: int = 100) -> list[InboxItem]:
    """The signed-in user's messages, newest first."""
    user_id = signed_in_user(actor)
    rows = (
        await InboxMessage.select()
        .where(InboxMessage.user == user_id)
        .order_by(InboxMessage.created_at, ascending=False)
        .order_by(InboxMessage.id, ascending=False)
        .limit(limit)
    )
    return [
        InboxItem(
            id=r["id"],
            subject=r["subject"],
            body=r["body"],
            link=r["link"],
            read=bool(r["read"]),
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def unread_count(actor: Actor) -> int:
    """How many of the user's messages are unread."""
    return await InboxMessage.count().where(
        (InboxMessage.user == signed_in_user(actor)) & InboxMessage.read.eq(False)
    )


async def mark_read(actor: Actor, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all of them) read; returns how many changed."""
    user_id = signed_in_user(actor)
    where = (InboxMessage.user == user_id) & InboxMessage.read.eq(False)
    if message_id is not None:
        if not await InboxMessage.exists().where(
            (InboxMessage.id == message_id) & (InboxMessage.user == user_id)
        ):
            raise NotFound("Pesan tidak ditemukan.")
        where = where & (InboxMessage.id == message_id)
    async with atomic():
        changed = await InboxMessage.count().where(where)
        await InboxMessage.update({InboxMessage.read: True}).where(where)
    return changed
