"""Read-only views of forums for staff pages: cycles to follow up, who is present, who may act."""

from __future__ import annotations

from datetime import datetime

import msgspec

from core.accounts.policy import Action, Actor, can, visible_unit_ids
from core.errors import NotFound
from core.forums.service import _forum_row
from core.forums.tables import Attendance, ForumUnit, Invitation, Stakeholder
from core.surveys.periods import PERIOD_LABELS
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit

FOLLOW_UP_STATUSES = (
    CycleStatus.closed.value,
    CycleStatus.reported.value,
    CycleStatus.published.value,
)


class CycleChoice(msgspec.Struct):
    """A closed survey cycle a tindak-lanjut forum can follow up."""

    id: int
    unit: str
    unit_name: str
    label: str


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


def _period(row: dict) -> str:
    if row["period_type"] == "custom":
        return f"{row['start_date']:%d/%m/%Y}–{row['end_date']:%d/%m/%Y}"
    return f"{PERIOD_LABELS.get(row['period_type'], row['period_type'])} {row['year']}"


_CYCLE_COLUMNS = (
    SurveyCycle.id,
    SurveyCycle.period_type,
    SurveyCycle.year,
    SurveyCycle.start_date,
    SurveyCycle.end_date,
    SurveyCycle.unit.code.as_alias("unit_code"),
    SurveyCycle.unit.name.as_alias("unit_name"),
)


def _choice(row: dict) -> CycleChoice:
    return CycleChoice(
        id=row["id"],
        unit=row["unit_code"],
        unit_name=row["unit_name"],
        label=f"{row['unit_name']} — {_period(row)}",
    )


async def cycle_choices(actor: Actor, units: list[str] | None = None) -> list[CycleChoice]:
    """Closed cycles (of the given units, or of every unit the actor sees), newest first."""
    query = (
        SurveyCycle.select(*_CYCLE_COLUMNS)
        .where(SurveyCycle.status.is_in(list(FOLLOW_UP_STATUSES)))
        .order_by(SurveyCycle.start_date, ascending=False)
    )
    visible = visible_unit_ids(actor)
    if visible is not None:
        query = query.where(SurveyCycle.unit.is_in(list(visible) or [-1]))
    if units:
        query = query.where(SurveyCycle.unit.code.is_in(units))
    rows = await query
    return sorted((_choice(r) for r in rows), key=lambda c: c.unit_name)


async def cycle_choice(cycle_id: int | None) -> CycleChoice | None:
    """The cycle a forum follows up (for a forum the caller already may see)."""
    if cycle_id is None:
        return None
    row = await SurveyCycle.select(*_CYCLE_COLUMNS).where(SurveyCycle.id == cycle_id).first()
    return _choice(row) if row else None


async def forum_access(actor: Actor | None, forum_id: int) -> tuple[bool, bool]:
    """Whether the actor may see the forum's staff page, and whether they may manage it."""
    if actor is None:
        return False, False
    try:
        await _forum_row(actor, forum_id)
    except NotFound:
        return False, False
    unit_ids = [
        r["unit"] for r in await ForumUnit.select(ForumUnit.unit).where(ForumUnit.forum == forum_id)
    ]
    manage = can(actor, Action.manage_forums) or any(
        can(actor, Action.manage_forums, u) for u in unit_ids
    )
    return True, manage


async def unit_names(codes: list[str]) -> dict[str, str]:
    """Names of units by code."""
    rows = await Unit.select(Unit.code, Unit.name).where(Unit.code.is_in(codes or ["-"]))
    return {r["code"]: r["name"] for r in rows}


async def list_attendance(actor: Actor, forum_id: int) -> list[AttendeeOut]:
    """Everyone present at a forum, in check-in order."""
    await _forum_row(actor, forum_id)
    rows = (
        await Attendance.select(
            Attendance.stakeholder,
            Attendance.method,
            Attendance.checked_in_at,
            Attendance.invitation,
            Attendance.stakeholder.name.as_alias("name"),
            Attendance.stakeholder.organisation.as_alias("organisation"),
            Attendance.stakeholder.group.as_alias("group"),
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
    await _forum_row(actor, forum_id)
    invited = await Invitation.select(
        Invitation.stakeholder,
        Invitation.rsvp,
        Invitation.representative,
        Invitation.waitlisted,
        Invitation.stakeholder.name.as_alias("name"),
        Invitation.stakeholder.organisation.as_alias("organisation"),
        Invitation.stakeholder.group.as_alias("group"),
    ).where(Invitation.forum == forum_id)
    present = {
        r["stakeholder"]
        for r in await Attendance.select(Attendance.stakeholder).where(Attendance.forum == forum_id)
    }
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
    await _forum_row(actor, forum_id, Action.manage_forums)
    row = (
        await Invitation.select(
            Invitation.stakeholder,
            Invitation.rsvp,
            Invitation.representative,
            Invitation.waitlisted,
            Invitation.stakeholder.name.as_alias("name"),
            Invitation.stakeholder.organisation.as_alias("organisation"),
            Invitation.stakeholder.group.as_alias("group"),
        )
        .where((Invitation.forum == forum_id) & (Invitation.token == token))
        .first()
    )
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


async def invitation_token(actor: Actor, forum_id: int, invitation_id: int) -> str:
    """The secret token of one invitation (for its QR code; staff only)."""
    await _forum_row(actor, forum_id, Action.manage_forums)
    row = (
        await Invitation.select(Invitation.token)
        .where((Invitation.id == invitation_id) & (Invitation.forum == forum_id))
        .first()
    )
    if row is None:
        raise NotFound("Undangan tidak ditemukan.")
    return row["token"]


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
