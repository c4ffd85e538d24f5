"""Follow-up KPIs per unit and year, as PEKPPP indicators 8 and 9 count them.

Indicator 8: the share of plan items done (no plan; not started; < 30 %; 30–80 %; > 80 %;
100 % with a follow-up report). Indicator 9: the months from the SKM report's publication to the
last item done (≤ 1, 3, 6, 9, 12; never). Dropped items are not counted; sub-items count through
their item. Until the report room records its own publication date, the cycle's move to
«Diumumkan» in the audit log is the SKM report's publication.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.accounts.policy import Action, Actor
from core.audit.tables import AuditEvent
from core.plans.schemas import FollowUpOut
from core.plans.tables import ItemStatus, Plan, PlanItem, PlanStatus
from core.surveys.tables import SurveyCycle
from core.units.service import unit_by_code

MONTH_BANDS = (1, 3, 6, 9, 12)


def indicator_8(items: int, done: int, started: bool, reported: bool) -> str:
    """The band of indicator 8 for a unit's year."""
    if items == 0:
        return "Tidak ada RTL"
    percent = 100 * done / items
    if percent == 100:
        return "100 % dengan laporan" if reported else "100 % (laporan tindak lanjut belum ada)"
    if done == 0 and not started:
        return "Belum dilaksanakan"
    if percent < 30:
        return "< 30 %"
    return "30–80 %" if percent <= 80 else "> 80 %"


def months_between(start: date, end: date) -> int:
    """Whole months from start to end, a started month counting as one (0 when not after)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return max(0, months + (1 if end.day > start.day else 0))


def indicator_9(months: int | None) -> str:
    """The band of indicator 9."""
    if months is None:
        return "Tidak pernah"
    for band in MONTH_BANDS:
        if months <= band:
            return f"≤ {band} bulan"
    return "> 12 bulan"


async def _published_on(cycle_ids: list[int], zone: ZoneInfo) -> date | None:
    rows = (
        await AuditEvent.select(AuditEvent.at)
        .where(
            (AuditEvent.action == "cycle.published")
            & AuditEvent.entity_id.is_in([str(c) for c in cycle_ids])
        )
        .order_by(AuditEvent.at)
    )
    at: datetime | None = rows[0]["at"] if rows else None
    return at.astimezone(zone).date() if at else None


async def follow_up(
    actor: Actor, unit_code: str, year: int, zone: str = "Asia/Jakarta"
) -> FollowUpOut:
    """The follow-up figures of a unit's published plans for the cycles of ``year``."""
    unit = await unit_by_code(actor, unit_code, Action.view_plans)
    cycles = [r["id"] for r in await SurveyCycle.select(SurveyCycle.id).where(
        (SurveyCycle.unit == unit.id) & (SurveyCycle.year == year))]  # fmt: skip
    plans = [r["id"] for r in await Plan.select(Plan.id).where(
        Plan.cycle.is_in(cycles or [0])
        & Plan.status.is_in([PlanStatus.published.value, PlanStatus.closed.value]))]  # fmt: skip
    rows = await PlanItem.select().where(
        PlanItem.plan.is_in(plans or [0]) & PlanItem.parent.is_null()
        & (PlanItem.status != ItemStatus.dropped.value)
    )  # fmt: skip
    done = [r for r in rows if r["status"] == ItemStatus.done.value]
    months = None
    published = await _published_on(cycles, ZoneInfo(zone)) if cycles else None
    if rows and len(done) == len(rows) and published is not None:
        months = months_between(published, max(r["realised_on"] or published for r in done))
    started = any(r["progress"] > 0 for r in rows)
    return FollowUpOut(
        unit=unit.code, year=year, items=len(rows), done=len(done),
        percent_done=round(100 * len(done) / len(rows), 1) if rows else None,
        months_to_complete=months,
        indicator_8=indicator_8(len(rows), len(done), started, reported=False),
        indicator_9=indicator_9(months),
    )  # fmt: skip
