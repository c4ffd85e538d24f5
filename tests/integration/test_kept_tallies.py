"""Kept tallies of closed cycles: equal to the live count, read instead of it, never stale."""

import importlib

import pytest

from core.accounts.policy import Actor
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.cycles import close_cycle, create_cycle, open_cycle, reopen_cycle
from core.surveys.kept import keep_tallies
from core.surveys.questionnaires import save_questionnaire, standard_items
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn, UnsurItem
from core.surveys.tables import KeptTally, Response, SurveyCycle
from core.surveys.tallies import (
    DIMENSIONS,
    Scope,
    breakdown,
    cycles_tallies,
    run_tallies,
    tally,
    tally_sql,
)
from tests.factories import make_unit

pytestmark = pytest.mark.db

U10 = UnsurItem(
    code="U10",
    name="Kebersihan",
    question="Kebersihan ruang pelayanan",
    labels=["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
)
SYSTEM = Actor.system()
REASON = "koreksi data entri kertas"


async def _setup(hooks) -> tuple[int, int, list[int]]:
    """Two cycles of one unit with U10; the first with varied answers, the second open."""
    await make_unit("PKM-K", "puskesmas", services=("UMUM", "KIA"))
    await save_questionnaire(SYSTEM, hooks, "PKM-K", [*standard_items(hooks), U10])
    ids = []
    for period in ("tw1", "tw2"):
        data = CycleIn(
            unit="PKM-K", period_type=period, year=2026, population=40, services=["UMUM", "KIA"]
        )
        ids.append(await create_cycle(SYSTEM, hooks, data))
        await open_cycle(SYSTEM, hooks, ids[-1])
    responses = []
    for i in range(12):
        answers = {f"U{n}": 1 + (i * n) % 4 for n in range(1, 10)}
        answers |= {"U3": None} if i % 5 == 0 else {}
        answers["U10"] = None if i % 4 == 0 else 1 + i % 4
        data = ResponseIn(
            answers=answers,
            service=("UMUM", "KIA")[i % 2],
            profile={"jenis_kelamin": "LP"[i % 2], "usia": 20 + i * 3},
        )
        responses.append((await enter_response(SYSTEM, ids[0], data)).id)
    await enter_response(
        SYSTEM, ids[1], ResponseIn(answers={f"U{n}": 4 for n in range(1, 11)}, service="KIA")
    )
    return ids[0], ids[1], responses


async def _live(scope: Scope, group_by: str | None = None) -> dict:
    found = await run_tallies(tally_sql(scope, group_by, keep=False))
    return {k: v for k, v in found.get("", {}).items() if v.respondents}


def _scopes(cycle_id: int, unit_id: int) -> list[Scope]:
    return [Scope.cycle(cycle_id), Scope.unit_year(unit_id, 2026), Scope.regency_year(2026)]


async def _assert_kept_equals_live(cycle_id: int, unit_id: int) -> None:
    for scope in _scopes(cycle_id, unit_id):
        assert await tally(scope) == (await _live(scope))[""]
    year = Scope("c.year = {}", (2026,), include_extra=True)
    assert await cycles_tallies(year) == {
        int(k): v for k, v in (await _live(year, "r.cycle")).items()
    }
    assert await breakdown(Scope.cycle(cycle_id), "layanan") == await _live(
        Scope.cycle(cycle_id), DIMENSIONS["layanan"]
    )


async def _kept_rows(cycle_id: int) -> set[tuple]:
    rows = await KeptTally.select(KeptTally.all_columns(exclude=[KeptTally.id])).where(
        KeptTally.cycle == cycle_id
    )
    return {tuple(row.values()) for row in rows}


async def test_close_keeps_tallies_equal_to_live_and_reads_them(db, hooks):
    cycle_id, _, responses = await _setup(hooks)
    unit_id = (await SurveyCycle.select(SurveyCycle.unit).first())["unit"]
    before = await tally(Scope.cycle(cycle_id))
    assert not await KeptTally.exists().where(KeptTally.cycle == cycle_id)
    await close_cycle(SYSTEM, hooks, cycle_id, reason="sampel kecil untuk uji")
    assert await KeptTally.exists().where(KeptTally.cycle == cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == before
    assert before.tally["U10"] and before.respondents == 12
    await _assert_kept_equals_live(cycle_id, unit_id)

    # Behind the application's back, a closed cycle's answer changes: the figures do not
    # move, which shows they are read from the kept tallies, not from the responses.
    await Response.update({Response.u1: 4 if before.tally["U1"].get(1) else 1}).where(
        Response.id == responses[0]
    )
    assert await tally(Scope.cycle(cycle_id)) == before
    changed = (await _live(Scope.cycle(cycle_id)))[""]
    assert changed != before
    # reported and published cycles are still read from their kept tallies …
    for status in ("reported", "published"):
        await SurveyCycle.update({SurveyCycle.status: status}).where(SurveyCycle.id == cycle_id)
        assert await tally(Scope.cycle(cycle_id)) == before
    # … but a cycle whose status no longer qualifies is counted live, kept rows or not
    await SurveyCycle.update({SurveyCycle.status: "open"}).where(SurveyCycle.id == cycle_id)
    assert await KeptTally.exists().where(KeptTally.cycle == cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == changed


async def test_void_and_correct_after_reopen_then_close_again(db, hooks):
    cycle_id, _, responses = await _setup(hooks)
    unit_id = (await SurveyCycle.select(SurveyCycle.unit).first())["unit"]
    await close_cycle(SYSTEM, hooks, cycle_id, reason="sampel kecil untuk uji")
    kept = await tally(Scope.cycle(cycle_id))

    await reopen_cycle(SYSTEM, cycle_id, "jawaban kertas salah ketik")
    assert not await KeptTally.exists().where(KeptTally.cycle == cycle_id)
    await void_response(SYSTEM, cycle_id, responses[1], VoidIn(reason=REASON))
    answers = {f"U{n}": 2 for n in range(1, 11)}
    await correct_response(
        SYSTEM, cycle_id, responses[2], CorrectionIn(answers=answers, reason=REASON, service="KIA")
    )
    reopened = await tally(Scope.cycle(cycle_id))  # live while open, so already changed
    assert reopened.respondents == kept.respondents - 1 and reopened != kept
    await _assert_kept_equals_live(cycle_id, unit_id)

    await close_cycle(SYSTEM, hooks, cycle_id, reason="sampel kecil untuk uji")
    assert await tally(Scope.cycle(cycle_id)) == reopened
    await _assert_kept_equals_live(cycle_id, unit_id)


async def test_reopened_cycle_counts_new_answers(db, hooks):
    cycle_id, _, _ = await _setup(hooks)
    await close_cycle(SYSTEM, hooks, cycle_id, reason="sampel kecil untuk uji")
    kept = await tally(Scope.cycle(cycle_id))
    await reopen_cycle(SYSTEM, cycle_id, "masih ada kuesioner kertas")
    await enter_response(
        SYSTEM, cycle_id, ResponseIn(answers={f"U{n}": 1 for n in range(1, 11)}, service="UMUM")
    )
    now = await tally(Scope.cycle(cycle_id))
    assert now.respondents == kept.respondents + 1
    assert now.tally["U10"][1] == kept.tally["U10"].get(1, 0) + 1


async def test_closed_cycle_without_kept_tallies_is_counted_live(db, hooks):
    cycle_id, _, _ = await _setup(hooks)
    live = await tally(Scope.cycle(cycle_id))
    # a cycle closed outside close_cycle (an old import, a fixture) has no marker row
    await SurveyCycle.update({SurveyCycle.status: "closed"}).where(SurveyCycle.id == cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == live
    await keep_tallies(cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == live


async def test_migration_backfill_writes_what_closing_writes(db, hooks):
    cycle_id, open_id, _ = await _setup(hooks)
    await close_cycle(SYSTEM, hooks, cycle_id, reason="sampel kecil untuk uji")
    written = await _kept_rows(cycle_id)
    await KeptTally.delete(force=True)
    migration = importlib.import_module(
        "core.piccolo_migrations.suara_2026_12_01_0860_kept_tallies"
    )
    await KeptTally.raw(migration.BACKFILL)
    assert await _kept_rows(cycle_id) == written
    assert await _kept_rows(open_id) == set()
