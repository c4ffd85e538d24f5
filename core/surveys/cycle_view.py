"""A cycle as staff and the API see it: its unit, links and collected counts against the minimum.

Built for many cycles at once in a fixed number of queries (units, counts, services), whatever
the number of cycles, so a list or a dashboard costs the same for 2 cycles or 40.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor, can
from core.hooks import Hooks
from core.settings import Settings
from core.surveys.collected import collected_by_cycle
from core.surveys.labels import PERIOD_LABELS
from core.surveys.questionnaires import scoring_method
from core.surveys.schemas import CycleOut, ServiceCount
from core.surveys.tables import CycleService, CycleStatus
from core.units.tables import Unit


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return msgspec.json.decode(value)
    return list(value or [])


async def cycles_out(
    settings: Settings, hooks: Hooks, rows: Sequence[dict[str, Any]], actor: Actor | None = None
) -> list[CycleOut]:
    """Cycle rows with their unit, links and collected counts against the K&M minimum.

    ``kiosk_url`` is the page where the unit's staff enrol the counter kiosks (each with its own
    token, see core.surveys.kiosks): given only when ``actor`` may manage the unit's cycles.
    """
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    units = {
        unit["id"]: unit
        for unit in await Unit.select(Unit.id, Unit.code, Unit.name).where(
            Unit.id.is_in(sorted({row["unit"] for row in rows}))
        )
    }
    counts = await collected_by_cycle(ids)
    services: dict[int, list[dict[str, Any]]] = {cycle_id: [] for cycle_id in ids}
    for s in (
        await CycleService.select(
            CycleService.cycle,
            CycleService.service,
            CycleService.population,
            CycleService.service.code.as_alias("code"),
            CycleService.service.name.as_alias("name"),
        )
        .where(CycleService.cycle.is_in(ids))
        .order_by(CycleService.service.code)
    ):
        services[s["cycle"]].append(s)
    return [
        _cycle_out(
            settings,
            hooks,
            row,
            units[row["unit"]],
            counts.get(row["id"], {}),
            services[row["id"]],
            actor,
        )
        for row in rows
    ]


async def cycle_out(
    settings: Settings, hooks: Hooks, row: dict[str, Any], actor: Actor | None = None
) -> CycleOut:
    """One cycle row as ``cycles_out`` gives it."""
    return (await cycles_out(settings, hooks, [row], actor))[0]


def _cycle_out(
    settings: Settings,
    hooks: Hooks,
    row: dict[str, Any],
    unit: dict[str, Any],
    counts: dict[int | None, int],
    services: list[dict[str, Any]],
    actor: Actor | None,
) -> CycleOut:
    method = scoring_method(hooks, row["scoring_method"])
    collected = sum(counts.values())
    minimum = method.minimum_sample(row["population"])
    token = row["public_token"]
    return CycleOut(
        id=row["id"],
        unit=unit["code"],
        unit_name=unit["name"],
        year=row["year"],
        period_type=row["period_type"],
        period_label=PERIOD_LABELS[row["period_type"]],
        start_date=row["start_date"],
        end_date=row["end_date"],
        population=row["population"],
        minimum_sample=minimum,
        collected=collected,
        below_minimum=collected < minimum,
        services=[
            ServiceCount(
                code=s["code"],
                name=s["name"],
                collected=counts.get(s["service"], 0),
                population=s["population"],
                minimum_sample=method.minimum_sample(s["population"]) if s["population"] else None,
            )
            for s in services
        ],
        channels=list(_json_list(row["channels"])),
        status=row["status"],
        collecting=row["status"] == CycleStatus.open.value,
        scoring_method=row["scoring_method"],
        scoring_method_label=method.label,
        public_url=f"{settings.base_url}/s/{token}" if token else None,
        token=token,
        kiosk_url=f"{settings.base_url}/units/{unit['code']}/kios"
        if can(actor, Action.manage_cycles, row["unit"])
        else None,
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
    )
