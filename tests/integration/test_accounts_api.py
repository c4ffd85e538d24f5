"""The accounts API: bearer tokens for valid credentials, and every endpoint refusing without one."""

from __future__ import annotations

from datetime import timedelta

from core.accounts.service import issue_token
from core.accounts.tables import ApiToken
from core.clock import utcnow
from core.units.tables import Service, Unit
from tests.factories import PASSWORD, make_unit, make_user

API = "/api/v1"


async def test_token_is_issued_for_valid_credentials_and_opens_the_api(client, db):
    await make_user("adm", "admin")
    response = await client.post(
        f"{API}/auth/token", json={"username": "ADM ", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type"}
    assert body["token_type"] == "bearer"
    assert len(body["access_token"]) >= 32
    # only a hash is stored, never the raw token
    stored = await ApiToken.select(ApiToken.token_hash)
    assert len(stored) == 1 and stored[0]["token_hash"] != body["access_token"]
    listed = await client.get(
        f"{API}/units", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert listed.status_code == 200
    assert listed.json() == []


async def test_token_refused_for_bad_credentials_and_malformed_requests(client, db):
    await make_user("adm", "admin")
    for payload in (
        {"username": "adm", "password": "wrong-password-1"},
        {"username": "nobody", "password": PASSWORD},
    ):
        response = await client.post(f"{API}/auth/token", json=payload)
        assert response.status_code == 401, payload
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["detail"] == "Nama pengguna atau kata sandi salah."
    for payload in (
        {"username": "adm", "password": PASSWORD, "remember": True},  # unknown field
        {"username": "adm"},
        {"username": "adm", "password": 12345678901},
    ):
        response = await client.post(f"{API}/auth/token", json=payload)
        assert response.status_code == 422, payload
        assert response.json()["errors"], response.text
    assert await ApiToken.count() == 0


ENDPOINTS = [
    ("GET", "/units"),
    ("POST", "/units"),
    ("GET", "/units/A"),
    ("PATCH", "/units/A"),
    ("GET", "/units/A/services"),
    ("POST", "/units/A/services"),
    ("PATCH", "/units/A/services/S"),
    ("GET", "/plugins"),
]


async def test_every_endpoint_needs_a_valid_bearer_token(client, db):
    await make_unit("A", services=("S",))
    user = await make_user("adm", "admin")
    raw = await issue_token(user)
    await ApiToken.update({ApiToken.expires_at: utcnow() - timedelta(seconds=1)}).where(
        ApiToken.user == user.user_id
    )
    refused = []
    for method, path in ENDPOINTS:
        # a body that would be valid for a POST, malformed for a PATCH: 401 comes first anyway
        body = {"code": "X", "name": "Nama", "kind": "opd"} if method != "GET" else None
        for headers in (
            {},
            {"Authorization": "Bearer not-a-real-token"},
            {"Authorization": f"Bearer {raw}"},  # expired
            {"Authorization": f"Basic {raw}"},
        ):
            response = await client.request(method, f"{API}{path}", json=body, headers=headers)
            if response.status_code != 401 or response.json()["status_code"] != 401:
                refused.append((method, path, headers, response.status_code))
    assert refused == []
    assert await Unit.count() == 1
    assert await Service.count() == 1
    # the same token, once renewed, is accepted
    await ApiToken.update({ApiToken.expires_at: utcnow() + timedelta(days=1)}).where(
        ApiToken.user == user.user_id
    )
    ok = await client.get(f"{API}/units/A", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
