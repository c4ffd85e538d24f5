"""The life cycles of a plan and of its items, their labels, and the plan's audit actions."""

from __future__ import annotations

from core.audit.actions import register, register_entity
from core.plans.tables import ItemStatus, PlanStatus
from core.states import StateMachine

PLAN_LABELS = {
    PlanStatus.draft.value: "Draf",
    PlanStatus.discussed.value: "Dibahas di forum",
    PlanStatus.published.value: "Diumumkan",
    PlanStatus.closed.value: "Selesai",
}
ITEM_LABELS = {
    ItemStatus.planned.value: "Direncanakan",
    ItemStatus.in_progress.value: "Sedang berjalan",
    ItemStatus.done.value: "Selesai",
    ItemStatus.dropped.value: "Dibatalkan",
}
DEFAULT_PROGRESS = {
    ItemStatus.planned.value: 0,
    ItemStatus.in_progress.value: 25,
    ItemStatus.done.value: 100,
    ItemStatus.dropped.value: 0,
}
"""The progress % an item takes when it moves to a status (then edited freely, except done)."""

PLAN_STATES = StateMachine(
    entity="plan",
    action_prefix="plan",
    noun="Rencana tindak lanjut",
    transitions={
        PlanStatus.draft.value: frozenset({PlanStatus.discussed.value}),
        PlanStatus.discussed.value: frozenset({PlanStatus.published.value}),
        PlanStatus.published.value: frozenset({PlanStatus.closed.value}),
        PlanStatus.closed.value: frozenset(),
    },
    labels=PLAN_LABELS,
)
"""draft → discussed (linked to the FKP forum that agreed it) → published → closed."""

ITEM_STATES = StateMachine(
    entity="plan_item",
    action_prefix="plan_item",
    noun="Kegiatan tindak lanjut",
    transitions={
        ItemStatus.planned.value: frozenset(
            {ItemStatus.in_progress.value, ItemStatus.done.value, ItemStatus.dropped.value}
        ),
        ItemStatus.in_progress.value: frozenset(
            {ItemStatus.planned.value, ItemStatus.done.value, ItemStatus.dropped.value}
        ),
        ItemStatus.done.value: frozenset({ItemStatus.in_progress.value}),
        ItemStatus.dropped.value: frozenset({ItemStatus.planned.value}),
    },
    labels=ITEM_LABELS,
)
"""planned → in progress → done, or dropped with a reason; done and dropped may be reopened."""

ROLLUP_RULE = (
    "Progres kegiatan yang memiliki sub-kegiatan adalah rata-rata progres sub-kegiatannya "
    "(sub-kegiatan yang dibatalkan tidak dihitung)."
)

register(
    {
        "plan.drafted": ("Rencana tindak lanjut", "Disusun"),
        "plan_item.updated": ("Kegiatan tindak lanjut", "Diubah"),
        "plan_item.added": ("Kegiatan tindak lanjut", "Ditambahkan"),
        "plan_item.evidence_added": ("Kegiatan tindak lanjut", "Bukti ditambahkan"),
        "plan_item.commented": ("Kegiatan tindak lanjut", "Dikomentari"),
        "plan_item.agreement_linked": ("Kegiatan tindak lanjut", "Kesepakatan ditautkan"),
    }
)
register_entity("plan", "Rencana tindak lanjut")
register_entity("plan_item", "Kegiatan tindak lanjut")
