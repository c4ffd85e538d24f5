"""The regency's year at a glance: which units surveyed, what they scored, who is missing.

A cycle's and a unit's figure is the official one, on its own questionnaire (its U10… included).
The regency-wide pooled figure uses the nine standard unsur, so units are comparable
(``STANDARD_ONLY_NOTE`` says so wherever it is shown). Cycles still open make a figure provisional
(*sementara*): every year figure is given twice, from closed cycles only (``final``) and with the
open ones (``score``, ``provisional`` True while a cycle is open).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.surveys.periods import PERIOD_LABELS
from core.surveys.questionnaires import scoring_method
from core.surveys.schemas import UnsurItem
from core.surveys.scores import (
    merged_items,
    minimum_sample_of,
    score_of,
    score_with,
    standard_only,
    versions_items,
)
from core.surveys.tables import CycleStatus, SurveyCycle
from core.surveys.tallies import TallyResult, standard_part, tallies_by_cycle
from core.units.tables import Unit, UnitKind

STANDARD_ONLY_NOTE = "gabungan seluruh jawaban pada sembilan unsur baku"
PROVISIONAL = "sementara"
OPEN = CycleStatus.open.value
DRAFT = CycleStatus.draft.value


@dataclass
class RecapCell:
    """One cycle of a unit in the year."""

    cycle_id: int
    period_type: str
    period_label: str
    status: str
    method: str
    collected: int
    minimum_sample: int
    score: ScoreResult | None
    tally: TallyResult = field(repr=False, default_factory=TallyResult)
    items: list[UnsurItem] = field(repr=False, default_factory=list)

    @property
    def konversi(self) -> float | None:
        """The cycle's konversi; None before any answer or when the index is withheld."""
        return self.score.konversi if self.score else None

    @property
    def mutu(self) -> str | None:
        """The cycle's mutu, when stated."""
        return self.score.mutu if self.score else None

    @property
    def withheld(self) -> str | None:
        """Why the cycle's index is not stated (None when it is, or nobody answered yet)."""
        return self.score.withheld if self.score else None

    @property
    def provisional(self) -> bool:
        """Still collecting: its figure may change."""
        return self.status == OPEN

    @property
    def final(self) -> bool:
        """Closed (or reported, published): its figure counts in the final year figures."""
        return self.status not in (OPEN, DRAFT)

    @property
    def meets_minimum(self) -> bool:
        """Collected at least the method's minimum sample (Krejcie & Morgan for SKM)."""
        return self.collected >= self.minimum_sample


@dataclass
class RecapRow:
    """One unit: its cycles and its index for the year (with open cycles, and final)."""

    code: str
    name: str
    kind: str
    cells: list[RecapCell] = field(default_factory=list)
    collected: int = 0
    score: ScoreResult | None = None
    final: ScoreResult | None = None

    @property
    def konversi(self) -> float | None:
        """The year's konversi including open cycles (see ``provisional``)."""
        return self.score.konversi if self.score else None

    @property
    def mutu(self) -> str | None:
        """The year's mutu including open cycles."""
        return self.score.mutu if self.score else None

    @property
    def provisional(self) -> bool:
        """Some cycle of the year is still open, so ``score`` is *sementara*."""
        return any(cell.provisional for cell in self.cells)

    @property
    def surveyed(self) -> bool:
        """At least one cycle was opened in the year."""
        return any(cell.status != DRAFT for cell in self.cells)

    @property
    def below_minimum(self) -> bool:
        """Some opened cycle has fewer responses than its minimum sample."""
        return any(cell.status != DRAFT and not cell.meets_minimum for cell in self.cells)


@dataclass
class Recap:
    """The year's matrix and the regency-wide index, pooled and as a mean of unit indices."""

    year: int
    method: str
    rows: list[RecapRow]
    pooled: ScoreResult | None
    pooled_final: ScoreResult | None
    mean_of_units: float | None
    mean_final: float | None
    other_method_cycles: int = 0

    @property
    def provisional(self) -> bool:
        """Some cycle of the year is still open: the figures with open cycles are *sementara*."""
        return any(row.provisional for row in self.rows)

    @property
    def not_surveyed(self) -> list[RecapRow]:
        """Units with no SKM in the year."""
        return [row for row in self.rows if not row.surveyed]

    @property
    def below_minimum(self) -> list[RecapRow]:
        """Units whose survey has not reached the minimum sample."""
        return [row for row in self.rows if row.surveyed and row.below_minimum]


def _pool(cells: Iterable[RecapCell]) -> TallyResult:
    pooled = TallyResult()
    for cell in cells:
        pooled.add(cell.tally)
    return pooled


def _unit_score(methods: dict[str, Any], cells: Sequence[RecapCell]) -> ScoreResult | None:
    """A unit's year on its own questionnaire; withheld when its cycles use different methods."""
    answered = [cell for cell in cells if cell.collected]
    if not answered:
        return None
    codes = sorted({cell.method for cell in answered})
    if len(codes) > 1:
        return ScoreResult.withhold(
            codes[0],
            sum(cell.collected for cell in answered),
            (),
            f"siklus tahun ini memakai metode penilaian berbeda ({', '.join(codes)})",
        )
    items = merged_items(cell.items for cell in answered)
    return score_with(methods[codes[0]], _pool(answered), items)


def _mean(scores: Iterable[ScoreResult | None], method: str) -> float | None:
    values = [s.konversi for s in scores if s and s.method == method and s.konversi is not None]
    return sum(values) / len(values) if values else None


async def year_recap(actor: Actor, hooks: Hooks, year: int, kind: str | None = None) -> Recap:
    """Every active unit (except the regency itself) with its cycles of the year."""
    require(actor, Action.view_recap)
    units_query = Unit.select(Unit.id, Unit.code, Unit.name, Unit.kind).where(
        Unit.active.eq(True) & (Unit.kind != UnitKind.pemda.value)
    )
    if kind:
        units_query = units_query.where(Unit.kind == kind)
    units = await units_query.order_by(Unit.kind).order_by(Unit.name)
    cycles = (
        await SurveyCycle.select(
            SurveyCycle.id,
            SurveyCycle.unit,
            SurveyCycle.period_type,
            SurveyCycle.status,
            SurveyCycle.scoring_method,
            SurveyCycle.population,
            SurveyCycle.questionnaire,
        )
        .where(SurveyCycle.year == year)
        .order_by(SurveyCycle.start_date)
    )
    by_unit: dict[int, list[dict[str, Any]]] = {}
    for cycle in cycles:
        by_unit.setdefault(cycle["unit"], []).append(cycle)
    tallies = await tallies_by_cycle(year)
    versions = await versions_items(c["questionnaire"] for c in cycles if c["questionnaire"])
    reference = scoring_method(hooks).code
    standard = standard_only(hooks, reference)
    rows: list[RecapRow] = []
    methods = {code: scoring_method(hooks, code) for code in {c["scoring_method"] for c in cycles}}
    by_code = {method.code: method for method in methods.values()}
    for unit in units:
        row = RecapRow(code=unit["code"], name=unit["name"], kind=unit["kind"])
        for cycle in by_unit.get(unit["id"], ()):
            method = methods[cycle["scoring_method"]]
            cycle_tally = tallies.get(cycle["id"], TallyResult())
            items = versions.get(cycle["questionnaire"]) or standard
            row.cells.append(
                RecapCell(
                    cycle_id=cycle["id"],
                    period_type=cycle["period_type"],
                    period_label=PERIOD_LABELS[cycle["period_type"]],
                    status=cycle["status"],
                    method=method.code,
                    collected=cycle_tally.respondents,
                    minimum_sample=minimum_sample_of(method, cycle["population"]),
                    score=score_with(method, cycle_tally, items),
                    tally=cycle_tally,
                    items=items,
                )
            )
        row.collected = sum(cell.collected for cell in row.cells)
        row.score = _unit_score(by_code, row.cells)
        finals = [cell for cell in row.cells if cell.final]
        # every cycle closed: the final figure is the same pool, so it is not pooled twice
        row.final = row.score if len(finals) == len(row.cells) else _unit_score(by_code, finals)
        rows.append(row)
    cells = [cell for row in rows for cell in row.cells if cell.method == reference]
    final_cells = [cell for cell in cells if cell.final]
    pooled = score_of(hooks, reference, standard_part(_pool(cells)), standard)
    return Recap(
        year=year,
        method=reference,
        rows=rows,
        pooled=pooled,
        pooled_final=pooled
        if len(final_cells) == len(cells)
        else score_of(hooks, reference, standard_part(_pool(final_cells)), standard),
        mean_of_units=_mean((row.score for row in rows), reference),
        mean_final=_mean((row.final for row in rows), reference),
        other_method_cycles=sum(
            1 for row in rows for cell in row.cells if cell.method != reference and cell.collected
        ),
    )
