"""The portal passes axe-core (no serious or critical WCAG 2.1 A/AA violation), loads nothing
from another site, weighs under 200 KB and has a working skip link, at 390 and 1280 px.

Needs Chromium, Python playwright and axe-core (``npm ci --prefix tests/a11y``); skipped with the
reason when one is missing (CI installs none of them today).
"""

from __future__ import annotations

import pytest

from tests.a11y.axe import check, missing
from tests.factories import make_unit
from tests.integration.portal_data import answered_cycle, publish

BASE = "http://testserver.local"


@pytest.fixture
def app(db, module_app):
    return module_app


async def test_portal_pages_pass_axe(client, hooks):
    reason = missing()
    if reason:
        pytest.skip(reason)
    await make_unit("PKM-A", "puskesmas", services=("UMUM", "GIGI"))
    await make_unit("PKM-B", "puskesmas")
    await publish(hooks, await answered_cycle(hooks, "PKM-A", [4, 3, 2], services=("UMUM", "GIGI")))
    await publish(hooks, await answered_cycle(hooks, "PKM-A", [4, 4], period="tw2", population=9))

    async def fetch(path: str):
        response = await client.get(path)
        return response.status_code, dict(response.headers), response.content

    paths = [
        "/",
        "/transparansi?q=pkm",
        "/transparansi/unit/PKM-A",
        "/transparansi/unit/PKM-B",
        "/data-terbuka",
    ]
    problems = [
        f"{r.path} @{r.width}px: {line}"
        for r in await check(BASE, paths, fetch)
        for line in r.failures
    ]
    assert not problems, "\n".join(problems)
