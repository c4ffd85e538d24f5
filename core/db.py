"""Database engine construction, transactions with after-commit hooks, migrations and health."""

from __future__ import annotations

import contextvars
import hashlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_SECONDS = 30
# A PostgreSQL server that does not answer a connection attempt (a cut network, a server half
# up) fails the request after this long, as a 503, instead of holding it for asyncpg's 60 s.
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10

_after_commit: contextvars.ContextVar[list[Callable[[], Any]] | None] = contextvars.ContextVar(
    "suara_after_commit", default=None
)


class LazyPostgresEngine(PostgresEngine):
    """Piccolo's PostgresEngine, minus the connection its constructor opens to check the server
    version: the check runs in prepare_database() instead, when the database is first used."""

    async def check_version(self) -> None:
        """Deferred to prepare_database()."""

    async def check_server_version(self) -> None:
        """Warn (as Piccolo does) when the server is older than Piccolo supports."""
        await PostgresEngine.check_version(self)


def engine_for_url(database_url: str) -> Engine:
    """The Piccolo engine for a DATABASE_URL, built without touching the disk or the network."""
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        return SQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    dsn = database_url.replace("postgres://", "postgresql://", 1)
    return LazyPostgresEngine(config={"dsn": dsn, "timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS})


async def prepare_database() -> None:
    """Before first use: on SQLite, create the file's folder and switch it to WAL (readers go on
    while one writer commits; the mode is stored in the file); on Postgres, check its version."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        path = Path(db.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
    elif isinstance(db, LazyPostgresEngine):
        await db.check_server_version()


def engine() -> Engine:
    """The engine Piccolo tables use (from PICCOLO_CONF)."""
    db = engine_finder()
    if db is None:  # pragma: no cover - only when PICCOLO_CONF is broken
        raise RuntimeError("Piccolo engine not configured (PICCOLO_CONF)")
    return db


def is_postgres() -> bool:
    """True when running on PostgreSQL."""
    return isinstance(engine(), PostgresEngine)


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """One write transaction (IMMEDIATE on SQLite); runs on_commit hooks after the outermost."""
    db = engine()
    outermost = _after_commit.get() is None
    token = _after_commit.set([]) if outermost else None
    try:
        if isinstance(db, SQLiteEngine):
            transaction = db.transaction(transaction_type=TransactionType.immediate)
        else:
            transaction = db.transaction()
        async with transaction:
            yield
        if outermost:
            callbacks = _after_commit.get() or []
            for callback in callbacks:
                try:
                    result = callback()
                    if hasattr(result, "__await__"):
                        await result
                except Exception:  # an after-commit hook never undoes a committed change
                    log.exception("after-commit hook failed")
    finally:
        if token is not None:
            _after_commit.reset(token)


async def fetch_rows(sql: str, *args: Any) -> list[Sequence[Any]]:
    """The rows of a read query as tuples (asyncpg records on PostgreSQL), without the dict per row
    Piccolo builds: for reads of thousands of rows. ``sql`` takes Piccolo's ``{}`` placeholders;
    the query runs in the current transaction when there is one."""
    db = engine()
    query, values = QueryString(sql, *args).compile_string(engine_type=db.engine_type)
    transaction = db.current_transaction.get()
    if isinstance(db, SQLiteEngine):
        if transaction is not None:
            cursor = await transaction.connection.execute(query, values)
            cursor.row_factory = None  # tuples, not Piccolo's dicts
            return list(await cursor.fetchall())
        import aiosqlite

        async with aiosqlite.connect(**db.connection_kwargs) as connection:
            return list(await connection.execute_fetchall(query, values))
    if transaction is not None:
        return list(await transaction.connection.fetch(query, *values))
    if isinstance(db, PostgresEngine) and db.pool is not None:
        async with db.pool.acquire() as connection:
            return list(await connection.fetch(query, *values))
    connection = await db.get_new_connection()
    try:
        return list(await connection.fetch(query, *values))
    finally:
        await connection.close()


async def lock_key(name: str) -> None:
    """Serialise, until the end of the current atomic() block, every transaction that locks ``name``.

    SQLite's IMMEDIATE transactions are already serial; on PostgreSQL a transaction advisory lock
    keyed by a hash of ``name`` makes "count, then insert" atomic across processes.
    """
    if is_postgres():
        await engine().run_ddl(f"SELECT pg_advisory_xact_lock({lock_id(name)})")


async def lock_row(table: str, row_id: int) -> None:
    """Lock one row FOR UPDATE until the end of the current atomic() block (PostgreSQL; SQLite's
    write transactions are serial): it waits for, and then holds off, every transaction holding
    a lock on the row, even the FOR KEY SHARE that a foreign key check takes."""
    if is_postgres():
        await engine().run_ddl(f'SELECT id FROM "{table}" WHERE id = {int(row_id)} FOR UPDATE')


def lock_id(name: str) -> int:
    """The 64-bit PostgreSQL advisory lock key of a lock name."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def on_commit(callback: Callable[[], Any]) -> None:
    """Run callback once the surrounding atomic() block commits (immediately outside one)."""
    pending = _after_commit.get()
    if pending is None:
        raise RuntimeError("on_commit() must be called inside atomic()")
    pending.append(callback)


async def _keep_session(connection: Any) -> None:
    """Return a connection to the pool as it is: Suara leaves no session state on one (no SET,
    LISTEN, open cursor or session-level advisory lock; its locks end with their transaction),
    so asyncpg's reset query, one more round trip per use, has nothing to undo. asyncpg still
    rolls back a transaction left open before this runs."""


async def start_pool() -> None:
    """Open a connection pool on Postgres (no-op on SQLite)."""
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.start_connection_pool(min_size=1, max_size=10, reset=_keep_session)


async def close_pool() -> None:
    """Close the Postgres pool if one was opened."""
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()


async def check_database() -> str:
    """'ok' when a trivial query succeeds, else a short reason."""
    try:
        await engine().run_ddl("SELECT 1")
    except Exception as exc:  # health checks report, they do not raise
        return f"error: {type(exc).__name__}"
    return "ok"


async def migrate() -> None:
    """Apply every migration that has not run yet; raises when one fails."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    await prepare_database()
    result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")


async def migration_status() -> list[tuple[str, str, bool]]:
    """(migration id, description, applied?) for every known migration, oldest first.

    Reads only: a database never migrated (no file, or no migration table) has applied none.
    """
    from piccolo.apps.migrations.commands.base import BaseMigrationManager

    from core.piccolo_app import APP_CONFIG

    modules = BaseMigrationManager().get_migration_modules(
        APP_CONFIG.resolved_migrations_folder_path
    )
    applied = await _applied_migrations(APP_CONFIG.app_name)
    return [(i, getattr(modules[i], "DESCRIPTION", "-"), i in applied) for i in sorted(modules)]


async def _applied_migrations(app_name: str) -> set[str]:
    from piccolo.apps.migrations.tables import Migration

    db = engine()
    if isinstance(db, SQLiteEngine) and not Path(db.path).exists():
        return set()
    if not await Migration.table_exists():
        return set()
    rows = await Migration.select(Migration.name).where(Migration.app_name == app_name)
    return {row["name"] for row in rows}


async def pending_migrations() -> list[str]:
    """The ids of the migrations this database has not applied yet."""
    return [migration_id for migration_id, _, applied in await migration_status() if not applied]


async def check_migrations() -> str:
    """'ok' when every migration is applied, else 'pending: <ids>' (or the error's type)."""
    try:
        pending = await pending_migrations()
    except Exception as exc:  # health checks report, they do not raise
        return f"error: {type(exc).__name__}"
    return f"pending: {', '.join(pending)}" if pending else "ok"


def icontains(column: Any, text: str) -> Any:
    """Case-insensitive 'contains' (ILIKE on Postgres; SQLite's LIKE already ignores case)."""
    pattern = f"%{text.strip()}%"
    return column.ilike(pattern) if is_postgres() else column.like(pattern)
