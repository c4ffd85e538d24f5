"""Refuse UPDATE and DELETE on the audit log inside PostgreSQL (hand-written DDL).

The chain is append-only: a trigger raises on any change to an existing row, so an application
bug or a stray statement cannot rewrite history. On SQLite nothing is done (the keyed chain and
the signed checkpoints still detect any change there).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit_event: append-only (PostgreSQL trigger)"

STATEMENTS = (
    "CREATE OR REPLACE FUNCTION suara_audit_append_only() RETURNS trigger AS $$"
    " BEGIN RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP"
    " USING ERRCODE = 'insufficient_privilege'; END; $$ LANGUAGE plpgsql",
    'CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON "audit_event"'
    " FOR EACH ROW EXECUTE FUNCTION suara_audit_append_only()",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_guard():
        db = engine_finder()
        if isinstance(db, PostgresEngine):
            for statement in STATEMENTS:
                await db.run_ddl(statement)

    manager.add_raw(create_guard)
    return manager
