"""The public submission limit: atomic, per address and per cycle, configurable; tokens stay put."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from datetime import date

import asyncpg
import pytest

from core.accounts.policy import Actor
from core.db import is_postgres
from core.errors import Conflict, RateLimited
from core.settings import Settings
from core.surveys import cycles
from core.surveys.pace import pace_condition, source_key
from core.surveys.public import open_survey
from core.surveys.schemas import CycleIn, ResponseIn
from core.surveys.submission import submit_public
from core.surveys.tables import Response, SurveyCycle
from tests.factories import make_unit

ANSWERS = {f"U{n}": 3 for n in range(1, 10)}
PROFILE = {"jenis_kelamin": "L", "usia": 34, "pendidikan": "S1", "pekerjaan": "Swasta"}


async def open_link(hooks, unit: str) -> str:
    """The public token of a new open cycle of a new unit."""
    await make_unit(unit, "puskesmas", services=("UMUM",))
    cycle_id = await cycles.create_cycle(
        Actor.system(),
        hooks,
        CycleIn(
            unit=unit,
            period_type="tw1",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 3, 31),
            population=100,
            services=["UMUM"],
        ),
    )
    await cycles.open_cycle(Actor.system(), hooks, cycle_id)
    row = await SurveyCycle.select(SurveyCycle.public_token).where(SurveyCycle.id == cycle_id)
    return row[0]["public_token"]


async def send(settings: Settings, link: str, source: str, token: str | None = None):
    survey = await open_survey(link)
    data = ResponseIn(answers=ANSWERS, service="UMUM", profile=PROFILE, submission_token=token)
    return await submit_public(settings, survey, data, source)


def test_the_default_limit_fits_a_busy_counter_on_shared_wifi(settings):
    # one citizen every 20 s for a whole hour behind one address stays under the limit
    assert settings.public_submission_limit >= 180
    assert settings.public_submission_window_seconds <= 3600


async def test_parallel_posts_never_pass_the_limit(db, hooks, settings):
    tight = replace(settings, public_submission_limit=3)
    link = await open_link(hooks, "PKM-A")
    results = await asyncio.gather(
        *(send(tight, link, "10.0.0.1") for _ in range(12)), return_exceptions=True
    )
    assert sum(isinstance(r, RateLimited) for r in results) == 9
    assert await Response.count() == 3
    # another address, and the same address on another cycle, are counted apart
    await send(tight, link, "10.0.0.2")
    await send(tight, await open_link(hooks, "PKM-B"), "10.0.0.1")
    assert await Response.count() == 5


async def test_a_token_stored_for_one_cycle_is_refused_by_another(db, hooks, settings):
    first, second = await open_link(hooks, "PKM-A"), await open_link(hooks, "PKM-B")
    stored = await send(settings, first, "10.0.0.1", token="tap-1")
    again = await send(settings, first, "10.0.0.1", token="tap-1")
    assert again.id == stored.id and again.duplicate
    with pytest.raises(Conflict):
        await send(settings, second, "10.0.0.1", token="tap-1")
    assert await Response.count() == 1


async def test_a_post_waits_for_one_in_flight_from_the_same_address(db, hooks, settings):
    if not is_postgres():
        pytest.skip("SQLite's write transactions are serial: nothing can be in flight")
    tight = replace(settings, public_submission_limit=1)
    link = await open_link(hooks, "PKM-A")
    survey = await open_survey(link)
    cycle = survey.cycle
    condition, args = pace_condition(tight, cycle["id"], source_key(tight, "10.0.0.9"))
    other = await asyncpg.connect(os.environ["DATABASE_URL"])
    watcher = await asyncpg.connect(os.environ["DATABASE_URL"])  # statistics outside a transaction
    try:
        in_flight = other.transaction()
        await in_flight.start()
        # another post from the address: it has passed the check and stored its row, uncommitted
        check = condition.format(*(f"${n}" for n in range(1, len(args) + 1)))
        assert await other.fetchval(f"SELECT {check}", *args)
        await other.execute(
            "INSERT INTO survey_response (cycle, questionnaire, channel, submission_token,"
            " source_key, created_at) VALUES ($1, $2, 'online', 'in-flight', $3, now())",
            cycle["id"],
            cycle["questionnaire"],
            args[2],
        )
        post = asyncio.create_task(send(tight, link, "10.0.0.9"))
        while not post.done() and not await watcher.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        ):
            await asyncio.sleep(0.02)  # until the post waits for the address's lock (or is done)
        await in_flight.commit()
    finally:
        await other.close()
        await watcher.close()
    with pytest.raises(RateLimited):
        await post
    assert await Response.count() == 1
