"""The in-app channel: a message in the user's inbox (users only; stakeholders have no account)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.plugin_api import NotificationChannel, OutgoingMessage, post_to_inbox


def user_address(person: Mapping[str, Any]) -> str | None:
    """A user's id as the address; None for anyone without an account."""
    if person.get("kind") != "user" or not person.get("user_id"):
        return None
    return str(person["user_id"])


async def send_to_inbox(message: OutgoingMessage) -> None:
    """Write the message into the inbox (in the delivery's transaction, so exactly once)."""
    link = str(message.data.get("path") or message.data.get("link") or "")
    await post_to_inbox(int(message.recipient), message.subject, message.body, link)


def inapp_channel() -> NotificationChannel:
    """The ``inapp`` channel."""
    return NotificationChannel(
        code="inapp", label="Kotak masuk aplikasi", send=send_to_inbox, address=user_address
    )
