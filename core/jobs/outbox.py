"""The transactional outbox: jobs are rows written with the change, relayed after commit.

A broker outage therefore delays work and never loses it: unrelayed rows are picked up again by the
periodic relay, and a job that is delivered twice runs once (its row is claimed under a lock). A
job whose worker died holds an expired lease, and one sent to a broker that restarted empty carries
the old broker epoch: the periodic relay sends both again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

import anyio

from core.clock import utcnow
from core.db import atomic, engine, is_postgres, on_commit
from core.jobs.lease import DEFAULT_LEASE, lease_end
from core.jobs.tables import OutboxJob

log = logging.getLogger(__name__)

Sender = Callable[[int], None]
Epoch = Callable[[], str]
Handler = Callable[[dict[str, Any]], Awaitable[None]]
FailureHook = Callable[[dict[str, Any], BaseException], Awaitable[None]]

STALE_AFTER = timedelta(minutes=15)
# How often the worker retries a failed job (with backoff) after its first run; handlers that
# keep their own record of attempts (notification deliveries) read it to know the last one.
TASK_MAX_RETRIES = 10


class Relay:
    """Sends outbox rows to the queue with a sender's ``send`` (core.jobs.dispatch.JobSender).

    ``epoch`` names the broker's current incarnation (JobSender.broker_epoch): when it differs
    from the one a waiting row was sent to, the broker restarted and lost that message.
    """

    def __init__(self, send: Sender | None = None, epoch: Epoch | None = None) -> None:
        self.send = send
        self.epoch = epoch

    async def relay_pending(
        self, limit: int = 200, *, untaken_before: datetime | None = None
    ) -> int:
        """Hand the rows that need it to the queue; stop at a broker error (the rows wait).

        Sent: rows never relayed; rows whose worker's lease ran out (it died mid-job); rows sent
        to a broker incarnation that is gone (it restarted without its queue); and rows relayed
        more than STALE_AFTER ago and still not done (lost for a reason nobody saw). With
        ``untaken_before`` (a starting worker), also every row relayed before then that no worker
        has taken: a worker killed between receiving a message and taking its row lost it. Running
        a job twice is harmless: ``run_job`` claims it under a lock and a done job is skipped.
        """
        if self.send is None:
            return 0
        try:
            epoch = await anyio.to_thread.run_sync(self.epoch) if self.epoch else ""
        except Exception as exc:  # broker down: nothing can be sent
            await self._note(None, exc)
            return 0
        now = utcnow()
        waiting = OutboxJob.done_at.is_null()
        rows = (
            await OutboxJob.select(OutboxJob.id)
            .where(
                OutboxJob.relayed_at.is_null()
                | (waiting & (OutboxJob.lease_until < now))
                | (
                    waiting
                    & OutboxJob.lease_until.is_null()
                    & (
                        (OutboxJob.broker_epoch != epoch)
                        | (OutboxJob.relayed_at < (untaken_before or now - STALE_AFTER))
                    )
                )
            )
            .order_by(OutboxJob.id)
            .limit(limit)
        )
        relayed = 0
        for row in rows:
            try:
                await anyio.to_thread.run_sync(self.send, row["id"])
            except Exception as exc:  # broker down: the row waits for the next relay
                await self._note(row["id"], exc)
                break
            await OutboxJob.update(
                {
                    OutboxJob.relayed_at: utcnow(),
                    OutboxJob.broker_epoch: epoch,
                    OutboxJob.lease_until: None,
                }
            ).where(OutboxJob.id == row["id"])
            relayed += 1
        return relayed

    @staticmethod
    async def _note(job_id: int | None, exc: Exception) -> None:
        """Log a relay stop and keep its reason on the row (or the oldest unrelayed one)."""
        log.warning("outbox relay stopped: %s", exc)
        if job_id is None:
            first = (
                await OutboxJob.select(OutboxJob.id)
                .where(OutboxJob.relayed_at.is_null())
                .order_by(OutboxJob.id)
                .first()
            )
            if first is None:
                return
            job_id = first["id"]
        await OutboxJob.update({OutboxJob.last_error: f"relay: {exc}"[:2000]}).where(
            OutboxJob.id == job_id
        )


# The relay of the request or task being served. A context variable, not a process-wide setting:
# each web app and each worker task sets its own for the work it runs, so nothing leaks from one
# app (or test) to the next and nothing needs resetting. Unset: rows wait for the periodic relay.
_active_relay: ContextVar[Relay | None] = ContextVar("suara_active_relay", default=None)


@contextmanager
def relaying(relay: Relay) -> Iterator[Relay]:
    """Within the block, jobs enqueued by committed transactions are relayed by ``relay``."""
    token = _active_relay.set(relay)
    try:
        yield relay
    finally:
        _active_relay.reset(token)


async def enqueue(kind: str, payload: dict[str, Any]) -> int:
    """Write a job row inside the current atomic() block; it is relayed once the block commits.

    Relayed by the relay of the current ``relaying`` block; outside one (a CLI command), the
    worker's periodic relay picks the row up.
    """
    rows = await OutboxJob.insert(
        OutboxJob(kind=kind, payload=json.dumps(payload), created_at=utcnow())
    ).returning(OutboxJob.id)
    relay = _active_relay.get()
    if relay is not None:
        on_commit(relay.relay_pending)
    return int(rows[0]["id"])


async def run_job(
    job_id: int, handlers: dict[str, Handler], lease: timedelta = DEFAULT_LEASE
) -> str:
    """Run one job exactly once: claim it under a lock, run its handler, mark it done, commit.

    First the row is leased to this worker (committed on its own), so a worker killed while it
    runs the job is noticed when the lease runs out and the job is relayed again. On failure the
    lease ends and the row counts as relayed now: the worker's retry message is on its way.

    A handler may carry an ``on_failure(payload, exc)`` coroutine attribute: when the handler
    raises, its transaction is rolled back and then ``on_failure`` runs, outside it, so the handler
    can still record the failure (the exception is raised again afterwards for the retry).
    """
    payload: dict[str, Any] | None = None
    handler: Handler | None = None
    async with atomic():
        await OutboxJob.update({OutboxJob.lease_until: lease_end(lease)}).where(
            (OutboxJob.id == job_id) & OutboxJob.done_at.is_null()
        )
    try:
        async with atomic():
            if is_postgres():
                await engine().run_ddl(
                    f"SELECT id FROM outbox_job WHERE id = {int(job_id)} FOR UPDATE"
                )
            row = await OutboxJob.select().where(OutboxJob.id == job_id).first()
            if row is None:
                return "missing"
            if row["done_at"] is not None:
                return "already done"
            handler = handlers.get(row["kind"])
            if handler is None:
                raise LookupError(f"no handler for job kind {row['kind']!r}")
            raw = row["payload"]
            payload = json.loads(raw) if isinstance(raw, str) else raw
            await handler(payload)
            await OutboxJob.update(
                {OutboxJob.done_at: utcnow(), OutboxJob.attempts: row["attempts"] + 1}
            ).where(OutboxJob.id == job_id)
    except Exception as exc:
        await OutboxJob.update(
            {
                OutboxJob.attempts: OutboxJob.attempts + 1,
                OutboxJob.last_error: repr(exc)[:2000],
                OutboxJob.lease_until: None,
                OutboxJob.relayed_at: utcnow(),
            }
        ).where(OutboxJob.id == job_id)
        on_failure: FailureHook | None = getattr(handler, "on_failure", None)
        if on_failure is not None and payload is not None:
            try:
                await on_failure(payload, exc)
            except Exception:  # recording the failure must not hide the failure itself
                log.exception("on_failure of outbox job %s failed", job_id)
        raise
    return "done"
