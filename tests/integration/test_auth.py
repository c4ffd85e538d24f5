"""Signing in and out, the log-in rate limit, cookies, ?next=, tokens versus sessions, language."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from core.accounts.service import authenticate
from core.accounts.tables import LoginFailure, User
from core.clock import utcnow
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_unit, make_user
from web.i18n import LOCALE_DIR

WRONG = "not-the-password"
EN_CATALOG = Path(LOCALE_DIR) / "en" / "LC_MESSAGES" / "messages.po"


async def post_login(client, username: str, password: str, next_: str | None = None):
    token = await csrf_token(client)
    return await client.post(
        "/login",
        params={"next": next_} if next_ is not None else None,
        data={"username": username, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )


async def is_signed_in(client) -> bool:
    response = await client.get("/units", follow_redirects=False)
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/units"
    return False


async def api_token(client, username: str) -> str:
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


async def test_login_and_logout(client, db):
    await make_user("adm", "admin")
    assert not await is_signed_in(client)
    response = await post_login(client, "Adm", PASSWORD)
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    assert await is_signed_in(client)
    assert "adm <small>(Administrator)</small>" in (await client.get("/units")).text
    assert (await User.select(User.last_login_at).first())["last_login_at"] is not None
    forged = await client.post("/logout", data={}, follow_redirects=False)
    assert forged.status_code == 403  # no CSRF token: still signed in
    assert await is_signed_in(client)
    token = await csrf_token(client, "/units")
    out = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 302
    assert out.headers["location"] == "/login"
    assert not await is_signed_in(client)


async def test_wrong_credentials_show_the_same_error(client, db):
    await make_user("adm", "admin")
    for username in ("adm", "nobody"):  # a wrong password and an unknown name look alike
        response = await post_login(client, username, WRONG)
        assert response.status_code == 401
        alert = '<p class="alert" role="alert">Nama pengguna atau kata sandi salah.</p>'
        assert alert in response.text
        assert f'name="username" value="{username}"' in response.text
        assert not await is_signed_in(client)


async def test_too_many_failures_block_only_that_name_from_that_address(client, db, settings):
    await make_user("adm", "admin")
    await make_user("other", "admin")
    for _ in range(settings.login_max_failures):
        assert (await post_login(client, "adm", WRONG)).status_code == 401
    blocked = await post_login(client, "adm", PASSWORD)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in blocked.text
    assert not await is_signed_in(client)
    # the token endpoint shares the limit for the same name and address ...
    api = await client.post("/api/v1/auth/token", json={"username": "adm", "password": PASSWORD})
    assert api.status_code == 429
    # ... but a colleague behind the same (NAT) address signs in, and so does adm elsewhere
    assert (await post_login(client, "other", PASSWORD)).status_code == 302
    elsewhere = await authenticate(settings, "adm", PASSWORD, "203.0.113.9")
    assert elsewhere.username == "adm"
    # once the failures are older than the window, the right password works again
    old = utcnow() - timedelta(seconds=settings.login_window_seconds + 1)
    await LoginFailure.update({LoginFailure.at: old}).where(LoginFailure.id > 0)
    assert (await post_login(client, "adm", PASSWORD)).status_code == 302
    assert await is_signed_in(client)


async def test_parallel_attempts_get_no_more_password_checks_than_the_limit(db, settings):
    await make_user("adm", "admin")
    results = await asyncio.gather(
        *(authenticate(settings, "adm", WRONG, "198.51.100.7") for _ in range(40)),
        return_exceptions=True,
    )
    kinds = [type(result).__name__ for result in results]
    assert kinds.count("NotAuthenticated") == settings.login_max_failures
    assert kinds.count("RateLimited") == 40 - settings.login_max_failures


async def test_failures_below_the_limit_do_not_block(client, db, settings):
    await make_user("adm", "admin")
    for _ in range(settings.login_max_failures - 1):
        assert (await post_login(client, "adm", WRONG)).status_code == 401
    assert (await post_login(client, "adm", PASSWORD)).status_code == 302


async def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    await make_user("adm", "admin")
    response = await post_login(client, "adm", PASSWORD)
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("suara_session=")]
    assert cookies, response.headers
    attributes = {part.strip().split("=")[0].lower(): part for part in cookies[-1].split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].strip().lower() == "samesite=lax"
    assert attributes["path"].strip() == "Path=/"
    assert "secure" not in attributes  # served over http in the tests
    csrf = [c for c in (await client.get("/login")).headers.get_list("set-cookie")]
    assert all("httponly" in c.lower() for c in csrf if c.startswith("suara_csrf="))


NEXT_TARGETS = [
    ("/units/A", "/units/A"),
    ("/units?kind=opd", "/units?kind=opd"),
    ("http://evil.example", "/"),
    ("https://evil.example/units", "/"),
    ("//evil.example", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
]


async def test_next_only_follows_local_paths(client, db):
    await make_user("adm", "admin")
    followed = []
    for next_, _ in NEXT_TARGETS:
        response = await post_login(client, "adm", PASSWORD, next_=next_)
        assert response.status_code == 302
        switch = await client.get("/bahasa/id", params={"next": next_}, follow_redirects=False)
        followed.append((next_, response.headers["location"], switch.headers["location"]))
    assert followed == [(next_, location, location) for next_, location in NEXT_TARGETS]


async def test_login_page_returns_to_the_page_that_asked(client, db):
    await make_unit("A")
    await make_user("adm", "admin")
    first = await client.get("/units/A", follow_redirects=False)
    assert first.status_code == 302
    assert first.headers["location"] == "/login?next=/units/A"
    form = await client.get(first.headers["location"])
    assert 'action="/login?next=/units/A"' in form.text.replace("%2F", "/")
    response = await post_login(client, "adm", PASSWORD, next_="/units/A")
    assert response.headers["location"] == "/units/A"


async def test_deactivated_user_cannot_log_in_and_loses_sessions_and_tokens(client, db):
    await make_unit("A")
    await make_user("opa", "operator", ("A",))
    await login(client, "opa", PASSWORD)
    token = await api_token(client, "opa")
    assert await is_signed_in(client)
    await User.update({User.active: False}).where(User.username == "opa")
    assert not await is_signed_in(client)
    api = await client.get("/api/v1/units", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 401
    response = await post_login(client, "opa", PASSWORD)
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert not await is_signed_in(client)
    denied = await client.post("/api/v1/auth/token", json={"username": "opa", "password": PASSWORD})
    assert denied.status_code == 401


async def test_bearer_token_works_on_the_api_but_not_on_pages(client, db):
    await make_unit("A")
    await make_user("adm", "admin")
    headers = {"Authorization": f"Bearer {await api_token(client, 'adm')}"}
    assert (await client.get("/api/v1/units/A", headers=headers)).status_code == 200
    for path in ("/units", "/units/A", "/audit"):
        page = await client.get(path, headers=headers, follow_redirects=False)
        assert page.status_code == 302, path
        assert page.headers["location"].startswith("/login")
    home = await client.get("/", headers=headers)
    assert 'href="/login"' in home.text
    assert "adm <small>" not in home.text


async def test_session_cookie_is_not_accepted_by_the_api(client, db):
    await make_unit("A")
    await make_user("adm", "admin")
    await login(client, "adm", PASSWORD)
    assert await is_signed_in(client)
    for method, path in (("GET", "/api/v1/units"), ("GET", "/api/v1/units/A")):
        response = await client.request(method, path)
        assert response.status_code == 401, path
        assert response.json()["status_code"] == 401
    token = await csrf_token(client, "/units")
    write = await client.patch(
        "/api/v1/units/A", json={"name": "Lewat cookie"}, headers={"x-csrftoken": token}
    )
    assert write.status_code == 401


async def test_language_switch(client, db):
    await make_user("adm", "admin")
    assert '<html lang="id">' in (await client.get("/login")).text
    response = await client.get("/bahasa/en", params={"next": "/login"}, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/login"
    page = (await client.get("/login")).text
    assert '<html lang="en">' in page
    if EN_CATALOG.exists():
        assert "Sign in to Suara" in page
        assert "Masuk ke Suara" not in page
    # the choice survives signing in, and an unknown language changes nothing
    await login(client, "adm", PASSWORD)
    english = (await client.get("/units")).text
    assert '<html lang="en">' in english
    assert "adm <small>(Administrator)</small>" in english
    await client.get("/bahasa/fr")
    assert '<html lang="en">' in (await client.get("/units")).text
    await client.get("/bahasa/id")
    units = (await client.get("/units")).text
    assert '<html lang="id">' in units
    assert "<h1>Unit layanan</h1>" in units
