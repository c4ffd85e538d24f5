"""Leases on running jobs and the broker epoch of each relay, so work cut off by a killed worker
or a broker that lost its queue runs again by itself (hand-written DDL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T08:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "jobs: leases and broker epochs"

STATEMENTS = (
    'ALTER TABLE "outbox_job" ADD COLUMN "lease_until" TIMESTAMPTZ DEFAULT null',
    'ALTER TABLE "outbox_job" ADD COLUMN "broker_epoch" VARCHAR(64) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "report_job" ADD COLUMN "lease_until" TIMESTAMPTZ DEFAULT null',
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def add_columns():
        db = engine_finder()
        for statement in STATEMENTS:
            await db.run_ddl(statement)

    manager.add_raw(add_columns)
    return manager
