"""One delivery: sending it through its channel, marking it sent, recording a failure."""

from __future__ import annotations

import inspect
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

import anyio

from core.clock import utcnow
from core.db import atomic
from core.hooks import Hooks
from core.jobs.outbox import TASK_MAX_RETRIES
from core.notifications.tables import Delivery
from core.plugin_api import NotificationChannel, OutgoingMessage

# The first run plus every retry the worker makes: the last failure marks a delivery "failed".
MAX_ATTEMPTS = 1 + TASK_MAX_RETRIES


class DeliveryStatus(StrEnum):
    """Where one delivery stands."""

    pending = "pending"
    sent = "sent"
    retrying = "retrying"
    failed = "failed"


def stored_json(value: Any) -> Any:
    """A JSON column's value as Python (SQLite hands back text, PostgreSQL parsed data)."""
    if isinstance(value, str):
        return json.loads(value or "{}")
    return value or {}


async def send_through(channel: NotificationChannel, message: OutgoingMessage) -> None:
    """Call a channel's send: awaited when it is a coroutine function, else in a thread."""
    if inspect.iscoroutinefunction(channel.send):
        await channel.send(message)
        return
    result = await anyio.to_thread.run_sync(channel.send, message)
    if inspect.isawaitable(result):
        await result


async def deliver(payload: Mapping[str, Any], hooks: Hooks) -> str:
    """The ``deliver`` job: send one delivery and mark it sent (a sent one is never re-sent)."""
    delivery_id = int(payload["delivery"])
    row = await Delivery.select().where(Delivery.id == delivery_id).first()
    if row is None:
        return "missing"
    if row["status"] in (DeliveryStatus.sent.value, DeliveryStatus.failed.value):
        return row["status"]
    channel = hooks.notification_channels().get(row["channel"])
    if channel is None:
        await Delivery.update(
            {
                Delivery.status: DeliveryStatus.failed.value,
                Delivery.attempts: row["attempts"] + 1,
                Delivery.error: f"kanal {row['channel']!r} tidak tersedia (plugin mati?)",
            }
        ).where(Delivery.id == delivery_id)
        return DeliveryStatus.failed.value
    data = dict(stored_json(row["data"]))
    person = data.pop("recipient", {}) or {}
    message = OutgoingMessage(
        recipient=row["recipient"],
        subject=row["subject"],
        body=row["body"],
        event=row["event"],
        data={**data, "delivery": delivery_id},
        person=person,
    )
    await send_through(channel, message)
    await Delivery.update(
        {
            Delivery.status: DeliveryStatus.sent.value,
            Delivery.attempts: row["attempts"] + 1,
            Delivery.error: "",
            Delivery.sent_at: utcnow(),
        }
    ).where(Delivery.id == delivery_id)
    return DeliveryStatus.sent.value


async def delivery_failed(payload: Mapping[str, Any], exc: BaseException) -> None:
    """Record a failed send after its transaction was rolled back: attempts, error, status."""
    delivery_id = int(payload["delivery"])
    async with atomic():
        row = (
            await Delivery.select(Delivery.status, Delivery.attempts)
            .where(Delivery.id == delivery_id)
            .first()
        )
        if row is None or row["status"] == DeliveryStatus.sent.value:
            return
        attempts = row["attempts"] + 1
        status = DeliveryStatus.failed if attempts >= MAX_ATTEMPTS else DeliveryStatus.retrying
        error = f"{type(exc).__name__}: {exc}".strip()
        await Delivery.update(
            {
                Delivery.status: status.value,
                Delivery.attempts: attempts,
                Delivery.error: error[:2000],
            }
        ).where(Delivery.id == delivery_id)
