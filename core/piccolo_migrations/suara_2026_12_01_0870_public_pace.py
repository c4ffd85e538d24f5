"""The public pace check as one PostgreSQL function, so a submission is one statement, and
the index that bounds its count to one address's responses to one cycle in the window (it
replaces the index on source_key alone).

``suara_pace_ok`` takes the address's transaction advisory lock and then counts its responses
to the cycle in the window. Being VOLATILE, its count runs on a snapshot taken after the lock is
held, so parallel posts from one address cannot pass the limit together, while the INSERT that
calls it stays a single statement. On SQLite there is no function (write transactions are serial
and the count is plain SQL), only the index.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-01T08:70:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "suara_pace_ok(): the public pace check, locked and counted in one call"

# The pace index replaces the one on source_key alone, which nothing else filters by.
INDEXES = (
    "CREATE INDEX survey_response_pace ON survey_response (cycle, source_key, created_at)",
    "DROP INDEX IF EXISTS survey_response_source_key",
)
FUNCTION = (
    "CREATE OR REPLACE FUNCTION suara_pace_ok(p_lock bigint, p_cycle integer, p_key varchar,"
    " p_since timestamptz, p_limit integer) RETURNS boolean VOLATILE LANGUAGE plpgsql AS $$"
    " BEGIN PERFORM pg_advisory_xact_lock(p_lock);"
    " RETURN (SELECT COUNT(*) FROM (SELECT 1 FROM survey_response r WHERE r.cycle = p_cycle"
    " AND r.source_key = p_key AND r.created_at > p_since LIMIT p_limit) recent) < p_limit;"
    " END; $$"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_pace():
        db = engine_finder()
        for statement in INDEXES:
            await db.run_ddl(statement)
        if isinstance(db, PostgresEngine):
            await db.run_ddl(FUNCTION)

    manager.add_raw(create_pace)
    return manager
