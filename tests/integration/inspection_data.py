"""A small regency for the inspection tests: surveyed units, a held forum, an inspector."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.accounts.policy import Actor
from core.clock import frozen_at
from core.forums import service
from core.forums.schemas import AttendanceIn, ForumIn, InvitationsIn, StakeholderIn
from core.forums.stakeholders import create_stakeholder
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.responses import enter_response
from core.surveys.schemas import CycleIn, ResponseIn
from tests.factories import PASSWORD, make_unit, make_user

WIB = timezone(timedelta(hours=7))
GROUPS = ("pengguna_layanan", "akademisi", "media")


async def surveyed(hooks, code: str, close: bool) -> int:
    """A 2026 first-quarter cycle of ten answers, closed or left open."""
    system = Actor.system()
    cycle_id = await create_cycle(
        system, hooks, CycleIn(unit=code, period_type="tw1", year=2026, population=10)
    )
    await open_cycle(system, hooks, cycle_id)
    for n in range(10):
        answers = {f"U{k}": 3 + (n + k) % 2 for k in range(1, 10)}
        await enter_response(system, cycle_id, ResponseIn(answers=answers))
    if close:
        await close_cycle(system, hooks, cycle_id)
    return cycle_id


async def held_forum(unit: str) -> int:
    """A held forum on the unit's service standard with one person of each of GROUPS."""
    system = Actor.system()
    people = []
    for n, group in enumerate(GROUPS):
        person = StakeholderIn(
            name=f"Warga {n}", group=group, email=f"w{n}@contoh.id", consent=True, units=[unit]
        )
        people.append((await create_stakeholder(system, person)).id)
    start = datetime(2026, 6, 10, 9, 0, tzinfo=WIB)
    forum_id = await service.create_forum(
        system,
        ForumIn(
            title="Peninjauan standar pelayanan",
            purpose="standar_pelayanan",
            units=[unit],
            format="tatap_muka",
            venue="Aula",
            start=start,
            end=start + timedelta(hours=2),
        ),
    )
    await service.invite(system, forum_id, InvitationsIn(stakeholders=people))
    await service.schedule_forum(system, forum_id)
    with frozen_at(start + timedelta(minutes=10)):
        for person in people:
            await service.check_in(system, forum_id, AttendanceIn(stakeholder=person))
        await service.hold_forum(system, forum_id)
    return forum_id


async def build_regency(hooks) -> dict[str, int]:
    """PKM-A surveyed per the rule with a held forum, DINKES with an open cycle, PKM-B with
    nothing; an inspector and PKM-A's operator."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_unit("DINKES", "opd")
    cycle_id = await surveyed(hooks, "PKM-A", close=True)
    await surveyed(hooks, "DINKES", close=False)
    forum_id = await held_forum("PKM-A")
    await make_user("inspektur", "inspector")
    await make_user("op-a", "operator", ("PKM-A",))
    return {"cycle": cycle_id, "forum": forum_id}


async def token(client, username: str) -> dict[str, str]:
    """Bearer headers for a user with the shared test password."""
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
