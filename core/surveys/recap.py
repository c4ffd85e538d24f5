"""The regency's year at a glance: which units surveyed, what they scored, who is missing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.hooks import Hooks
from core.surveys.periods import PERIOD_LABELS
from core.surveys.questionnaires import scoring_method
from core.surveys.scores import score_of
from core.surveys.tables import CycleStatus, SurveyCycle
from core.surveys.tallies import TallyResult, tallies_by_cycle
from core.units.tables import Unit, UnitKind


@dataclass
class RecapCell:
    """One cycle of a unit in the year."""

    cycle_id: int
    period_type: str
    period_label: str
    status: str
    collected: int
    minimum_sample: int
    konversi: float | None
    mutu: str | None

    @property
    def meets_minimum(self) -> bool:
        """Collected at least the Krejcie & Morgan minimum."""
        return self.collected >= self.minimum_sample


@dataclass
class RecapRow:
    """One unit: its cycles and its pooled index for the year."""

    code: str
    name: str
    kind: str
    cells: list[RecapCell] = field(default_factory=list)
    collected: int = 0
    konversi: float | None = None
    mutu: str | None = None

    @property
    def surveyed(self) -> bool:
        """At least one cycle was opened in the year."""
        return any(cell.status != CycleStatus.draft.value for cell in self.cells)

    @property
    def below_minimum(self) -> bool:
        """Some opened cycle has fewer responses than its minimum sample."""
        return any(
            cell.status != CycleStatus.draft.value and not cell.meets_minimum for cell in self.cells
        )


@dataclass
class Recap:
    """The year's matrix and the regency-wide index, pooled and as a mean of unit indices."""

    year: int
    rows: list[RecapRow]
    pooled: dict[str, Any] | None
    mean_of_units: float | None

    @property
    def not_surveyed(self) -> list[RecapRow]:
        """Units with no SKM in the year."""
        return [row for row in self.rows if not row.surveyed]

    @property
    def below_minimum(self) -> list[RecapRow]:
        """Units whose survey has not reached the minimum sample."""
        return [row for row in self.rows if row.surveyed and row.below_minimum]


async def year_recap(actor: Actor, hooks: Hooks, year: int, kind: str | None = None) -> Recap:
    """Every active unit (except the regency itself) with its cycles of the year, in one query."""
    require(actor, Action.view_recap)
    units_query = Unit.select(Unit.id, Unit.code, Unit.name, Unit.kind).where(
        Unit.active.eq(True) & (Unit.kind != UnitKind.pemda.value)
    )
    if kind:
        units_query = units_query.where(Unit.kind == kind)
    units = await units_query.order_by(Unit.kind).order_by(Unit.name)
    cycles = (
        await SurveyCycle.select().where(SurveyCycle.year == year).order_by(SurveyCycle.start_date)
    )
    tallies = await tallies_by_cycle(year)
    rows: list[RecapRow] = []
    pooled = TallyResult()
    method_code = None
    for unit in units:
        row = RecapRow(code=unit["code"], name=unit["name"], kind=unit["kind"])
        unit_tally = TallyResult()
        for cycle in (c for c in cycles if c["unit"] == unit["id"]):
            method_code = cycle["scoring_method"]
            cycle_tally = tallies.get(cycle["id"], TallyResult())
            score = score_of(hooks, method_code, cycle_tally)
            row.cells.append(
                RecapCell(
                    cycle_id=cycle["id"],
                    period_type=cycle["period_type"],
                    period_label=PERIOD_LABELS[cycle["period_type"]],
                    status=cycle["status"],
                    collected=cycle_tally.respondents,
                    minimum_sample=scoring_method(hooks, method_code).minimum_sample(
                        cycle["population"]
                    ),
                    konversi=score["konversi"] if score else None,
                    mutu=score["mutu"] if score else None,
                )
            )
            unit_tally.add(cycle_tally)
        year_score = score_of(hooks, method_code, unit_tally)
        row.collected = unit_tally.respondents
        if year_score:
            row.konversi, row.mutu = year_score["konversi"], year_score["mutu"]
        pooled.add(unit_tally)
        rows.append(row)
    scored = [row.konversi for row in rows if row.konversi is not None]
    return Recap(
        year=year,
        rows=rows,
        pooled=score_of(hooks, method_code, pooled),
        mean_of_units=sum(scored) / len(scored) if scored else None,
    )
