"""A cycle's index as the API reports it: the cycle, each service, each respondent group."""

from __future__ import annotations

from typing import Any

from core.accounts.policy import Actor
from core.hooks import Hooks
from core.settings import Settings
from core.surveys.cycles import get_cycle
from core.surveys.scores import score_breakdown, score_scope
from core.surveys.tables import Response
from core.surveys.tallies import DIMENSIONS, Scope


async def answered_services(cycle_id: int) -> dict[str, int]:
    """The services that have responses in a cycle: code → service id."""
    rows = (
        await Response.select(Response.service, Response.service.code.as_alias("code"))
        .where((Response.cycle == cycle_id) & Response.service.is_not_null())
        .distinct()
    )
    return {r["code"]: r["service"] for r in rows}


async def cycle_score(
    actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int
) -> dict[str, Any]:
    """The index of a cycle the actor may see, of each of its services and respondent groups."""
    cycle = await get_cycle(actor, settings, hooks, cycle_id)
    method = cycle.scoring_method
    scope = Scope.cycle(cycle_id)
    return {
        "cycle": cycle_id,
        "respondents": cycle.collected,
        "minimum_sample": cycle.minimum_sample,
        "score": await score_scope(hooks, method, scope),
        "services": {
            code: await score_scope(hooks, method, Scope.service(cycle_id, service_id))
            for code, service_id in (await answered_services(cycle_id)).items()
        },
        "breakdowns": {
            name: await score_breakdown(hooks, method, scope, name) for name in DIMENSIONS
        },
    }
