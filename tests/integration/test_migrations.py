"""The migrations, run on an empty database from zero, build exactly what core's tables declare.

Two fresh databases are made: one by the migrations (``suara db migrate``), one by Piccolo
straight from core's Table classes. Their columns (type, nullability, default), indexes (unique or
not, and on which columns) and foreign keys must be the same; the migrated one also carries the
composite unique indexes. Runs on SQLite and, with ``--db=postgres``, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PG, _admin_sql

pytestmark = pytest.mark.db

MIGRATIONS = Path(__file__).parents[2] / "core" / "piccolo_migrations"
CREATE_FROM_TABLES = (
    "from piccolo.table import create_db_tables_sync\n"
    "from core.piccolo_app import APP_CONFIG\n"
    "create_db_tables_sync(*APP_CONFIG.table_classes)\n"
)
Schema = dict[str, set[tuple]]


def _in_subprocess(database_url: str, tmp_path: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "SUARA_DATA_DIR": str(tmp_path / "var")}
    result = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def _sqlite_schema(path: Path) -> Schema:
    schema: Schema = {"columns": set(), "indexes": set(), "foreign_keys": set()}
    with sqlite3.connect(path) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] != "sqlite_sequence" and row[0] != "migration"
        ]
        for table in tables:
            for _, name, kind, notnull, default, pk in conn.execute(f"PRAGMA table_info({table})"):
                schema["columns"].add((table, name, kind, bool(notnull), default, pk))
            for _, index, unique, _origin, _partial in conn.execute(f"PRAGMA index_list({table})"):
                columns = tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{index}')"))
                schema["indexes"].add((table, bool(unique), columns))
            for row in conn.execute(f"PRAGMA foreign_key_list({table})"):
                schema["foreign_keys"].add((table, row[3], row[2], row[4], row[5], row[6]))
    return schema


PG_COLUMNS = """
SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'migration'
"""
PG_INDEXES = """
SELECT t.relname, i.indisunique, i.indisprimary,
       array_to_string(ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
                             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n
                             ORDER BY k.o), ',')
FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace s ON s.oid = t.relnamespace
WHERE s.nspname = 'public' AND t.relname <> 'migration'
"""
PG_FOREIGN_KEYS = """
SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'
"""


def _postgres_schema(url: str) -> Schema:
    import asyncpg

    async def read() -> Schema:
        connection = await asyncpg.connect(url)
        try:
            return {
                "columns": {tuple(r) for r in await connection.fetch(PG_COLUMNS)},
                "indexes": {
                    (r[0], r[1], r[2], tuple(r[3].split(",")))
                    for r in await connection.fetch(PG_INDEXES)
                },
                "foreign_keys": {tuple(r) for r in await connection.fetch(PG_FOREIGN_KEYS)},
            }
        finally:
            await connection.close()

    return asyncio.run(read())


def _composite(schema: Schema) -> set[tuple]:
    return {index for index in schema["indexes"] if len(index[-1]) > 1}


@pytest.fixture
def fresh_databases(request, tmp_path):
    """(migrated schema, schema made from the Table classes) for the database under test."""
    if request.config.getoption("--db") == "sqlite":
        migrated, direct = tmp_path / "migrated.sqlite3", tmp_path / "direct.sqlite3"
        _in_subprocess(f"sqlite:///{migrated}", tmp_path, "-m", "suara_cli", "db", "migrate")
        _in_subprocess(f"sqlite:///{direct}", tmp_path, "-c", CREATE_FROM_TABLES)
        yield _sqlite_schema(migrated), _sqlite_schema(direct)
        return
    if not request.config.suara_pg_reachable:
        pytest.skip("PostgreSQL not reachable")
    admin = os.environ.get("SUARA_TEST_POSTGRES_URL", DEFAULT_PG)
    names = [f"suara_schema_{kind}_{os.getpid()}" for kind in ("migrated", "direct")]
    urls = [admin.rsplit("/", 1)[0] + f"/{name}" for name in names]
    for name in names:
        _admin_sql(admin, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
    try:
        _in_subprocess(urls[0], tmp_path, "-m", "suara_cli", "db", "migrate")
        _in_subprocess(urls[1], tmp_path, "-c", CREATE_FROM_TABLES)
        yield _postgres_schema(urls[0]), _postgres_schema(urls[1])
    finally:
        _admin_sql(admin, *(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)" for name in names))


def test_migrating_from_zero_builds_what_the_tables_declare(fresh_databases):
    migrated, direct = fresh_databases
    assert migrated["columns"] == direct["columns"]
    assert migrated["foreign_keys"] == direct["foreign_keys"]
    assert migrated["indexes"] - _composite(migrated) == direct["indexes"]
    tables = {column[0] for column in direct["columns"]}
    assert len(tables) >= 26
    assert {index[0] for index in _composite(migrated)} >= {"unit_service", "forum_invitation"}


def test_migrations_import_no_application_code():
    for path in MIGRATIONS.glob("suara_*.py"):
        imports = [
            line
            for line in path.read_text().splitlines()
            if line.lstrip().startswith(("import ", "from "))
        ]
        assert all(" piccolo" in line for line in imports), (path.name, imports)


def test_dropping_kiosk_token_on_sqlite_keeps_the_cycles_and_what_refers_to_them(request, tmp_path):
    """0890 rebuilds survey_cycle without the column: rows, indexes and referrers stay."""
    if request.config.getoption("--db") != "sqlite":
        pytest.skip("the table rebuild is SQLite's")
    path = tmp_path / "old.sqlite3"
    _in_subprocess(f"sqlite:///{path}", tmp_path, "-m", "suara_cli", "db", "migrate")
    with sqlite3.connect(path) as conn:  # back to the shape before 0890, with rows in it
        (create,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'survey_cycle'"
        ).fetchone()
        old = create.replace(
            '"opened_at"', '"kiosk_token" VARCHAR(40) UNIQUE DEFAULT null, "opened_at"'
        ).replace('CREATE TABLE "survey_cycle"', 'CREATE TABLE "survey_cycle_old"')
        conn.execute(old)
        conn.execute('DROP TABLE "survey_cycle"')
        conn.execute('ALTER TABLE "survey_cycle_old" RENAME TO "survey_cycle"')
        for column in ("unit", "year", "status"):
            conn.execute(f"CREATE INDEX survey_cycle_{column} ON survey_cycle ({column})")
        conn.execute("INSERT INTO unit DEFAULT VALUES")
        conn.execute(
            "INSERT INTO survey_cycle (unit, public_token, kiosk_token) VALUES (1, 'pub', 'k1')"
        )
        conn.execute("INSERT INTO report_job (cycle) VALUES (1)")
        conn.execute("DELETE FROM migration WHERE name LIKE '%T08:90:%'")
    _in_subprocess(f"sqlite:///{path}", tmp_path, "-m", "suara_cli", "db", "migrate")
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(survey_cycle)")]
        assert "kiosk_token" not in columns and "public_token" in columns
        assert conn.execute("SELECT id, public_token FROM survey_cycle").fetchall() == [(1, "pub")]
        assert conn.execute("SELECT cycle FROM report_job").fetchall() == [(1,)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        referred = {r[2] for r in conn.execute("PRAGMA foreign_key_list(report_job)")}
        assert "survey_cycle" in referred
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(survey_cycle)")}
        assert {"survey_cycle_unit", "survey_cycle_year", "survey_cycle_status"} <= indexes
