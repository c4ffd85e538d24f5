"""The finding life cycle: open → responded → closed, or responded → returned → responded."""

from __future__ import annotations

from core.inspection.labels import STATUS_LABELS
from core.inspection.tables import FindingStatus
from core.states import StateMachine

OPEN, RESPONDED, RETURNED, CLOSED = (s.value for s in FindingStatus)

FINDING_STATES = StateMachine(
    entity="finding",
    action_prefix="finding",
    noun="Temuan",
    transitions={
        OPEN: frozenset({RESPONDED, CLOSED}),
        RESPONDED: frozenset({CLOSED, RETURNED}),
        RETURNED: frozenset({RESPONDED, CLOSED}),
    },
    labels=STATUS_LABELS,
)
