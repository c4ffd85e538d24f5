"""What the public may read about forums, without logging in.

Only announced forums are public (drafts are not); the notulen and agreements become public once
the minutes are published. Invitees, contacts and attendance lists never are.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from core.errors import NotFound
from core.forums.access import person_columns
from core.forums.lifecycle import accepts_answers
from core.forums.minutes import render_notulen
from core.forums.schemas import AgendaIn
from core.forums.tables import (
    AgendaItem,
    Agreement,
    Attendance,
    Forum,
    ForumStatus,
    ForumUnit,
    Invitation,
)

PUBLIC_STATUSES = (
    ForumStatus.scheduled.value,
    ForumStatus.held.value,
    ForumStatus.minutes_published.value,
    ForumStatus.cancelled.value,
)


class PublicAgreement(msgspec.Struct):
    """A published kesepakatan."""

    number: int
    text: str
    owner: str
    due_date: date | None


class PublicForum(msgspec.Struct):
    """A forum as the public sees it."""

    id: int
    title: str
    purpose: str
    units: list[str]
    format: str
    venue: str
    online: bool
    start: datetime
    end: datetime
    timezone: str
    status: str
    status_reason: str
    agenda: list[AgendaIn]
    notulen: str
    no_agreement_statement: str
    agreements: list[PublicAgreement]
    groups_attended: list[str]
    attended: int


class InvitationView(msgspec.Struct):
    """What an invitee sees behind their personal link."""

    token: str
    name: str
    organisation: str
    rsvp: str
    representative: str
    waitlisted: bool
    attended: bool
    link: str
    forum: PublicForum


class PublicInvitation(msgspec.Struct):
    """What an invitee sees behind their link: the forum and their current answer."""

    forum: int
    title: str
    purpose: str
    format: str
    venue: str
    link: str
    start: datetime
    end: datetime
    timezone: str
    status: str
    status_reason: str
    rsvp: str
    representative: str
    waitlisted: bool
    answered_at: datetime | None
    accepts_answers: bool


async def _public(row: dict[str, Any]) -> PublicForum:
    forum_id = row["id"]
    units = await ForumUnit.select(ForumUnit.unit.name.as_alias("name")).where(
        ForumUnit.forum == forum_id
    )
    agenda = (
        await AgendaItem.select().where(AgendaItem.forum == forum_id).order_by(AgendaItem.position)
    )
    published = row["status"] == ForumStatus.minutes_published.value
    agreements: list[PublicAgreement] = []
    groups: list[str] = []
    attended = 0
    if published:
        rows = (
            await Agreement.select(
                Agreement.number,
                Agreement.text,
                Agreement.owner_person,
                Agreement.due_date,
                Agreement.owner_unit.name.as_alias("unit_name"),
            )
            .where(Agreement.forum == forum_id)
            .order_by(Agreement.number)
        )
        agreements = [
            PublicAgreement(
                number=r["number"],
                text=r["text"],
                owner=" / ".join(x for x in (r["unit_name"], r["owner_person"]) if x),
                due_date=r["due_date"],
            )
            for r in rows
        ]
        present = await Attendance.select(Attendance.stakeholder.group.as_alias("group")).where(
            Attendance.forum == forum_id
        )
        groups = sorted({r["group"] for r in present})
        attended = len(present)
    return PublicForum(
        id=forum_id,
        title=row["title"],
        purpose=row["purpose"],
        units=[u["name"] for u in units],
        format=row["format"],
        venue=row["venue"],
        online=bool(row["link"]),
        start=row["start_at"],
        end=row["end_at"],
        timezone=row["timezone"],
        status=row["status"],
        status_reason=row["status_reason"],
        agenda=[
            AgendaIn(title=a["title"], speaker=a["speaker"], duration=a["duration_minutes"])
            for a in agenda
        ],
        notulen=render_notulen(row["notulen"]) if published else "",
        no_agreement_statement=row["no_agreement_statement"] if published else "",
        agreements=agreements,
        groups_attended=groups,
        attended=attended,
    )


async def public_forum(forum_id: int) -> PublicForum:
    """An announced forum (not a draft), with its minutes once published."""
    row = await Forum.select().where(Forum.id == forum_id).first()
    if row is None or row["status"] not in PUBLIC_STATUSES:
        raise NotFound("Forum tidak ditemukan.")
    return await _public(row)


async def public_forums(
    now: datetime, limit: int = 50
) -> tuple[list[PublicForum], list[PublicForum]]:
    """Upcoming forums (scheduled, or cancelled so people know) and those with published minutes."""
    upcoming = (
        await Forum.select()
        .where(
            Forum.status.is_in([ForumStatus.scheduled.value, ForumStatus.cancelled.value])
            & (Forum.end_at >= now)
        )
        .order_by(Forum.start_at)
        .limit(limit)
    )
    published = (
        await Forum.select()
        .where(Forum.status == ForumStatus.minutes_published.value)
        .order_by(Forum.start_at, ascending=False)
        .limit(limit)
    )
    return [await _public(r) for r in upcoming], [await _public(r) for r in published]


async def invitation_view(token: str) -> InvitationView:
    """The forum and the current answer behind an invitation link."""
    invitation = (
        await Invitation.select(
            *Invitation.all_columns(),
            *person_columns(Invitation.stakeholder),
        )
        .where(Invitation.token == token)
        .first()
        if token
        else None
    )
    if invitation is None:
        raise NotFound("Tautan undangan tidak dikenal.")
    row = await Forum.select().where(Forum.id == invitation["forum"]).first()
    attended = await Attendance.exists().where(
        (Attendance.forum == row["id"]) & (Attendance.stakeholder == invitation["stakeholder"])
    )
    return InvitationView(
        token=token,
        name=invitation["name"],
        organisation=invitation["organisation"],
        rsvp=invitation["rsvp"],
        representative=invitation["representative"],
        waitlisted=invitation["waitlisted"],
        attended=attended,
        link=(
            row["link"] if accepts_answers(row["status"]) and not invitation["waitlisted"] else ""
        ),
        forum=await _public(row),
    )


async def public_invitation(token: str) -> PublicInvitation:
    """An invitation link's forum and current answer, for the public API (no log-in)."""
    invitation = await Invitation.select().where(Invitation.token == token).first()
    if invitation is None:
        raise NotFound("Tautan undangan tidak dikenal.")
    forum = await Forum.select().where(Forum.id == invitation["forum"]).first()
    return PublicInvitation(
        forum=forum["id"],
        title=forum["title"],
        purpose=forum["purpose"],
        format=forum["format"],
        venue=forum["venue"],
        link=forum["link"],
        start=forum["start_at"],
        end=forum["end_at"],
        timezone=forum["timezone"],
        status=forum["status"],
        status_reason=forum["status_reason"],
        rsvp=invitation["rsvp"],
        representative=invitation["representative"],
        waitlisted=invitation["waitlisted"],
        answered_at=invitation["answered_at"],
        accepts_answers=accepts_answers(forum["status"]),
    )
