"""Small builders for test data, going through the real services."""

from __future__ import annotations

from datetime import date

from core.accounts.policy import Actor
from core.accounts.service import actor_for_user, create_user
from core.units.schemas import ServiceIn, UnitIn
from core.units.service import create_service, create_unit

PASSWORD = "test-password-123"
DEMO_TODAY = date(2026, 11, 29)
"""The day the tests seed the demo regency as of (its past cycles closed, the current one open)."""


async def make_unit(
    code: str, kind: str = "opd", parent: str | None = None, services: tuple[str, ...] = ()
) -> int:
    """Create a unit (and services) as the system; returns its id."""
    unit = await create_unit(
        Actor.system(), UnitIn(code=code, name=f"Unit {code}", kind=kind, parent=parent)
    )
    for service in services:
        await create_service(
            Actor.system(), code, ServiceIn(code=service, name=f"Layanan {service}")
        )
    return unit.id


async def make_user(username: str, role: str, units: tuple[str, ...] = ()) -> Actor:
    """Create a user with the shared test password; returns its actor."""
    user_id = await create_user(Actor.system(), username, role, PASSWORD, units)
    actor = await actor_for_user(user_id)
    assert actor is not None
    return actor


async def tamper_audit(statement: str) -> None:
    """Change audit_event behind the application's back, as a database owner would: on
    PostgreSQL the append-only trigger is switched off around the statement."""
    from core import db as core_db

    engine = core_db.engine()
    if not core_db.is_postgres():
        await engine.run_ddl(statement)
        return
    await engine.run_ddl("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    try:
        await engine.run_ddl(statement)
    finally:
        await engine.run_ddl("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
