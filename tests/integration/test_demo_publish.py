"""The demo publishes: the showcase puskesmas is reported and published with its register entry,
picked saran and a published RTL under way; the other units' cycles follow through the worker."""

from __future__ import annotations

import json

import pytest

from core.demo.publications import (
    JOB_KIND,
    SHOWCASE,
    STORY_UNITS,
    UNPUBLISHED,
    seed_publications,
)
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.plans.tables import Plan
from core.reports.tables import Publication, PublishedSaran
from core.surveys.tables import SurveyCycle
from tests.factories import DEMO_TODAY


async def _status(cycle_id: int) -> str:
    row = await SurveyCycle.select(SurveyCycle.status).where(SurveyCycle.id == cycle_id).first()
    return row["status"]


@pytest.mark.usefixtures("demo_regency")
async def test_demo_publishes_the_showcase_and_queues_the_rest(client, hooks, settings):
    queued = await seed_publications(settings, hooks, DEMO_TODAY)

    published = await SurveyCycle.select(
        SurveyCycle.id, SurveyCycle.unit.code.as_alias("code")
    ).where(SurveyCycle.status == "published")
    assert [r["code"] for r in published] == [SHOWCASE]
    cycle_id = published[0]["id"]
    assert await Publication.count().where(Publication.cycle == cycle_id) == 1
    assert await PublishedSaran.count().where(PublishedSaran.cycle == cycle_id) >= 1
    plan = await Plan.select().where(Plan.cycle == cycle_id).first()
    assert plan["status"] == "published" and plan["forum"] is not None

    body = (await client.get(f"/api/v1/public/units/{SHOWCASE}")).json()
    assert body["latest"]["cycle"] == cycle_id
    assert body["plan"]["progress"] > 0 and body["plan"]["items"][0]["status"] == "done"
    assert body["plan"]["items"][0]["evidence"]
    assert any(f["status"] == "minutes_published" for f in body["forums"])

    jobs = await OutboxJob.select().where(OutboxJob.kind == JOB_KIND).order_by(OutboxJob.id)
    assert len(jobs) == queued >= 10
    cycles = {int(json.loads(j["payload"])["cycle"]): j["id"] for j in jobs}
    rows = await SurveyCycle.select(SurveyCycle.id, SurveyCycle.unit.code.as_alias("unit")).where(
        SurveyCycle.id.is_in(list(cycles))
    )
    by_unit = {r["unit"]: r["id"] for r in rows}
    assert not set(by_unit) & (UNPUBLISHED | STORY_UNITS)

    # As the worker runs one: reported and published once, with its register entry.
    rsud = by_unit["RSUD"]
    assert await run_job(cycles[rsud], default_handlers(hooks, settings)) == "done"
    assert await _status(rsud) == "published"
    assert await Publication.count().where(Publication.cycle == rsud) == 1
    assert await run_job(cycles[rsud], default_handlers(hooks, settings)) == "already done"
    units_api = {u["code"]: u for u in (await client.get("/api/v1/public/units")).json()}
    assert units_api[SHOWCASE]["latest"]["cycle"] == cycle_id
    assert units_api["RSUD"]["latest"]["cycle"] == rsud
    assert sum(1 for u in units_api.values() if u["latest"]) == 2
