"""The units API under /api/v1: units, services, errors and the OpenAPI document."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.audit.tables import AuditEvent
from core.units.tables import Service, Unit
from tests.conftest import bearer
from tests.factories import make_unit, make_user

API = "/api/v1"


@pytest.fixture
async def admin(client, db) -> dict[str, str]:
    await make_user("adm", "admin")
    return await bearer(client, "adm")


def error_fields(response) -> set[str]:
    body = response.json()
    assert body["status_code"] == response.status_code
    return {e["field"] for e in body.get("errors", [])}


# --- units ------------------------------------------------------------------------------------


async def test_create_get_and_list_units(client, admin):
    root = await client.post(
        f"{API}/units", json={"code": "KAB", "name": "Kabupaten", "kind": "pemda"}, headers=admin
    )
    assert root.status_code == 201, root.text
    response = await client.post(
        f"{API}/units",
        json={
            "code": "DINKES",
            "name": "  Dinas Kesehatan ",
            "kind": "opd",
            "parent": "KAB",
            "phone": "0271-555",
            "email": "dinkes@contoh.go.id",
        },
        headers=admin,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["code"] == "DINKES"
    assert created["name"] == "Dinas Kesehatan"  # trimmed
    assert created["parent"] == "KAB"
    assert created["active"] is True
    fetched = await client.get(f"{API}/units/DINKES", headers=admin)
    assert fetched.status_code == 200
    assert fetched.json() == created
    listed = await client.get(f"{API}/units", headers=admin)
    assert [u["code"] for u in listed.json()] == ["DINKES", "KAB"]  # by kind, then name
    missing = await client.get(f"{API}/units/NOPE", headers=admin)
    assert missing.status_code == 404
    assert "NOPE" in missing.json()["detail"]


async def test_list_filters_by_kind_and_search(client, admin):
    await make_unit("KAB", kind="pemda")
    await make_unit("PKM-SUKAMAJU", kind="puskesmas", parent="KAB")
    await make_unit("PKM-TANJUNG", kind="puskesmas", parent="KAB")
    await make_unit("SDN2", kind="sekolah", parent="KAB")
    by_kind = await client.get(f"{API}/units", params={"kind": "puskesmas"}, headers=admin)
    assert {u["code"] for u in by_kind.json()} == {"PKM-SUKAMAJU", "PKM-TANJUNG"}
    by_text = await client.get(f"{API}/units", params={"q": "tanjung"}, headers=admin)
    assert [u["code"] for u in by_text.json()] == ["PKM-TANJUNG"]
    both = await client.get(f"{API}/units", params={"kind": "sekolah", "q": "pkm"}, headers=admin)
    assert both.json() == []


async def test_duplicate_code_is_a_conflict_and_writes_nothing(client, admin):
    await make_unit("A")
    events = await AuditEvent.count()
    response = await client.post(
        f"{API}/units", json={"code": "A", "name": "Lagi", "kind": "opd"}, headers=admin
    )
    assert response.status_code == 409
    assert "'A'" in response.json()["detail"]
    assert await Unit.count() == 1
    assert await AuditEvent.count() == events


INVALID_UNITS: list[tuple[dict[str, Any], set[str]]] = [
    ({"code": "X", "name": "Nama", "kind": "kantor"}, {"kind"}),
    ({"code": "X", "name": "   ", "kind": "opd"}, {"name"}),
    ({"code": "bad code!", "name": "Nama", "kind": "opd"}, {"code"}),
    ({"code": "X" * 41, "name": "Nama", "kind": "opd"}, {"code"}),
    ({"code": "", "name": "", "kind": "zz"}, {"code", "name", "kind"}),
    ({"code": "X", "name": "Nama", "kind": "opd", "parent": "GHOST"}, {"parent"}),
    ({"code": "X", "name": "Nama", "kind": "pemda", "parent": "KAB"}, {"parent"}),
    ({"code": "X", "name": "Nama", "kind": "opd", "email": "bukan-email"}, {"email"}),
    ({"code": "X", "name": "Nama", "kind": "opd", "phone": "call me"}, {"phone"}),
]
MALFORMED_UNITS: list[dict[str, Any]] = [
    {"code": "X", "name": "Nama", "kind": "opd", "color": "red"},  # unknown field
    {"code": "X", "kind": "opd"},  # missing name
    {"code": 7, "name": "Nama", "kind": "opd"},  # wrong type
]


async def test_invalid_unit_is_rejected_naming_each_field(client, admin):
    await make_unit("KAB", kind="pemda")
    events = await AuditEvent.count()
    wrong = []
    for payload, fields in INVALID_UNITS:
        response = await client.post(f"{API}/units", json=payload, headers=admin)
        if response.status_code != 422 or error_fields(response) != fields:
            wrong.append((payload, response.status_code, response.text))
        elif not all(e["message"] for e in response.json()["errors"]):
            wrong.append((payload, "empty message"))
    for payload in MALFORMED_UNITS:
        response = await client.post(f"{API}/units", json=payload, headers=admin)
        if response.status_code != 422 or not response.json().get("errors"):
            wrong.append((payload, response.status_code, response.text))
    assert wrong == []
    assert await Unit.count() == 1
    assert await AuditEvent.count() == events


async def test_patch_changes_only_the_given_fields(client, admin):
    await make_unit("KAB", kind="pemda")
    await make_unit("A", parent="KAB")
    before = (await client.get(f"{API}/units/A", headers=admin)).json()
    response = await client.patch(f"{API}/units/A", json={"phone": "021 555"}, headers=admin)
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["phone"] == "021 555"
    unchanged = {k: v for k, v in after.items() if k not in {"phone", "updated_at"}}
    assert unchanged == {k: v for k, v in before.items() if k not in {"phone", "updated_at"}}
    response = await client.patch(
        f"{API}/units/A", json={"name": "Nama Baru", "kind": "upt", "parent": None}, headers=admin
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["kind"], body["parent"], body["phone"]) == (
        "Nama Baru",
        "upt",
        None,
        "021 555",
    )
    assert (await client.get(f"{API}/units/A", headers=admin)).json() == body


async def test_patch_rejects_invalid_values_and_leaves_the_unit(client, admin):
    await make_unit("A")
    for payload, field in [
        ({"name": ""}, "name"),
        ({"kind": "kantor"}, "kind"),
        ({"email": "x@"}, "email"),
        ({"parent": "GHOST"}, "parent"),
    ]:
        response = await client.patch(f"{API}/units/A", json=payload, headers=admin)
        assert response.status_code == 422, payload
        assert error_fields(response) == {field}, payload
    unknown = await client.patch(f"{API}/units/A", json={"code": "B"}, headers=admin)
    assert unknown.status_code == 422
    unit = await Unit.select().where(Unit.code == "A").first()
    assert (unit["name"], unit["kind"], unit["email"], unit["parent"]) == (
        "Unit A",
        "opd",
        "",
        None,
    )
    missing = await client.patch(f"{API}/units/NOPE", json={"phone": "1"}, headers=admin)
    assert missing.status_code == 404


async def test_parent_cycles_are_rejected(client, admin):
    await make_unit("A")
    await make_unit("B", parent="A")
    await make_unit("C", parent="B")
    for code, parent in [("A", "C"), ("A", "B"), ("B", "B")]:
        response = await client.patch(f"{API}/units/{code}", json={"parent": parent}, headers=admin)
        assert response.status_code == 422, (code, parent, response.text)
        assert error_fields(response) == {"parent"}
    assert (await client.get(f"{API}/units/A", headers=admin)).json()["parent"] is None
    # moving a unit under a sibling branch (no cycle) is fine
    await make_unit("D", parent="A")
    moved = await client.patch(f"{API}/units/C", json={"parent": "D"}, headers=admin)
    assert moved.status_code == 200
    assert moved.json()["parent"] == "D"


async def test_active_false_deactivates_and_true_reactivates(client, admin):
    await make_unit("A")
    response = await client.patch(f"{API}/units/A", json={"active": False}, headers=admin)
    assert response.status_code == 200
    assert response.json()["active"] is False
    assert (await client.get(f"{API}/units/A", headers=admin)).json()["active"] is False
    # history stays: the unit is still listed, just inactive
    assert [u["active"] for u in (await client.get(f"{API}/units", headers=admin)).json()] == [
        False
    ]
    response = await client.patch(f"{API}/units/A", json={"active": True}, headers=admin)
    assert response.json()["active"] is True
    events = AuditEvent.select(AuditEvent.action).where(AuditEvent.entity == "unit")
    actions = [e["action"] for e in await events.order_by(AuditEvent.id)]
    assert actions == ["unit.created", "unit.deactivated", "unit.reactivated"]


# --- services ---------------------------------------------------------------------------------


async def test_services_create_list_and_patch(client, admin):
    await make_unit("A")
    await make_unit("B", services=("KIA",))
    base = f"{API}/units/A/services"
    assert (await client.get(base, headers=admin)).json() == []
    created = await client.post(base, json={"code": "KIA", "name": " Ibu dan Anak "}, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json() == {
        "id": created.json()["id"],
        "unit": "A",
        "code": "KIA",
        "name": "Ibu dan Anak",
        "active": True,
    }
    await client.post(base, json={"code": "GIGI", "name": "Poli Gigi"}, headers=admin)
    listed = await client.get(base, headers=admin)
    assert [s["code"] for s in listed.json()] == ["GIGI", "KIA"]
    renamed = await client.patch(f"{base}/KIA", json={"name": "KIA Terpadu"}, headers=admin)
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["active"]) == ("KIA Terpadu", True)
    off = await client.patch(f"{base}/KIA", json={"active": False}, headers=admin)
    assert (off.json()["name"], off.json()["active"]) == ("KIA Terpadu", False)
    # the same service code in another unit is untouched
    other = (await client.get(f"{API}/units/B/services", headers=admin)).json()
    assert [(s["code"], s["name"], s["active"]) for s in other] == [("KIA", "Layanan KIA", True)]


async def test_service_errors(client, admin):
    await make_unit("A", services=("KIA",))
    base = f"{API}/units/A/services"
    duplicate = await client.post(base, json={"code": "KIA", "name": "Lagi"}, headers=admin)
    assert duplicate.status_code == 409
    bad = await client.post(base, json={"code": "a b", "name": ""}, headers=admin)
    assert bad.status_code == 422
    assert error_fields(bad) == {"code", "name"}
    unknown_field = await client.post(
        base, json={"code": "X", "name": "X", "unit": "B"}, headers=admin
    )
    assert unknown_field.status_code == 422
    empty_name = await client.patch(f"{base}/KIA", json={"name": " "}, headers=admin)
    assert empty_name.status_code == 422
    assert error_fields(empty_name) == {"name"}
    assert (
        await client.patch(f"{base}/NOPE", json={"name": "X"}, headers=admin)
    ).status_code == 404
    assert (await client.get(f"{API}/units/NOPE/services", headers=admin)).status_code == 404
    no_unit = await client.post(
        f"{API}/units/NOPE/services", json={"code": "X", "name": "X"}, headers=admin
    )
    assert no_unit.status_code == 404
    assert await Service.count() == 1
    assert (await Service.select(Service.name).first())["name"] == "Layanan KIA"


# --- OpenAPI ----------------------------------------------------------------------------------


async def test_openapi_documents_exactly_the_api_and_healthz(client, app):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    documented = set(schema["paths"])
    # every route of the API (other modules may add more) and /healthz, and no HTML page
    served = {
        re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
        for route in app.routes
        if route.path.startswith(f"{API}/") or route.path == "/healthz"
    }
    assert documented == served
    assert {
        "/api/v1/auth/token",
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/units/{code}/services",
        "/api/v1/units/{code}/services/{service}",
        "/api/v1/plugins",
        "/healthz",
    } <= documented
    assert not documented & {"/", "/login", "/units", "/units/{code}", "/audit", "/bahasa/{lang}"}
    methods = {path: set(ops) for path, ops in schema["paths"].items()}
    assert methods["/api/v1/units"] >= {"get", "post"}
    assert methods["/api/v1/units/{code}"] >= {"get", "patch"}
    assert methods["/api/v1/units/{code}/services"] >= {"get", "post"}
    assert methods["/api/v1/units/{code}/services/{service}"] >= {"patch"}
    assert methods["/api/v1/auth/token"] >= {"post"}
    assert {"UnitIn", "UnitPatch", "UnitOut", "ServiceIn", "TokenRequest"} <= set(
        schema["components"]["schemas"]
    )
