"""How many responses a cycle has collected: only those that count (not void, not superseded)."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count

from core.surveys.tables import Response, counted


async def collected_count(cycle_id: int) -> int:
    """The responses of a cycle that count toward its score and its minimum sample."""
    return await Response.count().where((Response.cycle == cycle_id) & counted())


async def collected_by_cycle(cycle_ids: list[int]) -> dict[int, dict[int | None, int]]:
    """Counted responses per cycle and service id (None: recorded without a service), one query."""
    rows = (
        await Response.select(Response.cycle, Response.service, Count(Response.id, alias="n"))
        .where(Response.cycle.is_in(cycle_ids) & counted())
        .group_by(Response.cycle, Response.service)
    )
    found: dict[int, dict[int | None, int]] = {}
    for r in rows:
        found.setdefault(r["cycle"], {})[r["service"]] = r["n"]
    return found
