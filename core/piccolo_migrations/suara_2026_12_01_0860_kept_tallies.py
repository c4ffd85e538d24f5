"""Kept tallies of closed cycles (hand-written DDL), backfilled for the cycles already closed.

The backfill writes what ``core.surveys.kept.keep_tallies`` writes when a cycle closes: per cycle
× service a row (code '') with the counted responses (not voided, not superseded) and the count
of each value 1–4 of U1…U9, a row per extra unsur and value with its count, and a '*' marker row
per cycle. It imports no application code.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T08:60:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "surveys: kept tallies of closed cycles"

COUNT_COLUMNS = [f"u{n}_{v}" for n in range(1, 10) for v in (1, 2, 3, 4)]
CREATE = (
    'CREATE TABLE "survey_kept_tally" ("id" {pk},'
    ' "cycle" INTEGER NOT NULL REFERENCES "survey_cycle" ("id") ON DELETE CASCADE'
    " ON UPDATE CASCADE DEFAULT null,"
    ' "service" INTEGER REFERENCES "unit_service" ("id") ON DELETE CASCADE ON UPDATE CASCADE'
    " DEFAULT null,"
    " \"code\" VARCHAR(8) NOT NULL DEFAULT '',"
    ' "value" {smallint} NOT NULL DEFAULT 0,'
    ' "n" INTEGER NOT NULL DEFAULT 0, '
    + ", ".join(f'"{column}" INTEGER NOT NULL DEFAULT 0' for column in COUNT_COLUMNS)
    + ")",
    'CREATE INDEX survey_kept_tally_cycle ON "survey_kept_tally" ("cycle")',
)

CLOSED = "SELECT id FROM survey_cycle WHERE status IN ('closed', 'reported', 'published')"
COUNTED = f"r.cycle IN ({CLOSED}) AND r.voided_at IS NULL AND r.superseded_by IS NULL"
COUNTS = ", ".join(f"COUNT(*) FILTER (WHERE r.{c[:-2]} = {c[-1]})" for c in COUNT_COLUMNS)
ZEROS = ", ".join("0" for _ in COUNT_COLUMNS)
PARTS = [
    f"SELECT r.cycle, r.service, '', 0, COUNT(*), {COUNTS} FROM survey_response r"
    f" WHERE {COUNTED} GROUP BY r.cycle, r.service",
    f"SELECT r.cycle, r.service, e.code, e.value, COUNT(*), {ZEROS} FROM survey_extra_answer e"
    f" JOIN survey_response r ON r.id = e.response WHERE {COUNTED}"
    " GROUP BY r.cycle, r.service, e.code, e.value",
    f"SELECT id, NULL, '*', 0, 0, {ZEROS} FROM survey_cycle WHERE id IN ({CLOSED})",
]
BACKFILL = (
    f"INSERT INTO survey_kept_tally (cycle, service, code, value, n, {', '.join(COUNT_COLUMNS)}) "
    + " UNION ALL ".join(PARTS)
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_and_backfill():
        db = engine_finder()
        postgres = isinstance(db, PostgresEngine)
        pk = "SERIAL PRIMARY KEY NOT NULL" if postgres else "INTEGER PRIMARY KEY NOT NULL"
        smallint = "SMALLINT" if postgres else "INTEGER"
        for statement in CREATE:
            await db.run_ddl(statement.format(pk=pk, smallint=smallint))
        await db.run_ddl(BACKFILL)
        if postgres:  # plans for the recap need the new table's statistics at once
            await db.run_ddl('ANALYZE "survey_kept_tally"')

    manager.add_raw(create_and_backfill)
    return manager
