"""Emptying the test database between tests, cheaply (it runs before every database test), and
snapshots of a database state that costs much to build (the demo regency), restored in its place.

SQLite: one transaction deleting every table, children first (one commit instead of one per
table). PostgreSQL: TRUNCATE of all tables takes ~0.1-0.8 s (it replaces each table's files), so
only the tables that hold rows are emptied with DELETE, with foreign-key and append-only triggers
off for the transaction (``session_replication_role = replica``), and the sequences that were used
restart, as TRUNCATE ... RESTART IDENTITY would. A role that may not set that (not a superuser)
falls back to TRUNCATE.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

from core import db

FILE_FOLDERS = ("evidence", "findings", "forums", "plans", "reports")
"""Folders of the data directory whose files belong to rows (named by their ids): they go with the
rows, or a test would find the files of an earlier test's job or document with the same id."""


@cache
def table_names() -> tuple[str, ...]:
    """The application's tables, children before parents."""
    from core.piccolo_app import APP_CONFIG

    tables = {t._meta.tablename: t for t in APP_CONFIG.table_classes}
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for fk in tables[name]._meta.foreign_key_columns:
            target = fk._foreign_key_meta.resolved_references._meta.tablename
            if target != name:
                visit(target)
        order.append(name)

    for name in tables:
        visit(name)
    return tuple(reversed(order))


def clear_files(data_dir: Path) -> None:
    """Remove the files that belong to rows (FILE_FOLDERS)."""
    for folder in FILE_FOLDERS:
        shutil.rmtree(data_dir / folder, ignore_errors=True)


async def empty_tables() -> None:
    """Delete every row of the application's tables (and restart their ids on PostgreSQL)."""
    engine = db.engine()
    if not db.is_postgres():
        async with engine.transaction():
            for name in table_names():
                await engine.run_ddl(f'DELETE FROM "{name}"')
        return
    names = table_names()
    if not await _may_skip_triggers():
        await engine.run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        return
    listed = ", ".join(f"'{n}'" for n in names)
    rows = await engine.run_ddl(
        " UNION ALL ".join(
            f"SELECT 'table' AS kind, '{n}' AS name WHERE EXISTS (SELECT 1 FROM \"{n}\")"
            for n in names
        )
        + " UNION ALL SELECT 'sequence', s.schemaname || '.' || s.sequencename FROM pg_sequences s"
        " JOIN pg_class c ON c.relname = s.sequencename AND c.relkind = 'S'"
        " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = s.schemaname"
        " JOIN pg_depend d ON d.objid = c.oid AND d.deptype IN ('a', 'i')"
        " JOIN pg_class t ON t.oid = d.refobjid"
        f" WHERE s.last_value IS NOT NULL AND t.relname IN ({listed})"
    )
    filled = [r["name"] for r in rows if r["kind"] == "table"]
    used = [r["name"] for r in rows if r["kind"] == "sequence"]
    if not filled and not used:
        return
    async with engine.transaction():
        await engine.run_ddl("SET LOCAL session_replication_role = replica")
        for name in filled:
            await engine.run_ddl(f'DELETE FROM "{name}"')
        for name in used:
            await engine.run_ddl(f"ALTER SEQUENCE {name} RESTART")


_superuser: list[bool] = []


async def _may_skip_triggers() -> bool:
    """True when the test role may switch triggers off (a superuser); asked once per process."""
    if not _superuser:
        rows = await db.engine().run_ddl("SELECT current_setting('is_superuser') AS on")
        _superuser.append(rows[0]["on"] == "on")
    return _superuser[0]


async def snapshot(name: str, data_dir: Path) -> None:
    """Keep a copy of every application table under ``name``, for restore() later in this process
    (a file next to the SQLite database; a schema of the PostgreSQL test database), and of the
    files that belong to rows."""
    _copy_files(data_dir, data_dir.parent / f"snapshot-{name}-files")
    engine = db.engine()
    if not db.is_postgres():
        target = _snapshot_file(name)
        target.unlink(missing_ok=True)
        with closing(sqlite3.connect(engine.path)) as connection:
            connection.execute("VACUUM INTO ?", (str(target),))
        return
    schema = f"snapshot_{name}"
    async with engine.transaction():
        await engine.run_ddl(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        await engine.run_ddl(f"CREATE SCHEMA {schema}")
        for table in table_names():
            await engine.run_ddl(f'CREATE TABLE {schema}."{table}" AS TABLE public."{table}"')


async def restore(name: str, data_dir: Path) -> bool:
    """Replace every application table's rows (and their files) by the snapshot's; False when
    there is none."""
    files = data_dir.parent / f"snapshot-{name}-files"
    if not files.exists():
        return False
    _copy_files(files, data_dir)
    engine = db.engine()
    if not db.is_postgres():
        source = _snapshot_file(name)
        with closing(sqlite3.connect(engine.path, isolation_level=None)) as connection:
            connection.execute("ATTACH DATABASE ? AS snapshot", (str(source),))
            connection.execute("BEGIN IMMEDIATE")
            for table in table_names():
                connection.execute(f'DELETE FROM main."{table}"')
            for table in reversed(table_names()):
                connection.execute(f'INSERT INTO main."{table}" SELECT * FROM snapshot."{table}"')
            connection.execute("COMMIT")
            connection.execute("DETACH DATABASE snapshot")
        return True
    schema = f"snapshot_{name}"
    await empty_tables()
    async with engine.transaction():
        await engine.run_ddl("SET LOCAL session_replication_role = replica")
        for table in table_names():
            await engine.run_ddl(f'INSERT INTO public."{table}" SELECT * FROM {schema}."{table}"')
            await engine.run_ddl(
                f"SELECT setval(pg_get_serial_sequence('public.\"{table}\"', 'id'),"
                f' COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM public."{table}"'
            )
    return True


def _snapshot_file(name: str) -> Path:
    return Path(db.engine().path).with_name(f"snapshot-{name}.sqlite3")


def _copy_files(source: Path, target: Path) -> None:
    """Make target's FILE_FOLDERS those of source."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in FILE_FOLDERS:
        shutil.rmtree(target / folder, ignore_errors=True)
        if (source / folder).exists():
            shutil.copytree(source / folder, target / folder)
