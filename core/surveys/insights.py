"""What the staff SKM pages read: a unit's dashboard, its saran, its trend and the year's recap order.

Everything here reads; nothing writes. Scores come from the scoring plugin through
:mod:`core.surveys.scores`; this module only chooses scopes, joins names and orders the results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.accounts.policy import Actor, visible_unit_ids
from core.errors import NotFound
from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.settings import Settings
from core.surveys.cycle_view import cycles_out
from core.surveys.cycles import cycle_row
from core.surveys.labels import SHORT_PERIOD_LABELS
from core.surveys.profile import AGE_BANDS, PENDIDIKAN
from core.surveys.questionnaires import scoring_method
from core.surveys.recap import Recap, RecapRow
from core.surveys.saran import SaranItem, saran_page
from core.surveys.schemas import CycleOut, UnsurItem
from core.surveys.scores import breakdown_rows, cycle_items, score_of, versions_items
from core.surveys.tables import CycleStatus, Response, SurveyCycle, counted
from core.surveys.tallies import DIMENSIONS, Scope, TallyResult, of_cycles, run_tallies, tally_sql
from core.units.schemas import UnitOut
from core.units.service import unit_by_code

PROFILE_DIMENSIONS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
TREND_LIMIT = 8

# Columns of the yearly matrix, in order; custom cycles share the last one ("Lainnya").
RECAP_COLUMNS: tuple[str, ...] = ("tw1", "tw2", "tw3", "tw4", "s1", "s2", "tahunan", "custom")
RECAP_SORTS: tuple[str, ...] = ("name", "kind", "konversi", "respondents")


def short_period(period_type: str, start: date, end: date) -> str:
    """A compact period name for charts (the year apart): "TW I", "Sem. II", "01/02–15/03"."""
    if period_type == "custom":
        return f"{start:%d/%m}–{end:%d/%m}"
    return SHORT_PERIOD_LABELS.get(period_type, period_type)


# ---------------------------------------------------------------- questionnaire of a cycle


async def questionnaire_of(actor: Actor, hooks: Hooks, cycle_id: int) -> list[UnsurItem]:
    """The questions of a cycle the actor may see."""
    return await cycle_items(hooks, await cycle_row(actor, cycle_id))


# ---------------------------------------------------------------- weakest unsur, legend


def weakest_unsur(score: ScoreResult | None) -> list[str]:
    """Codes of the unsur with the lowest NRR (every one of them when several tie)."""
    if not score:
        return []
    answered = [u for u in score.unsur if u.answered and u.nrr is not None]
    if not answered:
        return []
    lowest = min(u.nrr for u in answered if u.nrr is not None)
    return [u.code for u in answered if u.nrr == lowest]


def mutu_legend(hooks: Hooks, method_code: str | None = None) -> list[dict[str, str]]:
    """The interpretation table of the scoring method, best band first (for chart legends)."""
    method = scoring_method(hooks, method_code)
    bands = [
        {"mutu": band.mutu, "kinerja": band.kinerja, "low": band.low, "high": band.high}
        for band in method.interpretation
    ]
    return list(reversed(bands))


def minimum_sample(hooks: Hooks, population: int, method_code: str | None = None) -> int:
    """The scoring method's minimum sample for a population (Krejcie & Morgan for SKM)."""
    return int(scoring_method(hooks, method_code).minimum_sample(population))


async def staff_entered_count(actor: Actor, cycle_id: int) -> int:
    """How many responses of a cycle were keyed in by staff (paper and interview)."""
    await cycle_row(actor, cycle_id)
    return await Response.count().where(
        (Response.cycle == cycle_id) & Response.channel.is_in(["paper", "interview"]) & counted()
    )


# ---------------------------------------------------------------- trend


@dataclass(frozen=True)
class TrendPoint:
    """One cycle of a unit in its trend chart."""

    cycle_id: int
    label: str
    year: int
    status: str
    respondents: int
    konversi: float | None
    mutu: str | None
    withheld: str | None = None


def trend_points(
    hooks: Hooks,
    rows: list[dict[str, Any]],
    tallies: dict[str, TallyResult],
    versions: dict[int, list[UnsurItem]],
) -> list[TrendPoint]:
    """Konversi of the unit's last ``TREND_LIMIT`` opened cycles (``rows`` newest first), oldest
    first, from their tallies (by cycle id) and questionnaires (by version id)."""
    opened = [row for row in rows if row["status"] != CycleStatus.draft.value][:TREND_LIMIT]
    points = []
    for row in reversed(opened):
        score = score_of(
            hooks,
            row["scoring_method"],
            tallies.get(str(row["id"]), TallyResult()),
            versions.get(row["questionnaire"], []),
        )
        points.append(
            TrendPoint(
                cycle_id=row["id"],
                label=short_period(row["period_type"], row["start_date"], row["end_date"]),
                year=row["year"],
                status=row["status"],
                respondents=score.respondents if score else 0,
                konversi=score.konversi if score else None,
                mutu=score.mutu if score else None,
                withheld=score.withheld if score else None,
            )
        )
    return points


# ---------------------------------------------------------------- unit dashboard


@dataclass
class ServiceScore:
    """One jenis layanan of the cycle: progress against its minimum and its own index."""

    code: str
    name: str
    collected: int
    minimum_sample: int | None
    score: ScoreResult | None


@dataclass
class UnitDashboard:
    """Everything the unit's SKM page shows for one cycle."""

    unit: UnitOut
    cycles: list[CycleOut]
    cycle: CycleOut | None
    score: ScoreResult | None = None
    index_label: str = "IKM (skala 1–4)"
    konversi_label: str = "Nilai konversi (25–100)"
    weakest: list[str] = field(default_factory=list)
    services: list[ServiceScore] = field(default_factory=list)
    breakdowns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    trend: list[TrendPoint] = field(default_factory=list)
    legend: list[dict[str, str]] = field(default_factory=list)
    saran: list[SaranItem] = field(default_factory=list)
    saran_total: int = 0


def default_cycle(cycles: list[CycleOut]) -> CycleOut | None:
    """The latest cycle that has been opened (cycles come newest first), else the newest draft."""
    opened = [c for c in cycles if c.status != CycleStatus.draft.value]
    return (opened or cycles or [None])[0]


async def unit_dashboard(
    actor: Actor,
    settings: Settings,
    hooks: Hooks,
    unit_code: str,
    cycle_id: int | None = None,
    *,
    saran_search: str | None = None,
    saran_offset: int | None = None,
) -> UnitDashboard:
    """A unit's chosen cycle (default: the latest opened) with its index, groups and trend, and
    (when ``saran_offset`` is given) one page of its saran.

    A fixed number of queries whatever the number of cycles: the unit, its cycles (with their
    counts), their questionnaires, and one statement for every tally the page shows.
    """
    unit = await unit_by_code(actor, unit_code)
    rows = (
        await SurveyCycle.select()
        .where(SurveyCycle.unit == unit.id)
        .order_by(SurveyCycle.start_date, ascending=False)
        .order_by(SurveyCycle.id, ascending=False)
    )
    cycles = await cycles_out(settings, hooks, rows, actor)
    if cycle_id is not None:
        cycle = next((c for c in cycles if c.id == cycle_id), None)
        if cycle is None:
            raise NotFound(f"Siklus survei {cycle_id} tidak ditemukan di unit ini.")
    else:
        cycle = default_cycle(cycles)
    board = UnitDashboard(unit=unit, cycles=cycles, cycle=cycle)
    board.legend = mutu_legend(hooks, cycle.scoring_method if cycle else None)
    versions = await versions_items(row["questionnaire"] for row in rows if row["questionnaire"])
    trend_ids = [row["id"] for row in rows if row["status"] != CycleStatus.draft.value]
    statements = [tally_sql(of_cycles(trend_ids[:TREND_LIMIT]), "r.cycle", label="trend")]
    if cycle is not None:
        scope = Scope.cycle(cycle.id)
        statements.append(tally_sql(scope, DIMENSIONS["layanan"], label="layanan"))
        statements += [
            tally_sql(scope, DIMENSIONS[name], keep=False, label=name)
            for name in PROFILE_DIMENSIONS
        ]
    found = await run_tallies(*statements)
    board.trend = trend_points(hooks, rows, found.get("trend", {}), versions)
    if cycle is None:
        return board
    if saran_offset is not None:
        board.saran, board.saran_total = await saran_page(
            cycle.id, saran_search, offset=saran_offset
        )
    _score_cycle(hooks, board, cycle, found, versions.get(_questionnaire(rows, cycle.id), []))
    return board


def _questionnaire(rows: list[dict[str, Any]], cycle_id: int) -> int | None:
    return next(row["questionnaire"] for row in rows if row["id"] == cycle_id)


def _score_cycle(
    hooks: Hooks,
    board: UnitDashboard,
    cycle: CycleOut,
    found: dict[str, dict[str, TallyResult]],
    items: list[UnsurItem],
) -> None:
    """The chosen cycle's index, its services and respondent groups, from its tallies."""
    method = cycle.scoring_method
    chosen = scoring_method(hooks, method)
    board.index_label, board.konversi_label = chosen.index_label, chosen.konversi_label
    whole = TallyResult()
    for group in found.get("layanan", {}).values():  # every response is in one service group
        whole.add(group)
    board.score = score_of(hooks, method, whole, items)
    board.weakest = weakest_unsur(board.score)
    by_service = {
        row["group"]: row for row in breakdown_rows(hooks, method, found.get("layanan", {}), items)
    }
    board.services = [
        ServiceScore(
            code=s.code,
            name=s.name,
            collected=s.collected,
            minimum_sample=s.minimum_sample,
            score=by_service.get(s.code, {}).get("score"),
        )
        for s in cycle.services
    ]
    if "" in by_service:  # answers recorded without a service (a cycle without services)
        board.services.append(
            ServiceScore(
                code="",
                name="",
                collected=by_service[""]["respondents"],
                minimum_sample=None,
                score=by_service[""]["score"],
            )
        )
    board.breakdowns = {
        name: _in_natural_order(name, breakdown_rows(hooks, method, found.get(name, {}), items))
        for name in PROFILE_DIMENSIONS
    }


_ORDINAL = {"usia": AGE_BANDS, "pendidikan": PENDIDIKAN}


def _in_natural_order(dimension: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Age bands and education levels in their own order (blank last); others largest first."""
    order = _ORDINAL.get(dimension)
    if order is None:
        return rows
    rank = {value: index for index, value in enumerate(order)}
    return sorted(rows, key=lambda row: rank.get(row["group"], len(order)))


# ---------------------------------------------------------------- recap ordering


def recap_cells(row: RecapRow) -> dict[str, list[Any]]:
    """A unit's cycles by matrix column (custom cycles together under "custom")."""
    columns: dict[str, list[Any]] = {column: [] for column in RECAP_COLUMNS}
    for cell in row.cells:
        columns.get(cell.period_type, columns["custom"]).append(cell)
    return columns


def used_columns(cells: dict[str, dict[str, list[Any]]]) -> tuple[str, ...]:
    """The matrix columns some unit has a cycle in (``cells`` as ``recap_cells`` gives them per
    unit), so the year's matrix shows only the periods actually surveyed."""
    return tuple(c for c in RECAP_COLUMNS if any(unit[c] for unit in cells.values()))


def sort_recap(recap: Recap, sort: str | None) -> list[RecapRow]:
    """Rows ordered by name, kind (then name), konversi or respondents (highest first).

    Units without a score sort after every scored unit.
    """
    rows = list(recap.rows)
    by_name = sorted(rows, key=lambda r: (r.name.casefold(), r.code))
    if sort == "kind":
        return sorted(by_name, key=lambda r: r.kind)
    if sort == "konversi":
        return sorted(by_name, key=lambda r: (r.konversi is None, -(r.konversi or 0)))
    if sort == "respondents":
        return sorted(by_name, key=lambda r: -r.collected)
    return by_name


async def cycle_years(actor: Actor) -> list[int]:
    """Years that have cycles the actor may see, newest first."""
    visible = visible_unit_ids(actor)
    query = SurveyCycle.select(SurveyCycle.year).distinct()
    if visible is not None:
        query = query.where(SurveyCycle.unit.is_in(list(visible) or [-1]))
    return sorted({int(row["year"]) for row in await query}, reverse=True)
