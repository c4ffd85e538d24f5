"""Which outbox rows the relay sends again: the rules behind "none lost, none twice".

A row is sent when never relayed; when its worker's lease ran out; when it was sent to a broker
incarnation that is gone; after STALE_AFTER in any case; and, for a starting worker, when no
worker took it. A row a live worker holds, or one done, is left alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import utcnow
from core.db import atomic
from core.jobs.lease import lease_end
from core.jobs.outbox import STALE_AFTER, Relay, enqueue, run_job
from core.jobs.tables import OutboxJob


class Broker:
    """Records what it is sent; its epoch changes when it "restarts"."""

    def __init__(self) -> None:
        self.epoch = "run-1"
        self.sent: list[int] = []

    def relay(self) -> Relay:
        return Relay(self.sent.append, lambda: self.epoch)


async def rows(count: int) -> list[int]:
    async with atomic():
        return [await enqueue("event", {"name": "test", "payload": {}}) for _ in range(count)]


async def test_only_rows_that_need_it_are_sent_again(db):
    broker = Broker()
    relay = broker.relay()
    held, expired, untaken, done, old = await rows(5)
    assert await relay.relay_pending() == 5 and broker.sent == [held, expired, untaken, done, old]
    assert await relay.relay_pending() == 0  # all on their way: nothing twice

    now = utcnow()
    await OutboxJob.update({OutboxJob.lease_until: now + timedelta(seconds=30)}).where(
        OutboxJob.id == held
    )
    await OutboxJob.update({OutboxJob.lease_until: now - timedelta(seconds=1)}).where(
        OutboxJob.id == expired
    )
    await OutboxJob.update({OutboxJob.done_at: now}).where(OutboxJob.id == done)
    await OutboxJob.update({OutboxJob.relayed_at: now - STALE_AFTER - timedelta(seconds=1)}).where(
        OutboxJob.id == old
    )
    broker.sent.clear()
    assert await relay.relay_pending() == 2 and broker.sent == [expired, old]

    broker.sent.clear()
    broker.epoch = "run-2"  # Redis restarted empty: what waited in it is gone
    assert await relay.relay_pending() == 3 and broker.sent == [expired, untaken, old]
    assert await relay.relay_pending() == 0

    broker.sent.clear()  # a worker starts: what nobody took may have died with its predecessor
    assert await relay.relay_pending(untaken_before=utcnow()) == 3
    assert broker.sent == [expired, untaken, old]
    assert held not in broker.sent and done not in broker.sent


async def test_a_broker_that_cannot_say_its_epoch_sends_nothing(db):
    def down() -> str:
        raise ConnectionRefusedError("broker down")

    sent: list[int] = []
    (first,) = await rows(1)
    assert await Relay(sent.append, down).relay_pending() == 0 and sent == []
    row = await OutboxJob.select().where(OutboxJob.id == first).first()
    assert row["relayed_at"] is None and row["last_error"].startswith("relay:")


async def test_a_run_takes_the_lease_and_a_failure_hands_it_back(db):
    (job_id,) = await rows(1)
    seen: list = []

    async def look(payload: dict) -> None:
        seen.append(await OutboxJob.select().where(OutboxJob.id == job_id).first())
        raise RuntimeError("channel down")

    before = lease_end(timedelta(seconds=60))
    with pytest.raises(RuntimeError):
        await run_job(job_id, {"event": look}, timedelta(seconds=60))
    assert seen[0]["lease_until"] >= before  # taken before the handler ran
    row = await OutboxJob.select().where(OutboxJob.id == job_id).first()
    assert row["lease_until"] is None and row["relayed_at"] is not None  # the retry is queued
    assert row["done_at"] is None and row["attempts"] == 1


async def test_a_report_job_past_its_lease_is_queued_again_once(db):
    from core.reports.jobs import JOB_KIND, requeue_abandoned
    from core.reports.tables import ReportJob

    now = utcnow()

    async def job(lease) -> int:
        rows = await ReportJob.insert(
            ReportJob(
                kind="recap",
                year=2026,
                status="running",
                inputs_hash="x",
                created_at=now,
                lease_until=lease,
            )
        ).returning(ReportJob.id)
        return rows[0]["id"]

    alive, dead = await job(now + timedelta(seconds=30)), await job(now - timedelta(seconds=1))
    assert await requeue_abandoned() == 1
    assert await requeue_abandoned() == 0  # queued now, not running: nothing twice
    statuses = {r["id"]: r["status"] for r in await ReportJob.select()}
    assert statuses == {alive: "running", dead: "queued"}
    queued = await OutboxJob.select().where(OutboxJob.kind == JOB_KIND)
    assert len(queued) == 1 and f'"job": {dead}' in str(queued[0]["payload"])
