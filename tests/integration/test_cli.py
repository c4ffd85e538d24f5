"""The ``suara`` command line against the test database.

The commands call asyncio.run themselves, so they are invoked from a worker thread (the tests
already run inside an event loop); both databases open a connection per query in the tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import anyio
from click.testing import CliRunner, Result
from piccolo.apps.migrations.tables import Migration

import core
from core.accounts.service import authenticate
from core.accounts.tables import Role, User
from core.audit.tables import AuditEvent
from core.cli import main
from core.demo import DEMO_LOGINS, regency
from core.units.schemas import UnitPatch
from core.units.service import update_unit
from core.units.tables import Unit
from tests.factories import PASSWORD, make_unit, make_user, tamper_audit

MIGRATIONS_DIR = Path(core.__file__).parent / "piccolo_migrations"


async def invoke(*args: str, input: str | None = None) -> Result:
    runner = CliRunner()
    return await anyio.to_thread.run_sync(lambda: runner.invoke(main, list(args), input=input))


async def test_db_status_lists_every_migration_and_exits_by_state(db):
    result = await invoke("db", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    migration_files = list(MIGRATIONS_DIR.glob("suara_*.py"))
    assert len(lines) == len(migration_files) > 0
    assert all(line.startswith("applied ") for line in lines), lines
    # forget the newest migration: it is reported as pending and the exit code says so
    newest = await Migration.select().order_by(Migration.id, ascending=False).first()
    await Migration.delete().where(Migration.id == newest["id"])
    try:
        pending = await invoke("db", "status")
    finally:
        await Migration.insert(
            Migration(name=newest["name"], app_name=newest["app_name"], ran_on=newest["ran_on"])
        )
    assert pending.exit_code == 1
    flagged = [line for line in pending.stdout.splitlines() if line.startswith("PENDING")]
    assert len(flagged) == 1
    assert newest["name"] in flagged[0]
    assert (await invoke("db", "status")).exit_code == 0


async def test_user_create_reads_the_password_from_stdin(db, settings):
    unit_id = await make_unit("A")
    result = await invoke(
        "user",
        "create",
        "Operator.A",
        "--role",
        "operator",
        "--unit",
        "A",
        "--full-name",
        "Operator Unit A",
        "--password-stdin",
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "user Operator.A created (operator)"
    user = await User.select().where(User.username == "operator.a").first()
    assert (user["role"], user["full_name"], user["active"]) == (
        "operator",
        "Operator Unit A",
        True,
    )
    assert PASSWORD not in user["password_hash"]
    actor = await authenticate(settings, "operator.a", PASSWORD, "cli-test")
    assert (actor.role, actor.unit_ids) == (Role.operator, frozenset({unit_id}))
    event = await AuditEvent.select().where(AuditEvent.action == "user.created").first()
    assert (event["actor"], event["entity_id"]) == ("system", "operator.a")


BAD_USER_INPUT = [
    (("--role", "operator", "--unit", "GHOST"), PASSWORD, "error: units: unit 'GHOST' tidak ada"),
    (("--role", "operator", "--unit", "A"), "short", "error: password: minimal 10 karakter"),
    (("--role", "operator"), PASSWORD, "error: units: operator harus ditugaskan"),
    (("--role", "inspector"), "", "error: password:"),  # nothing on stdin
]


async def test_user_create_refuses_bad_input_naming_the_field(db):
    await make_unit("A")
    for args, password, expected in BAD_USER_INPUT:
        result = await invoke(
            "user", "create", "newuser", *args, "--password-stdin", input=password
        )
        assert result.exit_code == 2, (args, result.output)
        assert expected in result.stderr, (args, result.stderr)
    assert await User.count() == 0


async def test_user_create_refuses_a_taken_name_and_unknown_role(db):
    await make_user("adm", "admin")
    taken = await invoke(
        "user", "create", "adm", "--role", "admin", "--password-stdin", input=PASSWORD
    )
    assert taken.exit_code == 2
    assert "sudah dipakai" in taken.stderr
    bad_role = await invoke(
        "user", "create", "someone", "--role", "root", "--password-stdin", input=PASSWORD
    )
    assert bad_role.exit_code == 2  # click's own usage error
    assert "root" in bad_role.stderr
    assert await User.count() == 1


async def test_audit_verify_exit_codes(db):
    admin = await make_user("adm", "admin")
    await make_unit("A")
    await update_unit(admin, "A", UnitPatch(phone="021"))
    await update_unit(admin, "A", UnitPatch(active=False))
    ok = await invoke("audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip() == "ok: 4 events, chain intact"
    target = (await AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id))[2]["id"]
    await tamper_audit(f"UPDATE audit_event SET actor='x' WHERE id={target}")
    broken = await invoke("audit", "verify")
    assert broken.exit_code == 1
    action = (await AuditEvent.select(AuditEvent.action).where(AuditEvent.id == target))[0]
    assert broken.stdout.startswith(
        f"BROKEN at event {target} ({action['action']}): content does not match its hash"
    )


async def test_audit_checkpoint_prints_a_signed_head_and_verify_uses_it(db, tmp_path, monkeypatch):
    from core.settings import Settings

    monkeypatch.setenv("SECRET_KEY", Settings.from_env().secret_key)
    monkeypatch.setenv("SUARA_DATA_DIR", str(tmp_path))
    await make_unit("A")
    await make_unit("B")
    printed = await invoke("audit", "checkpoint")
    assert printed.exit_code == 0, printed.output
    head = json.loads(printed.stdout)
    last = (await AuditEvent.select().order_by(AuditEvent.id, ascending=False))[0]
    assert (head["event_id"], head["hash"], head["action"]) == (
        last["id"],
        last["hash"],
        last["action"],
    )
    assert head["signature"] and (tmp_path / "audit_checkpoints.jsonl").exists()
    await tamper_audit(f"DELETE FROM audit_event WHERE id={last['id']}")
    broken = await invoke("audit", "verify")
    assert broken.exit_code == 1
    assert broken.stdout.startswith(f"BROKEN at event {last['id']} ({last['action']}):")


async def test_plugins_lists_the_builtin_skm_plugin(db):
    result = await invoke("plugins")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "plugins.skm  [built-in]" in lines
    skm = lines.index("plugins.skm  [built-in]")
    assert "    suara_scoring_methods" in lines[skm + 1 :]


async def test_demo_refuses_a_database_with_data(db):
    await make_unit("A")
    refused = await invoke("demo")
    assert refused.exit_code == 2
    assert "already has data" in refused.stderr
    quiet = await invoke("demo", "--if-empty")
    assert quiet.exit_code == 0
    assert "nothing seeded" in quiet.stdout
    assert await Unit.count() == 1
    assert await User.count() == 0


async def _no_surveys(*args: object, **kwargs: object) -> None:
    """Stands in for the demo's survey history (slow, and tested with the surveys)."""


async def test_demo_seeds_an_empty_database_once(db, settings, monkeypatch):
    monkeypatch.setattr(regency, "seed_surveys", _no_surveys)
    result = await invoke("demo")
    assert result.exit_code == 0, result.output
    assert "Demo data seeded: Kabupaten Contoh." in result.stdout
    for login in DEMO_LOGINS:
        assert any(
            line.split()[:2] == [login.username, login.password]
            and line.endswith(f"({login.role})")
            for line in result.stdout.splitlines()
        ), login.username
    units = await Unit.count()
    assert units > 10
    assert await User.count() == len(DEMO_LOGINS)
    actor = await authenticate(settings, "admin", "demo-admin-2026", "cli-test")
    assert actor.role == Role.admin
    # a second run changes nothing
    again = await invoke("demo")
    assert again.exit_code == 2
    assert (await invoke("demo", "--if-empty")).exit_code == 0
    assert (await Unit.count(), await User.count()) == (units, len(DEMO_LOGINS))


def test_the_console_script_adds_run_and_worker_to_the_core_commands():
    import suara_cli

    assert {"run", "worker"} <= set(suara_cli.main.commands)
    assert {"db", "user", "audit", "plugins", "demo"} <= set(suara_cli.main.commands)
    assert not {"run", "worker"} & set(main.commands)  # core's group knows neither web nor workers


async def _forget_newest_migration() -> dict:
    newest = await Migration.select().order_by(Migration.id, ascending=False).first()
    await Migration.delete().where(Migration.id == newest["id"])
    return newest


async def _restore_migration(row: dict) -> None:
    await Migration.insert(
        Migration(name=row["name"], app_name=row["app_name"], ran_on=row["ran_on"])
    )


async def test_run_refuses_a_database_with_pending_migrations(db):
    import suara_cli

    newest = await _forget_newest_migration()
    try:
        runner = CliRunner()
        result = await anyio.to_thread.run_sync(
            lambda: runner.invoke(suara_cli.main, ["run", "--no-worker", "--port", "8199"])
        )
    finally:
        await _restore_migration(newest)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: the database has 1 pending migration(s) ({newest['name']});"
        " run `suara db migrate` first"
    ]
    assert "http://" not in result.stdout  # the server never started


async def test_healthz_names_pending_migrations(db, settings, hooks):
    from litestar.testing import AsyncTestClient

    from web.app import create_app

    class Answering:  # broker and worker fine: only the migrations are at fault
        def send(self, job_id: int) -> None: ...
        def broker_epoch(self) -> str:
            return "one"

        def broker_status(self) -> str:
            return "ok"

        def worker_status(self) -> str:
            return "ok"

    app = create_app(settings=settings, hooks=hooks, sender=Answering())
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        assert (await client.get("/healthz")).json()["migrations"] == "ok"
        newest = await _forget_newest_migration()
        try:
            response = await client.get("/healthz")
        finally:
            await _restore_migration(newest)
    assert response.status_code == 503
    assert response.json()["migrations"] == f"pending: {newest['name']}"
    assert response.json()["status"] == "error"


def test_a_database_never_migrated_has_every_migration_pending(tmp_path):
    code = (
        "import asyncio; from core.db import pending_migrations;"
        " print(len(asyncio.run(pending_migrations())))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'nothing' / 'x.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert int(result.stdout) == len(list(MIGRATIONS_DIR.glob("suara_*.py")))
    assert not (tmp_path / "nothing").exists()  # asking created nothing


def test_run_serves_links_on_its_own_port_and_tells_the_worker(migrated, monkeypatch):
    """make run PORT=8101 without SUARA_BASE_URL: every link is built on :8101, not :8000.

    Synchronous, so that `run` installs its SIGTERM handler in the main thread as it does live.
    """
    import signal

    import uvicorn

    import suara_cli
    from core.settings import SERVED_URL_VARIABLE

    monkeypatch.delenv("SUARA_BASE_URL", raising=False)
    monkeypatch.setenv(SERVED_URL_VARIABLE, "")
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append((app, options)))
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        result = CliRunner().invoke(suara_cli.main, ["run", "--no-worker", "--port", "8101"])
    finally:
        signal.signal(signal.SIGTERM, sigterm)
    assert result.exit_code == 0, result.output
    app, options = served[0]
    assert options["port"] == 8101
    assert app.state.settings.base_url == "http://127.0.0.1:8101"
    assert os.environ[SERVED_URL_VARIABLE] == "http://127.0.0.1:8101"  # the worker child's env
