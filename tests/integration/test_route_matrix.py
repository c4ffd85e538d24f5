"""The role × endpoint matrix, generated from the app's route table (issue 14).

Every route the app serves must have a declared access in ``web/access.py``; each route is then
called as every role in the demo regency, and its answer must agree with the policy: anonymous
callers are sent to sign in unless the route is public, a role the policy allows is never refused,
a role it does not allow never gets a successful answer, and nobody ever gets a 5xx.
"""

from __future__ import annotations

import httpx

from core.accounts.service import actor_for_user
from core.accounts.tables import User
from core.units.tables import Unit
from tests.integration import route_world as rw
from web.access import ENDPOINTS, access_of


def test_every_route_declares_its_access(app):
    served = {f"{method} {path}" for method, path in rw.routes(app)}
    undeclared = sorted(served - ENDPOINTS.keys())
    stale = sorted(ENDPOINTS.keys() - served)
    assert not undeclared, f"routes without a declared access in web/access.py: {undeclared}"
    assert not stale, f"web/access.py declares routes the app does not serve: {stale}"


# /healthz answers 503 while no worker runs, as here: it reports, it does not fail.
NO_WORKER = ("/healthz", 503)


def _sent_to_sign_in(answer) -> bool:
    location = answer.headers.get("location", "")
    return answer.status_code == 401 or (answer.status_code in (302, 303) and "/login" in location)


def _succeeded(answer) -> bool:
    return 200 <= answer.status_code < 400 and not _sent_to_sign_in(answer)


async def _actors() -> dict[str, object]:
    actors: dict[str, object] = {"anonymous": None}
    for role in rw.ROLES[:-1]:
        user = await User.select(User.id).where(User.username == role).first()
        actors[role] = await actor_for_user(user["id"])
    return actors


async def test_every_route_answers_every_role_as_the_policy_says(client, demo_regency, no_worker):
    world = await rw.seed_world()
    actors = await _actors()
    unit = await Unit.select(Unit.id).where(Unit.code == rw.OPERATOR_UNIT).first()
    jars: dict[str, httpx.Cookies] = {}
    for role in rw.ROLES:  # one client, one cookie jar per role
        client.cookies = httpx.Cookies()
        await rw.sign_in(client, role, world)
        jars[role] = httpx.Cookies(client.cookies)
    wrong: list[str] = []
    calls = [(m, p) for m, p in rw.routes(client.app) if p != "/logout"] + [("POST", "/logout")]
    for method, path in calls:
        access = access_of(method, path)
        assert access is not None, f"{method} {path} has no declared access"
        for role in rw.ROLES:
            client.cookies = jars[role]
            answer = await rw.call(client, role, world, method, path)
            jars[role] = httpx.Cookies(client.cookies)
            allowed = access.allows(actors[role], unit["id"])
            seen = f"{role} {method} {path} → {answer.status_code}"
            if answer.status_code >= 500 and (path, answer.status_code) != NO_WORKER:
                wrong.append(f"{seen}: server error")
            elif access.public:
                continue  # anyone may call it (a wrong password's 401 is its answer)
            elif role == "anonymous" and not _sent_to_sign_in(answer):
                wrong.append(f"{seen}: anonymous not sent to sign in")
            elif allowed and (answer.status_code == 403 or _sent_to_sign_in(answer)):
                wrong.append(f"{seen}: the policy allows it, the route refused")
            elif not allowed and _succeeded(answer):
                wrong.append(f"{seen}: the policy refuses it, the route answered")
    assert not wrong, "\n".join(wrong)
