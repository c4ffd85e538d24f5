"""Scores of a scope: SQL tallies of the scope's whole questionnaire, scored by the method's plugin.

The core never does the arithmetic and never reads a method's own keys: it hands the plugin a tally
with every question of the questionnaire (one nobody answered is present, empty, so the method can
withhold its index instead of quietly reweighting the others) and reads the typed
:class:`~core.plugin_api.ScoreResult` back.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from core.hooks import Hooks
from core.plugin_api import ScoreResult
from core.surveys.questionnaires import current_items, items_of, scoring_method, standard_items
from core.surveys.schemas import UnsurItem
from core.surveys.tables import QuestionnaireVersion, Response, SurveyCycle
from core.surveys.tallies import (
    STANDARD,
    Scope,
    Statement,
    TallyResult,
    breakdown,
    collect,
    tally_sql,
    union,
    unsur_order,
)


async def cycle_items(hooks: Hooks, row: dict[str, Any]) -> list[UnsurItem]:
    """The questions of a cycle: the frozen version once opened, else what it would ask now."""
    if row["questionnaire"]:
        version = (
            await QuestionnaireVersion.select()
            .where(QuestionnaireVersion.id == row["questionnaire"])
            .first()
        )
        if version is not None:
            return items_of(version)
    return await current_items(hooks, row["unit"])


def merged_items(questionnaires: Iterable[Sequence[UnsurItem]]) -> list[UnsurItem]:
    """Every question asked by any of the questionnaires (first wording wins), in code order."""
    found: dict[str, UnsurItem] = {}
    for items in questionnaires:
        for item in items:
            found.setdefault(item.code, item)
    return sorted(found.values(), key=lambda item: unsur_order(item.code))


async def versions_items(version_ids: Iterable[int]) -> dict[int, list[UnsurItem]]:
    """The items of several questionnaire versions, by version id (one query)."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    rows = await QuestionnaireVersion.select().where(QuestionnaireVersion.id.is_in(ids))
    return {row["id"]: items_of(row) for row in rows}


async def cycles_items(cycle_ids: Iterable[int]) -> dict[int, list[UnsurItem]]:
    """The frozen questionnaire of each of several opened cycles, by cycle id (one query)."""
    ids = sorted(set(cycle_ids))
    if not ids:
        return {}
    marks = ", ".join("{}" for _ in ids)
    rows = await QuestionnaireVersion.raw(
        "SELECT c.id AS cycle, v.items AS items FROM survey_cycle c"
        f" JOIN questionnaire_version v ON v.id = c.questionnaire WHERE c.id IN ({marks})",
        *ids,
    )
    return {row["cycle"]: items_of(row) for row in rows}


def standard_only(hooks: Hooks, method_code: str | None) -> list[UnsurItem]:
    """The nine standard unsur (for regency-wide figures comparable across units)."""
    items = standard_items(hooks, method_code) or standard_items(hooks)
    return [item for item in items if item.code in STANDARD]


_ITEMS = "~questionnaire"
_ZEROS = ", ".join("0" for _ in range(36))


def _versions_sql(scope: Scope) -> Statement | None:
    """The questionnaire versions a cycle or unit-year scope was asked on, as rows shaped like a
    tally's (label ``_ITEMS``, the items in ``grp``, the version id in ``code``), so they travel
    in the tally's own statement; None for a regency-wide scope (the nine standard unsur)."""
    if scope.cycle_id is not None:
        where, params = "c.id = {}", (scope.cycle_id,)
    elif scope.year_of_unit is not None:
        where, params = "c.unit = {} AND c.year = {}", scope.year_of_unit
    else:
        return None
    sql = (
        f"SELECT '{_ITEMS}' AS dim, CAST(v.items AS TEXT) AS grp, CAST(v.id AS VARCHAR(20)) AS code,"
        f" 0 AS value, 0 AS n, {_ZEROS} FROM questionnaire_version v WHERE v.id IN"
        f" (SELECT c.questionnaire FROM survey_cycle c WHERE {where})"
    )
    return sql, params


async def _items_from(
    hooks: Hooks, method_code: str | None, scope: Scope, versions: list[dict[str, Any]]
) -> list[UnsurItem]:
    """The scope's questionnaire from its version rows (oldest first wins a wording); a draft
    cycle, frozen nothing yet, asks what its unit would ask now."""
    if versions:
        ordered = sorted(versions, key=lambda row: int(row["code"]))
        return merged_items(items_of({"items": row["grp"]}) for row in ordered)
    if scope.cycle_id is not None:
        row = await SurveyCycle.select().where(SurveyCycle.id == scope.cycle_id).first()
        if row is not None:
            return await cycle_items(hooks, row)
    return standard_only(hooks, method_code)


async def scope_items(hooks: Hooks, method_code: str | None, scope: Scope) -> list[UnsurItem]:
    """The questionnaire a scope is scored on: the cycle's own, the unit's cycles' of the year
    together, or the nine standard unsur for a regency-wide scope (one query, none for the
    regency)."""
    statement = _versions_sql(scope)
    if statement is None:
        return standard_only(hooks, method_code)
    return await _items_from(hooks, method_code, scope, await Response.raw(*_flat(statement)))


def _flat(statement: Statement) -> tuple[Any, ...]:
    sql, params = statement
    return (sql, *params)


class _Memo:
    """The last results of a method's pure functions, by their inputs (least recently used
    dropped); a hit needs the very same function, so another plugin never shares an entry.

    A method's ``score`` is a pure function of the tally (the plugin contract), so the same
    tally scored again — every closed cycle on every recap — is looked up, not recomputed.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.found: OrderedDict[tuple[Any, ...], tuple[Any, Any]] = OrderedDict()

    def get(self, function: Any, key: tuple[Any, ...]) -> Any:
        hit = self.found.get(key)
        if hit is None or hit[0] is not function:
            return None
        self.found.move_to_end(key)
        return hit[1]

    def put(self, function: Any, key: tuple[Any, ...], value: Any) -> None:
        self.found[key] = (function, value)
        if len(self.found) > self.size:
            self.found.popitem(last=False)


_SCORED = _Memo(20_000)
_MINIMA = _Memo(20_000)


def minimum_sample_of(method: Any, population: int) -> int:
    """The method's minimum sample for a population (pure, so remembered like scores)."""
    key = (id(method.minimum_sample), population)
    if (known := _MINIMA.get(method.minimum_sample, key)) is None:
        known = int(method.minimum_sample(population))
        _MINIMA.put(method.minimum_sample, key, known)
    return known


@functools.lru_cache(maxsize=1024)
def _ordered(codes: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(codes, key=unsur_order))


_QUESTIONNAIRES: OrderedDict[int, tuple[Sequence[UnsurItem], Any]] = OrderedDict()


def _questionnaire_of(
    items: Sequence[UnsurItem],
) -> tuple[tuple[str, ...], frozenset[str], dict[str, str], tuple[tuple[str, str], ...]]:
    """A questionnaire's codes (in order and as a set), names and memo key, worked out once per
    list object (the list is held, so its id cannot be reused while the entry lives)."""
    hit = _QUESTIONNAIRES.get(id(items))
    if hit is not None and hit[0] is items:
        return hit[1]
    names = {item.code: item.name for item in items}
    codes = frozenset(names)
    found = (_ordered(codes), codes, names, tuple(sorted(names.items())))
    _QUESTIONNAIRES[id(items)] = (items, found)
    if len(_QUESTIONNAIRES) > 1024:
        _QUESTIONNAIRES.popitem(last=False)
    return found


def score_of(
    hooks: Hooks, method_code: str | None, result: TallyResult, items: Sequence[UnsurItem]
) -> ScoreResult | None:
    """The method's result on the questionnaire ``items``, or None when nobody has answered yet.

    Every question of ``items`` is handed to the method, answered or not; unsur names come from
    the questionnaire the respondents saw.
    """
    if result.respondents == 0:
        return None
    return score_with(scoring_method(hooks, method_code), result, items)


def score_with(method: Any, result: TallyResult, items: Sequence[UnsurItem]) -> ScoreResult | None:
    """``score_of`` with the scoring method already looked up (for many scores in a row)."""
    if result.respondents == 0:
        return None
    asked, known_codes, names, names_key = _questionnaire_of(items)
    tally = result.tally
    codes = asked if tally.keys() <= known_codes else _ordered(known_codes | tally.keys())
    key = (
        id(method.score),
        result.respondents,
        tuple(
            (code, tuple(sorted(tally[code].items())) if code in tally else ()) for code in codes
        ),
        names_key,
    )
    if (known := _SCORED.get(method.score, key)) is not None:
        return known
    score = method.score({code: tally.get(code, {}) for code in codes}, result.respondents)
    if not isinstance(score, ScoreResult):
        raise TypeError(
            f"scoring method {method.code!r} returned {type(score).__name__}, not ScoreResult"
        )
    named = dataclasses.replace(
        score,
        unsur=tuple(dataclasses.replace(u, name=names.get(u.code, u.name)) for u in score.unsur),
    )
    _SCORED.put(method.score, key, named)
    return named


async def score_scope(hooks: Hooks, method_code: str | None, scope: Scope) -> ScoreResult | None:
    """Score one scope on its questionnaire: the tally and the questionnaire in one statement."""
    statements = [tally_sql(scope)]
    if (versions := _versions_sql(scope)) is not None:
        statements.append(versions)
    rows = await Response.raw(*_flat(union(*statements)))
    found = collect([row for row in rows if row["dim"] != _ITEMS])
    if versions is None:
        items = standard_only(hooks, method_code)
    else:
        items = await _items_from(
            hooks, method_code, scope, [row for row in rows if row["dim"] == _ITEMS]
        )
    return score_of(hooks, method_code, found.get("", {}).get("", TallyResult()), items)


def breakdown_rows(
    hooks: Hooks,
    method_code: str | None,
    groups: dict[str, TallyResult],
    items: Sequence[UnsurItem],
) -> list[dict[str, Any]]:
    """Count, share and score of each group of a breakdown, largest first."""
    total = sum(g.respondents for g in groups.values()) or 1
    rows = [
        {
            "group": name,
            "respondents": group.respondents,
            "share": group.respondents / total,
            "score": score_of(hooks, method_code, group, items),
        }
        for name, group in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row["respondents"], row["group"]))


async def score_breakdown(
    hooks: Hooks, method_code: str | None, scope: Scope, dimension: str
) -> list[dict[str, Any]]:
    """Count, share and score of each group of a respondent characteristic, largest first."""
    items = await scope_items(hooks, method_code, scope)
    return breakdown_rows(hooks, method_code, await breakdown(scope, dimension), items)
