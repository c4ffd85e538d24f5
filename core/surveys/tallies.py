"""Answer tallies per scope, aggregated in SQL: the count of each value 1–4 for each unsur.

Scoring reads only these tallies; responses are never loaded into Python to be scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.surveys.profile import age_band_sql
from core.surveys.tables import COUNTED_SQL, Response

STANDARD = tuple(f"U{n}" for n in range(1, 10))
VALUES = (1, 2, 3, 4)


def unsur_order(code: str) -> tuple[int, str]:
    """Sort key putting U2 before U10."""
    digits = code[1:]
    return (int(digits), code) if digits.isdigit() else (10**6, code)


DIMENSIONS = {
    "jenis_kelamin": "r.jenis_kelamin",
    "pendidikan": "r.pendidikan",
    "pekerjaan": "r.pekerjaan",
    "usia": age_band_sql("r.usia"),
    "layanan": "COALESCE(s.code, '')",
}


@dataclass
class TallyResult:
    """Respondents and per-unsur value counts for one scope (or one group of a breakdown)."""

    respondents: int = 0
    tally: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, other: TallyResult) -> None:
        """Pool another tally into this one (raw counts, never averaged indices)."""
        self.respondents += other.respondents
        for code, counts in other.tally.items():
            mine = self.tally.setdefault(code, {})
            for value, count in counts.items():
                mine[value] = mine.get(value, 0) + count


@dataclass(frozen=True)
class Scope:
    """Which responses to count: SQL conditions on r (response), c (cycle) and s (service)."""

    where: str
    params: tuple[Any, ...]
    include_extra: bool = False
    cycle_id: int | None = None
    year_of_unit: tuple[int, int] | None = None
    """Whose questionnaire the scope is scored on (see ``core.surveys.scores.scope_items``)."""

    @classmethod
    def cycle(cls, cycle_id: int) -> Scope:
        """One cycle, with its unit's extra unsur."""
        return cls("r.cycle = {}", (cycle_id,), include_extra=True, cycle_id=cycle_id)

    @classmethod
    def service(cls, cycle_id: int, service_id: int) -> Scope:
        """One jenis layanan within a cycle."""
        return cls(
            "r.cycle = {} AND r.service = {}",
            (cycle_id, service_id),
            include_extra=True,
            cycle_id=cycle_id,
        )

    @classmethod
    def unit_year(cls, unit_id: int, year: int) -> Scope:
        """All cycles of a unit in a year, on the unit's own questionnaire (its U10… included)."""
        return cls(
            "c.unit = {} AND c.year = {}",
            (unit_id, year),
            include_extra=True,
            year_of_unit=(unit_id, year),
        )

    @classmethod
    def regency_year(cls, year: int) -> Scope:
        """Every unit in a year, pooled on the nine standard unsur."""
        return cls("c.year = {}", (year,))


def _standard_columns() -> str:
    parts = [
        f"SUM(CASE WHEN r.u{n} = {v} THEN 1 ELSE 0 END) AS u{n}_{v}"
        for n in range(1, 10)
        for v in VALUES
    ]
    return ", ".join(parts)


_FROM = (
    " FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
    " LEFT JOIN unit_service s ON s.id = r.service"
)


def tally_sql(scope: Scope, group_by: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """The aggregation query for a scope (optionally grouped); exposed for benchmarks."""
    select_group = f"{group_by} AS grp, " if group_by else ""
    sql = (
        f"SELECT {select_group}COUNT(*) AS n, {_standard_columns()}{_FROM}"
        f" WHERE {COUNTED_SQL} AND {scope.where}"
    )
    if group_by:
        sql += f" GROUP BY {group_by}"
    return sql, scope.params


def _from_row(row: dict[str, Any]) -> TallyResult:
    result = TallyResult(respondents=int(row["n"] or 0))
    for code in STANDARD:
        counts = {v: int(row[f"{code.lower()}_{v}"] or 0) for v in VALUES}
        if any(counts.values()):
            result.tally[code] = {v: c for v, c in counts.items() if c}
    return result


def _with_extra_sql(scope: Scope, group_by: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """The tally and the extra-unsur counts of a scope in one statement (one round trip).

    Tally rows have code ''; each extra row has an unsur code (U10…), a value and its count in n.
    """
    select_group = f"{group_by} AS grp, " if group_by else ""
    group_clause = f"{group_by}, " if group_by else ""
    zeros = ", ".join("0" for _ in STANDARD for _ in VALUES)
    sql = (
        f"SELECT {select_group}'' AS code, 0 AS value, COUNT(*) AS n, {_standard_columns()}"
        f"{_FROM} WHERE {COUNTED_SQL} AND {scope.where}"
        f"{f' GROUP BY {group_by}' if group_by else ''}"
        f" UNION ALL SELECT {select_group}e.code, e.value, COUNT(*), {zeros}"
        " FROM survey_extra_answer e JOIN survey_response r ON r.id = e.response"
        " JOIN survey_cycle c ON c.id = r.cycle LEFT JOIN unit_service s ON s.id = r.service"
        f" WHERE {COUNTED_SQL} AND {scope.where} GROUP BY {group_clause}e.code, e.value"
    )
    return sql, scope.params * 2


async def _tallies(scope: Scope, group_by: str | None = None) -> dict[str, TallyResult]:
    """Tallies per group ('' when not grouped), with the extra unsur when the scope has them."""
    if not scope.include_extra:
        sql, params = tally_sql(scope, group_by)
        rows = await Response.raw(sql, *params)
        return {str(row.get("grp") or ""): _from_row(row) for row in rows}
    sql, params = _with_extra_sql(scope, group_by)
    groups: dict[str, TallyResult] = {}
    for row in await Response.raw(sql, *params):
        group = groups.setdefault(str(row.get("grp") or ""), TallyResult())
        if row["code"]:
            group.tally.setdefault(row["code"], {})[int(row["value"])] = int(row["n"])
        else:
            standard = _from_row(row)
            group.respondents = standard.respondents
            group.tally.update(standard.tally)
    return groups


async def tally(scope: Scope) -> TallyResult:
    """Respondents and value counts for the scope."""
    return (await _tallies(scope)).get("", TallyResult())


async def breakdown(scope: Scope, dimension: str) -> dict[str, TallyResult]:
    """Tallies per value of a respondent characteristic (jenis kelamin, pendidikan …)."""
    return await _tallies(scope, group_by=DIMENSIONS[dimension])


async def tallies_by_cycle(year: int) -> dict[int, TallyResult]:
    """Every cycle of a year with its own extra unsur, in one statement (for the recap)."""
    scope = Scope("c.year = {}", (year,), include_extra=True)
    return {int(group): result for group, result in (await _tallies(scope, "r.cycle")).items()}


def standard_part(result: TallyResult) -> TallyResult:
    """The same respondents counted on the nine standard unsur only."""
    return TallyResult(
        respondents=result.respondents,
        tally={code: dict(counts) for code, counts in result.tally.items() if code in STANDARD},
    )
