"""Responses: the collection method of each one; void and correction (earlier versions kept).

Hand-written raw SQL (the same statements on SQLite and PostgreSQL); it imports no application
code. Existing responses get the method their channel implies; imported ones, whose file never
said, become ``mandiri`` (self-filled paper, which is what an imported paper batch is).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "response method, void and correction"

STATEMENTS = (
    "ALTER TABLE survey_response ADD COLUMN method VARCHAR(20) NOT NULL DEFAULT ''",
    "UPDATE survey_response SET method = CASE channel"
    " WHEN 'online' THEN 'elektronik' WHEN 'kiosk' THEN 'elektronik'"
    " WHEN 'interview' THEN 'tatap_muka' ELSE 'mandiri' END",
    "ALTER TABLE survey_response ADD COLUMN voided_at TIMESTAMPTZ NULL DEFAULT null",
    "ALTER TABLE survey_response ADD COLUMN voided_by INTEGER NULL DEFAULT null"
    " REFERENCES app_user (id) ON DELETE SET NULL ON UPDATE CASCADE",
    "ALTER TABLE survey_response ADD COLUMN void_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE survey_response ADD COLUMN superseded_by INTEGER NULL DEFAULT null"
    " REFERENCES survey_response (id) ON DELETE SET NULL ON UPDATE CASCADE",
    # without it every deleted response scans the table for rows pointing at it
    "CREATE INDEX survey_response_superseded_by ON survey_response (superseded_by)",
)


class _Sql(Table, tablename="survey_response"):
    """Only a handle on the engine for the raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await _Sql.raw(statement)

    manager.add_raw(run)
    return manager
