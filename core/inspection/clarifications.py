"""Clarification threads on an indicator of a unit's year: an inspector asks, the unit answers,
the inspector resolves (or asks again); in the objection phase the unit may open an objection
(sanggahan) the inspector answers and resolves the same way. Every step is audited; nothing
moves once the year is final.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.actions import register, register_entity
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, NotFound, ValidationFailed
from core.inspection.compliance import INDICATORS
from core.inspection.tables import Clarification, ClarificationEntry, ClarificationStatus
from core.inspection.windows import OBJECTION, THREAD, require_phase, unit_id_of
from core.states import StateMachine, move

OPEN, ANSWERED, RESOLVED = (s.value for s in ClarificationStatus)
THREAD_LABELS = {OPEN: "Menunggu jawaban unit", ANSWERED: "Menunggu inspektur", RESOLVED: "Selesai"}
KIND_LABELS = {"question": "Permintaan klarifikasi", "objection": "Sanggahan unit"}
ENTRY_LABELS = {
    "question": "Pertanyaan inspektur",
    "objection": "Sanggahan unit",
    "answer": "Jawaban",
    "resolved": "Diselesaikan",
}
CLARIFICATION_STATES = StateMachine(
    entity="clarification",
    action_prefix="clarification",
    noun="Klarifikasi",
    transitions={
        OPEN: frozenset({ANSWERED, RESOLVED}),
        ANSWERED: frozenset({OPEN, RESOLVED}),
        RESOLVED: frozenset(),
    },
    labels=THREAD_LABELS,
)
"""A question waits for the unit (open); an objection waits for the inspector (answered)."""

register({"clarification.created": ("Klarifikasi", "Dibuka")})
register_entity("clarification", "Klarifikasi")


class ThreadIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new thread on one indicator."""

    year: int
    indicator: str
    subject: str
    text: str


class ThreadEntryOut(msgspec.Struct):
    """One message of a thread."""

    kind: str
    text: str
    author: str | None
    created_at: datetime


class ThreadOut(msgspec.Struct):
    """A thread with its messages (oldest first)."""

    id: int
    unit: str
    year: int
    indicator: str
    kind: str
    subject: str
    status: str
    created_at: datetime
    entries: list[ThreadEntryOut]


def _text(value: str, field: str = "text") -> str:
    text = value.strip()
    if len(text) < 3:
        raise ValidationFailed.single(field, "isi minimal 3 karakter")
    return text[:4000]


async def open_thread(actor: Actor, code: str, data: ThreadIn, kind: str) -> int:
    """An inspector's question (``question``) or the unit's objection (``objection``)."""
    unit_id = await unit_id_of(code)
    if kind == "objection":
        require(actor, Action.respond_findings, unit_id)
    else:
        require(actor, Action.review_indicators)
    errors = []
    if data.indicator not in INDICATORS:
        errors.append(FieldError("indicator", f"pilihan: {', '.join(INDICATORS)}"))
    if not data.subject.strip():
        errors.append(FieldError("subject", "wajib diisi"))
    if len(data.text.strip()) < 3:
        errors.append(FieldError("text", "isi minimal 3 karakter"))
    if errors:
        raise ValidationFailed(errors)
    await require_phase(OBJECTION if kind == "objection" else THREAD, unit_id, data.year)
    now = utcnow()
    status = ANSWERED if kind == "objection" else OPEN
    async with atomic():
        rows = await Clarification.insert(
            Clarification(
                unit=unit_id, year=data.year, indicator=data.indicator, kind=kind,
                subject=data.subject.strip()[:250], status=status, created_by=actor.user_id,
                created_at=now, updated_at=now,
            )
        ).returning(Clarification.id)  # fmt: skip
        thread_id = int(rows[0]["id"])
        await ClarificationEntry.insert(
            ClarificationEntry(clarification=thread_id, kind=kind, text=_text(data.text),
                               author=actor.user_id, created_at=now)
        )  # fmt: skip
        await record(actor, "clarification.created", "clarification", thread_id,
                     after={"kind": kind, "year": data.year, "indicator": data.indicator},
                     unit_id=unit_id)  # fmt: skip
    return thread_id


async def _thread(thread_id: int) -> dict:
    row = await Clarification.select().where(Clarification.id == thread_id).first()
    if row is None:
        raise NotFound("Klarifikasi tidak ditemukan.")
    return row


async def _step(actor: Actor, row: dict, to: str, kind: str, text: str) -> None:
    await require_phase(THREAD, row["unit"], row["year"])
    now = utcnow()
    async with atomic():
        await ClarificationEntry.insert(
            ClarificationEntry(clarification=row["id"], kind=kind, text=text,
                               author=actor.user_id, created_at=now)
        )  # fmt: skip
        await move(CLARIFICATION_STATES, actor, Clarification, row, to,
                   values={Clarification.updated_at: now}, after={"text": text},
                   unit_id=row["unit"])  # fmt: skip


async def reply(actor: Actor, thread_id: int, text: str) -> None:
    """The unit answers (the thread waits for the inspector); the inspector answers or asks
    again (it waits for the unit)."""
    row = await _thread(thread_id)
    require(actor, Action.view_findings, row["unit"])
    if actor.is_scoped:
        require(actor, Action.respond_findings, row["unit"])
        await _step(actor, row, ANSWERED, "answer", _text(text))
    else:
        require(actor, Action.review_indicators)
        await _step(actor, row, OPEN, "answer", _text(text))


async def resolve(actor: Actor, thread_id: int, note: str) -> None:
    """The inspector closes a thread with a note."""
    require(actor, Action.review_indicators)
    row = await _thread(thread_id)
    await _step(actor, row, RESOLVED, "resolved", _text(note, "note"))


async def threads_of(actor: Actor, code: str, year: int) -> list[ThreadOut]:
    """A unit's threads of a year, newest first, with their messages."""
    unit_id = await unit_id_of(code)
    require(actor, Action.view_findings, unit_id)
    rows = (
        await Clarification.select()
        .where((Clarification.unit == unit_id) & (Clarification.year == year))
        .order_by(Clarification.id, ascending=False)
    )
    entries = (
        await ClarificationEntry.select(
            ClarificationEntry.all_columns(), ClarificationEntry.author.username.as_alias("who")
        )
        .where(ClarificationEntry.clarification.is_in([r["id"] for r in rows] or [0]))
        .order_by(ClarificationEntry.id)
    )
    return [
        ThreadOut(
            id=r["id"], unit=code, year=r["year"], indicator=r["indicator"], kind=r["kind"],
            subject=r["subject"], status=r["status"], created_at=r["created_at"],
            entries=[ThreadEntryOut(e["kind"], e["text"], e["who"], e["created_at"])
                     for e in entries if e["clarification"] == r["id"]],
        )
        for r in rows
    ]  # fmt: skip
