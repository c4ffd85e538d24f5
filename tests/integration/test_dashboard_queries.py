"""The unit's SKM page costs a fixed, small number of queries, however many cycles it has."""

from __future__ import annotations

import pytest

from core import db as core_db
from core.accounts.policy import Actor
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.insights import unit_dashboard
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from tests.conftest import login
from tests.factories import PASSWORD, make_unit, make_user

pytestmark = pytest.mark.db

MAX_QUERIES = 12
PERIODS = ("tw1", "tw2", "tw3", "tw4")


async def _unit_with_cycles(hooks, years: tuple[int, ...]) -> None:
    await make_unit("PKM-Q", "puskesmas", services=("UMUM", "KIA", "GIGI"))
    for year in years:
        for index, period in enumerate(PERIODS):
            data = CycleIn(
                unit="PKM-Q",
                period_type=period,
                year=year,
                population=30,
                services=["UMUM", "KIA", "GIGI"],
            )
            cycle_id = await create_cycle(Actor.system(), hooks, data)
            if year == years[-1] and index == len(PERIODS) - 1:
                continue  # the newest stays a draft
            await open_cycle(Actor.system(), hooks, cycle_id)
            for i in range(3):
                answers = {f"U{n}": 1 + (i + n + index) % 4 for n in range(1, 10)}
                profile = {"jenis_kelamin": "LP"[i % 2], "usia": 25 + 10 * i, "pendidikan": "SMA"}
                response = ResponseIn(
                    answers=answers, service=("UMUM", "KIA", "GIGI")[i], profile=profile
                )
                await enter_response(Actor.system(), cycle_id, response)
            if not (year == years[-1] and index == len(PERIODS) - 2):
                await close_cycle(Actor.system(), hooks, cycle_id, reason="uji jumlah kueri")


def _count_queries(monkeypatch) -> list[str]:
    engine_class = type(core_db.engine())  # the engine's attributes are read-only: patch its class
    seen: list[str] = []
    original = engine_class.run_querystring

    async def counting(self, querystring, *args, **kwargs):
        seen.append(str(querystring)[:120])
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    return seen


@pytest.mark.parametrize("years", [(2025,), (2024, 2025, 2026)])
async def test_unit_page_queries_stay_few_and_flat(client, db, hooks, monkeypatch, years):
    await _unit_with_cycles(hooks, years)
    await make_user("adm-q", "admin")
    await login(client, "adm-q", PASSWORD)
    seen = _count_queries(monkeypatch)
    page = await client.get("/units/PKM-Q/skm")
    assert page.status_code == 200, page.text
    assert "Tren" in page.text or "tren" in page.text
    assert len(seen) <= MAX_QUERIES, "\n".join(seen)


async def test_dashboard_figures_from_grouped_tallies_match_the_scoring_service(db, hooks):
    from core.settings import Settings
    from core.surveys.scores import score_breakdown, score_scope
    from core.surveys.tallies import Scope

    await _unit_with_cycles(hooks, (2025, 2026))
    board = await unit_dashboard(Actor.system(), Settings.from_env(), hooks, "PKM-Q")
    assert board.cycle is not None and board.cycle.status == "open"
    scope = Scope.cycle(board.cycle.id)
    assert board.score == await score_scope(hooks, None, scope)
    services = {
        r["group"]: r["score"] for r in await score_breakdown(hooks, None, scope, "layanan")
    }
    assert {s.code: s.score for s in board.services} == services
    usia = await score_breakdown(hooks, None, scope, "usia")
    assert sorted(board.breakdowns["usia"], key=str) == sorted(usia, key=str)
    assert len(board.trend) == 7
    for point in board.trend:
        score = await score_scope(hooks, None, Scope.cycle(point.cycle_id))
        assert (point.konversi, point.respondents) == (score.konversi, score.respondents)


async def test_cycle_list_scores_match_the_scoring_service(db, hooks):
    from core.settings import Settings
    from core.surveys.cycle_list import cycle_page
    from core.surveys.cycles import CycleFilter
    from core.surveys.scores import score_scope
    from core.surveys.tallies import Scope

    await _unit_with_cycles(hooks, (2025, 2026))
    page = await cycle_page(Actor.system(), Settings.from_env(), hooks, CycleFilter(unit="PKM-Q"))
    assert len(page.rows) == 8 and sum(1 for row in page.rows if row.score) == 7
    for row in page.rows:
        assert row.score == await score_scope(hooks, None, Scope.cycle(row.cycle.id))
