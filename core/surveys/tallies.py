"""Answer tallies per scope, aggregated in SQL: the count of each value 1–4 for each unsur.

Scoring reads only these tallies; responses are never loaded into Python to be scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.surveys.kept import COUNT_COLUMNS, RESPONDENTS
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
KEPT_DIMENSIONS = frozenset({"layanan"})
"""The groupings kept tallies can answer (per service); profile groups are counted live."""


@dataclass
class TallyResult:
    """Respondents and per-unsur value counts for one scope (or one group of a breakdown)."""

    respondents: int = 0
    tally: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, other: TallyResult) -> None:
        """Pool another tally into this one (raw counts, never averaged indices)."""
        self.respondents += other.respondents
        for code, counts in other.tally.items():
            mine = self.tally.get(code)
            if mine is None:
                self.tally[code] = dict(counts)
                continue
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


_SERVICE = " LEFT JOIN unit_service s ON s.id = r.service"
_LIVE_FROM = " FROM survey_response r JOIN survey_cycle c ON c.id = r.cycle"
_EXTRA_FROM = (
    " FROM survey_extra_answer e JOIN survey_response r ON r.id = e.response"
    " JOIN survey_cycle c ON c.id = r.cycle"
)
_KEPT_FROM = " FROM survey_kept_tally r JOIN survey_cycle c ON c.id = r.cycle"
_ZEROS = ", ".join("0" for _ in STANDARD for _ in VALUES)


_LIVE_COLUMNS = ", ".join(
    f"COUNT(*) FILTER (WHERE r.u{n} = {v}) AS u{n}_{v}" for n in range(1, 10) for v in VALUES
)
_KEPT_COLUMNS = ", ".join(f"SUM(r.{column}) AS {column}" for column in COUNT_COLUMNS)


Statement = tuple[str, tuple[Any, ...]]


def tally_sql(
    scope: Scope, group_by: str | None = None, *, keep: bool = True, label: str = ""
) -> Statement:
    """The one statement counting a scope (optionally per group), labelled ``label``.

    Each row has dim (the label), grp, code, value, n and u1_1…u9_4: the row with code '' holds
    the respondents (n) and the nine standard unsur's counts; every other row one extra unsur's
    value and its count (n). With ``keep`` (only for groupings kept tallies hold: none, cycle,
    service) sealed responses are read from the kept tallies and only unsealed ones counted.
    """
    grp = f"CAST({group_by} AS VARCHAR(60))" if group_by else "''"
    head = f"SELECT '{label}' AS dim, {grp} AS grp, "
    by = f" GROUP BY {group_by}" if group_by else ""
    by_code = f" GROUP BY {group_by}, " if group_by else " GROUP BY "
    live = f"{COUNTED_SQL} AND {scope.where}" + (" AND NOT r.sealed" if keep else "")
    service = _SERVICE if "s." in f"{group_by} {scope.where}" else ""  # joined only when used
    parts = [
        f"{head}'' AS code, 0 AS value, COUNT(*) AS n, {_LIVE_COLUMNS}{_LIVE_FROM}{service}"
        f" WHERE {live}{by}"
    ]
    if scope.include_extra:
        parts.append(
            f"{head}e.code, e.value, COUNT(*), {_ZEROS}{_EXTRA_FROM}{service} WHERE {live}"
            + f"{by_code}e.code, e.value"
        )
    if keep:
        parts.append(
            f"{head}'', 0, SUM(r.n), {_KEPT_COLUMNS}{_KEPT_FROM}{service}"
            f" WHERE r.code = '{RESPONDENTS}' AND {scope.where}{by}"
        )
        if scope.include_extra:
            parts.append(
                f"{head}r.code, r.value, SUM(r.n), {_ZEROS}{_KEPT_FROM}{service} WHERE"
                f" r.code <> '{RESPONDENTS}' AND {scope.where}{by_code}r.code, r.value"
            )
    return " UNION ALL ".join(parts), scope.params * len(parts)


_ROW_COLUMNS = tuple((code, tuple((v, f"{code.lower()}_{v}") for v in VALUES)) for code in STANDARD)


def _from_row(row: dict[str, Any]) -> TallyResult:
    result = TallyResult(respondents=int(row["n"] or 0))
    for code, columns in _ROW_COLUMNS:
        counts = {v: int(c) for v, column in columns if (c := row[column])}
        if counts:
            result.tally[code] = counts
    return result


def union(*statements: Statement) -> Statement:
    """Several statements of the same columns as one (``UNION ALL``), run in one round trip."""
    sql = " UNION ALL ".join(statement for statement, _ in statements)
    return sql, tuple(param for _, params in statements for param in params)


async def run_tallies(*statements: Statement) -> dict[str, dict[str, TallyResult]]:
    """Run several ``tally_sql`` statements as one (one round trip): label → group → tally.

    Groups without respondents are left out.
    """
    sql, params = union(*statements)
    return collect(await Response.raw(sql, *params))


def collect(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, TallyResult]]:
    """The rows of ``tally_sql`` statements as label → group → tally (empty groups left out)."""
    found: dict[str, dict[str, TallyResult]] = {}
    for row in rows:
        group = found.setdefault(row["dim"], {}).setdefault(str(row["grp"] or ""), TallyResult())
        if row["code"]:
            counts = group.tally.setdefault(row["code"], {})
            counts[int(row["value"])] = counts.get(int(row["value"]), 0) + int(row["n"])
        else:
            group.add(_from_row(row))
    return {
        label: {name: group for name, group in groups.items() if group.respondents}
        for label, groups in found.items()
    }


async def tally(scope: Scope) -> TallyResult:
    """Respondents and value counts for the scope."""
    return (await run_tallies(tally_sql(scope))).get("", {}).get("", TallyResult())


async def breakdown(scope: Scope, dimension: str) -> dict[str, TallyResult]:
    """Tallies per value of a respondent characteristic (jenis kelamin, pendidikan …)."""
    return (await breakdowns(scope, (dimension,))).get(dimension, {})


async def breakdowns(scope: Scope, dimensions: Sequence[str]) -> dict[str, dict[str, TallyResult]]:
    """Tallies per group of each dimension, in one statement (services from kept tallies)."""
    statements = [
        tally_sql(scope, DIMENSIONS[name], keep=name in KEPT_DIMENSIONS, label=name)
        for name in dimensions
    ]
    found = await run_tallies(*statements) if statements else {}
    return {name: found.get(name, {}) for name in dimensions}


async def tallies_by_cycle(year: int) -> dict[int, TallyResult]:
    """Every cycle of a year with its own extra unsur, in one statement (for the recap)."""
    return await cycles_tallies(Scope("c.year = {}", (year,), include_extra=True))


async def cycles_tallies(scope: Scope) -> dict[int, TallyResult]:
    """The tally of each cycle of a scope with responses, by cycle id, in one statement."""
    found = await run_tallies(tally_sql(scope, "r.cycle"))
    return {int(key): group for key, group in found.get("", {}).items()}


def of_cycles(cycle_ids: Sequence[int]) -> Scope:
    """Several cycles (each with its unit's extra unsur)."""
    marks = ", ".join("{}" for _ in cycle_ids) or "NULL"
    return Scope(f"r.cycle IN ({marks})", tuple(cycle_ids), include_extra=True)


def standard_part(result: TallyResult) -> TallyResult:
    """The same respondents counted on the nine standard unsur only."""
    return TallyResult(
        respondents=result.respondents,
        tally={code: dict(counts) for code, counts in result.tally.items() if code in STANDARD},
    )
