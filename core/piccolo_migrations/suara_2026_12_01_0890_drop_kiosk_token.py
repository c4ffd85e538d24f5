"""Drop survey_cycle.kiosk_token: kiosk devices (migration 0850) replaced the per-cycle kiosk link,
and nothing reads the column any more.

PostgreSQL drops the column (and its unique index with it). SQLite cannot drop a UNIQUE column,
so the table is rebuilt without it, the documented way: on a connection of its own with foreign
keys off (so the rows that refer to cycles keep theirs), in one transaction, checked before commit.
It imports nothing of Suara.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-01T08:90:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "drop survey_cycle.kiosk_token (kiosk devices replaced it)"

TABLE, COLUMN = "survey_cycle", "kiosk_token"


def _without_column(create: str) -> str:
    """The CREATE TABLE statement without the column's definition."""
    start = create.index(f', "{COLUMN}" ')
    end = create.index(', "', start + 1)
    return create[:start] + create[end:]


async def _rebuild_sqlite(db: SQLiteEngine) -> None:
    """Rebuild survey_cycle without the column, keeping its rows, indexes and referrers."""
    connection = await db.get_connection()
    try:
        await connection.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
        await connection.execute("BEGIN IMMEDIATE")

        async def rows(sql: str, *args: str) -> list[dict]:
            async with connection.execute(sql, args) as cursor:
                return list(await cursor.fetchall())

        columns = [r["name"] for r in await rows(f'PRAGMA table_info("{TABLE}")')]
        if COLUMN not in columns:
            await connection.execute("ROLLBACK")
            return
        (table,) = await rows(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", TABLE
        )
        indexes = await rows(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            TABLE,
        )
        kept = ", ".join(f'"{name}"' for name in columns if name != COLUMN)
        new = f"{TABLE}_rebuilt"
        create = _without_column(table["sql"])
        await connection.execute(
            create.replace(f'CREATE TABLE "{TABLE}"', f'CREATE TABLE "{new}"', 1)
        )
        await connection.execute(f'INSERT INTO "{new}" ({kept}) SELECT {kept} FROM "{TABLE}"')
        await connection.execute(f'DROP TABLE "{TABLE}"')
        await connection.execute(f'ALTER TABLE "{new}" RENAME TO "{TABLE}"')
        for index in indexes:
            await connection.execute(index["sql"])
        broken = await rows("PRAGMA foreign_key_check")
        if broken:
            await connection.execute("ROLLBACK")
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
        await connection.execute("COMMIT")
    finally:
        await connection.close()


async def forwards() -> MigrationManager:
    """Drop the column (PostgreSQL) or rebuild the table without it (SQLite)."""
    manager = MigrationManager(
        migration_id=ID, app_name="suara", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def drop() -> None:
        db = engine_finder()
        if isinstance(db, SQLiteEngine):
            await _rebuild_sqlite(db)
        else:
            await db.run_ddl(f'ALTER TABLE "{TABLE}" DROP COLUMN IF EXISTS "{COLUMN}"')

    manager.add_raw(drop)
    return manager
