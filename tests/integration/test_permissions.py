"""Each role can do exactly what core/accounts/policy.py allows, over the API and the pages.

The world: units A and B (each with service S); the operator is scoped to A. Every request of a
matrix row is made as each role and must answer the status in that role's column. Refused
requests must write nothing: the audit log grows by exactly one event per successful write.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.accounts.policy import Action, Actor, can
from core.accounts.service import issue_token
from core.accounts.tables import Role
from core.audit.tables import AuditEvent
from core.units.tables import Service, Unit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

ROLES = ("admin", "operator", "organizer", "inspector", "anonymous")
NEW_UNIT = {"code": "NEW", "name": "Unit Baru", "kind": "opd"}
IMPORT_CSV = b"code,name,kind\nIMP,Unit Impor,opd\n"

# fmt: off
# method, path, body                                    admin operator organizer inspector anon
API_MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int, int]]] = [
    ("GET", "/units", None,                              (200, 200, 200, 200, 401)),
    ("GET", "/units/A", None,                            (200, 200, 200, 200, 401)),
    ("GET", "/units/B", None,                            (200, 404, 200, 200, 401)),
    ("GET", "/units/A/services", None,                   (200, 200, 200, 200, 401)),
    ("GET", "/units/B/services", None,                   (200, 404, 200, 200, 401)),
    ("POST", "/units", NEW_UNIT,                         (201, 403, 403, 403, 401)),
    ("PATCH", "/units/A", {"phone": "021 1"},            (200, 200, 403, 403, 401)),
    ("PATCH", "/units/B", {"phone": "021 2"},            (200, 404, 403, 403, 401)),
    ("PATCH", "/units/A", {"name": "Nama A"},            (200, 403, 403, 403, 401)),
    ("PATCH", "/units/A", {"kind": "upt", "phone": "3"}, (200, 403, 403, 403, 401)),
    ("PATCH", "/units/B", {"name": "Nama B"},            (200, 404, 403, 403, 401)),
    ("POST", "/units/A/services", {"code": "T1", "name": "T"}, (201, 201, 403, 403, 401)),
    ("POST", "/units/B/services", {"code": "T2", "name": "T"}, (201, 404, 403, 403, 401)),
    ("PATCH", "/units/A/services/S", {"name": "S baru"}, (200, 200, 403, 403, 401)),
    ("PATCH", "/units/B/services/S", {"active": False},  (200, 404, 403, 403, 401)),
    ("GET", "/plugins", None,                            (200, 403, 403, 403, 401)),
    ("PATCH", "/units/A", {"active": False},             (200, 403, 403, 403, 401)),
]

# method, path, form (a bytes body is uploaded as a file)  admin operator organizer inspector anon
PAGE_MATRIX: list[tuple[str, str, Any, tuple[int, int, int, int, int]]] = [
    ("GET", "/units", None,                              (200, 200, 200, 200, 302)),
    ("GET", "/units/A", None,                            (200, 200, 200, 200, 302)),
    ("GET", "/units/B", None,                            (200, 404, 200, 200, 302)),
    ("GET", "/units/new", None,                          (200, 403, 403, 403, 302)),
    ("GET", "/units/import", None,                       (200, 403, 403, 403, 302)),
    ("GET", "/units/import/template.csv", None,          (200, 403, 403, 403, 302)),
    ("GET", "/units/A/edit", None,                       (200, 200, 403, 403, 302)),
    ("GET", "/units/B/edit", None,                       (200, 404, 403, 403, 302)),
    ("GET", "/audit", None,                              (200, 403, 403, 200, 302)),
    ("POST", "/units", NEW_UNIT,                         (302, 403, 403, 403, 302)),
    ("POST", "/units/A/edit", {"phone": "021 1"},        (302, 302, 403, 403, 302)),
    ("POST", "/units/B/edit", {"phone": "021 2"},        (302, 404, 403, 403, 302)),
    ("POST", "/units/A/edit", {"name": "Nama A"},        (302, 403, 403, 403, 302)),
    ("POST", "/units/A/services", {"code": "T1", "name": "T"}, (302, 302, 403, 403, 302)),
    ("POST", "/units/B/services", {"code": "T2", "name": "T"}, (302, 404, 403, 403, 302)),
    ("POST", "/units/A/services/S/active", {"active": "0"}, (302, 302, 403, 403, 302)),
    ("POST", "/units/B/services/S/active", {"active": "0"}, (302, 404, 403, 403, 302)),
    ("POST", "/units/import", IMPORT_CSV,                (200, 403, 403, 403, 302)),
    ("POST", "/units/A/active", {"active": "0"},         (302, 403, 403, 403, 302)),
    ("POST", "/units/B/active", {"active": "0"},         (302, 404, 403, 403, 302)),
]
# fmt: on

# What each role may do, from the policy's point of view: (action, where) with where being
# "own" (unit A, the operator's), "other" (unit B) or "any" (no particular unit).
EVERYWHERE = ("own", "other", "any")
UNIT_ACTIONS = (
    Action.view_unit,
    Action.create_unit,
    Action.edit_unit,
    Action.edit_unit_contact,
    Action.manage_services,
    Action.import_units,
    Action.manage_users,
    Action.view_audit,
    Action.view_plugins,
)
ALLOWED: dict[str, set[tuple[Action, str]]] = {
    "admin": {(a, w) for a in UNIT_ACTIONS for w in EVERYWHERE},
    "operator": {
        (Action.view_unit, "own"),
        (Action.edit_unit_contact, "own"),
        (Action.manage_services, "own"),
    },
    "organizer": {(Action.view_unit, w) for w in EVERYWHERE},
    "inspector": {(a, w) for a in (Action.view_unit, Action.view_audit) for w in EVERYWHERE},
    "anonymous": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_policy_grants_exactly_the_expected_actions(role):
    own, other = 1, 2
    actor = (
        None
        if role == "anonymous"
        else Actor(user_id=9, username=role, role=Role(role), unit_ids=frozenset({own}))
    )
    granted = {
        (action, where)
        for action in UNIT_ACTIONS
        for where, unit_id in (("own", own), ("other", other), ("any", None))
        if can(actor, action, unit_id)
    }
    assert granted == ALLOWED[role]


async def _world() -> None:
    await make_unit("A", services=("S",))
    await make_unit("B", services=("S",))


async def _actor_for(role: str) -> Actor | None:
    if role == "anonymous":
        return None
    return await make_user(f"u-{role}", role, ("A",) if role == "operator" else ())


def _is_success(status: int) -> bool:
    return status in (200, 201, 302)


@pytest.mark.parametrize("role", ROLES)
async def test_api_matrix(client, db, role):
    await _world()
    actor = await _actor_for(role)
    headers = {"Authorization": f"Bearer {await issue_token(actor)}"} if actor else {}
    column = ROLES.index(role)
    events_before = await AuditEvent.count()
    mismatches = []
    writes = 0
    for method, path, body, expected in API_MATRIX:
        response = await client.request(method, f"/api/v1{path}", json=body, headers=headers)
        if response.status_code != expected[column]:
            mismatches.append((method, path, body, expected[column], response.status_code))
        if method != "GET" and _is_success(response.status_code):
            writes += 1
    assert mismatches == []
    assert await AuditEvent.count() - events_before == writes

    if actor is not None:
        listed = await client.get("/api/v1/units", headers=headers)
        visible = {u["code"] for u in listed.json()}
        expected = {"admin": {"A", "B", "NEW"}, "operator": {"A"}}.get(role, {"A", "B"})
        assert visible == expected
    if role in ("operator", "organizer", "inspector", "anonymous"):
        b = await Unit.select().where(Unit.code == "B").first()
        assert (b["name"], b["phone"], b["active"]) == ("Unit B", "", True)
        services = await Service.select(Service.code).where(Service.unit == b["id"])
        assert [s["code"] for s in services] == ["S"]
    if role != "admin":
        assert not await Unit.exists().where(Unit.code == "NEW")


async def _page_request(client, method: str, path: str, body: Any, token: str):
    if method == "GET":
        return await client.get(path, follow_redirects=False)
    if isinstance(body, bytes):
        return await client.post(
            path,
            data={"_csrf_token": token},
            files={"file": ("units.csv", body, "text/csv")},
            follow_redirects=False,
        )
    return await client.post(path, data={**body, "_csrf_token": token}, follow_redirects=False)


async def _pages_offer_only_permitted_actions(client, role: str) -> None:
    """Links, buttons and forms appear only where the role may use them."""
    listing = (await client.get("/units")).text
    assert 'href="/units/A"' in listing
    assert ('href="/units/B"' in listing) == (role != "operator")
    assert ('href="/units/new"' in listing) == (role == "admin")
    assert ('href="/audit"' in listing) == (role in ("admin", "inspector"))
    detail = (await client.get("/units/A")).text
    assert ('href="/units/A/edit"' in detail) == (role in ("admin", "operator"))
    assert ('action="/units/A/services"' in detail) == (role in ("admin", "operator"))
    assert ('action="/units/A/services/S/active"' in detail) == (role in ("admin", "operator"))
    assert ('action="/units/A/active"' in detail) == (role == "admin")
    if role == "operator":
        form = (await client.get("/units/A/edit")).text
        assert 'name="phone"' in form
        assert 'name="name"' not in form
        assert 'name="kind"' not in form


@pytest.mark.parametrize("role", ROLES)
async def test_page_matrix(client, db, role):
    await _world()
    actor = await _actor_for(role)
    if actor is not None:
        await login(client, actor.username, PASSWORD)
        await _pages_offer_only_permitted_actions(client, role)
    token = await csrf_token(client)
    column = ROLES.index(role)
    events_before = await AuditEvent.count()
    mismatches = []
    writes = 0
    for method, path, body, expected in PAGE_MATRIX:
        response = await _page_request(client, method, path, body, token)
        if response.status_code != expected[column]:
            mismatches.append((method, path, expected[column], response.status_code))
        if response.status_code == 302:
            location = response.headers["location"]
            if role == "anonymous":
                assert location.startswith("/login?next="), (path, location)
            else:
                assert not location.startswith("/login"), (path, location)
        if response.status_code == 403:
            assert "Akses ditolak" in response.text
        if method == "POST" and _is_success(response.status_code) and role != "anonymous":
            writes += 1
    assert mismatches == []
    assert await AuditEvent.count() - events_before == writes
    if role != "admin":
        assert await Unit.count() == 2
