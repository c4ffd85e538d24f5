"""Follow-up KPIs per unit and year, as PEKPPP indicators 8 and 9 count them.

Indicator 8: the share of plan items done — no plan; not started; < 30 %; 30–80 %; > 80 %;
100 % with a Laporan Hasil Tindak Lanjut (every item done or dropped and a finished follow-up
report; without the report a complete plan stays in the > 80 % band). Indicator 9: the months
from the SKM report's first recorded publication (the cycle's publication register) to the last
item done — ≤ 1, 3, 6, 9, 12; never (a plan not finished, no publication, or more than 12
months). Dropped items are not counted; sub-items count through their item.
"""

from __future__ import annotations

from datetime import date

from core.accounts.policy import Action, Actor
from core.i18n import translate
from core.plans.schemas import FollowUpOut
from core.plans.tables import ItemStatus, Plan, PlanItem, PlanStatus
from core.reports.tables import JobStatus, Publication, ReportJob
from core.surveys.tables import SurveyCycle
from core.units.service import unit_by_code

MONTH_BANDS = (1, 3, 6, 9, 12)
MONTH_BAND = "≤ {months} bulan"
FOLLOW_UP_KIND = "follow_up"
"""The report-job kind of the Laporan Hasil Tindak Lanjut (core.reports.follow_up)."""
NEVER = "Tidak pernah"


def indicator_8(items: int, done: int, started: bool, reported: bool) -> str:
    """The band of indicator 8 for a unit's year (a complete plan without its report: > 80 %)."""
    if items == 0:
        return "Tidak ada RTL"
    if done == 0 and not started:
        return "Belum dilaksanakan"
    percent = 100 * done / items
    if percent >= 100 and reported:
        return "100 % dengan laporan"
    if percent < 30:
        return "< 30 %"
    return "30–80 %" if percent <= 80 else "> 80 %"


def months_between(start: date, end: date) -> int:
    """Whole months from start to end, a started month counting as one (0 when not after)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months + (1 if end.day > start.day else 0))


def indicator_9(months: int | None, lang: str = "id") -> str:
    """The band of indicator 9; beyond 12 months counts as never (as the evaluation scores it).

    In Indonesian it is the band the rubric scores; in another language, for reading only."""
    for band in MONTH_BANDS if months is not None else ():
        if months <= band:
            return translate(lang, MONTH_BAND, months=band)
    return translate(lang, NEVER)


async def published_on(cycle_ids: list[int]) -> date | None:
    """The first day the cycles' SKM report was published, from their publication registers."""
    row = (
        await Publication.select(Publication.published_on)
        .where(Publication.cycle.is_in(cycle_ids or [0]))
        .order_by(Publication.published_on)
        .first()
    )
    return row["published_on"] if row else None


async def reported(cycle_ids: list[int]) -> bool:
    """Whether every one of the plans' cycles has a finished Laporan Hasil Tindak Lanjut."""
    if not cycle_ids:
        return False
    rows = await ReportJob.select(ReportJob.cycle).where(
        (ReportJob.kind == FOLLOW_UP_KIND)
        & (ReportJob.status == JobStatus.done.value)
        & ReportJob.cycle.is_in(cycle_ids)
    )
    return {r["cycle"] for r in rows} >= set(cycle_ids)


async def follow_up(
    actor: Actor, unit_code: str, year: int, zone: str = "Asia/Jakarta"
) -> FollowUpOut:
    """The follow-up figures of a unit's published plans for the cycles of ``year``.

    ``zone`` is kept for callers; the register's dates are already local days.
    """
    unit = await unit_by_code(actor, unit_code, Action.view_plans)
    cycles = [r["id"] for r in await SurveyCycle.select(SurveyCycle.id).where(
        (SurveyCycle.unit == unit.id) & (SurveyCycle.year == year))]  # fmt: skip
    plans = await Plan.select(Plan.id, Plan.cycle).where(
        Plan.cycle.is_in(cycles or [0])
        & Plan.status.is_in([PlanStatus.published.value, PlanStatus.closed.value]))  # fmt: skip
    plan_cycles = [p["cycle"] for p in plans]
    rows = await PlanItem.select().where(
        PlanItem.plan.is_in([p["id"] for p in plans] or [0]) & PlanItem.parent.is_null()
        & (PlanItem.status != ItemStatus.dropped.value)
    )  # fmt: skip
    done = [r for r in rows if r["status"] == ItemStatus.done.value]
    published = await published_on(plan_cycles)
    months = None
    if rows and len(done) == len(rows) and published is not None:
        months = months_between(published, max(r["realised_on"] or published for r in done))
    started = any(r["progress"] > 0 or r["status"] != ItemStatus.planned.value for r in rows)
    with_report = bool(rows) and len(done) == len(rows) and await reported(plan_cycles)
    return FollowUpOut(
        unit=unit.code, year=year, items=len(rows), done=len(done),
        percent_done=round(100 * len(done) / len(rows), 1) if rows else None,
        months_to_complete=months,
        indicator_8=indicator_8(len(rows), len(done), started, with_report),
        indicator_9=indicator_9(months),
        started=started, with_report=with_report, published_on=published,
    )  # fmt: skip
