"""User administration pages (admins) and changing one's own password (everyone)."""

from __future__ import annotations

import html
import re

from litestar.testing import AsyncTestClient

from core.accounts.tables import ApiToken, User, UserUnit
from core.audit.tables import AuditEvent
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user

NEW_PASSWORD = "kata-sandi-baru-2026"


def error_of(page: str, field: str, prefix: str = "e") -> str | None:
    match = re.search(rf'<p class="error" id="{prefix}-{field}">([^<]*)</p>', page)
    return html.unescape(match.group(1)) if match else None


async def post(client, path: str, data: dict, page: str = "/pengguna"):
    token = await csrf_token(client, page)
    return await client.post(path, data={**data, "_csrf_token": token}, follow_redirects=False)


async def sign_in_works(client, username: str, password: str) -> bool:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"username": username, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )
    return response.status_code == 302


async def audit_actions(username: str) -> list[str]:
    rows = await AuditEvent.select(AuditEvent.action).where(AuditEvent.entity_id == username)
    return [row["action"] for row in rows]


async def test_admin_creates_a_user_through_the_form(client, db):
    await make_unit("PKM-A")
    await make_unit("PKM-B")
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    listing = await client.get("/pengguna")
    assert listing.status_code == 200
    assert 'href="/pengguna"' in listing.text and "Administrator" in listing.text
    form = await client.get("/pengguna/baru")
    assert 'name="units" value="PKM-A"' in form.text
    assert "Operator unit" in form.text and "Pemeriksa Inspektorat" in form.text

    bad = await post(
        client,
        "/pengguna",
        {"username": "X", "role": "operator", "password": "pendek", "email": "bukan-email"},
    )
    assert bad.status_code == 422
    assert error_of(bad.text, "username") == "3–60 huruf kecil, angka, titik, garis bawah atau -"
    assert error_of(bad.text, "password") == "minimal 10 karakter"
    assert error_of(bad.text, "units") == "operator harus ditugaskan ke minimal satu unit"
    assert error_of(bad.text, "email") == "alamat e-mail tidak valid"
    assert await User.count() == 1

    created = await post(
        client,
        "/pengguna",
        {
            "username": "Siti",
            "full_name": "Siti Aminah",
            "email": "siti@contoh.go.id",
            "role": "operator",
            "units": ["PKM-A", "PKM-B"],
            "password": PASSWORD,
        },
    )
    assert created.status_code == 302
    assert created.headers["location"] == "/pengguna/siti?pesan=dibuat"
    page = await client.get("/pengguna/siti?pesan=dibuat")
    assert "Pengguna dibuat." in page.text
    assert 'value="PKM-A" checked' in page.text and 'value="PKM-B" checked' in page.text
    assert await audit_actions("siti") == ["user.created"]
    taken = await post(
        client, "/pengguna", {"username": "siti", "role": "inspector", "password": PASSWORD}
    )
    assert taken.status_code == 422
    assert "sudah dipakai" in error_of(taken.text, "username")
    await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/pengguna")})
    assert await sign_in_works(client, "siti", PASSWORD)


async def test_admin_changes_role_and_units_and_keeps_one_admin(client, db):
    await make_unit("PKM-A")
    await make_unit("PKM-B")
    await make_user("adm", "admin")
    await make_user("opa", "operator", ("PKM-A",))
    await login(client, "adm", PASSWORD)
    saved = await post(
        client,
        "/pengguna/opa",
        {"role": "operator", "units": ["PKM-B"], "full_name": "Opa", "email": ""},
    )
    assert saved.status_code == 302
    units = await UserUnit.select(UserUnit.unit.code.as_alias("code"))
    assert [u["code"] for u in units] == ["PKM-B"]
    event = await AuditEvent.select().where(AuditEvent.action == "user.updated").first()
    assert '"units":["PKM-A"]' in event["before"] and '"units":["PKM-B"]' in event["after"]
    no_unit = await post(client, "/pengguna/opa", {"role": "operator", "full_name": ""})
    assert no_unit.status_code == 422
    assert error_of(no_unit.text, "units") == "operator harus ditugaskan ke minimal satu unit"
    # the only active admin cannot lose the role, nor be deactivated
    demoted = await post(client, "/pengguna/adm", {"role": "inspector", "full_name": ""})
    assert demoted.status_code == 422
    assert "administrator aktif terakhir" in demoted.text
    assert (await User.select(User.role).where(User.username == "adm").first())["role"] == "admin"
    myself = await post(client, "/pengguna/adm/aktif", {"active": "0"})
    assert myself.status_code == 422
    assert "akun Anda sendiri" in myself.text


async def test_deactivating_stops_sign_in_and_tokens_and_reactivating_restores(client, db):
    await make_unit("PKM-A")
    await make_user("adm", "admin")
    await make_user("opa", "operator", ("PKM-A",))
    token = await client.post("/api/v1/auth/token", json={"username": "opa", "password": PASSWORD})
    assert token.status_code == 200
    await login(client, "adm", PASSWORD)
    off = await post(client, "/pengguna/opa/aktif", {"active": "0"})
    assert off.headers["location"] == "/pengguna/opa?pesan=dinonaktifkan"
    assert await ApiToken.count() == 0
    page = (await client.get("/pengguna/opa")).text
    assert "Nonaktif" in page and "Aktifkan kembali" in page
    on = await post(client, "/pengguna/opa/aktif", {"active": "1"})
    assert on.headers["location"] == "/pengguna/opa?pesan=diaktifkan"
    assert await audit_actions("opa") == ["user.created", "user.deactivated", "user.reactivated"]
    await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/pengguna")})
    assert await sign_in_works(client, "opa", PASSWORD)


async def test_admin_resets_a_password(client, db):
    await make_user("adm", "admin")
    await make_user("insp", "inspector")
    await client.post("/api/v1/auth/token", json={"username": "insp", "password": PASSWORD})
    await login(client, "adm", PASSWORD)
    short = await post(client, "/pengguna/insp/kata-sandi", {"password": "pendek"})
    assert short.status_code == 422
    assert error_of(short.text, "password", "pe") == "minimal 10 karakter"
    done = await post(client, "/pengguna/insp/kata-sandi", {"password": NEW_PASSWORD})
    assert done.headers["location"] == "/pengguna/insp?pesan=sandi"
    assert await ApiToken.count() == 0
    event = await AuditEvent.select().where(AuditEvent.action == "user.password_reset").first()
    assert event["after"] is None and NEW_PASSWORD not in str(event)
    await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/pengguna")})
    assert not await sign_in_works(client, "insp", PASSWORD)
    assert await sign_in_works(client, "insp", NEW_PASSWORD)


async def test_everyone_changes_their_own_password(client, db):
    await make_unit("PKM-A")
    await make_user("opa", "operator", ("PKM-A",))
    await login(client, "opa", PASSWORD)
    units = await client.get("/units")
    assert 'href="/akun/kata-sandi"' in units.text
    assert 'href="/pengguna"' not in units.text  # not an admin
    assert (await client.get("/pengguna")).status_code == 403
    form = await client.get("/akun/kata-sandi")
    assert form.status_code == 200

    async def change(current: str, new: str, confirmation: str):
        return await post(
            client,
            "/akun/kata-sandi",
            {"current": current, "new": new, "confirmation": confirmation},
            page="/akun/kata-sandi",
        )

    wrong = await change("salah-sekali", "pendek", "lain")
    assert wrong.status_code == 422
    assert error_of(wrong.text, "current") == "kata sandi saat ini salah"
    assert error_of(wrong.text, "new") == "minimal 10 karakter"
    assert error_of(wrong.text, "confirmation") == "tidak sama dengan kata sandi baru"
    same = await change(PASSWORD, PASSWORD, PASSWORD)
    assert error_of(same.text, "new") == "harus berbeda dari kata sandi saat ini"
    done = await change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    assert done.headers["location"] == "/akun/kata-sandi?tersimpan=1"
    assert "sudah diganti" in (await client.get("/akun/kata-sandi?tersimpan=1")).text
    assert await audit_actions("opa") == ["user.created", "user.password_changed"]
    await client.post("/logout", data={"_csrf_token": await csrf_token(client, "/units")})
    assert not await sign_in_works(client, "opa", PASSWORD)
    assert await sign_in_works(client, "opa", NEW_PASSWORD)


async def test_signed_out_visitors_are_sent_to_log_in(client, db):
    for path in ("/pengguna", "/pengguna/baru", "/akun/kata-sandi"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 302, path
        assert response.headers["location"].startswith("/login")


async def signed_in_on(client) -> bool:
    return (await client.get("/units", follow_redirects=False)).status_code == 200


async def test_a_new_password_ends_the_other_sessions(app, client, db):
    await make_unit("PKM-A")
    await make_user("adm", "admin")
    await make_user("opa", "operator", ("PKM-A",))
    async with (
        AsyncTestClient(app=app, base_url="http://testserver.local") as phone,
        AsyncTestClient(app=app, base_url="http://testserver.local") as laptop,
    ):
        await login(phone, "opa", PASSWORD)
        await login(laptop, "opa", PASSWORD)
        # the user changes the password on the laptop: the laptop stays in, the phone is out
        changed = await post(
            laptop,
            "/akun/kata-sandi",
            {"current": PASSWORD, "new": NEW_PASSWORD, "confirmation": NEW_PASSWORD},
            page="/akun/kata-sandi",
        )
        assert changed.status_code == 302
        assert await signed_in_on(laptop)
        assert not await signed_in_on(phone)
        # an admin resets it: the laptop session ends too
        await login(client, "adm", PASSWORD)
        await post(client, "/pengguna/opa/kata-sandi", {"password": "sandi-dari-admin-1"})
        assert not await signed_in_on(laptop)
        assert await signed_in_on(client)  # the admin's own session is untouched
