"""The Celery application, built from Settings (no module-level app)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import timedelta
from typing import Any

from celery import Celery, Task, signals

from core.audit.service import daily_checkpoint
from core.clock import utcnow
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.jobs.outbox import TASK_MAX_RETRIES, Relay, relaying, run_job
from core.plugins import build_plugin_manager
from core.processes import die_with_parent
from core.reports.jobs import requeue_abandoned
from core.settings import Settings
from core.surveys.kept import SEAL_EVERY, seal_all
from workers.beat import TICK_SECONDS

QUEUES = ("default", "reports", "notify")
RELAY_EVERY = timedelta(seconds=10)
REMINDERS_EVERY = timedelta(minutes=15)
PLAN_REMINDERS_EVERY = timedelta(hours=1)
EVALUATION_REMINDERS_EVERY = timedelta(hours=1)
# Hourly, a checkpoint is written when the last one is a day old: one a day, whenever it runs.
CHECKPOINT_EVERY = timedelta(hours=1)
FILESYSTEM_EPOCH = "filesystem"  # the filesystem broker keeps its queue across restarts
RESEND_BATCH = 200

log = logging.getLogger(__name__)


def _broker_options(settings: Settings) -> dict[str, Any]:
    if settings.redis_url:
        # Publishing gives up fast when Redis is down: the outbox keeps the job for the next relay.
        return {
            "visibility_timeout": 3600,
            "socket_connect_timeout": 3,
            "socket_timeout": 10,
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.5,
        }
    folder = settings.broker_dir
    for sub in ("queue", "processed", "control", "bad"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "bad_folder": str(folder / "bad"),
        "store_processed": False,
        # kombu polls the folder and takes one message per poll: poll often or a backlog crawls.
        "polling_interval": 0.05,
    }


def _result_backend(settings: Settings) -> str:
    if settings.redis_url:
        return settings.redis_url
    folder = settings.data_dir / "results"
    folder.mkdir(parents=True, exist_ok=True)
    return f"file://{folder}"


def make_celery(settings: Settings, hooks: Hooks | None = None) -> Celery:
    """A Celery app on Redis (REDIS_URL) or the filesystem broker under var/, with Suara's tasks."""
    app = Celery("suara", set_as_current=False)
    app.conf.update(
        broker_url=settings.broker_url,
        # Redis: kombu's own transport (from the URL); the filesystem: the safe one in broker.py.
        broker_transport=None if settings.redis_url else "workers.broker:Transport",
        broker_transport_options=_broker_options(settings),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        result_backend=_result_backend(settings),
        result_expires=3600,
        task_ignore_result=True,  # job outcomes live in our own tables; only ping replies
        result_backend_transport_options={"retry_policy": {"max_retries": 1}},
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="default",
        timezone="UTC",
        enable_utc=True,
        beat_schedule={
            "relay-outbox": {"task": "suara.relay_outbox", "schedule": RELAY_EVERY},
            "queue-reminders": {"task": "suara.queue_reminders", "schedule": REMINDERS_EVERY},
            "queue-plan-reminders": {
                "task": "suara.queue_plan_reminders",
                "schedule": PLAN_REMINDERS_EVERY,
            },
            "evaluation-reminders": {
                "task": "suara.evaluation_reminders",
                "schedule": EVALUATION_REMINDERS_EVERY,
            },
            "audit-checkpoint": {"task": "suara.audit_checkpoint", "schedule": CHECKPOINT_EVERY},
            "seal-tallies": {"task": "suara.seal_tallies", "schedule": SEAL_EVERY},
        },
        # One scheduler per installation (a lock), in memory: every entry is safe to run late.
        beat_scheduler="workers.beat:LockedScheduler",
        beat_max_loop_interval=TICK_SECONDS,
        worker_hijack_root_logger=False,
    )
    hooks = hooks or Hooks(build_plugin_manager(disabled=settings.disabled_plugins), settings)
    app.suara_settings = settings  # type: ignore[attr-defined]
    app.suara_hooks = hooks  # type: ignore[attr-defined]
    _register_tasks(app, hooks)
    return app


def send_outbox_job(app: Celery, job_id: int) -> None:
    """Hand one outbox row to the queue (raising when the broker is down)."""
    app.send_task("suara.run_outbox_job", args=[job_id], retry=False, ignore_result=True)


def broker_epoch(app: Celery) -> str:
    """The broker's incarnation: Redis's run id (new at every restart), or the filesystem's."""
    if not app.suara_settings.redis_url:  # type: ignore[attr-defined]
        return FILESYSTEM_EPOCH
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return str(conn.default_channel.client.info("server")["run_id"])


def resend_on_start(app: Celery) -> int:
    """Before a worker starts: send again every waiting row no worker has taken.

    A worker killed between receiving a message and taking its row lost that message, and the
    broker cannot say which; a duplicate of a message still queued runs as "already done".
    """
    relay = Relay(lambda job_id: send_outbox_job(app, job_id), lambda: broker_epoch(app))
    started = utcnow()

    async def resend() -> int:
        total = 0
        while True:
            sent = await relay.relay_pending(RESEND_BATCH, untaken_before=started)
            total += sent
            if sent < RESEND_BATCH:
                return total

    try:
        return asyncio.run(resend())
    except Exception:  # the periodic relay tries again; the worker starts regardless
        log.exception("resending waiting jobs at start failed")
        return 0


_worker_pid: int | None = None


@signals.worker_init.connect
def _remember_worker(**_: Any) -> None:
    global _worker_pid
    _worker_pid = os.getpid()


@signals.worker_process_init.connect
@signals.beat_embedded_init.connect
def _die_with_worker(**_: Any) -> None:
    """Pool processes and the embedded beat end when their worker is killed (kill -9 too)."""
    die_with_parent(signal.SIGTERM, _worker_pid)


def _register_tasks(app: Celery, hooks: Hooks) -> None:
    handlers = default_handlers(hooks, app.suara_settings)  # type: ignore[attr-defined]
    # This worker's relay: jobs a job queues (notify → deliver) go out as soon as it commits.
    relay = Relay(lambda job_id: send_outbox_job(app, job_id), lambda: broker_epoch(app))
    settings: Settings = app.suara_settings  # type: ignore[attr-defined]
    lease = timedelta(seconds=settings.job_lease_seconds)

    async def relayed(coro: Any) -> Any:
        with relaying(relay):
            return await coro

    @app.task(name="suara.ping", ignore_result=False)
    def ping() -> str:
        """Round trip through the broker and a worker."""
        return "pong"

    @app.task(
        name="suara.run_outbox_job",
        bind=True,
        autoretry_for=(Exception,),
        retry_backoff=5,
        retry_backoff_max=600,
        retry_jitter=True,
        max_retries=TASK_MAX_RETRIES,
    )
    def run_outbox_job(self: Task, job_id: int) -> str:
        """Run one outbox job exactly once (idempotent: a redelivery finds it done)."""
        return asyncio.run(relayed(run_job(job_id, handlers, lease)))

    async def recover_and_relay() -> int:
        await requeue_abandoned()
        return await relay.relay_pending()

    @app.task(name="suara.relay_outbox")
    def relay_outbox() -> int:
        """Queue again what lost its worker or its broker, and relay rows an outage left behind."""
        return asyncio.run(relayed(recover_and_relay()))

    @app.task(name="suara.audit_checkpoint")
    def audit_checkpoint() -> bool:
        """Sign the audit chain's head into the data directory when the last checkpoint is old."""
        return asyncio.run(daily_checkpoint(settings.data_dir)) is not None

    @app.task(name="suara.seal_tallies")
    def seal_tallies() -> int:
        """Seal every cycle's new responses into its kept tallies (core.surveys.kept)."""
        return asyncio.run(seal_all())

    @app.task(name="suara.queue_reminders")
    def queue_reminders() -> int:
        """Queue the 3-day and 1-day forum reminders that are due (each is sent once)."""
        from core.forums.service import queue_due_reminders

        return asyncio.run(relayed(queue_due_reminders()))

    @app.task(name="suara.queue_plan_reminders")
    def queue_plan_reminders() -> int:
        """Queue the plan-item and agreement reminders due today (each sent once per threshold)."""
        from zoneinfo import ZoneInfo

        from core.clock import utcnow
        from core.plans.reminders import queue_plan_reminders as queue

        zone = ZoneInfo(app.suara_settings.timezone)  # type: ignore[attr-defined]
        return asyncio.run(relayed(queue(utcnow().astimezone(zone).date())))

    @app.task(name="suara.evaluation_reminders")
    def evaluation_reminders() -> int:
        """Queue the evaluation-deadline reminders due today (each is sent once)."""
        from core.inspection.evaluation import queue_evaluation_reminders
        from core.inspection.reads import local_today

        settings = app.suara_settings  # type: ignore[attr-defined]
        return asyncio.run(relayed(queue_evaluation_reminders(local_today(), hooks, settings)))
