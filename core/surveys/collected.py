"""How many responses a cycle has collected: only those that count (not void, not superseded)."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Count

from core.surveys.tables import Response, counted


async def collected_count(cycle_id: int) -> int:
    """The responses of a cycle that count toward its score and its minimum sample."""
    return await Response.count().where((Response.cycle == cycle_id) & counted())


async def collected_by_service(cycle_id: int) -> dict[int | None, int]:
    """How many counted responses a cycle has per service id (None: recorded without a service)."""
    rows = (
        await Response.select(Response.service, Count(Response.id, alias="n"))
        .where((Response.cycle == cycle_id) & counted())
        .group_by(Response.service)
    )
    return {r["service"]: r["n"] for r in rows}
