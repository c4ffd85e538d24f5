"""A response's ``sealed`` flag: its counts are in its cycle's kept tallies (hand-written DDL).

The partial index finds a cycle's unsealed responses (the live part of every tally, and what the
next seal takes) without touching its sealed ones. Backfill: the responses of every cycle whose
tallies were kept (closed, reported or published, with the 0860 marker row) are sealed; kept rows
of any other cycle are deleted (they were never read and would now be), and the marker rows go:
a kept tally now means "the sealed responses' counts", whatever the cycle's status. It imports no
application code.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T08:80:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "surveys: sealed responses, counted in their cycle's kept tallies"

SCHEMA = (
    'ALTER TABLE "survey_response" ADD COLUMN "sealed" BOOLEAN NOT NULL DEFAULT false',
    'CREATE INDEX survey_response_unsealed ON "survey_response" ("cycle") WHERE NOT "sealed"',
)
KEPT = (
    "SELECT m.cycle FROM survey_kept_tally m JOIN survey_cycle c ON c.id = m.cycle"
    " WHERE m.code = '*' AND c.status IN ('closed', 'reported', 'published')"
)
BACKFILL = (
    f"DELETE FROM survey_kept_tally WHERE cycle NOT IN ({KEPT})",
    f"UPDATE survey_response SET sealed = true WHERE cycle IN ({KEPT})",
    "DELETE FROM survey_kept_tally WHERE code = '*'",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def add_and_backfill():
        db = engine_finder()
        for statement in (*SCHEMA, *BACKFILL):
            await db.run_ddl(statement)
        if isinstance(db, PostgresEngine):  # the partial index's statistics, for the recap plans
            await db.run_ddl('ANALYZE "survey_response"')

    manager.add_raw(add_and_backfill)
    return manager
