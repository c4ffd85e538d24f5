"""Queueing one message to a list of people: a delivery (and its ``deliver`` job) per person and
channel they have not turned off. Areas whose notices are not about a forum (plans …) use it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from core.accounts.tables import User
from core.clock import utcnow
from core.hooks import Hooks
from core.jobs.outbox import enqueue
from core.notifications.delivery import DeliveryStatus
from core.notifications.recipients import Recipient, channel_address, switched_off
from core.notifications.tables import Delivery


async def user_recipients(user_ids: Iterable[int]) -> list[Recipient]:
    """The active users among ``user_ids``, as recipients (in id order)."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    users = await User.select(User.id, User.username, User.full_name, User.email).where(
        User.id.is_in(ids) & User.active.eq(True)
    )
    return [
        Recipient(kind="user", id=u["id"], name=u["full_name"] or u["username"],
                  email=u["email"] or "", user_id=u["id"])
        for u in sorted(users, key=lambda u: u["id"])
    ]  # fmt: skip


async def queue_deliveries(
    hooks: Hooks,
    event: str,
    recipients: list[Recipient],
    subject: str,
    body: str,
    data: Mapping[str, Any],
) -> int:
    """Write the deliveries of one message (inside the caller's transaction); how many."""
    off = await switched_off(r.user_id for r in recipients if r.user_id)
    queued = 0
    for recipient in recipients:
        person = recipient.as_mapping()
        for code, channel in hooks.notification_channels().items():
            address = channel_address(channel, person)
            if not address or (recipient.user_id, code) in off:
                continue
            await queue_delivery(event, code, address, subject, body, {**data, "recipient": person})
            queued += 1
    return queued


async def queue_delivery(
    event: str, channel: str, address: str, subject: str, body: str, data: Mapping[str, Any]
) -> int:
    """One pending delivery and its ``deliver`` job (inside the caller's transaction); its id."""
    rows = await Delivery.insert(
        Delivery(
            event=event,
            channel=channel,
            recipient=address[:250],
            subject=subject[:250],
            body=body,
            data=json.dumps(data, default=str),
            status=DeliveryStatus.pending.value,
            attempts=0,
            error="",
            created_at=utcnow(),
        )
    ).returning(Delivery.id)
    delivery_id = int(rows[0]["id"])
    await enqueue("deliver", {"delivery": delivery_id})
    return delivery_id
