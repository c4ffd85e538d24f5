"""The rules of a forum's life: schedule, invite, answer, check in, hold, agree, publish, cancel."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

import msgspec
import nh3
from msgspec import UNSET

from core.accounts.policy import Action, Actor, can, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.forums.schemas import (
    AgendaIn,
    AgreementIn,
    AgreementOut,
    AttendanceIn,
    ForumIn,
    ForumOut,
    ForumPatch,
    InvitationOut,
    InvitationsIn,
    MinutesIn,
)
from core.forums.stakeholders import GROUP_LABELS, create_stakeholder
from core.forums.tables import (
    AgendaItem,
    Agreement,
    Attendance,
    Forum,
    ForumFormat,
    ForumPurpose,
    ForumStatus,
    ForumUnit,
    Invitation,
    Rsvp,
    Stakeholder,
    StakeholderUnit,
)
from core.jobs.outbox import enqueue
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit

PURPOSE_LABELS = {
    ForumPurpose.standar_pelayanan.value: "Penyusunan/peninjauan standar pelayanan",
    ForumPurpose.maklumat.value: "Maklumat pelayanan",
    ForumPurpose.tindak_lanjut_skm.value: "Tindak lanjut hasil SKM",
    ForumPurpose.kebijakan.value: "Rancangan kebijakan",
    ForumPurpose.lainnya.value: "Lainnya",
}
FORMAT_LABELS = {
    ForumFormat.tatap_muka.value: "Tatap muka",
    ForumFormat.daring.value: "Daring",
    ForumFormat.hybrid.value: "Hybrid",
}
MIN_GROUPS = 3
ALLOWED_TAGS = {"p", "br", "strong", "em", "u", "ul", "ol", "li", "h3", "h4", "blockquote", "a"}


def sanitise(html: str) -> str:
    """Keep only harmless formatting from rich-text minutes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}})


async def notify_invitees(event: str, forum_id: int, only: list[int] | None = None) -> None:
    """Queue a message to invitees (the worker renders and sends it; consent is checked there)."""
    await enqueue("notify", {"event": event, "forum": forum_id, "invitations": only})


def _check_times(start: datetime, end: datetime) -> list[FieldError]:
    errors = []
    if start.tzinfo is None:
        errors.append(FieldError("start", "sertakan zona waktu, mis. 2026-12-03T09:00:00+07:00"))
    if end.tzinfo is None:
        errors.append(FieldError("end", "sertakan zona waktu, mis. 2026-12-03T12:00:00+07:00"))
    if not errors and end <= start:
        errors.append(FieldError("end", "harus setelah waktu mulai"))
    return errors


def _check_place(format_: str, venue: str, link: str) -> list[FieldError]:
    errors = []
    if format_ not in FORMAT_LABELS:
        return [FieldError("format", f"pilihan: {', '.join(FORMAT_LABELS)}")]
    if format_ in ("tatap_muka", "hybrid") and not venue.strip():
        errors.append(FieldError("venue", "wajib untuk forum tatap muka/hybrid"))
    if format_ in ("daring", "hybrid") and not link.strip().startswith(("http://", "https://")):
        errors.append(
            FieldError("link", "tautan rapat daring (http/https) wajib untuk daring/hybrid")
        )
    return errors


async def _forum_row(actor: Actor, forum_id: int, action: Action = Action.view_forums) -> dict:
    row = await Forum.select().where(Forum.id == forum_id).first()
    if row is None:
        raise NotFound(f"Forum {forum_id} tidak ditemukan.")
    unit_ids = [
        r["unit"] for r in await ForumUnit.select(ForumUnit.unit).where(ForumUnit.forum == forum_id)
    ]
    if not can(actor, Action.view_forums) and not any(
        can(actor, Action.view_forums, u) for u in unit_ids
    ):
        raise NotFound(f"Forum {forum_id} tidak ditemukan.")
    if not can(actor, action) and not any(can(actor, action, u) for u in unit_ids):
        require(actor, action)
    return row


async def create_forum(actor: Actor, data: ForumIn) -> int:
    """A draft forum for one or more organising units."""
    require(actor, Action.manage_forums)
    errors = [
        *_check_times(data.start, data.end),
        *_check_place(data.format, data.venue, data.link),
    ]
    if not data.title.strip():
        errors.append(FieldError("title", "wajib diisi"))
    if data.purpose not in PURPOSE_LABELS:
        errors.append(FieldError("purpose", f"pilihan: {', '.join(PURPOSE_LABELS)}"))
    if data.capacity is not None and data.capacity < 1:
        errors.append(FieldError("capacity", "minimal 1 orang, atau kosongkan"))
    units = {
        r["code"]: r["id"]
        for r in await Unit.select(Unit.code, Unit.id).where(Unit.code.is_in(data.units or ["-"]))
    }
    if not data.units:
        errors.append(FieldError("units", "pilih minimal satu unit penyelenggara"))
    errors += [FieldError("units", f"unit {c!r} tidak ada") for c in data.units if c not in units]
    if data.purpose == ForumPurpose.tindak_lanjut_skm.value:
        if data.cycle is None:
            errors.append(
                FieldError("cycle", "forum tindak lanjut SKM harus menyebut siklus survei")
            )
        else:
            cycle = (
                await SurveyCycle.select(SurveyCycle.unit, SurveyCycle.status)
                .where(SurveyCycle.id == data.cycle)
                .first()
            )
            if cycle is None or cycle["unit"] not in units.values():
                errors.append(
                    FieldError("cycle", "siklus survei tidak ada pada unit penyelenggara")
                )
            elif cycle["status"] in (CycleStatus.draft.value, CycleStatus.open.value):
                errors.append(FieldError("cycle", "siklus survei harus sudah ditutup"))
    elif data.cycle is not None:
        errors.append(FieldError("cycle", "hanya untuk forum tindak lanjut SKM"))
    for index, item in enumerate(data.agenda, start=1):
        if not item.title.strip():
            errors.append(FieldError(f"agenda.{index}.title", "wajib diisi"))
        if item.duration < 0:
            errors.append(FieldError(f"agenda.{index}.duration", "tidak boleh negatif"))
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    async with atomic():
        rows = await Forum.insert(
            Forum(
                title=data.title.strip(),
                purpose=data.purpose,
                cycle=data.cycle,
                format=data.format,
                venue=data.venue.strip(),
                link=data.link.strip(),
                start_at=data.start,
                end_at=data.end,
                capacity=data.capacity,
                status=ForumStatus.draft.value,
                narasumber=data.narasumber,
                moderator=data.moderator,
                notulis=data.notulis,
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
        ).returning(Forum.id)
        forum_id = int(rows[0]["id"])
        for code in dict.fromkeys(data.units):
            await ForumUnit.insert(ForumUnit(forum=forum_id, unit=units[code]))
        for position, item in enumerate(data.agenda, start=1):
            await AgendaItem.insert(
                AgendaItem(
                    forum=forum_id,
                    position=position,
                    title=item.title,
                    speaker=item.speaker,
                    duration_minutes=item.duration,
                )
            )
        await record(
            actor,
            "forum.created",
            "forum",
            forum_id,
            after={
                "title": data.title,
                "purpose": data.purpose,
                "units": data.units,
                "start": data.start.isoformat(),
                "end": data.end.isoformat(),
            },
        )
    return forum_id


async def update_forum(actor: Actor, forum_id: int, patch: ForumPatch) -> None:
    """Change a draft or scheduled forum; moving a scheduled one tells every invitee."""
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not UNSET}
    reason = str(changes.pop("reason", "")).strip()
    async with atomic():
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        if row["status"] not in (ForumStatus.draft.value, ForumStatus.scheduled.value):
            raise Conflict("Forum yang sudah berlangsung atau dibatalkan tidak dapat diubah.")
        start, end = changes.get("start", row["start_at"]), changes.get("end", row["end_at"])
        errors = _check_times(start, end) + _check_place(
            row["format"], changes.get("venue", row["venue"]), changes.get("link", row["link"])
        )
        moved = any(
            k in changes and changes[k] != row[c]
            for k, c in (
                ("start", "start_at"),
                ("end", "end_at"),
                ("venue", "venue"),
                ("link", "link"),
            )
        )
        if moved and row["status"] == ForumStatus.scheduled.value and not reason:
            errors.append(FieldError("reason", "alasan perubahan jadwal/tempat wajib diisi"))
        if errors:
            raise ValidationFailed(errors)
        column = {"start": Forum.start_at, "end": Forum.end_at}
        values = {column.get(k, getattr(Forum, k, None)): v for k, v in changes.items()}
        values[Forum.updated_at] = utcnow()
        if moved and reason:
            values[Forum.status_reason] = reason
        await Forum.update(values).where(Forum.id == forum_id)
        await record(
            actor,
            "forum.rescheduled" if moved else "forum.updated",
            "forum",
            forum_id,
            before={k: str(row[c]) for k, c in (("start", "start_at"), ("venue", "venue"))},
            after={k: str(v) for k, v in changes.items()} | {"reason": reason},
        )
        if moved and row["status"] == ForumStatus.scheduled.value:
            await notify_invitees("forum.rescheduled", forum_id)


async def _set_status(
    actor: Actor, forum_id: int, allowed: set[str], to: str, reason: str = ""
) -> dict[str, Any]:
    row = await _forum_row(actor, forum_id, Action.manage_forums)
    if row["status"] not in allowed:
        raise Conflict(f"Forum berstatus {row['status']!r}; tidak dapat menjadi {to!r}.")
    if row["locked"]:
        raise Conflict("Berita acara bertanda tangan sudah diunggah; forum terkunci.")
    await Forum.update(
        {Forum.status: to, Forum.status_reason: reason, Forum.updated_at: utcnow()}
    ).where(Forum.id == forum_id)
    await record(
        actor,
        f"forum.{to}",
        "forum",
        forum_id,
        before={"status": row["status"]},
        after={"status": to, "reason": reason},
    )
    return row


async def schedule_forum(actor: Actor, forum_id: int) -> None:
    """Publish the schedule and send the invitations made so far."""
    async with atomic():
        await _set_status(actor, forum_id, {ForumStatus.draft.value}, ForumStatus.scheduled.value)
        await notify_invitees("forum.invited", forum_id)


async def cancel_forum(actor: Actor, forum_id: int, reason: str) -> None:
    """Cancel with a reason; every invitee is told."""
    if len(reason.strip()) < 5:
        raise ValidationFailed.single("reason", "alasan pembatalan wajib diisi")
    async with atomic():
        row = await _set_status(
            actor,
            forum_id,
            {ForumStatus.draft.value, ForumStatus.scheduled.value},
            ForumStatus.cancelled.value,
            reason.strip(),
        )
        if row["status"] == ForumStatus.scheduled.value:
            await notify_invitees("forum.cancelled", forum_id)


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
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        if row["status"] not in (ForumStatus.draft.value, ForumStatus.scheduled.value):
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
        if created and row["status"] == ForumStatus.scheduled.value:
            await notify_invitees("forum.invited", forum_id, only=created)
    return created


async def answer_invitation(token: str, answer: str, representative: str = "") -> dict[str, Any]:
    """An invitee's RSVP through their personal link (no log-in)."""
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
        if forum["status"] != ForumStatus.scheduled.value:
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
            Actor.system(),
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


async def check_in(
    actor: Actor, forum_id: int, data: AttendanceIn, method: str | None = None
) -> int:
    """Record someone present: by QR (invitation token), by tapping a name, or as a walk-in."""
    async with atomic():
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        if row["status"] not in (ForumStatus.scheduled.value, ForumStatus.held.value):
            raise Conflict("Kehadiran dicatat untuk forum terjadwal.")
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


async def hold_forum(actor: Actor, forum_id: int) -> None:
    """Mark the forum as held; it needs recorded attendance."""
    async with atomic():
        if not await Attendance.exists().where(Attendance.forum == forum_id):
            await _forum_row(actor, forum_id, Action.manage_forums)
            raise Conflict("Forum belum dapat ditandai berlangsung: belum ada daftar hadir.")
        await _set_status(actor, forum_id, {ForumStatus.scheduled.value}, ForumStatus.held.value)


async def add_agreement(actor: Actor, forum_id: int, data: AgreementIn) -> int:
    """Add the next numbered agreement of a held forum."""
    errors = []
    if not data.text.strip():
        errors.append(FieldError("text", "wajib diisi"))
    owner_unit = None
    if data.owner_unit:
        unit = await Unit.select(Unit.id).where(Unit.code == data.owner_unit).first()
        if unit is None:
            errors.append(FieldError("owner_unit", f"unit {data.owner_unit!r} tidak ada"))
        else:
            owner_unit = unit["id"]
    if not data.owner_unit and not data.owner_person.strip():
        errors.append(FieldError("owner_person", "sebutkan penanggung jawab (unit atau orang)"))
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        if row["status"] != ForumStatus.held.value or row["locked"]:
            raise Conflict(
                "Kesepakatan dicatat setelah forum berlangsung dan sebelum notulen terbit."
            )
        cycle = data.cycle if data.cycle is not None else row["cycle"]
        last = (
            await Agreement.select(Agreement.number)
            .where(Agreement.forum == forum_id)
            .order_by(Agreement.number, ascending=False)
            .first()
        )
        number = (last["number"] if last else 0) + 1
        ids = await Agreement.insert(
            Agreement(
                forum=forum_id,
                number=number,
                text=data.text.strip(),
                owner_unit=owner_unit,
                owner_person=data.owner_person.strip(),
                due_date=data.due_date,
                status="open",
                cycle=cycle,
                created_at=utcnow(),
            )
        ).returning(Agreement.id)
        await record(
            actor,
            "forum.agreement_added",
            "forum",
            forum_id,
            after={
                "number": number,
                "text": data.text.strip(),
                "owner_unit": data.owner_unit,
                "due_date": str(data.due_date) if data.due_date else None,
                "cycle": cycle,
            },
        )
    return int(ids[0]["id"])


async def save_minutes(actor: Actor, forum_id: int, data: MinutesIn) -> None:
    """Store the (sanitised) notulen and an optional 'no agreement' statement."""
    async with atomic():
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        if row["status"] != ForumStatus.held.value or row["locked"]:
            raise Conflict("Notulen ditulis setelah forum berlangsung dan sebelum diterbitkan.")
        await Forum.update(
            {
                Forum.notulen: sanitise(data.notulen),
                Forum.no_agreement_statement: data.no_agreement_statement.strip(),
                Forum.updated_at: utcnow(),
            }
        ).where(Forum.id == forum_id)
        await record(actor, "forum.minutes_saved", "forum", forum_id)


async def publish_minutes(actor: Actor, forum_id: int) -> None:
    """Publish: needs at least one agreement or an explicit 'no agreement' statement."""
    async with atomic():
        row = await _forum_row(actor, forum_id, Action.manage_forums)
        has_agreement = await Agreement.exists().where(Agreement.forum == forum_id)
        if (
            row["status"] == ForumStatus.held.value
            and not has_agreement
            and not row["no_agreement_statement"].strip()
        ):
            raise Conflict(
                "Notulen belum dapat diterbitkan: catat minimal satu kesepakatan atau "
                "pernyataan bahwa tidak ada kesepakatan."
            )
        await _set_status(
            actor, forum_id, {ForumStatus.held.value}, ForumStatus.minutes_published.value
        )


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
    )


async def forum_warnings(
    row: dict[str, Any], unit_ids: list[int], groups_invited: list[str]
) -> list[str]:
    """Clashes of venue or organising unit at the same time, and too few groups invited."""
    warnings = []
    if row["status"] in (ForumStatus.draft.value, ForumStatus.scheduled.value):
        overlapping = await Forum.select(Forum.id, Forum.title, Forum.venue).where(
            (Forum.id != row["id"])
            & (Forum.status.is_in([ForumStatus.draft.value, ForumStatus.scheduled.value]))
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
    await _forum_row(actor, forum_id)
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


async def list_invitations(actor: Actor, forum_id: int) -> list[InvitationOut]:
    """Invitations of a forum with RSVP and attendance."""
    await _forum_row(actor, forum_id)
    rows = (
        await Invitation.select(
            Invitation.id,
            Invitation.stakeholder,
            Invitation.rsvp,
            Invitation.representative,
            Invitation.waitlisted,
            Invitation.token,
            Invitation.stakeholder.name.as_alias("name"),
            Invitation.stakeholder.organisation.as_alias("organisation"),
            Invitation.stakeholder.group.as_alias("group"),
        )
        .where(Invitation.forum == forum_id)
        .order_by(Invitation.id)
    )
    present = {
        r["stakeholder"]
        for r in await Attendance.select(Attendance.stakeholder).where(Attendance.forum == forum_id)
    }
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
            token=r["token"],
            attended=r["stakeholder"] in present,
        )
        for r in rows
    ]


async def list_agreements(actor: Actor, forum_id: int) -> list[AgreementOut]:
    """Agreements of a forum in order."""
    await _forum_row(actor, forum_id)
    rows = (
        await Agreement.select(
            *Agreement.all_columns(), Agreement.owner_unit.code.as_alias("unit_code")
        )
        .where(Agreement.forum == forum_id)
        .order_by(Agreement.number)
    )
    return [
        AgreementOut(
            id=r["id"],
            number=r["number"],
            text=r["text"],
            owner_unit=r["unit_code"],
            owner_person=r["owner_person"],
            due_date=r["due_date"],
            status=r["status"],
            cycle=r["cycle"],
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
            (Forum.status == ForumStatus.scheduled.value)
            & (Forum.start_at > low)
            & (Forum.start_at <= high)
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

