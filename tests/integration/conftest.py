"""Fixtures shared by the integration modules of one area (builders live in ``*_data.py``)."""

from __future__ import annotations

import shutil

import pytest

from core.clock import frozen_at
from tests import dbreset
from tests.conftest import csrf_token, login
from tests.factories import DEMO_TODAY, PASSWORD, make_unit, make_user
from tests.integration.forum_data import FORUM_DAY, closed_cycle


@pytest.fixture
async def token(client, db) -> str:
    """Two puskesmas, signed in as an organiser; the CSRF token for forms."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("org", "organizer")
    await login(client, "org", PASSWORD)
    return await csrf_token(client, "/forum/baru")


@pytest.fixture
async def on_forum_day():
    """The whole test runs during the default forum."""
    with frozen_at(FORUM_DAY):
        yield


@pytest.fixture
async def forum_world(db, hooks) -> dict:
    """Two puskesmas, a closed cycle of PKM-A, and one user per role."""
    await make_unit("PKM-A", "puskesmas")
    await make_unit("PKM-B", "puskesmas")
    await make_user("org", "organizer")
    await make_user("insp", "inspector")
    await make_user("opr", "operator", ("PKM-A",))
    return {"cycle": await closed_cycle(hooks)}


@pytest.fixture
def mailbox(settings):
    """The e-mail file sink, emptied for this test."""
    shutil.rmtree(settings.mail_dir, ignore_errors=True)
    return settings.mail_dir


@pytest.fixture
async def demo_regency(db, hooks, settings) -> None:
    """The demo regency seeded as of DEMO_TODAY: seeded once per test process (5-40 s), then
    restored from its snapshot (under a second)."""
    from core.demo import seed_demo

    if not await dbreset.restore("demo", settings.data_dir):
        await seed_demo(hooks, today=DEMO_TODAY)
        await dbreset.snapshot("demo", settings.data_dir)


@pytest.fixture
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """/healthz's worker ping gives up at once: no worker runs here, so waiting the production
    3 s for its answer would only repeat the same 503 more slowly (once per call to /healthz)."""
    from workers import dispatch

    monkeypatch.setattr(dispatch, "PING_TIMEOUT_SECONDS", 0.05)
