"""What each outbox job kind does; the worker runs them through core.jobs.outbox.run_job."""

from __future__ import annotations

from typing import Any

from core.demo.follow_through import JOB_KIND as DEMO_FOLLOW_THROUGH
from core.demo.follow_through import follow_through_handler
from core.demo.publications import JOB_KIND as DEMO_PUBLISH
from core.demo.publications import publish_handler
from core.hooks import Hooks
from core.inspection.notices import inspection_handlers
from core.jobs.outbox import Handler
from core.notifications.jobs import notification_handlers
from core.plans.drafting import JOB_KIND as PLAN_DRAFT
from core.plans.drafting import draft_handler
from core.plans.reminders import plan_handlers
from core.reports.cycle_report import report_job_handlers
from core.settings import Settings


def default_handlers(hooks: Hooks, settings: Settings | None = None) -> dict[str, Handler]:
    """Handlers for every job kind the core knows, bound to this process's plugins.

    ``settings`` defaults to ``Settings.from_env()``, read when a job needs it.
    """

    async def deliver_event(payload: dict[str, Any]) -> None:
        hooks.emit(payload["name"], payload.get("payload", {}))

    return {
        "event": deliver_event,
        PLAN_DRAFT: draft_handler(hooks),
        DEMO_PUBLISH: publish_handler(hooks, settings),
        DEMO_FOLLOW_THROUGH: follow_through_handler(hooks, settings),
        **notification_handlers(hooks, settings),
        **inspection_handlers(hooks, settings),
        **plan_handlers(hooks, settings),
        **report_job_handlers(hooks, settings),
    }
