"""What a unit's published improvement plans (RTL) of a year show, for indicators 6 (its top
band), 8 and 9: the figures are the plans room's ``follow_up()``; the evidence is each plan and
its items, linked to the plan page.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.accounts.policy import Actor
from core.inspection.schemas import Evidence
from core.plans.kpi import follow_up
from core.plans.lifecycle import ITEM_LABELS, PLAN_LABELS
from core.plans.schemas import FollowUpOut
from core.plans.tables import Plan, PlanItem, PlanStatus
from core.surveys.periods import PERIOD_LABELS

COUNTED = (PlanStatus.published.value, PlanStatus.closed.value)


class Plans(msgspec.Struct):
    """A unit's year of follow-up: the plans room's figures and the plans with their items."""

    follow: FollowUpOut
    evidence: list[Evidence]


def _item_evidence(href: str, item: dict[str, Any]) -> Evidence:
    program = item["program"] or "(kegiatan belum diisi)"
    return Evidence(
        label=f"Kegiatan RTL {item['unsur_code']}: {program}",
        href=f"{href}#item-{item['id']}",
        date=item["realised_on"].isoformat() if item["realised_on"] else "",
        detail=f"{ITEM_LABELS.get(item['status'], item['status'])}; {item['progress']} %",
    )


async def plans_of(
    actor: Actor, year: int, codes: dict[int, str], timezone: str
) -> dict[int, Plans]:
    """Per unit id, the units with a published (or closed) plan for a cycle of ``year``; a unit
    missing here has no plan the public can see."""
    plans = await (
        Plan.select(
            Plan.id,
            Plan.unit,
            Plan.cycle,
            Plan.status,
            Plan.published_at,
            Plan.cycle.period_type.as_alias("period"),
        )
        .where((Plan.cycle.year == year) & Plan.status.is_in(list(COUNTED)))
        .order_by(Plan.id)
    )
    if not plans:
        return {}
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in await (
        PlanItem.select(
            PlanItem.id,
            PlanItem.plan,
            PlanItem.unsur_code,
            PlanItem.program,
            PlanItem.status,
            PlanItem.progress,
            PlanItem.realised_on,
        )
        .where(PlanItem.plan.is_in([p["id"] for p in plans]) & PlanItem.parent.is_null())
        .order_by(PlanItem.position)
    ):
        items[item["plan"]].append(item)
    zone = ZoneInfo(timezone)
    found: dict[int, list[Evidence]] = defaultdict(list)
    for plan in plans:
        href = f"/cycles/{plan['cycle']}/rtl"
        published = plan["published_at"]
        found[plan["unit"]].append(
            Evidence(
                label=f"RTL SKM {PERIOD_LABELS.get(plan['period'], plan['period'])}",
                href=href,
                date=published.astimezone(zone).date().isoformat() if published else "",
                detail=PLAN_LABELS.get(plan["status"], plan["status"]),
                slot="rtl",
            )
        )
        found[plan["unit"]].extend(_item_evidence(href, item) for item in items[plan["id"]])
    return {
        unit: Plans(await follow_up(actor, codes[unit], year, timezone), evidence)
        for unit, evidence in found.items()
        if unit in codes
    }
