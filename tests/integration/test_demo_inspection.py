"""The demo gives the inspectorate's story something to find: units scoring 0 to 5 with the
evidence behind each score, and a unit without SKM this year whose own demo operator answers."""

from __future__ import annotations

from datetime import date

from core import demo
from core.accounts.policy import Actor
from core.accounts.service import actor_for_user
from core.accounts.tables import User
from core.inspection.compliance import compliance_matrix
from core.units.tables import Unit

TODAY = date(2026, 11, 29)


async def _actor(username: str) -> Actor:
    row = await User.select(User.id).where(User.username == username).first()
    actor = await actor_for_user(row["id"])
    assert actor is not None
    return actor


async def test_demo_matrix_spans_the_rubric(db, hooks, fast_passwords):
    await demo.seed_demo(hooks, today=TODAY)
    matrix = await compliance_matrix(await _actor("inspector"), hooks, TODAY.year)
    units = {u.unit: u for u in matrix.units}
    assert {u.indicators["6"].score for u in matrix.units} == {0, 1, 2, 3, 4, 5}
    assert {u.indicators["7"].score for u in matrix.units} == {0, 1, 2, 3, 4, 5}
    assert {0, 1, 2, 3, 4} <= {u.indicators["8"].score for u in matrix.units}
    assert {0, 1, 3, 4, 5} <= {u.indicators["fkp2"].score for u in matrix.units}
    for unit in matrix.units:
        for code, cell in unit.indicators.items():
            if cell.score:
                assert cell.evidence, (unit.unit, code)
    top = units["DPMPTSP"].indicators
    assert top["6"].score == 5 and any("#item-" in e.href for e in top["6"].evidence)
    assert units["DPMPTSP"].plan_published and units["DPMPTSP"].forum_held

    without = units["DLH"]
    assert without.indicators["6"].score == 0 and not without.surveyed
    operator = await _actor("operator-dlh")
    dlh = await Unit.select(Unit.id).where(Unit.code == "DLH").first()
    assert operator.unit_ids == frozenset({dlh["id"]})
