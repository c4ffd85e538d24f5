"""Kept tallies: the counts of a cycle's sealed responses, so figures read O(cycles).

Invariant: **a response is sealed ⇔ its contribution is in its cycle's kept tallies.** Every
tally is then exact at every moment: the kept rows plus a live count of the counted, unsealed
responses (``core.surveys.tallies``). The public submission path is untouched: a new response is
unsealed (the column's default) and counted live until its cycle is next sealed.

- **Sealing** (``seal_cycle``: closing a cycle, and the beat every ``SEAL_EVERY``) flags the
  cycle's unsealed responses sealed and rewrites its kept rows from its sealed, counted
  responses, in one transaction. On PostgreSQL the UPDATE flags the rows committed before it
  started; a response committed meanwhile is still unsealed when the rewrite counts the sealed
  ones, so it is counted live, never lost nor twice.
- **Changing a sealed response** (a void or a correction) first unseals its cycle in the same
  transaction (``unseal_cycle``: its kept rows deleted, its responses unsealed), so the cycle is
  counted live until the next seal.
- Both hold the cycle's seal lock (``hold``: a transaction advisory lock, not the cycle row, so
  submissions never wait for it), which makes two seals at once, or a seal and a change, serial.

Rows (table ``survey_kept_tally``, alias ``r`` in queries so scope conditions on ``r.cycle`` and
``r.service`` apply unchanged), per cycle × service: code ``''`` holds the counted respondents
(``n``) and the nine standard unsur's value counts in the columns a live tally has (u1_1…u9_4);
a row per extra unsur and value its count.
"""

from __future__ import annotations

from datetime import timedelta

from core.db import atomic, lock_key
from core.surveys.tables import COUNTED_SQL, KeptTally, Response

RESPONDENTS = ""
SEAL_EVERY = timedelta(minutes=15)
"""How often the beat seals: the live part of a tally is at most this long's submissions."""

COUNT_COLUMNS = tuple(f"u{n}_{v}" for n in range(1, 10) for v in (1, 2, 3, 4))
"""The standard unsur's value counts, named as a live tally names them."""


def _keep_sql() -> str:
    """One INSERT … SELECT writing every kept row of one cycle (its id is each part's parameter)."""
    counts = ", ".join(f"COUNT(*) FILTER (WHERE r.{c[:-2]} = {c[-1]})" for c in COUNT_COLUMNS)
    zeros = ", ".join("0" for _ in COUNT_COLUMNS)
    sealed = f"r.cycle = {{}} AND r.sealed AND {COUNTED_SQL}"
    standard = (
        f"SELECT r.cycle, r.service, '{RESPONDENTS}', 0, COUNT(*), {counts}"
        f" FROM survey_response r WHERE {sealed} GROUP BY r.cycle, r.service"
    )
    extra = (
        f"SELECT r.cycle, r.service, e.code, e.value, COUNT(*), {zeros} FROM survey_extra_answer e"
        f" JOIN survey_response r ON r.id = e.response WHERE {sealed}"
        " GROUP BY r.cycle, r.service, e.code, e.value"
    )
    columns = ", ".join(("cycle", "service", "code", "value", "n", *COUNT_COLUMNS))
    return f"INSERT INTO survey_kept_tally ({columns}) {standard} UNION ALL {extra}"


KEEP_SQL = _keep_sql()
_PARTS = KEEP_SQL.count("{}")
UNSEALED_CYCLES_SQL = "SELECT DISTINCT r.cycle AS id FROM survey_response r WHERE NOT r.sealed"
"""The cycles with responses not yet sealed (read from the partial index of migration 0880)."""


async def hold(cycle_id: int) -> None:
    """Take the cycle's seal lock until the end of the transaction (before any row lock)."""
    await lock_key(f"kept:{cycle_id}")


async def seal_cycle(cycle_id: int) -> bool:
    """Move the cycle's unsealed responses into its kept tallies; call inside ``atomic()``.

    Idempotent: False (and nothing written) when every response of the cycle is sealed already.
    """
    await hold(cycle_id)
    unsealed = (Response.cycle == cycle_id) & Response.sealed.eq(False)
    if not await Response.exists().where(unsealed):
        return False
    await Response.update({Response.sealed: True}).where(unsealed)
    await rewrite(cycle_id)
    return True


async def rewrite(cycle_id: int) -> None:
    """Write the cycle's kept rows afresh from its sealed, counted responses (under ``hold``)."""
    await KeptTally.delete().where(KeptTally.cycle == cycle_id)
    await KeptTally.raw(KEEP_SQL, *([cycle_id] * _PARTS))


async def unseal_cycle(cycle_id: int) -> None:
    """Count the whole cycle live again (before one of its sealed responses changes); call
    inside ``atomic()``, after ``hold``."""
    await hold(cycle_id)
    await KeptTally.delete().where(KeptTally.cycle == cycle_id)
    await Response.update({Response.sealed: False}).where(
        (Response.cycle == cycle_id) & Response.sealed.eq(True)
    )


async def seal_all() -> int:
    """Seal every cycle with unsealed responses, each in its own transaction (the beat's task).

    Returns how many cycles were sealed; safe to run twice at once (the seal lock).
    """
    sealed = 0
    for row in await Response.raw(UNSEALED_CYCLES_SQL):
        async with atomic():
            sealed += await seal_cycle(row["id"])
    return sealed
