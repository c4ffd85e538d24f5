"""A seeded world and one signed-in client per role, to call every route of the app.

Used by the role × endpoint matrix and the fuzz run: the demo regency (units, cycles, forums,
stakeholders), a throwaway user and API token to aim the user routes at, and a value for every
path parameter the route table uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user, create_user, issue_token
from core.accounts.tables import ApiToken, Role
from core.forums.tables import Agreement, Forum, Invitation, Stakeholder
from core.surveys.kiosks import enrol_device
from core.surveys.tables import Response, SurveyCycle
from core.units.tables import Service, Unit
from tests.conftest import csrf_token
from tests.factories import DEMO_TODAY

ROLES = ("admin", "operator", "organizer", "inspector", "anonymous")
PASSWORDS = {role: f"demo-{role}-2026" for role in ROLES}
OPERATOR_UNIT = "PKM-SUKAMAJU"
SPARE_USER = "matrix-spare"
PARAM_RE = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass
class World:
    """Values for the path parameters, and who is who."""

    params: dict[str, str] = field(default_factory=dict)
    public_token: str = ""
    kiosk_token: str = ""
    invitation_token: str = ""
    bearer: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The route's path with every parameter filled in from the world."""

        def value(match: re.Match[str]) -> str:
            name = match.group(1)
            if name != "token":
                return self.params.get(name, "1")
            if "undangan" in path or "invitations" in path or "checkin" in path:
                return self.invitation_token
            return self.kiosk_token if path.startswith("/kiosk") else self.public_token

        return PARAM_RE.sub(value, path)


async def seed_world() -> World:
    """A spare user and token on top of the demo regency (the ``demo_regency`` fixture, seeded
    as of DEMO_TODAY); returns the path parameter values."""
    system = Actor.system()
    spare = await create_user(system, SPARE_USER, Role.inspector.value, "spare-password-123", ())
    spare_actor = await actor_for_user(spare)
    assert spare_actor is not None
    await issue_token(spare_actor)
    unit = await Unit.select(Unit.id).where(Unit.code == OPERATOR_UNIT).first()
    service = await Service.select(Service.code).where(Service.unit == unit["id"]).first()
    cycle = (
        await SurveyCycle.select()
        .where((SurveyCycle.unit == unit["id"]) & (SurveyCycle.status == "open"))
        .first()
    ) or await SurveyCycle.select().where(SurveyCycle.unit == unit["id"]).first()
    response = await Response.select(Response.id).where(Response.cycle == cycle["id"]).first()
    forum = await Forum.select(Forum.id).order_by(Forum.id).first()
    invitation = (
        await Invitation.select(Invitation.id, Invitation.token)
        .where(Invitation.forum == forum["id"])
        .first()
    )
    agreement = await Agreement.select(Agreement.id).first()
    stakeholder = await Stakeholder.select(Stakeholder.id).first()
    token = await ApiToken.select(ApiToken.id).where(ApiToken.user == spare).first()
    kiosk = await enrol_device(system, OPERATOR_UNIT, "Loket 1")
    world = World(
        params={
            "code": OPERATOR_UNIT,
            "service": service["code"],
            "cycle_id": str(cycle["id"]),
            "response_id": str(response["id"] if response else 1),
            "forum_id": str(forum["id"]),
            "invitation_id": str(invitation["id"]),
            "agreement_id": str(agreement["id"] if agreement else 1),
            "stakeholder_id": str(stakeholder["id"]),
            "token_id": str(token["id"]),
            "device_id": str(kiosk.device.id),
            "username": SPARE_USER,
            "lang": "en",
            "year": str(DEMO_TODAY.year),
            "fmt": "pdf",
            "name": "csv",
        },
        public_token=cycle["public_token"] or "x",
        kiosk_token=kiosk.token,
        invitation_token=invitation["token"],
    )
    return world


async def sign_in(client, role: str, world: World) -> None:
    """Sign the client in as the demo user of the role (and keep a bearer token for the API)."""
    if role == "anonymous":
        await client.get("/login")
        return
    token = await csrf_token(client)
    await client.post(
        "/login", data={"username": role, "password": PASSWORDS[role], "_csrf_token": token}
    )
    answer = await client.post(
        "/api/v1/auth/token", json={"username": role, "password": PASSWORDS[role]}
    )
    world.bearer[role] = answer.json()["access_token"]


def routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, apart from static files and the schema pages."""
    found = []
    for route in app.routes:
        if route.path.startswith(("/static", "/schema")):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                found.append((method, route.path))
    return sorted(set(found))


async def call(client, role: str, world: World, method: str, path: str) -> Any:
    """One request to the route as the role: JSON with a bearer token on /api, a form with its
    CSRF token on pages."""
    url = world.url(path)
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world.bearer[role]}"} if role in world.bearer else {}
        body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
        return await client.request(method, url, headers=headers, follow_redirects=False, **body)
    if method == "GET":
        return await client.get(url, follow_redirects=False)
    token = client.cookies.get("suara_csrf", "")
    return await client.request(method, url, data={"_csrf_token": token}, follow_redirects=False)
