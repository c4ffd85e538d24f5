"""Enrolled kiosk devices: one revocable, hashed token per counter device (hand-written DDL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T08:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "surveys: enrolled kiosk devices"

USER_FK = 'INTEGER REFERENCES "app_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null'
STATEMENTS = (
    'CREATE TABLE "kiosk_device" ("id" {pk},'
    ' "unit" INTEGER NOT NULL REFERENCES "unit" ("id") ON DELETE CASCADE ON UPDATE CASCADE'
    " DEFAULT null,"
    ' "name" VARCHAR(100) NOT NULL DEFAULT \'\','
    ' "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\','
    ' "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,'
    f' "created_by" {USER_FK},'
    ' "revoked_at" TIMESTAMPTZ DEFAULT null,'
    f' "revoked_by" {USER_FK})',
    'CREATE INDEX kiosk_device_unit ON "kiosk_device" ("unit")',
    'CREATE INDEX kiosk_device_token_hash ON "kiosk_device" ("token_hash")',
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
