"""A unit's service standards as the public reads them: only standards that were set (ditetapkan),
and of them the six service-delivery components the regulation says are published to users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.units.standards import COMPONENTS, DELIVERY, standards_by_service
from core.units.tables import Service


@dataclass(frozen=True)
class PublicStandard:
    """The published part of one service's Standar Pelayanan."""

    service_code: str
    service_name: str
    set_on: date
    components: tuple[tuple[str, str], ...]
    """(label, text) of each delivery component that is filled in, in the regulation's order."""


async def public_standards(unit_id: int) -> list[PublicStandard]:
    """The set standards of a unit's active services, by service code."""
    services = (
        await Service.select(Service.id, Service.code, Service.name)
        .where((Service.unit == unit_id) & Service.active.eq(True))
        .order_by(Service.code)
    )
    stored = await standards_by_service([s["id"] for s in services])
    out = []
    for service in services:
        row = stored.get(service["id"])
        if row is None or row["set_on"] is None:
            continue
        parts = tuple(
            (c.label, (row[c.code] or "").strip())
            for c in COMPONENTS
            if c.part == DELIVERY and (row[c.code] or "").strip()
        )
        out.append(PublicStandard(service["code"], service["name"], row["set_on"], parts))
    return out
