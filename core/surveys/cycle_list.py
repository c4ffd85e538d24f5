"""The staff's list of cycles: one page of them, each with its collection progress and index."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.policy import Actor
from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.settings import Settings
from core.surveys.cycles import CycleFilter, count_cycles, list_cycles
from core.surveys.schemas import CycleOut
from core.surveys.scores import cycles_items, score_of
from core.surveys.tallies import TallyResult, cycles_tallies, of_cycles

CYCLE_PAGE_SIZE = 25


@dataclass(frozen=True)
class ListedCycle:
    """A cycle in the list with its index so far (None before any answer)."""

    cycle: CycleOut
    score: ScoreResult | None


@dataclass(frozen=True)
class CyclePage:
    """One page of the filtered cycles, newest period first."""

    rows: list[ListedCycle]
    total: int
    page: int
    size: int

    @property
    def pages(self) -> int:
        """How many pages the filtered cycles fill (at least one)."""
        return max((self.total + self.size - 1) // self.size, 1)


async def cycle_page(
    actor: Actor,
    settings: Settings,
    hooks: Hooks,
    filters: CycleFilter,
    page: int = 1,
    size: int | None = None,
) -> CyclePage:
    """Page ``page`` (from 1; past the end gives the last) of the cycles the actor may see,
    ``size`` (default ``CYCLE_PAGE_SIZE``) to a page."""
    size = size or CYCLE_PAGE_SIZE
    total = await count_cycles(actor, filters)
    pages = max((total + size - 1) // size, 1)
    page = min(max(page, 1), pages)
    found = await list_cycles(
        actor,
        settings,
        hooks,
        unit=filters.unit,
        year=filters.year,
        status=filters.status,
        limit=size,
        offset=(page - 1) * size,
    )
    answered = [c.id for c in found if c.collected]
    tallies = await cycles_tallies(of_cycles(answered)) if answered else {}
    items = await cycles_items(answered)
    rows = [
        ListedCycle(
            cycle=c,
            score=score_of(
                hooks, c.scoring_method, tallies.get(c.id, TallyResult()), items.get(c.id, [])
            ),
        )
        for c in found
    ]
    return CyclePage(rows=rows, total=total, page=page, size=size)
