"""Composite unique indexes for the survey tables."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T03:13:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "survey composite unique indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)

    async def create_indexes():
        from core.db import engine

        for statement in (
            "CREATE UNIQUE INDEX survey_cycle_service_pair"
            " ON survey_cycle_service (cycle, service)",
            "CREATE UNIQUE INDEX survey_import_batch_hash ON survey_import_batch (cycle, file_hash)",
            "CREATE UNIQUE INDEX questionnaire_version_number"
            " ON questionnaire_version (unit, number)",
            "CREATE UNIQUE INDEX survey_extra_answer_pair ON survey_extra_answer (response, code)",
        ):
            await engine().run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
