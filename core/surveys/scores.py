"""Scores of a scope, computed by the scoring plugin from SQL tallies."""

from __future__ import annotations

from typing import Any

from core.hooks import Hooks
from core.surveys.questionnaires import scoring_method
from core.surveys.tallies import Scope, TallyResult, breakdown, tally


def score_of(hooks: Hooks, method_code: str | None, result: TallyResult) -> dict[str, Any] | None:
    """The plugin's score as plain data, or None when nothing has been answered yet."""
    if result.respondents == 0 or not result.tally:
        return None
    method = scoring_method(hooks, method_code)
    return method.score(result.tally, result.respondents).to_dict()


async def score_scope(hooks: Hooks, method_code: str | None, scope: Scope) -> dict[str, Any] | None:
    """Score one scope."""
    return score_of(hooks, method_code, await tally(scope))


async def score_breakdown(
    hooks: Hooks, method_code: str | None, scope: Scope, dimension: str
) -> list[dict[str, Any]]:
    """Count, share and score of each group of a respondent characteristic, largest first."""
    groups = await breakdown(scope, dimension)
    total = sum(g.respondents for g in groups.values()) or 1
    rows = [
        {
            "group": name,
            "respondents": group.respondents,
            "share": group.respondents / total,
            "score": score_of(hooks, method_code, group),
        }
        for name, group in groups.items()
    ]
    return sorted(rows, key=lambda row: (-row["respondents"], row["group"]))
