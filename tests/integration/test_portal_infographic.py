"""A published cycle's infographic on its unit's portal page (issue 13), read through the
reports service; nothing of an unpublished cycle, and never the report PDF (it quotes saran)."""

from __future__ import annotations

from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.reports.cycle_report import request_cycle_report
from tests.factories import make_unit
from tests.integration.portal_data import SYSTEM, answered_cycle, close, report_and_publish


async def _reported(hooks, settings, period: str) -> int:
    cycle_id = await answered_cycle(hooks, "PKM-A", [4, 3, 3], period=period)
    await close(hooks, cycle_id)
    await request_cycle_report(SYSTEM, settings, hooks, cycle_id)
    handlers = default_handlers(hooks, settings)
    for row in await OutboxJob.select(OutboxJob.id).where(OutboxJob.done_at.is_null()):
        await run_job(row["id"], handlers)
    return cycle_id


async def test_the_infographic_of_a_published_cycle_only(client, hooks, settings):
    await make_unit("PKM-A", "puskesmas")
    published = await _reported(hooks, settings, "tw1")
    await report_and_publish(published)
    unpublished = await _reported(hooks, settings, "tw2")

    page = (await client.get("/transparansi/unit/PKM-A")).text
    assert 'id="infographic"' in page
    assert f"/transparansi/unit/PKM-A/infografik/{published}.svg" in page
    assert ".pdf" not in page
    picture = await client.get(f"/transparansi/unit/PKM-A/infografik/{published}.svg")
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/svg")
    again = await client.get(
        f"/transparansi/unit/PKM-A/infografik/{published}.svg",
        headers={"If-None-Match": picture.headers["etag"]},
    )
    assert again.status_code == 304
    for path in (
        f"/transparansi/unit/PKM-A/infografik/{unpublished}.svg",
        f"/transparansi/unit/PKM-A/infografik/{published}.pdf",
        f"/transparansi/unit/PKM-B/infografik/{published}.svg",
    ):
        assert (await client.get(path)).status_code == 404, path
