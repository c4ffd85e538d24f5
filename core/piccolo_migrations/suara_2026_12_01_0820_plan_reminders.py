"""Plan reminders already sent (once per item or agreement, threshold and due day).

Written by hand with the plain Piccolo column API (no import of core), after
``suara_2026_12_01_0700_user_sessions``.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Date, Integer, Timestamptz, Varchar
from piccolo.engine.finder import engine_finder
from piccolo.table import Table

ID = "2026-12-01T08:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "plans: reminders sent"


class PlanReminder(Table, tablename="plan_reminder"):
    kind = Varchar(length=12)
    target = Integer()
    threshold = Varchar(length=12)
    due_on = Date()
    sent_at = Timestamptz()


STATEMENTS = (
    "CREATE UNIQUE INDEX plan_reminder_once ON plan_reminder (kind, target, threshold, due_on)",
)


async def forwards() -> MigrationManager:
    """Create the table, then its composite unique index (one raw step, in order)."""
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_table() -> None:
        await PlanReminder.create_table().run()
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_table)
    return manager
