"""Planning a forum: create it, and change it while it has not happened (moving a scheduled one
tells every invitee)."""

from __future__ import annotations

from datetime import datetime

import msgspec
from msgspec import UNSET

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, ValidationFailed
from core.forums.access import forum_row
from core.forums.labels import FORMAT_LABELS, PURPOSE_LABELS
from core.forums.lifecycle import SCHEDULED, is_upcoming, notify_invitees
from core.forums.schemas import ForumIn, ForumPatch
from core.forums.tables import AgendaItem, Forum, ForumPurpose, ForumStatus, ForumUnit
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit


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
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not is_upcoming(row["status"]):
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
        if moved and row["status"] == SCHEDULED and not reason:
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
        if moved and row["status"] == SCHEDULED:
            await notify_invitees("forum.rescheduled", forum_id)
