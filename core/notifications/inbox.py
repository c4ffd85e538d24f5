"""Writing into a user's in-app inbox (the ``inapp`` channel's delivery)."""

from __future__ import annotations

from core.clock import utcnow
from core.notifications.tables import InboxMessage


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
