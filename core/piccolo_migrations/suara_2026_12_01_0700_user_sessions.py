"""Server-side browser sessions, so log-out and a password change end them (hand-written DDL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "accounts: server-side sessions"

STATEMENTS = (
    'CREATE TABLE "user_session" ("id" {pk},'
    ' "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\','
    ' "user" INTEGER NOT NULL REFERENCES "app_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE'
    " DEFAULT null,"
    ' "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,'
    ' "expires_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    'CREATE INDEX user_session_token_hash ON "user_session" ("token_hash")',
    'CREATE INDEX user_session_user ON "user_session" ("user")',
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_tables():
        db = engine_finder()
        pk = (
            "SERIAL PRIMARY KEY NOT NULL"
            if isinstance(db, PostgresEngine)
            else "INTEGER PRIMARY KEY NOT NULL"
        )
        for statement in STATEMENTS:
            await db.run_ddl(statement.format(pk=pk))

    manager.add_raw(create_tables)
    return manager
