"""Composite unique indexes for forums, stakeholders and notification choices."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T03:27:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "forum composite unique indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_indexes():
        from core.db import engine

        for statement in (
            "CREATE UNIQUE INDEX forum_invitation_pair ON forum_invitation (forum, stakeholder)",
            "CREATE UNIQUE INDEX forum_attendance_pair ON forum_attendance (forum, stakeholder)",
            "CREATE UNIQUE INDEX forum_unit_pair ON forum_unit (forum, unit)",
            "CREATE UNIQUE INDEX stakeholder_unit_pair ON stakeholder_unit (stakeholder, unit)",
            "CREATE UNIQUE INDEX forum_agreement_number ON forum_agreement (forum, number)",
            'CREATE UNIQUE INDEX notification_choice_pair ON notification_channel_choice ("user", channel)',
        ):
            await engine().run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
