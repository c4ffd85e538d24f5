"""Read models of forums for pages and the API: one forum with its composition and warnings, the
lists, and the survey cycles a tindak-lanjut forum can follow up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor, can, visible_unit_ids
from core.forums.access import forum_row
from core.forums.lifecycle import UPCOMING, is_upcoming
from core.forums.minutes import render_notulen
from core.forums.schemas import AgendaIn, ForumOut
from core.forums.tables import AgendaItem, Attendance, Forum, ForumUnit, Invitation
from core.surveys.periods import PERIOD_LABELS
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit

MIN_GROUPS = 3
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


async def forum_out(forum_id: int) -> ForumOut:
    """A forum with units, agenda, composition and warnings (no permission check)."""
    row = await Forum.select().where(Forum.id == forum_id).first()
    units = await ForumUnit.select(ForumUnit.unit, ForumUnit.unit.code.as_alias("code")).where(
        ForumUnit.forum == forum_id
    )
    agenda = (
        await AgendaItem.select().where(AgendaItem.forum == forum_id).order_by(AgendaItem.position)
    )
    invited = await Invitation.select(Invitation.stakeholder.group.as_alias("group")).where(
        Invitation.forum == forum_id
    )
    attended = await Attendance.select(Attendance.stakeholder.group.as_alias("group")).where(
        Attendance.forum == forum_id
    )
    groups_invited = sorted({r["group"] for r in invited})
    return ForumOut(
        id=row["id"],
        title=row["title"],
        purpose=row["purpose"],
        units=[u["code"] for u in units],
        format=row["format"],
        venue=row["venue"],
        link=row["link"],
        start=row["start_at"],
        end=row["end_at"],
        timezone=row["timezone"],
        capacity=row["capacity"],
        cycle=row["cycle"],
        status=row["status"],
        status_reason=row["status_reason"],
        narasumber=row["narasumber"],
        moderator=row["moderator"],
        notulis=row["notulis"],
        notulen=row["notulen"],
        no_agreement_statement=row["no_agreement_statement"],
        locked=row["locked"],
        agenda=[
            AgendaIn(title=a["title"], speaker=a["speaker"], duration=a["duration_minutes"])
            for a in agenda
        ],
        groups_invited=groups_invited,
        groups_attended=sorted({r["group"] for r in attended}),
        invited=len(invited),
        attended=len(attended),
        warnings=await forum_warnings(row, [u["unit"] for u in units], groups_invited),
        notulen_html=render_notulen(row["notulen"]),
    )


async def forum_warnings(
    row: dict[str, Any], unit_ids: list[int], groups_invited: list[str]
) -> list[str]:
    """Clashes of venue or organising unit at the same time, and too few groups invited."""
    warnings = []
    if is_upcoming(row["status"]):
        overlapping = await Forum.select(Forum.id, Forum.title, Forum.venue).where(
            (Forum.id != row["id"])
            & (Forum.status.is_in(list(UPCOMING)))
            & (Forum.start_at < row["end_at"])
            & (Forum.end_at > row["start_at"])
        )
        for other in overlapping:
            if (
                row["venue"].strip()
                and other["venue"].strip().lower() == row["venue"].strip().lower()
            ):
                warnings.append(f'Bentrok tempat dengan forum #{other["id"]} "{other["title"]}".')
            shared = await ForumUnit.exists().where(
                (ForumUnit.forum == other["id"]) & ForumUnit.unit.is_in(unit_ids or [-1])
            )
            if shared:
                warnings.append(
                    f'Unit penyelenggara sudah punya forum #{other["id"]} "{other["title"]}" pada waktu yang sama.'
                )
        if len(groups_invited) < MIN_GROUPS:
            warnings.append(
                f"Baru {len(groups_invited)} dari 5 unsur masyarakat yang diundang "
                f"(disarankan minimal {MIN_GROUPS})."
            )
    return warnings


async def get_forum(actor: Actor, forum_id: int) -> ForumOut:
    """One forum the actor may see."""
    await forum_row(actor, forum_id)
    return await forum_out(forum_id)


async def list_forums(
    actor: Actor,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    unit: str | None = None,
    purpose: str | None = None,
    status: str | None = None,
) -> list[ForumOut]:
    """Forums the actor may see, by start time, optionally within [start, end)."""
    query = Forum.select(Forum.id).order_by(Forum.start_at)
    if start:
        query = query.where(Forum.end_at >= start)
    if end:
        query = query.where(Forum.start_at < end)
    if purpose:
        query = query.where(Forum.purpose == purpose)
    if status:
        query = query.where(Forum.status == status)
    ids = [r["id"] for r in await query]
    if unit:
        linked = {
            r["forum"]
            for r in await ForumUnit.select(ForumUnit.forum).where(ForumUnit.unit.code == unit)
        }
        ids = [i for i in ids if i in linked]
    if not can(actor, Action.view_forums):
        mine = {
            r["forum"]
            for r in await ForumUnit.select(ForumUnit.forum).where(
                ForumUnit.unit.is_in(list(actor.unit_ids) or [-1])
            )
        }
        ids = [i for i in ids if i in mine]
    return [await forum_out(i) for i in ids]


async def unit_names(codes: list[str]) -> dict[str, str]:
    """Names of units by code."""
    rows = await Unit.select(Unit.code, Unit.name).where(Unit.code.is_in(codes or ["-"]))
    return {r["code"]: r["name"] for r in rows}


class Letterhead(msgspec.Struct):
    """The kop surat of a forum's papers: the regency, the organising units and how to reach them."""

    regency: str
    units: list[str]
    contact: str


async def letterhead(codes: list[str]) -> Letterhead:
    """The regency (root of the first organiser's hierarchy) and the organisers' names, with the
    first organiser's address, phone and e-mail."""
    rows = {
        r["code"]: r
        for r in await Unit.select(
            Unit.id, Unit.code, Unit.name, Unit.parent, Unit.address, Unit.phone, Unit.email
        ).where(Unit.code.is_in(codes or ["-"]))
    }
    first = rows.get(codes[0]) if codes else None
    regency = first
    while regency is not None and regency["parent"] is not None:
        regency = (
            await Unit.select(Unit.id, Unit.name, Unit.parent)
            .where(Unit.id == regency["parent"])
            .first()
        )
    contact = ""
    if first is not None:
        parts = [first["address"], first["phone"] and f"Telp. {first['phone']}", first["email"]]
        contact = " · ".join(p for p in parts if p)
    return Letterhead(
        regency=regency["name"] if regency is not None and regency is not first else "",
        units=[rows[c]["name"] for c in codes if c in rows],
        contact=contact,
    )
