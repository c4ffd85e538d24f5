"""The public JSON API's shapes (``/api/v1/public/units…``) and how they are filled."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from core.errors import NotFound
from core.hooks import Hooks
from core.portal.forums import unit_forums
from core.portal.plans import PublicPlan, published_plans
from core.portal.results import (
    PublishedResult,
    public_unit,
    public_units,
    published_cycle_rows,
    published_result,
    unit_history,
)


class PortalLatest(msgspec.Struct):
    """A unit's latest published result, in brief."""

    cycle: int
    period_label: str
    konversi: float | None
    mutu: str | None


class PortalUnit(msgspec.Struct):
    """One unit of ``GET /api/v1/public/units``."""

    code: str
    name: str
    kind: str
    latest: PortalLatest | None


class PortalUnitInfo(msgspec.Struct):
    """A unit's public identity."""

    code: str
    name: str
    kind: str
    address: str


class PortalUnsur(msgspec.Struct):
    """One unsur of a published result: counts per answer value ("1".."4") and its NRR."""

    code: str
    name: str
    answered: int
    counts: dict[str, int]
    nrr: float | None


class PortalResult(msgspec.Struct):
    """A published result in full (aggregates only)."""

    cycle: int
    year: int
    period_label: str
    start_date: date
    end_date: date
    published_at: datetime
    respondents: int
    minimum_sample: int
    below_minimum: bool
    index: float | None
    konversi: float | None
    mutu: str | None
    kinerja: str | None
    withheld: str | None
    unsur: list[PortalUnsur]


class PortalForum(msgspec.Struct):
    """A public forum of the unit (its public page has the minutes and berita acara)."""

    id: int
    title: str
    start: datetime
    status: str
    url: str


class PortalEvidence(msgspec.Struct):
    """A dated proof of an item: a link, or the portal's address of a stored file."""

    milestone_on: date
    title: str
    url: str


class PortalPlanItem(msgspec.Struct):
    """One action of the published RTL: the topic citizens raised (no saran text) and how far."""

    number: str
    unsur: str
    unsur_name: str
    saran_count: int
    program: str
    waktu: str
    status: str
    progress: int
    realised_on: date | None
    evidence: list[PortalEvidence]


class PortalPlan(msgspec.Struct):
    """The unit's latest published RTL."""

    id: int
    cycle: int
    status: str
    published_on: date | None
    progress: int | None
    items: list[PortalPlanItem]


class PortalUnitDetail(msgspec.Struct):
    """``GET /api/v1/public/units/{code}``."""

    unit: PortalUnitInfo
    latest: PortalResult | None
    history: list[PortalResult]
    plan: PortalPlan | None
    """The latest published (or closed) RTL; None while the unit has published none."""
    forums: list[PortalForum]


def period_label(result: PublishedResult) -> str:
    """The period as people write it: "Triwulan I 2026", or the dates of a custom period."""
    if result.period_type == "custom":
        return f"{result.start_date:%d/%m/%Y}–{result.end_date:%d/%m/%Y}"
    return f"{result.period_label} {result.year}"


def latest_out(result: PublishedResult) -> PortalLatest:
    """The brief of a result."""
    return PortalLatest(result.cycle_id, period_label(result), result.konversi, result.mutu)


def result_out(result: PublishedResult) -> PortalResult:
    """A result in full."""
    return PortalResult(
        cycle=result.cycle_id,
        year=result.year,
        period_label=period_label(result),
        start_date=result.start_date,
        end_date=result.end_date,
        published_at=result.published_at,
        respondents=result.respondents,
        minimum_sample=result.minimum_sample,
        below_minimum=result.below_minimum,
        index=result.index,
        konversi=result.konversi,
        mutu=result.mutu,
        kinerja=result.kinerja,
        withheld=result.withheld,
        unsur=[
            PortalUnsur(u.code, u.name, u.answered, {str(v): n for v, n in u.counts.items()}, u.nrr)
            for u in result.unsur
        ],
    )


def plan_json(plan: PublicPlan, unit_code: str) -> PortalPlan:
    """A published plan as the API gives it."""
    return PortalPlan(
        id=plan.id,
        cycle=plan.cycle,
        status=plan.status,
        published_on=plan.published_on,
        progress=plan.progress,
        items=[
            PortalPlanItem(
                number=i.number,
                unsur=i.unsur,
                unsur_name=i.unsur_name,
                saran_count=i.saran_count,
                program=i.program,
                waktu=i.waktu,
                status=i.status,
                progress=i.progress,
                realised_on=i.realised_on,
                evidence=[
                    PortalEvidence(e.milestone_on, e.title, e.href(unit_code)) for e in i.evidence
                ],
            )
            for i in plan.items
        ],
    )


async def units_out(hooks: Hooks) -> list[PortalUnit]:
    """Every active unit with its latest published result (published cycles only)."""
    out = []
    for unit in await public_units():
        rows = await published_cycle_rows(unit.id)
        latest = latest_out(await published_result(hooks, rows[-1])) if rows else None
        out.append(PortalUnit(unit.code, unit.name, unit.kind, latest))
    return out


async def unit_out(hooks: Hooks, code: str) -> PortalUnitDetail:
    """One unit's published history and public forums; NotFound for an unknown unit."""
    unit = await public_unit(code)
    if unit is None:
        raise NotFound(f"Unit {code!r} tidak ditemukan.")
    history = [result_out(r) for r in await unit_history(hooks, unit.id)]
    forums = await unit_forums(unit.id)
    plans = await published_plans(unit.id)
    return PortalUnitDetail(
        unit=PortalUnitInfo(unit.code, unit.name, unit.kind, unit.address),
        latest=history[-1] if history else None,
        history=history,
        plan=plan_json(plans[0], unit.code) if plans else None,
        forums=[
            PortalForum(f.id, f.title, f.start, f.status, f"/forum/{f.id}/publik")
            for f in [*forums.upcoming, *forums.published]
        ],
    )
