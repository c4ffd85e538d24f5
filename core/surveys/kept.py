"""Kept tallies: a closed cycle's counts, stored so figures read O(cycles), not O(responses).

A closed cycle takes no answers, voids or corrections (``core.surveys.corrections`` refuses them
until an audited reopening), so its counts cannot change while it stays closed. They are written
in the transaction that closes the cycle and deleted in the transaction that reopens it; a cycle
is read from them only while both hold: its status is closed (or reported, published) **and** its
marker row exists (``KEPT_SQL``). Anything else — an open cycle, a closed one never kept — is
counted live from the responses, so a kept tally can be missing but never stale.

Rows (table ``survey_kept_tally``, alias ``r`` in queries so scope conditions on ``r.cycle`` and
``r.service`` apply unchanged), per cycle × service: code ``''`` holds the counted respondents
(``n``) and the nine standard unsur's value counts in the columns a live tally has (u1_1…u9_4);
a row per extra unsur and value its count; code ``'*'`` marks the cycle.
"""

from __future__ import annotations

from core.surveys.tables import COUNTED_SQL, CycleStatus, KeptTally

KEPT_STATUSES = (CycleStatus.closed.value, CycleStatus.reported.value, CycleStatus.published.value)
RESPONDENTS = ""
MARKER = "*"
KEPT_SQL = (
    "c.status IN ({}) AND EXISTS (SELECT 1 FROM survey_kept_tally m"
    " WHERE m.cycle = c.id AND m.code = '*')"
).format(", ".join(f"'{status}'" for status in KEPT_STATUSES))
"""The cycles (alias c) whose kept tallies are read instead of their responses."""

COUNT_COLUMNS = tuple(f"u{n}_{v}" for n in range(1, 10) for v in (1, 2, 3, 4))
"""The standard unsur's value counts, named as a live tally names them."""


def _keep_sql() -> str:
    """One INSERT … SELECT writing every row of one cycle (its id is each part's parameter)."""
    counts = ", ".join(f"COUNT(*) FILTER (WHERE r.{c[:-2]} = {c[-1]})" for c in COUNT_COLUMNS)
    zeros = ", ".join("0" for _ in COUNT_COLUMNS)
    standard = (
        f"SELECT r.cycle, r.service, '{RESPONDENTS}', 0, COUNT(*), {counts}"
        f" FROM survey_response r WHERE r.cycle = {{}} AND {COUNTED_SQL}"
        " GROUP BY r.cycle, r.service"
    )
    extra = (
        f"SELECT r.cycle, r.service, e.code, e.value, COUNT(*), {zeros} FROM survey_extra_answer e"
        f" JOIN survey_response r ON r.id = e.response WHERE r.cycle = {{}} AND {COUNTED_SQL}"
        " GROUP BY r.cycle, r.service, e.code, e.value"
    )
    marker = f"SELECT c.id, NULL, '{MARKER}', 0, 0, {zeros} FROM survey_cycle c WHERE c.id = {{}}"
    columns = ", ".join(("cycle", "service", "code", "value", "n", *COUNT_COLUMNS))
    return f"INSERT INTO survey_kept_tally ({columns}) " + " UNION ALL ".join(
        (standard, extra, marker)
    )


KEEP_SQL = _keep_sql()
_PARTS = KEEP_SQL.count("{}")


async def keep_tallies(cycle_id: int) -> None:
    """(Re)write a cycle's kept tallies from its counted responses; call inside ``atomic()``."""
    await drop_tallies(cycle_id)
    await KeptTally.raw(KEEP_SQL, *([cycle_id] * _PARTS))


async def drop_tallies(cycle_id: int) -> None:
    """Forget a cycle's kept tallies (it is counted live again); call inside ``atomic()``."""
    await KeptTally.delete().where(KeptTally.cycle == cycle_id)


async def follow_status(cycle_id: int, status: str) -> None:
    """Keep a cycle's tallies in step with a move of its life cycle (same transaction).

    Closing writes them; reopening drops them; reporting and publishing change no answer.
    """
    if status == CycleStatus.closed.value:
        await keep_tallies(cycle_id)
    elif status not in KEPT_STATUSES:
        await drop_tallies(cycle_id)
