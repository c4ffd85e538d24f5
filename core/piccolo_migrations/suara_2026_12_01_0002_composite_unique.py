"""Composite unique indexes, which Piccolo columns cannot express (raw SQL, after the tables)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-01T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = (
    "CREATE UNIQUE INDEX unit_service_unit_code ON unit_service (unit, code)",
    'CREATE UNIQUE INDEX app_user_unit_pair ON app_user_unit ("user", unit)',
    "CREATE UNIQUE INDEX survey_cycle_service_pair ON survey_cycle_service (cycle, service)",
    "CREATE UNIQUE INDEX survey_import_batch_hash ON survey_import_batch (cycle, file_hash)",
    "CREATE UNIQUE INDEX questionnaire_version_number ON questionnaire_version (unit, number)",
    "CREATE UNIQUE INDEX survey_extra_answer_pair ON survey_extra_answer (response, code)",
    "CREATE UNIQUE INDEX forum_invitation_pair ON forum_invitation (forum, stakeholder)",
    "CREATE UNIQUE INDEX forum_attendance_pair ON forum_attendance (forum, stakeholder)",
    "CREATE UNIQUE INDEX forum_unit_pair ON forum_unit (forum, unit)",
    "CREATE UNIQUE INDEX stakeholder_unit_pair ON stakeholder_unit (stakeholder, unit)",
    "CREATE UNIQUE INDEX forum_agreement_number ON forum_agreement (forum, number)",
    'CREATE UNIQUE INDEX notification_choice_pair ON notification_channel_choice ("user", channel)',
)


async def forwards() -> MigrationManager:
    """Create the composite unique indexes."""
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
