"""What each outbox job kind does; the worker runs them through core.jobs.outbox.run_job."""

from __future__ import annotations

from typing import Any

from core.hooks import Hooks
from core.jobs.outbox import Handler


def default_handlers(hooks: Hooks) -> dict[str, Handler]:
    """Handlers for every job kind the core knows, bound to this process's plugins."""

    async def deliver_event(payload: dict[str, Any]) -> None:
        hooks.emit(payload["name"], payload.get("payload", {}))

    return {"event": deliver_event}
