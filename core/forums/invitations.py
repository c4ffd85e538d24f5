"""Invitations: invite stakeholders (a waitlist beyond capacity), the invitee's answer through
their personal link, the list staff see, and the reminders before the forum."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums.access import forum_access, forum_row, person_columns, present_ids
from core.forums.labels import GROUP_LABELS
from core.forums.lifecycle import SCHEDULED, accepts_answers, is_upcoming, notify_invitees
from core.forums.schemas import InvitationOut, InvitationsIn
from core.forums.tables import (
    Forum,
    Invitation,
    Rsvp,
    Stakeholder,
    StakeholderUnit,
)


async def invite(actor: Actor, forum_id: int, data: InvitationsIn) -> list[int]:
    """Invite stakeholders by id, group or unit; beyond capacity they join the waitlist."""
    stakeholders = set(data.stakeholders)
    bad_groups = [g for g in data.groups if g not in GROUP_LABELS]
    if bad_groups:
        raise ValidationFailed.single("groups", f"pilihan: {', '.join(GROUP_LABELS)}")
    if data.groups:
        rows = await Stakeholder.select(Stakeholder.id).where(
            Stakeholder.group.is_in(data.groups) & Stakeholder.active.eq(True)
        )
        stakeholders |= {r["id"] for r in rows}
    if data.units:
        rows = await StakeholderUnit.select(StakeholderUnit.stakeholder).where(
            StakeholderUnit.unit.code.is_in(data.units)
        )
        stakeholders |= {r["stakeholder"] for r in rows}
    if not stakeholders:
        raise ValidationFailed.single("stakeholders", "pilih minimal satu pemangku kepentingan")
    known = {
        r["id"]
        for r in await Stakeholder.select(Stakeholder.id).where(
            Stakeholder.id.is_in(list(stakeholders)) & Stakeholder.active.eq(True)
        )
    }
    missing = sorted(stakeholders - known)
    if missing:
        raise ValidationFailed.single("stakeholders", f"tidak dikenal: {missing}")
    created: list[int] = []
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not is_upcoming(row["status"]):
            raise Conflict("Undangan hanya untuk forum yang belum berlangsung.")
        already = {
            r["stakeholder"]
            for r in await Invitation.select(Invitation.stakeholder).where(
                Invitation.forum == forum_id
            )
        }
        seats = await Invitation.count().where(
            (Invitation.forum == forum_id) & Invitation.waitlisted.eq(False)
        )
        for stakeholder_id in sorted(stakeholders - already):
            waitlisted = row["capacity"] is not None and seats >= row["capacity"]
            seats += 0 if waitlisted else 1
            ids = await Invitation.insert(
                Invitation(
                    forum=forum_id,
                    stakeholder=stakeholder_id,
                    token=secrets.token_urlsafe(24),
                    waitlisted=waitlisted,
                    created_at=utcnow(),
                )
            ).returning(Invitation.id)
            created.append(int(ids[0]["id"]))
        await record(
            actor,
            "forum.invited",
            "forum",
            forum_id,
            after={"stakeholders": sorted(stakeholders - already)},
        )
        if created and row["status"] == SCHEDULED:
            await notify_invitees("forum.invited", forum_id, only=created)
    return created


async def answer_invitation(
    token: str, answer: str, representative: str = "", actor: Actor | None = None
) -> dict[str, Any]:
    """An invitee's RSVP through their personal link (no log-in).

    A signed-in staff member answering through the link is recorded as themselves (``actor``);
    an anonymous answer is recorded as the system on the invitee's behalf.
    """
    if answer not in {r.value for r in Rsvp} - {Rsvp.pending.value}:
        raise ValidationFailed.single("rsvp", "pilihan: hadir, tidak_hadir, diwakilkan")
    if answer == Rsvp.diwakilkan.value and not representative.strip():
        raise ValidationFailed.single("representative", "nama wakil wajib diisi")
    async with atomic():
        invitation = await Invitation.select().where(Invitation.token == token).first()
        if invitation is None:
            raise NotFound("Tautan undangan tidak dikenal.")
        forum = (
            await Forum.select(Forum.status, Forum.capacity)
            .where(Forum.id == invitation["forum"])
            .first()
        )
        if not accepts_answers(forum["status"]):
            raise Conflict("Forum ini tidak lagi menerima konfirmasi kehadiran.")
        await Invitation.update(
            {
                Invitation.rsvp: answer,
                Invitation.representative: representative.strip(),
                Invitation.answered_at: utcnow(),
            }
        ).where(Invitation.id == invitation["id"])
        if answer == Rsvp.tidak_hadir.value and not invitation["waitlisted"]:
            await _promote_waitlist(invitation["forum"])
        await record(
            actor or Actor.system(),
            "invitation.answered",
            "invitation",
            invitation["id"],
            after={"rsvp": answer, "representative": representative.strip()},
        )
    return invitation


async def _promote_waitlist(forum_id: int) -> None:
    """A freed seat goes to the first on the waitlist, who is told."""
    first = (
        await Invitation.select(Invitation.id)
        .where((Invitation.forum == forum_id) & Invitation.waitlisted.eq(True))
        .order_by(Invitation.id)
        .first()
    )
    if first is not None:
        await Invitation.update({Invitation.waitlisted: False}).where(Invitation.id == first["id"])
        await notify_invitees("forum.seat_available", forum_id, only=[first["id"]])


async def list_invitations(actor: Actor, forum_id: int) -> list[InvitationOut]:
    """Invitations of a forum with RSVP and attendance (tokens only for those who manage it)."""
    await forum_row(actor, forum_id)
    _, manage = await forum_access(actor, forum_id)
    rows = (
        await Invitation.select(
            Invitation.id,
            Invitation.stakeholder,
            Invitation.rsvp,
            Invitation.representative,
            Invitation.waitlisted,
            Invitation.token,
            *person_columns(Invitation.stakeholder),
        )
        .where(Invitation.forum == forum_id)
        .order_by(Invitation.id)
    )
    present = await present_ids(forum_id)
    return [
        InvitationOut(
            id=r["id"],
            stakeholder=r["stakeholder"],
            name=r["name"],
            organisation=r["organisation"],
            group=r["group"],
            rsvp=r["rsvp"],
            representative=r["representative"],
            waitlisted=r["waitlisted"],
            token=r["token"] if manage else None,
            attended=r["stakeholder"] in present,
        )
        for r in rows
    ]


def reminder_windows(now: datetime) -> dict[str, tuple[datetime, datetime]]:
    """Forums starting within these windows get the 3-day and 1-day reminders."""
    return {
        "3d": (now + timedelta(days=1), now + timedelta(days=3)),
        "1d": (now, now + timedelta(days=1)),
    }


async def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue reminders three days and one day before each scheduled forum (each sent once)."""
    now = now or utcnow()
    queued = 0
    for label, (low, high) in reminder_windows(now).items():
        column = Invitation.reminded_3d_at if label == "3d" else Invitation.reminded_1d_at
        forums = await Forum.select(Forum.id).where(
            (Forum.status == SCHEDULED) & (Forum.start_at > low) & (Forum.start_at <= high)
        )
        for forum in forums:
            async with atomic():
                due = await Invitation.select(Invitation.id).where(
                    (Invitation.forum == forum["id"])
                    & column.is_null()
                    & Invitation.waitlisted.eq(False)
                    & (Invitation.rsvp != Rsvp.tidak_hadir.value)
                )
                ids = [r["id"] for r in due]
                if not ids:
                    continue
                await Invitation.update({column: now}).where(Invitation.id.is_in(ids))
                await notify_invitees(f"forum.reminder_{label}", forum["id"], only=ids)
                queued += len(ids)
    return queued


async def invitation_token(actor: Actor, forum_id: int, invitation_id: int) -> str:
    """The secret token of one invitation (for its QR code; staff only)."""
    await forum_row(actor, forum_id, Action.manage_forums)
    row = (
        await Invitation.select(Invitation.token)
        .where((Invitation.id == invitation_id) & (Invitation.forum == forum_id))
        .first()
    )
    if row is None:
        raise NotFound("Undangan tidak ditemukan.")
    return row["token"]
