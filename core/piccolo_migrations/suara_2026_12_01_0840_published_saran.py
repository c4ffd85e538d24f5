"""The saran a unit chose to publish with its public report (hand-written DDL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T08:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reports: curated saran published with the public report"

_FK = "REFERENCES {table} (\"id\") ON DELETE CASCADE ON UPDATE CASCADE"
STATEMENTS = (
    'CREATE TABLE "report_published_saran" ("id" {pk},'
    ' "cycle" INTEGER NOT NULL ' + _FK.format(table='"survey_cycle"') + " DEFAULT null,"
    ' "response" INTEGER NOT NULL ' + _FK.format(table='"survey_response"') + " DEFAULT null,"
    ' "position" INTEGER NOT NULL DEFAULT 0, "text" TEXT NOT NULL DEFAULT \'\','
    ' "picked_by" INTEGER ' + _FK.format(table='"app_user"') + " DEFAULT null,"
    ' "picked_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    'CREATE INDEX report_published_saran_cycle ON "report_published_saran" ("cycle")',
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
