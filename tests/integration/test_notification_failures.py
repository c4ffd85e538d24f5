"""A failing channel is recorded and retried but never blocks the others; the last attempt marks
the delivery failed; a sent delivery is never sent again; async channels are awaited."""

from __future__ import annotations

from core.forums import service as forums
from core.hooks import Hooks
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.notifications.delivery import MAX_ATTEMPTS
from core.notifications.tables import Delivery
from core.plugin_api import NotificationChannel, OutgoingMessage, hookimpl
from core.plugins import build_plugin_manager
from tests.integration.notification_data import Flaky, deliveries, make_world, run_jobs

# --- failures, retries, idempotency ------------------------------------------------------------


async def test_failing_channel_is_recorded_and_never_blocks(db, settings):
    flaky = Flaky()
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)  # the action itself succeeds
    assert (await forums.get_forum(world.organizer, world.forum_id)).status == "scheduled"

    errors = await run_jobs(handlers)
    assert errors and all(isinstance(e, ConnectionError) for e in errors)
    failing = await deliveries(channel="rapuh")
    assert {d["recipient"] for d in failing} == {
        "ani@contoh.id",
        "budi@contoh.id",
        "panitia@pemda.id",
    }
    for row in failing:
        assert (row["status"], row["attempts"]) == ("retrying", 1)
        assert "ConnectionError: gateway tidak menjawab" in row["error"]
        assert row["sent_at"] is None
    others = [d for d in await deliveries() if d["channel"] != "rapuh"]
    assert others and {d["status"] for d in others} == {"sent"}, "other channels still deliver"

    # The worker's retry: still failing, then the gateway is back.
    await run_jobs(handlers)
    assert {d["attempts"] for d in await deliveries(channel="rapuh")} == {2}
    flaky.broken = False
    assert await run_jobs(handlers) == []
    healed = await deliveries(channel="rapuh")
    assert {(d["status"], d["attempts"], d["error"]) for d in healed} == {("sent", 3, "")}
    assert len(flaky.sent) == 3
    assert await OutboxJob.count().where(OutboxJob.done_at.is_null()) == 0


async def test_last_attempt_marks_the_delivery_failed(db, settings):
    flaky = Flaky()
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(handlers)
    await Delivery.update({Delivery.attempts: MAX_ATTEMPTS - 1}).where(Delivery.channel == "rapuh")
    await run_jobs(handlers)
    rows = await deliveries(channel="rapuh")
    assert {(d["status"], d["attempts"]) for d in rows} == {("failed", MAX_ATTEMPTS)}
    flaky.broken = False
    assert await run_jobs(handlers) == []  # a later run (e.g. the relay) closes the job …
    assert flaky.sent == []  # … without sending a delivery given up on
    assert await OutboxJob.count().where(OutboxJob.done_at.is_null()) == 0


async def test_sent_delivery_is_not_sent_again(db, settings):
    flaky = Flaky()
    flaky.broken = False
    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[flaky]))
    handlers = default_handlers(hooks, settings)
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    await run_jobs(handlers)
    assert len(flaky.sent) == 3
    jobs = await OutboxJob.select(OutboxJob.id).where(OutboxJob.kind == "deliver")
    for job in jobs:  # a redelivered message finds its job done
        assert await run_job(job["id"], handlers) == "already done"
    rows = await deliveries(channel="rapuh")
    for row in rows:  # and a second job for the same delivery finds it sent
        await handlers["deliver"]({"delivery": row["id"]})
    assert len(flaky.sent) == 3
    assert {(d["status"], d["attempts"]) for d in await deliveries(channel="rapuh")} == {
        ("sent", 1)
    }


async def test_async_channel_is_awaited(db, settings):
    received: list[OutgoingMessage] = []

    async def send(message: OutgoingMessage) -> None:
        received.append(message)

    class AsyncPlugin:
        @hookimpl
        def suara_notification_channels(self) -> list[NotificationChannel]:
            return [NotificationChannel(code="asinkron", label="Asinkron", send=send)]

    hooks = Hooks(build_plugin_manager(load_entry_points=False, extra=[AsyncPlugin()]))
    world = await make_world()
    await forums.schedule_forum(world.organizer, world.forum_id)
    assert await run_jobs(default_handlers(hooks, settings)) == []
    assert len(received) == 3
    assert {d["status"] for d in await deliveries(channel="asinkron")} == {"sent"}
