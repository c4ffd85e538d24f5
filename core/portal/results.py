"""Published SKM results: a cycle counts once it is *published*, and only its aggregates leave.

A published result carries the counts per answer value per unsur, the method's figures and the
cycle's minimum sample; never a single response, never saran text. A result with fewer
respondents than its minimum sample is marked (``below_minimum``) and is never ranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.surveys.labels import PERIOD_LABELS
from core.surveys.questionnaires import scoring_method
from core.surveys.scores import cycle_items, score_of
from core.surveys.tables import CycleService, CycleStatus, SurveyCycle
from core.surveys.tallies import VALUES, Scope, TallyResult, breakdown, tally
from core.units.tables import Service, Unit, UnitKind

PUBLISHED = CycleStatus.published.value


@dataclass(frozen=True)
class UnsurFigure:
    """One unsur of a published result: its counts per answer value and the method's figures."""

    code: str
    name: str
    answered: int
    counts: dict[int, int]
    nrr: float | None
    konversi: float | None
    mutu: str | None


@dataclass(frozen=True)
class PublishedResult:
    """One published cycle (or one service of it) as the public sees it."""

    cycle_id: int
    year: int
    period_type: str
    period_label: str
    start_date: date
    end_date: date
    published_at: datetime
    method: str
    minimum_sample: int
    score: ScoreResult | None
    unsur: tuple[UnsurFigure, ...]

    @property
    def respondents(self) -> int:
        """Questionnaires counted."""
        return self.score.respondents if self.score else 0

    @property
    def konversi(self) -> float | None:
        """The konversi (25–100), None when withheld or nobody answered."""
        return self.score.konversi if self.score else None

    @property
    def index(self) -> float | None:
        """The index on the method's own scale (IKM 1–4)."""
        return self.score.index if self.score else None

    @property
    def mutu(self) -> str | None:
        """The mutu letter, when stated."""
        return self.score.mutu if self.score else None

    @property
    def kinerja(self) -> str | None:
        """The band's words, when stated."""
        return self.score.kinerja if self.score else None

    @property
    def withheld(self) -> str | None:
        """Why the index is not stated, if it is not."""
        return self.score.withheld if self.score else None

    @property
    def below_minimum(self) -> bool:
        """Fewer respondents than the cycle's minimum sample: shown marked, never ranked."""
        return self.respondents < self.minimum_sample

    @property
    def rankable(self) -> bool:
        """May take a place in a ranking: a stated index on at least the minimum sample."""
        return self.konversi is not None and not self.below_minimum


@dataclass(frozen=True)
class PublicUnit:
    """A unit as the portal names it."""

    id: int
    code: str
    name: str
    kind: str
    address: str


def _figures(score: ScoreResult | None, counted: TallyResult) -> tuple[UnsurFigure, ...]:
    if score is None:
        return ()
    return tuple(
        UnsurFigure(
            code=u.code,
            name=u.name,
            answered=u.answered,
            counts={v: counted.tally.get(u.code, {}).get(v, 0) for v in VALUES},
            nrr=u.nrr,
            konversi=u.konversi,
            mutu=u.mutu,
        )
        for u in score.unsur
    )


def _result(
    hooks: Hooks, row: dict[str, Any], items: list[Any], counted: TallyResult, minimum: int
) -> PublishedResult:
    method = scoring_method(hooks, row["scoring_method"]).code
    score = score_of(hooks, method, counted, items)
    return PublishedResult(
        cycle_id=row["id"],
        year=row["year"],
        period_type=row["period_type"],
        period_label=PERIOD_LABELS[row["period_type"]],
        start_date=row["start_date"],
        end_date=row["end_date"],
        published_at=row["updated_at"],
        method=method,
        minimum_sample=minimum,
        score=score,
        unsur=_figures(score, counted),
    )


async def published_result(hooks: Hooks, row: dict[str, Any]) -> PublishedResult:
    """The result of one published cycle row, on its own questionnaire."""
    if row["status"] != PUBLISHED:
        raise ValueError(f"cycle {row['id']} is not published")
    method = scoring_method(hooks, row["scoring_method"])
    items = await cycle_items(hooks, row)
    return _result(
        hooks,
        row,
        items,
        await tally(Scope.cycle(row["id"])),
        method.minimum_sample(row["population"]),
    )


@dataclass(frozen=True)
class ServiceResult:
    """One jenis layanan of a published cycle."""

    code: str
    name: str
    result: PublishedResult


async def service_results(hooks: Hooks, row: dict[str, Any]) -> list[ServiceResult]:
    """Each answered service of a published cycle, scored on the cycle's questionnaire.

    A service's minimum sample is the cycle's method applied to the service's own population
    when known (else the cycle's).
    """
    if row["status"] != PUBLISHED:
        raise ValueError(f"cycle {row['id']} is not published")
    method = scoring_method(hooks, row["scoring_method"])
    items = await cycle_items(hooks, row)
    groups = await breakdown(Scope.cycle(row["id"]), "layanan")
    names = {
        s["code"]: s["name"]
        for s in await Service.select(Service.code, Service.name).where(Service.unit == row["unit"])
    }
    populations = await _service_populations(row["id"])
    return [
        ServiceResult(
            code=code,
            name=names.get(code, ""),
            result=_result(
                hooks,
                row,
                items,
                counted,
                method.minimum_sample(populations.get(code) or row["population"]),
            ),
        )
        for code, counted in sorted(groups.items())
        if code
    ]


async def _service_populations(cycle_id: int) -> dict[str, int]:
    rows = await CycleService.select(
        CycleService.service.code.as_alias("code"), CycleService.population
    ).where(CycleService.cycle == cycle_id)
    return {r["code"]: r["population"] for r in rows if r["population"]}


def _public_query():
    return Unit.select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.address).where(
        Unit.active.eq(True) & (Unit.kind != UnitKind.pemda.value)
    )


def _public_unit(row: dict[str, Any]) -> PublicUnit:
    return PublicUnit(row["id"], row["code"], row["name"], row["kind"], row["address"] or "")


async def public_units(search: str | None = None) -> list[PublicUnit]:
    """Active service units (not the regency itself), by kind then name; optionally those whose
    name or code holds every word of ``search`` (any case)."""
    rows = await _public_query().order_by(Unit.kind).order_by(Unit.name)
    units = [_public_unit(row) for row in rows]
    words = (search or "").casefold().split()
    return [u for u in units if all(w in f"{u.name} {u.code}".casefold() for w in words)]


async def public_unit(code: str) -> PublicUnit | None:
    """One active service unit by its code, or None."""
    row = await _public_query().where(Unit.code == code).first()
    return _public_unit(row) if row else None


async def published_cycle_rows(unit_id: int | None = None, year: int | None = None) -> list[dict]:
    """Published cycles (of a unit, of a year), oldest first."""
    query = SurveyCycle.select().where(SurveyCycle.status == PUBLISHED)
    if unit_id is not None:
        query = query.where(SurveyCycle.unit == unit_id)
    if year is not None:
        query = query.where(SurveyCycle.year == year)
    return await query.order_by(SurveyCycle.start_date).order_by(SurveyCycle.id)


async def unit_history(hooks: Hooks, unit_id: int) -> list[PublishedResult]:
    """Every published result of a unit, oldest first (the last one is its latest)."""
    return [await published_result(hooks, row) for row in await published_cycle_rows(unit_id)]
