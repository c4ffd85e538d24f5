"""The Celery implementation of core's JobSender (core.jobs.dispatch)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.hooks import Hooks
from core.settings import Settings

if TYPE_CHECKING:
    from celery import Celery

PING_TIMEOUT_SECONDS = 3.0


class CelerySender:
    """Sends outbox rows as ``suara.run_outbox_job`` tasks; probes the broker and a worker."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def send(self, job_id: int) -> None:
        """Queue one outbox row, raising when the broker is down (the outbox keeps the row)."""
        from workers.celery_app import send_outbox_job

        send_outbox_job(self.app, job_id)

    def broker_epoch(self) -> str:
        """Redis's run id (it changes when Redis restarts), or the filesystem broker's constant."""
        from workers.celery_app import broker_epoch

        return broker_epoch(self.app)

    def broker_status(self) -> str:
        """'ok' when the broker accepts a connection, else the error's type."""
        try:
            with self.app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
        except Exception as exc:  # health checks report, they do not raise
            return f"error: {type(exc).__name__}"
        return "ok"

    def worker_status(self) -> str:
        """'ok' when a worker answers ``suara.ping`` within PING_TIMEOUT_SECONDS."""
        try:
            reply = self.app.send_task("suara.ping", retry=False).get(timeout=PING_TIMEOUT_SECONDS)
        except Exception as exc:
            return f"error: {type(exc).__name__}"
        return "ok" if reply == "pong" else "error: unexpected reply"


def celery_sender(settings: Settings, hooks: Hooks) -> CelerySender:
    """A sender on the Celery app built from these settings (Redis or the filesystem broker).

    Celery is imported here, not with the module: the other ``suara`` commands start without it.
    """
    from workers.celery_app import make_celery

    return CelerySender(make_celery(settings, hooks))
