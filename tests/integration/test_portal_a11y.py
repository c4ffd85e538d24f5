"""The portal passes axe-core (no serious or critical WCAG 2.1 A/AA violation), loads nothing
from another site, weighs under 200 KB and has a working skip link, at 390 and 1280 px.

Needs Chromium, Python playwright and axe-core (``npm ci --prefix tests/a11y``, installed by
``.ci/run``); skipped with the reason when one is missing, a failure under CI=true.
"""

from __future__ import annotations

from datetime import date

from core.plans import service
from core.plans.tables import Plan
from core.reports.public_report import curate_saran
from core.reports.saran_picks import SaranPick
from core.surveys.tables import Response
from core.units.schemas import StandardIn
from core.units.standards import save_standard
from tests.a11y.axe import check, missing
from tests.conftest import unavailable
from tests.factories import make_unit
from tests.integration.portal_data import answered_cycle, publish
from tests.integration.test_plans import _cycle
from tests.integration.test_portal_publish import SYSTEM, _publish, _published_plan

BASE = "http://testserver.local"


async def test_portal_pages_pass_axe(client, hooks, settings):
    reason = missing()
    if reason:
        unavailable(reason)
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "GIGI"))
    await make_unit("PKM-B", "puskesmas")
    # PKM-A: a published report with picked saran, a published plan under way, standards, a trend.
    first = await _cycle(hooks)
    plan_id = await _published_plan(hooks, settings, first)
    await service.publish(SYSTEM, plan_id)
    await _publish(hooks, settings, first)
    saran = await Response.select(Response.id, Response.saran).where(Response.cycle == first)
    await curate_saran(SYSTEM, settings, hooks, first, [SaranPick(saran[0]["id"], "Antrean lama")])
    standard = StandardIn(components={"persyaratan": "KTP"}, set_on=date(2026, 1, 2))
    await save_standard(SYSTEM, "PKM-A", "UMUM", standard)
    await publish(hooks, await answered_cycle(hooks, "PKM-A", [4, 4], period="tw2", population=9))
    forum = (await Plan.select(Plan.forum).where(Plan.id == plan_id).first())["forum"]

    async def fetch(path: str):
        response = await client.get(path)
        return response.status_code, dict(response.headers), response.content

    paths = [
        "/",
        "/transparansi?q=pkm",
        "/transparansi/unit/PKM-A",
        "/transparansi/unit/PKM-B",
        "/publik/unit/PKM-A/tindak-lanjut",
        f"/forum/{forum}/publik",
        "/data-terbuka",
    ]
    problems = [
        f"{r.path} @{r.width}px: {line}"
        for r in await check(BASE, paths, fetch)
        for line in r.failures
    ]
    assert not problems, "\n".join(problems)
