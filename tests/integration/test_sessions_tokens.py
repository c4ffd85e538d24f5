"""Server-side sessions (log-out ends a saved cookie too) and listing/revoking API tokens."""

from __future__ import annotations

import re

from core.accounts.tables import UserSession
from core.audit.tables import AuditEvent
from tests.conftest import bearer, csrf_token, login
from tests.factories import PASSWORD, make_user


async def test_a_saved_session_cookie_stops_working_after_log_out(client, db):
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    saved = client.cookies.get("suara_session")
    assert (await client.get("/units", follow_redirects=False)).status_code == 200
    assert await UserSession.count() == 1
    out = await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/units")})
    assert out.status_code in (200, 302)
    assert await UserSession.count() == 0
    client.cookies.set("suara_session", saved)  # replaying the old cookie
    replay = await client.get("/units", follow_redirects=False)
    assert replay.status_code == 302 and replay.headers["location"].startswith("/login")


async def test_users_list_and_revoke_their_tokens_admins_anyones(client, db):
    await make_user("adm", "admin")
    await make_user("insp", "inspector")
    laptop, phone = await bearer(client, "insp"), await bearer(client, "insp")
    mine = (await client.get("/api/v1/auth/tokens", headers=laptop)).json()
    assert [t["username"] for t in mine] == ["insp", "insp"]
    assert all(set(t) == {"id", "username", "created_at", "expires_at"} for t in mine)
    phone_id = mine[0]["id"]  # newest first
    assert (
        await client.delete(f"/api/v1/auth/tokens/{phone_id}", headers=laptop)
    ).status_code == 204
    assert (await client.get("/api/v1/auth/tokens", headers=phone)).status_code == 401
    assert len((await client.get("/api/v1/auth/tokens", headers=laptop)).json()) == 1

    admin = await bearer(client, "adm")
    admin_own = (await client.get("/api/v1/auth/tokens", headers=admin)).json()
    # another user's token is not the inspector's to list or revoke
    assert (await client.get("/api/v1/auth/tokens?user=adm", headers=laptop)).status_code == 403
    refused = await client.delete(f"/api/v1/auth/tokens/{admin_own[0]['id']}", headers=laptop)
    assert refused.status_code == 404
    # the admin lists and revokes the inspector's last token
    theirs = (await client.get("/api/v1/auth/tokens?user=insp", headers=admin)).json()
    assert len(theirs) == 1
    gone = await client.delete(f"/api/v1/auth/tokens/{theirs[0]['id']}", headers=admin)
    assert gone.status_code == 204
    assert (await client.get("/api/v1/auth/tokens", headers=laptop)).status_code == 401
    assert (await client.get("/api/v1/auth/tokens?user=nobody", headers=admin)).status_code == 404
    revoked = await AuditEvent.count().where(AuditEvent.action == "user.token_revoked")
    assert revoked == 2


async def test_the_token_page_lists_and_revokes_ones_own_tokens(client, db):
    await make_user("insp", "inspector")
    headers = await bearer(client, "insp")
    await login(client, "insp", PASSWORD)
    listed = await client.get("/akun/token")
    assert listed.status_code == 200
    (token_id,) = re.findall(r'action="/akun/token/(\d+)/cabut"', listed.text)
    token = await csrf_token(client, "/akun/token")
    done = await client.post(
        f"/akun/token/{token_id}/cabut", data={"_csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 302 and done.headers["location"] == "/akun/token?dicabut=1"
    assert "tidak memiliki token API" in (await client.get("/akun/token?dicabut=1")).text
    assert (await client.get("/api/v1/auth/tokens", headers=headers)).status_code == 401
    again = await client.post(f"/akun/token/{token_id}/cabut", data={"_csrf_token": token})
    assert again.status_code == 404
