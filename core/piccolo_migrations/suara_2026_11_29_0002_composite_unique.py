"""Composite unique indexes Piccolo columns cannot express (they run after the tables exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T02:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_indexes():
        from core.db import engine

        await engine().run_ddl(
            "CREATE UNIQUE INDEX unit_service_unit_code ON unit_service (unit, code)"
        )
        await engine().run_ddl(
            'CREATE UNIQUE INDEX app_user_unit_pair ON app_user_unit ("user", unit)'
        )

    manager.add_raw(create_indexes)
    return manager
