"""One small state-machine helper: transition tables, audited moves, and a 409 naming the allowed moves.

Every life cycle in Suara (survey cycles, forums, and the report, plan and finding life cycles) is a
``StateMachine``: a table of the moves allowed from each status and a label for each status. A
service loads its row (with its own permission check), then calls ``move`` inside its ``atomic()``
block; a forbidden move raises ``TransitionRefused`` (409) listing what is allowed instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.accounts.policy import Actor
from core.audit.actions import register_moves
from core.audit.service import record
from core.errors import Conflict


@dataclass(frozen=True)
class StateMachine:
    """The statuses of one kind of record and the moves allowed between them."""

    entity: str
    """Audit entity name, e.g. ``survey_cycle``."""
    action_prefix: str
    """Audit action prefix, e.g. ``cycle`` gives ``cycle.closed``."""
    noun: str
    """What the record is called in messages, e.g. ``Siklus survei``."""
    transitions: Mapping[str, frozenset[str]]
    """For each status, the statuses it may move to."""
    labels: Mapping[str, str]
    """Each status as people read it (an Indonesian msgid of the translation catalogue)."""

    def __post_init__(self) -> None:
        # Every move becomes an audit action with a label ("Siklus survei: Ditutup").
        register_moves(self.action_prefix, self.noun, self.labels, self.entity)

    def allowed(self, current: str) -> tuple[str, ...]:
        """The statuses ``current`` may move to, in table order."""
        targets = self.transitions.get(current, frozenset())
        return tuple(s for s in self.labels if s in targets)

    def label(self, status: str) -> str:
        """The label of a status (the code itself for an unknown one)."""
        return self.labels.get(status, status)

    def check(self, current: str, to: str) -> None:
        """Raise ``TransitionRefused`` unless ``current`` may move to ``to``."""
        if to not in self.transitions.get(current, frozenset()):
            raise TransitionRefused(self, current, to)


class TransitionRefused(Conflict):
    """A move the state machine does not allow; ``allowed`` lists the moves that are."""

    def __init__(self, machine: StateMachine, current: str, to: str) -> None:
        self.current = current
        self.to = to
        self.allowed = machine.allowed(current)
        options = ", ".join(f"«{machine.label(s)}»" for s in self.allowed) or "tidak ada"
        super().__init__(
            f"{machine.noun} berstatus «{machine.label(current)}»; tidak dapat menjadi "
            f"«{machine.label(to)}». Langkah yang diizinkan: {options}."
        )


async def move(
    machine: StateMachine,
    actor: Actor,
    table: Any,
    row: Mapping[str, Any],
    to: str,
    *,
    values: Mapping[Any, Any] | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
    unit_id: int | None = None,
) -> None:
    """Check and apply one move of ``row`` (a dict with ``id`` and ``status``) to ``to``, audited.

    Call inside the ``atomic()`` block of the change. ``values`` are further columns to set with
    the status; ``before``/``after`` override the audit snapshots (default: the status alone).
    """
    current = str(row["status"])
    machine.check(current, to)
    await table.update({table.status: to, **(values or {})}).where(table.id == row["id"])
    detail = dict(after) if after is not None else {"status": to}
    if reason:
        detail["reason"] = reason
    await record(
        actor,
        f"{machine.action_prefix}.{to}",
        machine.entity,
        row["id"],
        before=dict(before) if before is not None else {"status": current},
        after=detail,
        unit_id=unit_id,
    )
