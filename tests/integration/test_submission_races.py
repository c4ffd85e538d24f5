"""A public submission racing the close of its cycle (PostgreSQL; SQLite writes are serial):
no response lands in a cycle whose close has been counted."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable

import asyncpg
import pytest

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.db import is_postgres
from core.errors import Conflict
from core.surveys import cycles
from core.surveys.public import open_survey
from core.surveys.tables import Response
from tests.integration.test_public_pace import open_link, send

REASON = "Tes: ditutup selagi ada jawaban yang sedang dikirim"
WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    " AND wait_event_type = 'Lock'"
)


@pytest.fixture
async def connections(db):
    if not is_postgres():
        pytest.skip("SQLite's write transactions are serial: nothing can be in flight")
    other = await asyncpg.connect(os.environ["DATABASE_URL"])
    watcher = await asyncpg.connect(os.environ["DATABASE_URL"])  # statistics outside a transaction
    yield other, watcher
    await other.close()
    await watcher.close()


async def until_waiting(task: asyncio.Task, watcher: asyncpg.Connection) -> None:
    """Return once the task waits for a lock (or is done)."""
    while not task.done() and not await watcher.fetchval(WAITING):
        await asyncio.sleep(0.02)


def started(work: Awaitable) -> asyncio.Task:
    return asyncio.ensure_future(work)


async def test_closing_waits_for_a_submission_in_flight(connections, hooks, settings):
    other, watcher = connections
    cycle = (await open_survey(await open_link(hooks, "PKM-A"))).cycle
    in_flight = other.transaction()
    await in_flight.start()
    # what a submission's statement does: lock the cycle row FOR KEY SHARE and insert
    await other.execute("SELECT id FROM survey_cycle WHERE id = $1 FOR KEY SHARE", cycle["id"])
    await other.execute(
        "INSERT INTO survey_response (cycle, questionnaire, channel, submission_token,"
        " created_at) VALUES ($1, $2, 'online', 'in-flight', now())",
        cycle["id"],
        cycle["questionnaire"],
    )
    closing = started(cycles.close_cycle(Actor.system(), hooks, cycle["id"], REASON))
    await until_waiting(closing, watcher)
    await in_flight.commit()
    await closing
    event = await AuditEvent.select(AuditEvent.after).where(AuditEvent.action == "cycle.closed")
    after = event[0]["after"]
    # the close counted the response that was in flight when it began
    assert (json.loads(after) if isinstance(after, str) else after)["collected"] == 1


async def test_a_submission_waiting_for_a_close_stores_nothing(connections, hooks, settings):
    other, watcher = connections
    link = await open_link(hooks, "PKM-A")
    cycle = (await open_survey(link)).cycle
    closing = other.transaction()
    await closing.start()
    # what close_cycle does first: lock the row, then mark it closed (not committed yet)
    await other.execute("SELECT id FROM survey_cycle WHERE id = $1 FOR UPDATE", cycle["id"])
    await other.execute("UPDATE survey_cycle SET status = 'closed' WHERE id = $1", cycle["id"])
    post = started(send(settings, link, "10.0.0.7"))
    await until_waiting(post, watcher)
    await closing.commit()
    with pytest.raises(Conflict):
        await post
    assert await Response.count() == 0
