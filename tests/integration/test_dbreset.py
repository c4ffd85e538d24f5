"""The reset before each database test (tests/dbreset.py) leaves every table empty, the
append-only audit log included, and restarts ids, so each test sees the same ids on each run."""

from core.audit.tables import AuditEvent
from core.piccolo_app import APP_CONFIG
from tests.dbreset import clear_files, empty_tables
from tests.factories import make_unit, make_user


async def test_reset_empties_every_table_and_restarts_ids(db):
    first = await make_unit("PKM-A", "puskesmas", services=("UMUM",))
    await make_user("petugas", "operator", ("PKM-A",))
    assert await AuditEvent.count() > 0
    await empty_tables()
    assert {t._meta.tablename: await t.count() for t in APP_CONFIG.table_classes} == {
        t._meta.tablename: 0 for t in APP_CONFIG.table_classes
    }
    assert await make_unit("PKM-B", "puskesmas") == first
    await empty_tables()  # again, with only some tables filled
    assert await make_unit("PKM-C", "puskesmas") == first


async def test_the_files_of_rows_go_with_them(db, settings):
    job_folder = settings.data_dir / "reports" / "1"
    job_folder.mkdir(parents=True, exist_ok=True)
    (job_folder / "laporan.pdf").write_bytes(b"%PDF-1.4 of another test's job 1")
    key = settings.data_dir / "secret_key"
    kept = key.read_bytes() if key.exists() else None
    clear_files(settings.data_dir)
    assert not job_folder.exists()
    assert (key.read_bytes() if key.exists() else None) == kept  # the installation's own files stay
