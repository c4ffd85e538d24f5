"""Kept tallies: a closed cycle's counts, stored so figures read O(cycles), not O(responses).

A closed cycle takes no answers, voids or corrections (``core.surveys.corrections`` refuses them
until an audited reopening), so its counts cannot change while it stays closed. They are written
in the transaction that closes the cycle and deleted in the transaction that reopens it; a cycle
is read from them only while both hold: its status is closed (or reported, published) **and** its
marker row exists (``KEPT_SQL``). Anything else — an open cycle, a closed one never kept — is
counted live from the responses, so a kept tally can be missing but never stale.

Rows (table ``survey_kept_tally``, alias ``r`` in queries so scope conditions on ``r.cycle`` and
``r.service`` apply unchanged): one per cycle × service × unsur × value with its count ``n``;
code ``''`` (value 0) holds the counted respondents of a service, code ``'*'`` marks the cycle.
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

_COUNTED_FROM = f" FROM survey_response r WHERE r.cycle = {{}} AND {COUNTED_SQL}"


def _keep_sql() -> str:
    """One INSERT … SELECT writing every row of one cycle (its id is each part's parameter)."""
    standard = [
        f"SELECT r.cycle, r.service, 'U{n}', r.u{n}, COUNT(*){_COUNTED_FROM}"
        f" AND r.u{n} IN (1, 2, 3, 4) GROUP BY r.cycle, r.service, r.u{n}"
        for n in range(1, 10)
    ]
    extra = (
        "SELECT r.cycle, r.service, e.code, e.value, COUNT(*) FROM survey_extra_answer e"
        f" JOIN survey_response r ON r.id = e.response WHERE r.cycle = {{}} AND {COUNTED_SQL}"
        " GROUP BY r.cycle, r.service, e.code, e.value"
    )
    respondents = (
        f"SELECT r.cycle, r.service, '{RESPONDENTS}', 0, COUNT(*){_COUNTED_FROM}"
        " GROUP BY r.cycle, r.service"
    )
    marker = f"SELECT c.id, NULL, '{MARKER}', 0, 0 FROM survey_cycle c WHERE c.id = {{}}"
    parts = [*standard, extra, respondents, marker]
    return "INSERT INTO survey_kept_tally (cycle, service, code, value, n) " + " UNION ALL ".join(
        parts
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
