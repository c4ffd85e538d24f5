"""What the plan pages read besides the plan itself: when an item is due, the regency overview
(overdue first), and the unit's public «kami mendengar, kami bertindak»."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.accounts.policy import Action, Actor, can, visible_unit_ids
from core.errors import NotFound
from core.forums.tables import Agreement, Forum, ForumStatus, ForumUnit
from core.plans.reads import plan_out
from core.plans.schemas import QUARTERS, PlanOut
from core.plans.tables import ItemStatus, Plan, PlanItem, PlanStatus
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit

FINISHED = (ItemStatus.done.value, ItemStatus.dropped.value)


def due_on(item: dict[str, Any], cycle_end: date) -> date | None:
    """An item's due day: its date, or the last day of its quarter (TW) — the first such quarter
    ending after the cycle ends."""
    if item["due_date"] is not None:
        return item["due_date"]
    if item["quarter"] not in QUARTERS:
        return None
    month = 3 * (QUARTERS.index(item["quarter"]) + 1)
    year = cycle_end.year
    end = date(year, month, calendar.monthrange(year, month)[1])
    return end if end >= cycle_end else date(year + 1, month, end.day)


@dataclass(frozen=True)
class OverviewRow:
    """One plan in the regency overview."""

    plan: int
    cycle: int
    unit: str
    unit_name: str
    year: int
    status: str
    items: int
    done: int
    overdue: int


async def regency_overview(actor: Actor, today: date) -> list[OverviewRow]:
    """Every plan the actor may see: those with overdue items first (most overdue), then by unit."""
    visible = visible_unit_ids(actor)
    query = Plan.select(
        Plan.id, Plan.cycle, Plan.status, Plan.unit,
        Plan.unit.code.as_alias("code"), Plan.unit.name.as_alias("name"),
        Plan.cycle.year.as_alias("year"), Plan.cycle.end_date.as_alias("end"),
    )  # fmt: skip
    if visible is not None:
        query = query.where(Plan.unit.is_in(list(visible) or [0]))
    plans = [p for p in await query if _may_view(actor, p["unit"])]
    items = await PlanItem.select().where(
        PlanItem.plan.is_in([p["id"] for p in plans] or [0]) & PlanItem.parent.is_null()
    )
    rows = []
    for p in plans:
        mine = [
            i for i in items if i["plan"] == p["id"] and i["status"] != ItemStatus.dropped.value
        ]
        late = [
            i
            for i in mine
            if i["status"] not in FINISHED and (due_on(i, p["end"]) or today) < today
        ]
        rows.append(OverviewRow(p["id"], p["cycle"], p["code"], p["name"], p["year"], p["status"],
                                len(mine), sum(i["status"] == ItemStatus.done.value for i in mine),
                                len(late)))  # fmt: skip
    return sorted(rows, key=lambda r: (-r.overdue, r.unit, -r.year))


def _may_view(actor: Actor, unit_id: int) -> bool:
    return can(actor, Action.view_plans, unit_id)


async def public_plans(unit_code: str) -> tuple[dict[str, Any], list[PlanOut]]:
    """A unit and its published (or closed) plans, newest cycle first, for its public page."""
    unit = (
        await Unit.select(Unit.id, Unit.code, Unit.name)
        .where((Unit.code == unit_code) & Unit.active.eq(True))
        .first()
    )
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    rows = (
        await Plan.select()
        .where(
            (Plan.unit == unit["id"])
            & Plan.status.is_in([PlanStatus.published.value, PlanStatus.closed.value])
        )
        .order_by(Plan.cycle, ascending=False)
    )
    return unit, [await plan_out(r) for r in rows]


async def cycle_end(cycle_id: int) -> date:
    """The last day of a cycle."""
    row = await SurveyCycle.select(SurveyCycle.end_date).where(SurveyCycle.id == cycle_id).first()
    return row["end_date"]


async def forums_for_plan(unit_id: int) -> list[dict[str, Any]]:
    """The held forums a unit organised (a plan is linked to the one that discussed it)."""
    held = [ForumStatus.held.value, ForumStatus.minutes_published.value]
    ids = [
        r["forum"] for r in await ForumUnit.select(ForumUnit.forum).where(ForumUnit.unit == unit_id)
    ]
    return (
        await Forum.select(Forum.id, Forum.title, Forum.start_at)
        .where(Forum.id.is_in(ids or [0]) & Forum.status.is_in(held))
        .order_by(Forum.start_at, ascending=False)
    )


async def forum_agreements(forum_id: int | None) -> list[dict[str, Any]]:
    """The agreements of the forum that discussed a plan, in order."""
    if forum_id is None:
        return []
    return (
        await Agreement.select(Agreement.id, Agreement.number, Agreement.text, Agreement.status)
        .where(Agreement.forum == forum_id)
        .order_by(Agreement.number)
    )
