"""A forum's life as one state machine, the moves (schedule, hold, cancel) and what each status
allows (changing, inviting, answering, checking in, uploading)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Action, Actor
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, ValidationFailed
from core.forums.access import forum_row
from core.forums.labels import SIGNED_BERITA_ACARA, STATUS_LABELS
from core.forums.tables import Attendance, Forum, ForumStatus
from core.jobs.outbox import enqueue
from core.states import StateMachine, move

DRAFT, SCHEDULED, HELD = (
    ForumStatus.draft.value,
    ForumStatus.scheduled.value,
    ForumStatus.held.value,
)
PUBLISHED, CANCELLED = ForumStatus.minutes_published.value, ForumStatus.cancelled.value

FORUM_STATES = StateMachine(
    entity="forum",
    action_prefix="forum",
    noun="Forum",
    transitions={
        DRAFT: frozenset({SCHEDULED, CANCELLED}),
        SCHEDULED: frozenset({HELD, CANCELLED}),
        HELD: frozenset({PUBLISHED}),
        PUBLISHED: frozenset(),
        CANCELLED: frozenset(),
    },
    labels=STATUS_LABELS,
)
UPCOMING = (DRAFT, SCHEDULED)
"""Statuses of a forum that has not happened yet: it may be changed and invited to."""


def is_upcoming(status: str) -> bool:
    """Whether the forum has not happened (nor been cancelled): it may change and invite."""
    return status in UPCOMING


def has_taken_place(status: str) -> bool:
    """Whether the forum was held (its berita acara and daftar hadir are final papers)."""
    return status in (HELD, PUBLISHED)


def accepts_answers(status: str) -> bool:
    """Whether invitees may still answer (and show their QR code at the door)."""
    return status == SCHEDULED


def records_attendance(status: str) -> bool:
    """Whether check-ins are recorded (a scheduled forum, and a held one for late entries)."""
    return status in (SCHEDULED, HELD)


def writes_minutes(status: str, locked: bool) -> bool:
    """Whether agreements and the notulen may be written."""
    return status == HELD and not locked


def upload_kinds(status: str, locked: bool) -> list[str]:
    """The kinds of document a forum in this state takes (the signed scan once held)."""
    if status == CANCELLED:
        return []
    kinds = ["material", "photo"]
    if has_taken_place(status) and not locked:
        kinds.append(SIGNED_BERITA_ACARA)
    return kinds


def forum_day(row: dict[str, Any]) -> date:
    """The forum's (first) day in its own time zone."""
    return row["start_at"].astimezone(ZoneInfo(row["timezone"])).date()


def forum_day_reached(start: datetime, timezone: str) -> bool:
    """Whether the forum's (first) day has come in its own time zone."""
    zone = ZoneInfo(timezone)
    return utcnow().astimezone(zone).date() >= start.astimezone(zone).date()


def check_forum_day(row: dict[str, Any], what: str) -> None:
    """Refuse ``what`` (a check-in, marking held) before the forum's day."""
    if not forum_day_reached(row["start_at"], row["timezone"]):
        raise Conflict(f"{what} baru dapat dilakukan pada hari forum ({forum_day(row):%d/%m/%Y}).")


def status_rules() -> dict[str, Any]:
    """The rules above by the names templates use to decide what to offer."""
    return {
        "is_upcoming": is_upcoming,
        "has_taken_place": has_taken_place,
        "accepts_answers": accepts_answers,
        "records_attendance": records_attendance,
        "writes_minutes": writes_minutes,
        "allowed_moves": FORUM_STATES.allowed,
        "forum_day_reached": forum_day_reached,
    }


async def notify_invitees(event: str, forum_id: int, only: list[int] | None = None) -> None:
    """Queue a message to invitees (the worker renders and sends it; consent is checked there)."""
    await enqueue("notify", {"event": event, "forum": forum_id, "invitations": only})


async def move_forum(actor: Actor, forum_id: int, to: str, reason: str = "") -> dict[str, Any]:
    """Load the forum for a manager and move it (audited); call inside ``atomic()``."""
    row = await forum_row(actor, forum_id, Action.manage_forums)
    if row["locked"]:
        raise Conflict("Berita acara bertanda tangan sudah diunggah; forum terkunci.")
    values: dict[Any, Any] = {Forum.updated_at: utcnow()}
    if reason:
        values[Forum.status_reason] = reason
    await move(FORUM_STATES, actor, Forum, row, to, values=values, reason=reason or None)
    return row


async def schedule_forum(actor: Actor, forum_id: int) -> None:
    """Publish the schedule and send the invitations made so far."""
    async with atomic():
        await move_forum(actor, forum_id, SCHEDULED)
        await notify_invitees("forum.invited", forum_id)


async def cancel_forum(actor: Actor, forum_id: int, reason: str) -> None:
    """Cancel with a reason; every invitee is told."""
    if len(reason.strip()) < 5:
        raise ValidationFailed.single("reason", "alasan pembatalan wajib diisi")
    async with atomic():
        row = await move_forum(actor, forum_id, CANCELLED, reason.strip())
        if row["status"] == SCHEDULED:
            await notify_invitees("forum.cancelled", forum_id)


async def hold_forum(actor: Actor, forum_id: int) -> None:
    """Mark the forum as held; it needs recorded attendance."""
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        FORUM_STATES.check(row["status"], HELD)
        check_forum_day(row, "Menandai forum berlangsung")
        if not await Attendance.exists().where(Attendance.forum == forum_id):
            raise Conflict("Forum belum dapat ditandai berlangsung: belum ada daftar hadir.")
        await move_forum(actor, forum_id, HELD)
