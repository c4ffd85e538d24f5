"""The Standar Pelayanan of a service (PermenPAN-RB 15/2014): table service_standard.

A frozen copy written with the plain Piccolo column API, like the initial migration: it imports
nothing of core. The two tables it refers to are named here only for their foreign keys.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Date, ForeignKey, Text, Timestamptz
from piccolo.table import Table

ID = "2026-12-01T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "service standard"

COMPONENTS = (
    "persyaratan",
    "prosedur",
    "jangka_waktu",
    "biaya_tarif",
    "produk",
    "pengaduan",
    "dasar_hukum",
    "sarana_prasarana",
    "kompetensi_pelaksana",
    "pengawasan_internal",
    "jumlah_pelaksana",
    "jaminan_pelayanan",
    "jaminan_keamanan",
    "evaluasi_kinerja",
)


class Service(Table, tablename="unit_service"):
    """Referenced only (created by the initial migration)."""


class Forum(Table, tablename="forum"):
    """Referenced only (created by the initial migration)."""


async def forwards() -> MigrationManager:
    """Create service_standard: one row per service, the 14 components, set date and forum."""
    manager = MigrationManager(migration_id=ID, app_name="suara", description=DESCRIPTION)
    table = "ServiceStandard"
    name = "service_standard"
    manager.add_table(class_name=table, tablename=name)
    columns = [
        ("service", ForeignKey, {"references": Service, "null": False, "unique": True}),
        *((component, Text, {"default": ""}) for component in COMPONENTS),
        ("set_on", Date, {"null": True, "default": None}),
        ("forum", ForeignKey, {"references": Forum, "null": True, "default": None}),
        ("updated_at", Timestamptz, {}),
    ]
    for column_name, column_class, params in columns:
        manager.add_column(
            table_class_name=table,
            tablename=name,
            column_name=column_name,
            db_column_name=column_name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager
