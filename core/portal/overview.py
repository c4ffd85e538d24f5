"""The regency's published year at a glance, and a unit's public page, from published cycles only.

The pooled regency index uses the nine standard unsur of the published cycles scored with the
reference method (as the staff recap does), so units are comparable. Rankings hold only results
on at least their minimum sample; the others are listed apart, marked, unranked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.portal.forums import UnitForums, unit_forums
from core.portal.plans import PublicPlan, published_plans
from core.portal.results import (
    PublicUnit,
    PublishedResult,
    ServiceResult,
    public_unit,
    public_units,
    published_cycle_rows,
    published_result,
    service_results,
    unit_history,
)
from core.portal.standards import PublicStandard, public_standards
from core.reports.saran_picks import published_saran
from core.surveys.insights import mutu_legend, weakest_unsur
from core.surveys.questionnaires import scoring_method
from core.surveys.scores import score_of, standard_only
from core.surveys.tables import Response, counted
from core.surveys.tallies import Scope, TallyResult, standard_part, tally


@dataclass(frozen=True)
class UnitLine:
    """A unit in the overview: its latest published result (any year), if any."""

    unit: PublicUnit
    latest: PublishedResult | None
    published_this_year: bool


@dataclass
class Overview:
    """The year's published results across the regency."""

    year: int
    pooled: ScoreResult | None
    published_cycles: int
    units: list[UnitLine]
    legend: list[dict[str, str]]
    kinds: dict[str, list[UnitLine]] = field(default_factory=dict)
    plans: list[tuple[PublicUnit, PublicPlan]] = field(default_factory=list)
    """Each unit's latest published plan (RTL), least progress first."""

    @property
    def ranked(self) -> list[UnitLine]:
        """Units whose latest result this year may be ranked, best first."""
        lines = [u for u in self.units if u.published_this_year and u.latest and u.latest.rankable]
        return sorted(lines, key=lambda u: (-(u.latest.konversi or 0), u.unit.name))  # type: ignore[union-attr]

    @property
    def unranked(self) -> list[UnitLine]:
        """Units that published this year but whose latest result cannot be ranked (marked)."""
        return [
            u for u in self.units if u.published_this_year and u.latest and not u.latest.rankable
        ]

    @property
    def not_published(self) -> list[UnitLine]:
        """Units with no published survey this year."""
        return [u for u in self.units if not u.published_this_year]


async def overview(hooks: Hooks, year: int, search: str | None = None) -> Overview:
    """Every active unit with its latest published result and plan, and the year's pooled index."""
    units = await public_units(search)
    lines: list[UnitLine] = []
    for unit in units:
        rows = await published_cycle_rows(unit.id)
        latest = await published_result(hooks, rows[-1]) if rows else None
        lines.append(UnitLine(unit, latest, any(r["year"] == year for r in rows)))
    reference = scoring_method(hooks).code
    year_rows = [
        r
        for r in await published_cycle_rows(year=year)
        if scoring_method(hooks, r["scoring_method"]).code == reference
    ]
    pooled = TallyResult()
    for row in year_rows:
        pooled.add(await tally(Scope.cycle(row["id"])))
    standard = standard_only(hooks, reference)
    result = Overview(
        year=year,
        pooled=score_of(hooks, reference, standard_part(pooled), standard),
        published_cycles=len(year_rows),
        units=lines,
        legend=mutu_legend(hooks),
    )
    for line in lines:
        result.kinds.setdefault(line.unit.kind, []).append(line)
        plans = await published_plans(line.unit.id)
        if plans:
            result.plans.append((line.unit, plans[0]))
    result.plans.sort(key=lambda pair: (pair[1].progress or 0, pair[0].name))
    return result


@dataclass
class UnitPage:
    """What a unit's public page shows."""

    unit: PublicUnit
    history: list[PublishedResult]
    services: list[ServiceResult]
    legend: list[dict[str, str]]
    weakest: list[str]
    saran_count: int
    forums: UnitForums
    plans: list[PublicPlan] = field(default_factory=list)
    standards: list[PublicStandard] = field(default_factory=list)
    published_saran: list[str] = field(default_factory=list)

    @property
    def latest(self) -> PublishedResult | None:
        """The latest published result."""
        return self.history[-1] if self.history else None


async def unit_page(hooks: Hooks, code: str) -> UnitPage | None:
    """A unit's published results, services of its latest cycle, forums, published plans, set
    service standards and the saran it chose to publish; None if no such unit."""
    unit = await public_unit(code)
    if unit is None:
        return None
    history = await unit_history(hooks, unit.id)
    latest = history[-1] if history else None
    services: list[ServiceResult] = []
    saran = 0
    if latest is not None:
        row = (await published_cycle_rows(unit.id))[-1]
        services = await service_results(hooks, row)
        saran = await Response.count().where(
            (Response.cycle == latest.cycle_id) & (Response.saran != "") & counted()
        )
    return UnitPage(
        unit=unit,
        history=history,
        services=services,
        legend=mutu_legend(hooks, latest.method if latest else None),
        weakest=weakest_unsur(latest.score if latest else None),
        saran_count=saran,
        forums=await unit_forums(unit.id),
        plans=await published_plans(unit.id),
        standards=await public_standards(unit.id),
        published_saran=await published_saran(latest.cycle_id) if latest else [],
    )
