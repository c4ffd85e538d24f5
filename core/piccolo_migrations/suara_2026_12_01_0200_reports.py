"""Report jobs and their files, the report review and the publication register (hand-written DDL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "reports: jobs, artifacts, review, publications"

_FK = "REFERENCES {table} (\"id\") ON DELETE CASCADE ON UPDATE CASCADE"
STATEMENTS = (
    'CREATE TABLE "report_job" ("id" {pk}, "kind" VARCHAR(12) NOT NULL DEFAULT \'\','
    ' "cycle" INTEGER ' + _FK.format(table='"survey_cycle"') + " DEFAULT null,"
    ' "year" INTEGER DEFAULT null, "status" VARCHAR(12) NOT NULL DEFAULT \'\','
    ' "error" TEXT NOT NULL DEFAULT \'\', "inputs_hash" VARCHAR(64) NOT NULL DEFAULT \'\','
    ' "requested_by" INTEGER ' + _FK.format(table='"app_user"') + " DEFAULT null,"
    ' "attempts" INTEGER NOT NULL DEFAULT 0,'
    ' "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,'
    ' "started_at" TIMESTAMPTZ DEFAULT null, "finished_at" TIMESTAMPTZ DEFAULT null)',
    'CREATE INDEX report_job_cycle ON "report_job" ("cycle")',
    'CREATE INDEX report_job_status ON "report_job" ("status")',
    'CREATE INDEX report_job_inputs_hash ON "report_job" ("inputs_hash")',
    'CREATE TABLE "report_artifact" ("id" {pk},'
    ' "job" INTEGER NOT NULL ' + _FK.format(table='"report_job"') + " DEFAULT null,"
    ' "format" VARCHAR(8) NOT NULL DEFAULT \'\', "path" VARCHAR(255) NOT NULL DEFAULT \'\','
    ' "sha256" VARCHAR(64) NOT NULL DEFAULT \'\', "size" INTEGER NOT NULL DEFAULT 0)',
    'CREATE INDEX report_artifact_job ON "report_artifact" ("job")',
    'CREATE TABLE "cycle_report" ("id" {pk},'
    ' "cycle" INTEGER UNIQUE NOT NULL ' + _FK.format(table='"survey_cycle"') + " DEFAULT null,"
    ' "status" VARCHAR(12) NOT NULL DEFAULT \'\', "latar_belakang" TEXT NOT NULL DEFAULT \'\','
    ' "kesimpulan" TEXT NOT NULL DEFAULT \'\', "rekomendasi" TEXT NOT NULL DEFAULT \'\','
    ' "signature" JSON NOT NULL DEFAULT \'{{}}\', "note" TEXT NOT NULL DEFAULT \'\','
    ' "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    'CREATE TABLE "report_publication" ("id" {pk},'
    ' "cycle" INTEGER NOT NULL ' + _FK.format(table='"survey_cycle"') + " DEFAULT null,"
    ' "media" VARCHAR(20) NOT NULL DEFAULT \'\','
    ' "published_on" DATE NOT NULL DEFAULT CURRENT_DATE,'
    ' "url" VARCHAR(500) NOT NULL DEFAULT \'\', "photo" VARCHAR(255) NOT NULL DEFAULT \'\','
    ' "recorded_by" INTEGER ' + _FK.format(table='"app_user"') + " DEFAULT null,"
    ' "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    'CREATE INDEX report_publication_cycle ON "report_publication" ("cycle")',
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
