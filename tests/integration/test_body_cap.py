"""A body past the cap (11 MB) is refused with 413 by the served app, and nothing is stored
(issue 14). Served by uvicorn, so the cap is the one a real server enforces: on the declared
Content-Length and, for a chunked body without one, while it streams in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import CSRF_RE
from tests.factories import PASSWORD, make_unit, make_user
from tests.integration.test_input_hardening import _open_cycle
from web.app import MAX_REQUEST_BYTES

OVER = MAX_REQUEST_BYTES + 1024


@pytest.fixture
async def live(live_url) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_url, timeout=60) as client:
        yield client


async def _headers(client: httpx.AsyncClient) -> dict[str, str]:
    answer = await client.post("/api/v1/auth/token", json={"username": "opr", "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


async def _cycles(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:
    answer = await client.get("/api/v1/cycles", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _chunks(body: bytes, size: int = 256 * 1024) -> AsyncIterator[bytes]:
    """The body streamed without a Content-Length (Transfer-Encoding: chunked)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.fixture
async def operator(db) -> None:
    await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("opr", "operator", ("PKM-A",))


async def test_a_json_body_past_the_cap_is_refused_and_nothing_is_created(live, operator):
    headers = {**await _headers(live), "Content-Type": "application/json"}
    body = (
        b'{"unit": "PKM-A", "period_type": "tahunan", "year": 2026, "population": 10, '
        b'"services": ["UMUM"], "note": "' + b"x" * OVER + b'"}'
    )
    answer = await live.post("/api/v1/cycles", headers=headers, content=body)
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"] == "Berkas atau isi permintaan terlalu besar"
    assert await _cycles(live, headers) == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_multipart_upload_past_the_cap_is_refused_and_nothing_is_imported(
    live, operator, chunked
):
    headers = await _headers(live)
    cycle_id = await _open_cycle(live, headers)
    boundary = "suaraboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + b"U1,U2\r\n"
        + b"3,3\r\n" * (OVER // 5)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    answer = await live.post(
        f"/api/v1/cycles/{cycle_id}/imports",
        headers=headers,
        content=_chunks(body) if chunked else body,
    )
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"] == "Berkas atau isi permintaan terlalu besar"
    cycle = (await live.get(f"/api/v1/cycles/{cycle_id}", headers=headers)).json()
    assert cycle["collected"] == 0


async def test_a_form_past_the_cap_gets_the_error_page_in_the_visitors_language(live, operator):
    await live.get("/bahasa/en")
    login_page = await live.get("/login")
    token = CSRF_RE.search(login_page.text).group(1)
    signed_in = await live.post(
        "/login", data={"username": "opr", "password": PASSWORD, "_csrf_token": token}
    )
    assert signed_in.status_code in (200, 302, 303), signed_in.text
    token = CSRF_RE.search((await live.get("/")).text).group(1)
    body = f"_csrf_token={token}&note=".encode() + b"x" * OVER
    answer = await live.post(
        "/forum/baru",
        content=_chunks(body),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413, answer.text
    assert "File or request body too large" in answer.text
    assert "Berkas atau isi permintaan terlalu besar" not in answer.text
