"""Shared fixtures: a real database (SQLite file or PostgreSQL), the web app and a test client.

Run with ``--db=sqlite`` (default, a fresh file per session) or ``--db=postgres`` (the database in
SUARA_TEST_POSTGRES_URL). When PostgreSQL or Redis is unreachable the tests that need it are
skipped with the reason, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="suara-test-"))
os.environ["SUARA_DATA_DIR"] = str(_TMP / "var")
os.environ.pop("REDIS_URL", None)
# The test client serves the app from its own thread and loop; a pool would be bound to that loop.
os.environ["SUARA_DB_POOL"] = "false"
os.environ.setdefault("PICCOLO_CONF", "core.piccolo_conf")

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_DATABASE = f"suara_test_{os.getpid()}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="database the integration tests run against",
    )


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: uses the database (runs on SQLite and on PostgreSQL)")
    if config.getoption("--db") == "postgres":
        url = os.environ.get("SUARA_TEST_POSTGRES_URL", DEFAULT_PG)
        config.suara_pg_reachable = _reachable(url, 5432)  # type: ignore[attr-defined]
        # Each run gets a database of its own, created through the given one, so several runs
        # on one server cannot clobber each other; it is dropped at the end of the session.
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{PG_DATABASE}"
        if config.suara_pg_reachable:  # type: ignore[attr-defined]
            _admin_sql(
                url, f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}"
            )
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'suara-test.sqlite3'}"
        config.suara_pg_reachable = True  # type: ignore[attr-defined]


def _admin_sql(url: str, *statements: str) -> None:
    """Run statements outside a transaction on the given database (to create/drop others)."""
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(url)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.getoption("--db") == "postgres" and getattr(config, "suara_pg_reachable", False):
        url = os.environ.get("SUARA_TEST_POSTGRES_URL", DEFAULT_PG)
        _admin_sql(url, f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
    shutil.rmtree(_TMP, ignore_errors=True)  # this process's database file and data directory


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def unavailable(reason: str) -> None:
    """Skip with the reason, or fail under CI where every service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)", pytrace=False)
    pytest.skip(reason)


def needs_pdf() -> None:
    """Skip (fail under CI) unless WeasyPrint and its Pango library can render PDFs here."""
    from core.pdf import pdf_available

    if not pdf_available():
        unavailable(
            "WeasyPrint (and Pango: apt install libpango-1.0-0 libpangoft2-1.0-0) not installed"
        )


@pytest.fixture(scope="session")
async def migrated(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A freshly migrated database for the whole session."""
    if not request.config.suara_pg_reachable:  # type: ignore[attr-defined]
        unavailable(f"PostgreSQL not reachable at {os.environ['DATABASE_URL']}")
    from core import db

    await db.migrate()
    yield


@pytest.fixture
async def db(migrated: None, settings) -> AsyncIterator[None]:
    """An empty, migrated database for one test, without the files of earlier tests' rows (ids
    restart with the emptied tables, so job 1's folder would otherwise hold another job's files)."""
    from tests.dbreset import clear_files, empty_tables

    await empty_tables()
    clear_files(settings.data_dir)
    yield


@pytest.fixture(scope="session")
def settings():
    """Settings of the test installation (temporary data directory)."""
    from core.settings import Settings

    return Settings.from_env()


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2 parameters in every test (same code path; the production cost is ~0.1 s of
    CPU per hash and log-in). Hashes made meanwhile carry their own parameters, so they still
    verify afterwards; processes a test starts keep the production parameters.
    """
    from argon2 import PasswordHasher

    from core.accounts import passwords

    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def hooks(settings):
    """The plugin facade with the built-in plugins and no entry points from the machine."""
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager

    return Hooks(build_plugin_manager(load_entry_points=False), settings)


def make_app(settings, hooks):
    """The web app as `suara run` builds it: jobs go through Celery (here the filesystem broker
    under the temp dir)."""
    from web.app import create_app
    from workers.dispatch import celery_sender

    return create_app(settings=settings, hooks=hooks, sender=celery_sender(settings, hooks))


@pytest.fixture(scope="session")
def shared_app(settings):
    """One app per test process: building one costs ~1 s of CPU (Litestar registers ~190 routes)
    and the app keeps no data itself: everything is in the database, emptied for each test.

    A test that needs other settings or plugins builds its own with ``make_app``.
    """
    from core.hooks import Hooks
    from core.plugins import build_plugin_manager

    return make_app(settings, Hooks(build_plugin_manager(load_entry_points=False), settings))


@pytest.fixture
def app(db: None, shared_app):
    """The web app wired to the (emptied) test database and a filesystem broker under the temp
    dir: the process's shared app."""
    return shared_app


@pytest.fixture
async def client(app) -> AsyncIterator:
    """An HTTP client talking to the app in-process."""
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def live_url(app) -> Iterator[str]:
    """The app served by uvicorn from a thread of its own, on a free port: requests to it really
    run at once (the in-process test client answers one request at a time)."""
    import threading
    import time

    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


CSRF_RE = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a page embeds in its forms."""
    response = await client.get(path)
    match = CSRF_RE.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def login(client, username: str, password: str) -> None:
    """Sign in through the log-in form, as a browser would."""
    token = await csrf_token(client)
    response = await client.post(
        "/login", data={"username": username, "password": password, "_csrf_token": token}
    )
    assert response.status_code in (200, 302, 303), response.text
    assert "suara_session" in client.cookies


async def bearer(client, username: str, password: str = "test-password-123") -> dict[str, str]:
    """The Authorization header of a fresh API token for the user (the shared test password)."""
    response = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A reachable Redis (database 15), or skip/fail with the reason."""
    url = os.environ.get("SUARA_TEST_REDIS_URL", DEFAULT_REDIS)
    if not _reachable(url, 6379):
        unavailable(f"Redis not reachable at {url}")
    import redis

    redis.Redis.from_url(url).flushdb()
    yield url
