"""Indicators 8 and 9 (and 6's top band) from the unit's published plan: each band edge of the
share of items done, the months from the SKM result's publication to the last item done, and
the plan and its items as the evidence behind the cells."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from core.accounts.policy import Actor
from core.audit.service import record
from core.clock import frozen_at, utcnow
from core.db import atomic
from core.inspection.compliance import compliance_matrix
from core.plans.tables import ItemStatus, Plan, PlanItem, PlanStatus
from core.reports.tables import Publication
from core.units.tables import Unit
from tests.factories import make_user
from tests.integration.inspection_data import build_regency

PUBLISHED_ON = date(2026, 4, 2)


@pytest.fixture
async def regency(db, hooks):
    return await build_regency(hooks)


@pytest.fixture
async def inspector(regency) -> Actor:
    return await make_user("insp-2", "inspector")


async def _plan(cycle_id: int, status: str = PlanStatus.published.value) -> list[int]:
    """A plan of ten items for the cycle; returns the item ids."""
    unit = (await Unit.select(Unit.id).where(Unit.code == "PKM-A").first())["id"]
    now = utcnow()
    plan = Plan(unit=unit, cycle=cycle_id, status=status, created_at=now, updated_at=now)
    plan.published_at = now if status != PlanStatus.draft.value else None
    await plan.save()
    items = []
    for n in range(10):
        item = PlanItem(
            plan=plan.id,
            position=n,
            unsur_code=f"U{n % 9 + 1}",
            program=f"Kegiatan {n}",
            status=ItemStatus.planned.value,
            progress=0,
            created_at=now,
            updated_at=now,
        )
        await item.save()
        items.append(item.id)
    return items


async def _done(items: list[int], realised_on: date = date(2026, 6, 1)) -> None:
    await PlanItem.update(
        {PlanItem.status: ItemStatus.done.value, PlanItem.progress: 100,
         PlanItem.realised_on: realised_on}
    ).where(PlanItem.id.is_in(items))  # fmt: skip


async def _cells(hooks, inspector: Actor) -> dict:
    matrix = await compliance_matrix(inspector, hooks, 2026)
    return next(u for u in matrix.units if u.unit == "PKM-A").indicators


async def _published(cycle_id: int) -> None:
    """The SKM result published on paper and online on PUBLISHED_ON (register and audit log)."""
    for media in ("cetak", "website"):
        await Publication.insert(
            Publication(cycle=cycle_id, media=media, published_on=PUBLISHED_ON,
                        created_at=utcnow())
        )  # fmt: skip
    moment = datetime.combine(PUBLISHED_ON, time(3, 0), tzinfo=UTC)
    with frozen_at(moment):
        async with atomic():
            await record(Actor.system(), "cycle.published", "cycle", cycle_id)


async def test_share_done_at_each_band_edge(regency, hooks, inspector):
    items = await _plan(regency["cycle"])
    cells = await _cells(hooks, inspector)
    assert cells["8"].score == 1  # a plan, nothing started
    hrefs = [e.href for e in cells["8"].evidence]
    assert f"/cycles/{regency['cycle']}/rtl" in hrefs
    assert f"/cycles/{regency['cycle']}/rtl#item-{items[0]}" in hrefs
    await PlanItem.update({PlanItem.progress: 10}).where(PlanItem.id == items[0])
    assert (await _cells(hooks, inspector))["8"].score == 2  # started, < 30 %
    for done, score in ((2, 2), (3, 3), (8, 3), (9, 4), (10, 4)):
        await _done(items[:done])
        cells = await _cells(hooks, inspector)
        assert cells["8"].score == score, (done, cells["8"].note)
        assert f"{done}/10" in cells["8"].note


async def test_dropped_items_do_not_count_and_drafts_are_no_plan(regency, hooks, inspector):
    items = await _plan(regency["cycle"], PlanStatus.discussed.value)
    assert (await _cells(hooks, inspector))["8"].score == 0  # not published: no plan
    await Plan.update({Plan.status: PlanStatus.published.value}).where(
        Plan.cycle == regency["cycle"]
    )
    await _done(items[:9])
    await PlanItem.update({PlanItem.status: ItemStatus.dropped.value}).where(
        PlanItem.id == items[9]
    )
    cells = await _cells(hooks, inspector)
    assert cells["8"].score == 4 and "9/9" in cells["8"].note  # 100 %, no follow-up report yet


async def test_speed_and_indicator_6_followed_up(regency, hooks, inspector):
    await _published(regency["cycle"])
    items = await _plan(regency["cycle"])
    cells = await _cells(hooks, inspector)
    assert cells["6"].score == 4  # published on paper and online, nothing followed up yet
    assert cells["9"].score == 0  # never (not all done)
    await _done(items[:1])
    cells = await _cells(hooks, inspector)
    assert cells["6"].score == 5 and cells["9"].score == 0
    assert any(e.href.endswith(f"#item-{items[0]}") for e in cells["6"].evidence)
    for last_done, months, score in (
        (date(2026, 5, 2), 1, 5),
        (date(2026, 5, 3), 2, 4),
        (date(2026, 7, 2), 3, 4),
        (date(2026, 10, 2), 6, 3),
        (date(2027, 1, 2), 9, 2),
        (date(2027, 4, 2), 12, 1),
        (date(2027, 4, 3), 13, 0),
    ):
        await _done(items, date(2026, 4, 20))
        await _done(items[-1:], last_done)
        cells = await _cells(hooks, inspector)
        assert cells["9"].score == score, (last_done, cells["9"].note)
        assert cells["9"].note.startswith(f"{months} bulan")


async def test_follow_up_report_is_evidence_of_8_and_9(regency, hooks, inspector):
    from core.reports.tables import JobStatus, ReportArtifact, ReportJob

    await _plan(regency["cycle"])
    now = utcnow()
    job = ReportJob(kind="follow_up", cycle=regency["cycle"], status=JobStatus.done.value,
                    inputs_hash="x" * 64, created_at=now, finished_at=now)  # fmt: skip
    await job.save()
    await ReportArtifact.insert(
        ReportArtifact(job=job.id, format="pdf", path="x.pdf", sha256="cd" * 32, size=10)
    )
    cells = await _cells(hooks, inspector)
    for code in ("8", "9"):
        assert any(
            e.slot == "laporan_tindak_lanjut" and e.sha256 == "cd" * 32
            for e in cells[code].evidence
        )
    assert not any(e.slot == "laporan_tindak_lanjut" for e in cells["6"].evidence)
