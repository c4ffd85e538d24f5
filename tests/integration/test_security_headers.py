"""Browser security headers on every answer, and no inline script for the CSP to refuse."""

import re
from pathlib import Path

import pytest

from web.security_headers import SECURITY_HEADERS

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"


@pytest.mark.parametrize(
    "path",
    ["/", "/login", "/forum", "/s/tidak-ada", "/static/suara.css", "/api/v1/forums", "/healthz"],
)
async def test_every_answer_carries_the_security_headers(client, db, path):
    response = await client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (path, name)
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert "frame-ancestors 'none'" in policy


async def test_a_page_setting_its_own_referrer_policy_keeps_it(client, db):
    from litestar import Litestar, Response, get

    from web.security_headers import add_security_headers

    @get("/x")
    async def handler() -> Response[str]:
        return Response("x", headers={"Referrer-Policy": "no-referrer"})

    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(Litestar([handler], before_send=[add_security_headers])) as own:
        response = await own.get("/x")
    assert response.headers.get_list("referrer-policy") == ["no-referrer"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_script_or_event_handlers():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if inline_script.search(text := path.read_text()) or handler.search(text)
    ]
    assert found == []
