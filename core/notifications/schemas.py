"""Output shapes for the inbox, channel choices and the delivery log."""

from __future__ import annotations

from datetime import datetime

import msgspec


class InboxItem(msgspec.Struct):
    """One in-app message of the signed-in user."""

    id: int
    subject: str
    body: str
    link: str
    read: bool
    created_at: datetime


class ChannelOption(msgspec.Struct):
    """A channel a user may turn on or off."""

    code: str
    label: str
    enabled: bool


class DeliveryOut(msgspec.Struct):
    """One row of the delivery log."""

    id: int
    event: str
    channel: str
    recipient: str
    recipient_name: str
    recipient_kind: str
    subject: str
    status: str
    attempts: int
    error: str
    created_at: datetime
    sent_at: datetime | None


class DeliveryFilter(msgspec.Struct):
    """What the delivery log is narrowed to."""

    status: str | None = None
    channel: str | None = None
    event: str | None = None
    limit: int = 50
    offset: int = 0
