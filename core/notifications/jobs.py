"""The notification job handlers the worker runs (``notify`` fans out, ``deliver`` sends)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from core.hooks import Hooks
from core.notifications.delivery import deliver, delivery_failed
from core.notifications.fanout import notify
from core.settings import Settings

JobHandler = Callable[[dict[str, Any]], Awaitable[None]]


def notification_handlers(hooks: Hooks, settings: Settings | None = None) -> dict[str, JobHandler]:
    """The ``notify`` and ``deliver`` job handlers bound to this process's plugins and settings."""

    async def notify_job(payload: dict[str, Any]) -> None:
        await notify(payload, hooks, settings or Settings.from_env())

    async def deliver_job(payload: dict[str, Any]) -> None:
        await deliver(payload, hooks)

    deliver_job.on_failure = delivery_failed  # type: ignore[attr-defined]
    return {"notify": notify_job, "deliver": deliver_job}
