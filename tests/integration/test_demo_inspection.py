"""The demo gives the inspectorate's story something to find: units scoring 0 to 5 with the
evidence behind each score, and a unit without SKM this year whose own demo operator answers."""

from __future__ import annotations

import json
import shutil

import pytest

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user
from core.accounts.tables import User
from core.demo.follow_through import JOB_KIND, STORIES
from core.inspection.compliance import compliance_matrix
from core.jobs.handlers import default_handlers
from core.jobs.outbox import run_job
from core.jobs.tables import OutboxJob
from core.reports.artifacts import job_dir
from core.reports.tables import ReportJob
from core.units.tables import Unit
from tests.factories import DEMO_TODAY


async def _actor(username: str) -> Actor:
    row = await User.select(User.id).where(User.username == username).first()
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor


@pytest.fixture
async def no_report_files_left(settings):
    """Remove the report files this test renders: job ids restart with every test's database,
    and another test may look into the folder of the same job id."""
    yield
    for row in await ReportJob.select(ReportJob.id):
        shutil.rmtree(job_dir(settings.data_dir, row["id"]), ignore_errors=True)


@pytest.mark.usefixtures("demo_regency", "no_report_files_left")
async def test_demo_matrix_spans_the_rubric(hooks, settings):
    jobs = await OutboxJob.select().where(OutboxJob.kind == JOB_KIND).order_by(OutboxJob.id)
    assert [json.loads(j["payload"])["unit"] for j in jobs] == [s.unit for s in STORIES]
    # The worker runs the first story (reporting renders the report, so only this one here).
    assert await run_job(jobs[0]["id"], default_handlers(hooks, settings)) == "done"
    assert await run_job(jobs[0]["id"], default_handlers(hooks, settings)) == "already done"
    matrix = await compliance_matrix(await _actor("inspector"), hooks, DEMO_TODAY.year)
    units = {u.unit: u for u in matrix.units}
    assert {u.indicators["6"].score for u in matrix.units} == {0, 1, 2, 5}
    for unit in matrix.units:
        for code, cell in unit.indicators.items():
            if cell.score:
                assert cell.evidence, (unit.unit, code)
    top = units["DPMPTSP"]
    assert {code: c.score for code, c in top.indicators.items()} == {
        "6": 5, "7": 5, "8": 4, "9": 5, "fkp2": 5
    }  # fmt: skip
    assert any("#item-" in e.href for e in top.indicators["6"].evidence)
    assert top.report_generated and top.plan_published and top.forum_held
    assert any(e.slot == "laporan_skm" and e.sha256 for e in top.indicators["6"].evidence)

    without = units["DLH"]
    assert without.indicators["6"].score == 0 and not without.surveyed
    operator = await _actor("operator-dlh")
    dlh = await Unit.select(Unit.id).where(Unit.code == "DLH").first()
    assert operator.unit_ids == frozenset({dlh["id"]})
