"""SQL tallies: the nine standard unsur and a unit's extra unsur counted in one statement."""

from core.accounts.policy import Actor
from core.surveys.cycles import create_cycle, open_cycle
from core.surveys.questionnaires import save_questionnaire, standard_items
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn, UnsurItem
from core.surveys.tallies import Scope, breakdown, tally
from tests.factories import make_unit

U10 = UnsurItem(
    code="U10",
    name="Kebersihan",
    question="Kebersihan ruang pelayanan",
    labels=["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
)


async def _cycle(hooks, with_extra: bool) -> int:
    await make_unit("PKM-T", "puskesmas", services=("UMUM", "KIA"))
    if with_extra:
        await save_questionnaire(Actor.system(), hooks, "PKM-T", [*standard_items(hooks), U10])
    cycle_id = await create_cycle(
        Actor.system(),
        hooks,
        CycleIn(
            unit="PKM-T", period_type="tw1", year=2026, population=50, services=["UMUM", "KIA"]
        ),
    )
    await open_cycle(Actor.system(), hooks, cycle_id)
    return cycle_id


async def _enter(cycle_id: int, service: str, gender: str, answers: dict) -> None:
    data = ResponseIn(answers=answers, service=service, profile={"jenis_kelamin": gender})
    await enter_response(Actor.system(), cycle_id, data)


async def test_tally_counts_standard_and_extra_unsur(db, hooks):
    cycle_id = await _cycle(hooks, with_extra=True)
    base = {f"U{n}": 3 for n in range(1, 10)}
    await _enter(cycle_id, "UMUM", "L", {**base, "U10": 4})
    await _enter(cycle_id, "UMUM", "P", {**base, "U3": 1, "U10": 4})
    await _enter(cycle_id, "KIA", "P", {**base, "U9": None, "U10": 2})
    await _enter(cycle_id, "KIA", "P", {**base, "U10": None})

    result = await tally(Scope.cycle(cycle_id))
    assert result.respondents == 4
    assert result.tally["U3"] == {3: 3, 1: 1}
    assert result.tally["U9"] == {3: 3}  # a blank is not counted
    assert result.tally["U10"] == {4: 2, 2: 1}

    by_gender = await breakdown(Scope.cycle(cycle_id), "jenis_kelamin")
    assert {k: g.respondents for k, g in by_gender.items()} == {"L": 1, "P": 3}
    assert by_gender["L"].tally["U10"] == {4: 1}
    assert by_gender["P"].tally["U10"] == {4: 1, 2: 1}
    by_service = await breakdown(Scope.cycle(cycle_id), "layanan")
    assert by_service["KIA"].tally["U10"] == {2: 1}
    assert by_service["KIA"].tally["U9"] == {3: 1}


async def test_tally_of_an_empty_scope(db, hooks):
    cycle_id = await _cycle(hooks, with_extra=False)
    empty = await tally(Scope.cycle(cycle_id))
    assert empty.respondents == 0 and empty.tally == {}
    assert await breakdown(Scope.cycle(cycle_id), "pendidikan") == {}
    await _enter(cycle_id, "UMUM", "L", {f"U{n}": 4 for n in range(1, 10)})
    result = await tally(Scope.cycle(cycle_id))
    assert result.respondents == 1 and set(result.tally) == {f"U{n}" for n in range(1, 10)}
