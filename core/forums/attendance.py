"""Attendance: check someone in (QR, tapping their name, walk-in), the check-in screen's list,
who was present, and the daftar hadir's lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums.access import forum_row, person_columns, present_ids
from core.forums.lifecycle import check_forum_day, records_attendance
from core.forums.schemas import AttendanceIn, StakeholderIn
from core.forums.stakeholders import create_stakeholder, find_duplicate
from core.forums.tables import Attendance, Invitation, Rsvp, Stakeholder


class AttendeeOut(msgspec.Struct):
    """Someone recorded present at a forum."""

    stakeholder: int
    name: str
    organisation: str
    group: str
    method: str
    checked_in_at: datetime
    invited: bool


class CheckinRow(msgspec.Struct):
    """One line of the check-in screen: an invitee, or a walk-in already present."""

    stakeholder: int
    name: str
    organisation: str
    group: str
    rsvp: str
    representative: str
    waitlisted: bool
    invited: bool
    present: bool


class AttendanceOut(msgspec.Struct):
    """A check-in as recorded."""

    id: int
    forum: int
    stakeholder: int
    name: str
    group: str
    method: str
    invitation: int | None
    checked_in_at: datetime


class SheetLine(msgspec.Struct):
    """One line of the printed daftar hadir."""

    name: str
    representative: str
    organisation: str
    group: str
    present: bool


async def _invitees(forum_id: int, where: Any = None) -> list[dict[str, Any]]:
    """A forum's invitations with the invitee's name, organisation and group."""
    query = Invitation.select(
        Invitation.stakeholder,
        Invitation.rsvp,
        Invitation.representative,
        Invitation.waitlisted,
        *person_columns(Invitation.stakeholder),
    ).where(Invitation.forum == forum_id)
    return await (query.where(where) if where is not None else query)


async def check_in(
    actor: Actor, forum_id: int, data: AttendanceIn, method: str | None = None
) -> int:
    """Record someone present: by QR (invitation token), by tapping a name, or as a walk-in."""
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not records_attendance(row["status"]):
            raise Conflict("Kehadiran dicatat untuk forum terjadwal.")
        check_forum_day(row, "Pencatatan kehadiran")
        invitation = None
        if data.invitation_token:
            invitation = (
                await Invitation.select()
                .where((Invitation.token == data.invitation_token) & (Invitation.forum == forum_id))
                .first()
            )
            if invitation is None:
                raise ValidationFailed.single(
                    "invitation_token", "kode QR bukan undangan forum ini"
                )
            stakeholder_id, how = invitation["stakeholder"], "qr"
        elif data.walk_in is not None:
            stakeholder_id = (await create_stakeholder(actor, data.walk_in)).id
            how = "walkin"
        elif data.stakeholder is not None:
            stakeholder_id, how = data.stakeholder, "tap"
            invitation = (
                await Invitation.select()
                .where((Invitation.forum == forum_id) & (Invitation.stakeholder == stakeholder_id))
                .first()
            )
            if not await Stakeholder.exists().where(Stakeholder.id == stakeholder_id):
                raise ValidationFailed.single("stakeholder", "pemangku kepentingan tidak dikenal")
        else:
            raise ValidationFailed.single(
                "stakeholder", "sebutkan peserta, kode QR, atau data peserta baru"
            )
        if await Attendance.exists().where(
            (Attendance.forum == forum_id) & (Attendance.stakeholder == stakeholder_id)
        ):
            existing = (
                await Attendance.select(Attendance.id)
                .where((Attendance.forum == forum_id) & (Attendance.stakeholder == stakeholder_id))
                .first()
            )
            return int(existing["id"])
        ids = await Attendance.insert(
            Attendance(
                forum=forum_id,
                stakeholder=stakeholder_id,
                invitation=invitation["id"] if invitation else None,
                method=method or how,
                checked_in_at=utcnow(),
                checked_in_by=actor.user_id,
            )
        ).returning(Attendance.id)
        await record(
            actor,
            "forum.attendance",
            "forum",
            forum_id,
            after={"stakeholder": stakeholder_id, "method": method or how},
        )
    return int(ids[0]["id"])


async def list_attendance(actor: Actor, forum_id: int) -> list[AttendeeOut]:
    """Everyone present at a forum, in check-in order."""
    await forum_row(actor, forum_id)
    rows = (
        await Attendance.select(
            Attendance.stakeholder,
            Attendance.method,
            Attendance.checked_in_at,
            Attendance.invitation,
            *person_columns(Attendance.stakeholder),
        )
        .where(Attendance.forum == forum_id)
        .order_by(Attendance.checked_in_at)
        .order_by(Attendance.id)
    )
    return [
        AttendeeOut(
            stakeholder=r["stakeholder"],
            name=r["name"],
            organisation=r["organisation"],
            group=r["group"],
            method=r["method"],
            checked_in_at=r["checked_in_at"],
            invited=r["invitation"] is not None,
        )
        for r in rows
    ]


async def checkin_list(actor: Actor, forum_id: int, search: str = "") -> list[CheckinRow]:
    """Invitees (and walk-ins already present) by name, filtered by a search text."""
    await forum_row(actor, forum_id)
    invited = await _invitees(forum_id)
    present = await present_ids(forum_id)
    rows = [
        CheckinRow(
            stakeholder=r["stakeholder"],
            name=r["name"],
            organisation=r["organisation"],
            group=r["group"],
            rsvp=r["rsvp"],
            representative=r["representative"],
            waitlisted=r["waitlisted"],
            invited=True,
            present=r["stakeholder"] in present,
        )
        for r in invited
    ]
    walk_ins = present - {r.stakeholder for r in rows}
    if walk_ins:
        for r in await Stakeholder.select(
            Stakeholder.id, Stakeholder.name, Stakeholder.organisation, Stakeholder.group
        ).where(Stakeholder.id.is_in(sorted(walk_ins))):
            rows.append(
                CheckinRow(
                    stakeholder=r["id"],
                    name=r["name"],
                    organisation=r["organisation"],
                    group=r["group"],
                    rsvp="",
                    representative="",
                    waitlisted=False,
                    invited=False,
                    present=True,
                )
            )
    needle = search.strip().casefold()
    if needle:
        rows = [
            r for r in rows if needle in f"{r.name} {r.organisation} {r.representative}".casefold()
        ]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.stakeholder))


async def stakeholder_name(stakeholder_id: int) -> str:
    """A stakeholder's name (for the confirmation after a check-in)."""
    row = await Stakeholder.select(Stakeholder.name).where(Stakeholder.id == stakeholder_id).first()
    return row["name"] if row else ""


async def invitation_for_token(actor: Actor, forum_id: int, token: str) -> CheckinRow:
    """The invitee behind a QR check-in link of this forum (staff only)."""
    await forum_row(actor, forum_id, Action.manage_forums)
    rows = await _invitees(forum_id, Invitation.token == token)
    row = rows[0] if rows else None
    if row is None:
        raise NotFound("Kode QR ini bukan undangan forum ini.")
    present = await Attendance.exists().where(
        (Attendance.forum == forum_id) & (Attendance.stakeholder == row["stakeholder"])
    )
    return CheckinRow(
        stakeholder=row["stakeholder"],
        name=row["name"],
        organisation=row["organisation"],
        group=row["group"],
        rsvp=row["rsvp"],
        representative=row["representative"],
        waitlisted=row["waitlisted"],
        invited=True,
        present=present,
    )


async def attendance_stakeholder(attendance_id: int) -> int:
    """Who an attendance record is about (after a walk-in check-in created them)."""
    row = (
        await Attendance.select(Attendance.stakeholder)
        .where(Attendance.id == attendance_id)
        .first()
    )
    if row is None:
        raise NotFound("Kehadiran tidak ditemukan.")
    return int(row["stakeholder"])


async def undo_check_in(actor: Actor, forum_id: int, stakeholder_id: int) -> None:
    """Take back a check-in recorded by mistake (audited with what was recorded)."""
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not records_attendance(row["status"]) or row["locked"]:
            raise Conflict("Kehadiran hanya dapat dibatalkan sebelum berita acara dikunci.")
        present = (
            await Attendance.select()
            .where((Attendance.forum == forum_id) & (Attendance.stakeholder == stakeholder_id))
            .first()
        )
        if present is None:
            raise NotFound("Peserta ini tidak tercatat hadir.")
        await Attendance.delete().where(Attendance.id == present["id"])
        await record(
            actor,
            "forum.attendance_undone",
            "forum",
            forum_id,
            before={
                "stakeholder": stakeholder_id,
                "method": present["method"],
                "checked_in_at": present["checked_in_at"].isoformat(),
            },
        )


async def check_in_walk_in(actor: Actor, forum_id: int, person: StakeholderIn) -> tuple[int, bool]:
    """Someone without an invitation joins the registry and is recorded present; a person whose
    e-mail or phone is already registered is recorded as that stakeholder. Answers the
    stakeholder id and whether they were already registered."""
    try:
        attendance = await check_in(actor, forum_id, AttendanceIn(walk_in=person))
    except Conflict:
        existing = await find_duplicate(person.email, person.phone)
        if existing is None:
            raise
        await check_in(actor, forum_id, AttendanceIn(stakeholder=existing), "walkin")
        return existing, True
    return await attendance_stakeholder(attendance), False


async def attendance_out(attendance_id: int) -> AttendanceOut:
    """One check-in as recorded (after ``check_in``)."""
    row = (
        await Attendance.select(*Attendance.all_columns(), *person_columns(Attendance.stakeholder))
        .where(Attendance.id == attendance_id)
        .first()
    )
    if row is None:
        raise NotFound("Kehadiran tidak ditemukan.")
    return AttendanceOut(
        id=row["id"],
        forum=row["forum"],
        stakeholder=row["stakeholder"],
        name=row["name"],
        group=row["group"],
        method=row["method"],
        invitation=row["invitation"],
        checked_in_at=row["checked_in_at"],
    )


async def attendance_sheet(actor: Actor, forum_id: int) -> list[SheetLine]:
    """Invitees expected (not declined, not waitlisted) and everyone recorded present, by name."""
    present = {a.stakeholder: a for a in await list_attendance(actor, forum_id)}
    lines: dict[int, SheetLine] = {}
    for r in await _invitees(forum_id):
        expected = not r["waitlisted"] and r["rsvp"] != Rsvp.tidak_hadir.value
        if expected or r["stakeholder"] in present:
            lines[r["stakeholder"]] = SheetLine(
                name=r["name"],
                representative=r["representative"],
                organisation=r["organisation"],
                group=r["group"],
                present=r["stakeholder"] in present,
            )
    for stakeholder, attendee in present.items():
        lines.setdefault(
            stakeholder,
            SheetLine(
                name=attendee.name,
                representative="",
                organisation=attendee.organisation,
                group=attendee.group,
                present=True,
            ),
        )
    return sorted(lines.values(), key=lambda line: line.name.casefold())
