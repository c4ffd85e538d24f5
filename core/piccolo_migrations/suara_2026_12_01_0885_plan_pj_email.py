"""plan_item.pj_email: where the reminders of a penanggung jawab without an account go.

Written with the plain Piccolo column API: it imports nothing of core.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Varchar

ID = "2026-12-01T08:85:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "plan item: the penanggung jawab's e-mail"


async def forwards() -> MigrationManager:
    """Add plan_item.pj_email (empty for every existing item)."""
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)
    manager.add_column(
        table_class_name="PlanItem",
        tablename="plan_item",
        column_name="pj_email",
        db_column_name="pj_email",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 254, "default": ""},
    )
    return manager
