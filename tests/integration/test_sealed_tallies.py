"""Sealed responses and kept tallies: every tally (kept + live) equals the pure live count.

The invariant under test: a response is sealed ⇔ its contribution is in its cycle's kept tallies
(``core.surveys.kept``), through sealing, submissions after a seal, voids and corrections of
sealed responses, re-sealing, closing, reopening, the beat's task and the migration's backfill.
"""

import asyncio
import importlib
import os

import asyncpg
import pytest

from core.accounts.policy import Actor
from core.db import atomic, is_postgres, lock_id
from core.surveys import kept
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.cycles import close_cycle, create_cycle, open_cycle, reopen_cycle
from core.surveys.kept import seal_all, seal_cycle
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
CLOSE = "sampel kecil untuk uji"


async def _setup(hooks) -> tuple[int, int, list[int]]:
    """Two open cycles of one unit with U10; the first with 12 varied answers, the second one."""
    await make_unit("PKM-K", "puskesmas", services=("UMUM", "KIA"))
    await save_questionnaire(SYSTEM, hooks, "PKM-K", [*standard_items(hooks), U10])
    ids = []
    for period in ("tw1", "tw2"):
        data = CycleIn(
            unit="PKM-K", period_type=period, year=2026, population=40, services=["UMUM", "KIA"]
        )
        ids.append(await create_cycle(SYSTEM, hooks, data))
        await open_cycle(SYSTEM, hooks, ids[-1])
    responses = [await _answer(ids[0], i) for i in range(12)]
    await enter_response(
        SYSTEM, ids[1], ResponseIn(answers={f"U{n}": 4 for n in range(1, 11)}, service="KIA")
    )
    return ids[0], ids[1], responses


async def _answer(cycle_id: int, i: int) -> int:
    answers = {f"U{n}": 1 + (i * n) % 4 for n in range(1, 10)}
    answers |= {"U3": None} if i % 5 == 0 else {}
    answers["U10"] = None if i % 4 == 0 else 1 + i % 4
    data = ResponseIn(
        answers=answers,
        service=("UMUM", "KIA")[i % 2],
        profile={"jenis_kelamin": "LP"[i % 2], "usia": 20 + i * 3},
    )
    return (await enter_response(SYSTEM, cycle_id, data)).id


async def _live(scope: Scope, group_by: str | None = None) -> dict:
    found = await run_tallies(tally_sql(scope, group_by, keep=False))
    return {k: v for k, v in found.get("", {}).items() if v.respondents}


async def _unit_id() -> int:
    return (await SurveyCycle.select(SurveyCycle.unit).first())["unit"]


async def _assert_exact(cycle_id: int) -> None:
    """Every kind of tally, read kept + live, equals the pure live count."""
    unit_id = await _unit_id()
    for scope in (Scope.cycle(cycle_id), Scope.unit_year(unit_id, 2026), Scope.regency_year(2026)):
        assert await tally(scope) == (await _live(scope))[""]
    year = Scope("c.year = {}", (2026,), include_extra=True)
    assert await cycles_tallies(year) == {
        int(k): v for k, v in (await _live(year, "r.cycle")).items()
    }
    assert await breakdown(Scope.cycle(cycle_id), "layanan") == await _live(
        Scope.cycle(cycle_id), DIMENSIONS["layanan"]
    )


async def _kept_respondents(cycle_id: int) -> int:
    rows = await KeptTally.select(KeptTally.n).where(
        (KeptTally.cycle == cycle_id) & (KeptTally.code == "")
    )
    return sum(row["n"] for row in rows)


async def _unsealed(cycle_id: int) -> int:
    return await Response.count().where((Response.cycle == cycle_id) & Response.sealed.eq(False))


async def _sealed(cycle_id: int) -> None:
    async with atomic():
        await seal_cycle(cycle_id)


async def test_sealing_an_open_cycle_keeps_exact_counts_and_reads_them(db, hooks):
    cycle_id, _, responses = await _setup(hooks)
    before = await tally(Scope.cycle(cycle_id))
    assert before.tally["U10"] and before.respondents == 12
    await _sealed(cycle_id)
    assert await _unsealed(cycle_id) == 0 and await _kept_respondents(cycle_id) == 12
    assert await tally(Scope.cycle(cycle_id)) == before
    await _assert_exact(cycle_id)

    # Behind the application's back a sealed answer changes: the figure does not move, which
    # shows it is read from the kept tallies, not from the responses.
    await Response.update({Response.u1: 4 if before.tally["U1"].get(1) else 1}).where(
        Response.id == responses[0]
    )
    assert await tally(Scope.cycle(cycle_id)) == before
    assert (await _live(Scope.cycle(cycle_id)))[""] != before


async def test_answers_after_a_seal_are_counted_live_once_then_sealed(db, hooks):
    cycle_id, _, _ = await _setup(hooks)
    await _sealed(cycle_id)
    for i in range(12, 15):
        await _answer(cycle_id, i)
    assert await _unsealed(cycle_id) == 3 and await _kept_respondents(cycle_id) == 12
    assert (await tally(Scope.cycle(cycle_id))).respondents == 15
    await _assert_exact(cycle_id)
    async with atomic():
        assert await seal_cycle(cycle_id) is True
        assert await seal_cycle(cycle_id) is False  # nothing left: nothing rewritten
    assert await _unsealed(cycle_id) == 0 and await _kept_respondents(cycle_id) == 15
    await _assert_exact(cycle_id)


async def test_void_and_correction_of_sealed_responses_unseal_the_cycle(db, hooks):
    cycle_id, _, responses = await _setup(hooks)
    await _sealed(cycle_id)
    sealed = await tally(Scope.cycle(cycle_id))
    await void_response(SYSTEM, cycle_id, responses[1], VoidIn(reason=REASON))
    assert await _unsealed(cycle_id) == 12 and await _kept_respondents(cycle_id) == 0
    assert (await tally(Scope.cycle(cycle_id))).respondents == 11
    await _assert_exact(cycle_id)

    await _sealed(cycle_id)
    answers = {f"U{n}": 2 for n in range(1, 11)}
    await correct_response(
        SYSTEM, cycle_id, responses[2], CorrectionIn(answers=answers, reason=REASON, service="KIA")
    )
    corrected = await tally(Scope.cycle(cycle_id))
    assert corrected.respondents == 11 and corrected != sealed
    await _assert_exact(cycle_id)
    await _sealed(cycle_id)  # re-sealed after the changes
    assert await _kept_respondents(cycle_id) == 11
    assert await tally(Scope.cycle(cycle_id)) == corrected
    await _assert_exact(cycle_id)


async def test_close_seals_the_rest_and_reopen_keeps_what_is_sealed(db, hooks):
    cycle_id, _, responses = await _setup(hooks)
    await _sealed(cycle_id)
    await _answer(cycle_id, 12)
    await close_cycle(SYSTEM, hooks, cycle_id, reason=CLOSE)
    assert await _unsealed(cycle_id) == 0 and await _kept_respondents(cycle_id) == 13
    await _assert_exact(cycle_id)

    await reopen_cycle(SYSTEM, cycle_id, "masih ada kuesioner kertas")
    assert await _kept_respondents(cycle_id) == 13  # nothing changed, nothing dropped
    await _answer(cycle_id, 13)
    await _assert_exact(cycle_id)
    await void_response(SYSTEM, cycle_id, responses[0], VoidIn(reason=REASON))
    await _assert_exact(cycle_id)
    await close_cycle(SYSTEM, hooks, cycle_id, reason=CLOSE)
    assert await _unsealed(cycle_id) == 0 and await _kept_respondents(cycle_id) == 13
    await _assert_exact(cycle_id)


async def test_a_cycle_closed_without_sealing_is_counted_live(db, hooks):
    cycle_id, _, _ = await _setup(hooks)
    live = await tally(Scope.cycle(cycle_id))
    # closed outside close_cycle (an old import, a fixture): nothing sealed, all counted live
    await SurveyCycle.update({SurveyCycle.status: "closed"}).where(SurveyCycle.id == cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == live
    await _sealed(cycle_id)
    assert await tally(Scope.cycle(cycle_id)) == live


async def test_the_beat_seals_every_cycle_with_new_answers(db, hooks, settings):
    from workers.celery_app import make_celery

    first, second, _ = await _setup(hooks)
    entry = make_celery(settings).conf.beat_schedule["seal-tallies"]
    assert entry == {"task": "suara.seal_tallies", "schedule": kept.SEAL_EVERY}
    assert await seal_all() == 2
    assert await _unsealed(first) == await _unsealed(second) == 0
    assert await seal_all() == 0  # idempotent
    await _answer(second, 0)
    assert await seal_all() == 1
    await _assert_exact(first)


@pytest.fixture
async def other(db):
    if not is_postgres():
        pytest.skip("SQLite's write transactions are serial: nothing commits during a seal")
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    yield connection
    await connection.close()


async def test_an_answer_committed_during_a_seal_stays_live(other, hooks, monkeypatch):
    cycle_id, _, _ = await _setup(hooks)
    questionnaire = (
        await SurveyCycle.select(SurveyCycle.questionnaire).where(SurveyCycle.id == cycle_id)
    )[0]["questionnaire"]
    in_flight = other.transaction()
    await in_flight.start()
    await other.execute(
        "INSERT INTO survey_response (cycle, questionnaire, channel, submission_token, u1,"
        " created_at) VALUES ($1, $2, 'online', 'in-flight', 4, now())",
        cycle_id,
        questionnaire,
    )
    rewrite = kept.rewrite

    async def commit_then_rewrite(cycle: int) -> None:
        # the submission commits after the seal flagged its rows and before it counts them
        await in_flight.commit()
        await rewrite(cycle)

    monkeypatch.setattr(kept, "rewrite", commit_then_rewrite)
    await _sealed(cycle_id)
    assert await _unsealed(cycle_id) == 1 and await _kept_respondents(cycle_id) == 12
    assert (await tally(Scope.cycle(cycle_id))).respondents == 13
    await _assert_exact(cycle_id)


async def test_two_seals_at_once_count_each_answer_once(other, hooks):
    cycle_id, _, _ = await _setup(hooks)
    holder = other.transaction()
    await holder.start()  # another sealer holds the cycle's seal lock
    await other.execute("SELECT pg_advisory_xact_lock($1)", lock_id(f"kept:{cycle_id}"))
    waiting = asyncio.ensure_future(_sealed(cycle_id))
    await asyncio.sleep(0.3)
    assert not waiting.done()  # the second seal waits for the lock
    await holder.commit()
    await waiting
    await asyncio.gather(_sealed(cycle_id), _sealed(cycle_id))
    assert await _kept_respondents(cycle_id) == 12
    await _assert_exact(cycle_id)


async def test_migration_backfill_seals_the_kept_cycles_only(db, hooks):
    closed, open_id, _ = await _setup(hooks)
    await close_cycle(SYSTEM, hooks, closed, reason=CLOSE)
    figure = await tally(Scope.cycle(closed))
    # the state 0860 left: nothing sealed, a '*' marker per closed kept cycle, and (never read
    # then) kept rows of a cycle that is open again
    await Response.update({Response.sealed: False}).where(Response.id > 0)
    await KeptTally.insert(KeptTally(cycle=closed, service=None, code="*", value=0, n=0))
    await KeptTally.insert(KeptTally(cycle=open_id, service=None, code="", value=0, n=99))
    migration = importlib.import_module(
        "core.piccolo_migrations.suara_2026_12_01_0880_sealed_responses"
    )
    for statement in migration.BACKFILL:
        await Response.raw(statement)
    assert await _unsealed(closed) == 0 and await _unsealed(open_id) == 1
    assert not await KeptTally.exists().where(
        (KeptTally.code == "*") | (KeptTally.cycle == open_id)
    )
    assert await tally(Scope.cycle(closed)) == figure
    await _assert_exact(closed)
