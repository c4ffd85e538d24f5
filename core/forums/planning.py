"""Planning a forum: create it, and change it while it has not happened (moving a scheduled one
tells every invitee)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
from core.forums.schemas import AgendaIn, ForumIn, ForumPatch
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


async def _check_content(
    title: str,
    purpose: str,
    cycle_id: int | None,
    codes: list[str],
    agenda: list[AgendaIn],
    capacity: int | None,
) -> tuple[list[FieldError], dict[str, int]]:
    """Problems with what a forum is about and who organises it; the organisers' ids by code."""
    errors = []
    if not title.strip():
        errors.append(FieldError("title", "wajib diisi"))
    if purpose not in PURPOSE_LABELS:
        errors.append(FieldError("purpose", f"pilihan: {', '.join(PURPOSE_LABELS)}"))
    if capacity is not None and capacity < 1:
        errors.append(FieldError("capacity", "minimal 1 orang, atau kosongkan"))
    units = {
        r["code"]: r["id"]
        for r in await Unit.select(Unit.code, Unit.id).where(Unit.code.is_in(codes or ["-"]))
    }
    if not codes:
        errors.append(FieldError("units", "pilih minimal satu unit penyelenggara"))
    errors += [FieldError("units", f"unit {c!r} tidak ada") for c in codes if c not in units]
    if purpose == ForumPurpose.tindak_lanjut_skm.value:
        if cycle_id is None:
            errors.append(
                FieldError("cycle", "forum tindak lanjut SKM harus menyebut siklus survei")
            )
        else:
            cycle = (
                await SurveyCycle.select(SurveyCycle.unit, SurveyCycle.status)
                .where(SurveyCycle.id == cycle_id)
                .first()
            )
            if cycle is None or cycle["unit"] not in units.values():
                errors.append(
                    FieldError("cycle", "siklus survei tidak ada pada unit penyelenggara")
                )
            elif cycle["status"] in (CycleStatus.draft.value, CycleStatus.open.value):
                errors.append(FieldError("cycle", "siklus survei harus sudah ditutup"))
    elif cycle_id is not None:
        errors.append(FieldError("cycle", "hanya untuk forum tindak lanjut SKM"))
    for index, item in enumerate(agenda, start=1):
        if not item.title.strip():
            errors.append(FieldError(f"agenda.{index}.title", "wajib diisi"))
        if item.duration < 0:
            errors.append(FieldError(f"agenda.{index}.duration", "tidak boleh negatif"))
    return errors, units


async def _write_organisers(forum_id: int, codes: list[str], units: dict[str, int]) -> None:
    await ForumUnit.delete().where(ForumUnit.forum == forum_id)
    for code in dict.fromkeys(codes):
        await ForumUnit.insert(ForumUnit(forum=forum_id, unit=units[code]))


async def _write_agenda(forum_id: int, agenda: list[AgendaIn]) -> None:
    await AgendaItem.delete().where(AgendaItem.forum == forum_id)
    for position, item in enumerate(agenda, start=1):
        await AgendaItem.insert(
            AgendaItem(
                forum=forum_id,
                position=position,
                title=item.title.strip(),
                speaker=item.speaker.strip(),
                duration_minutes=item.duration,
            )
        )


async def create_forum(actor: Actor, data: ForumIn) -> int:
    """A draft forum for one or more organising units."""
    require(actor, Action.manage_forums)
    content, units = await _check_content(
        data.title, data.purpose, data.cycle, data.units, data.agenda, data.capacity
    )
    errors = [
        *_check_times(data.start, data.end),
        *_check_place(data.format, data.venue, data.link),
        *content,
    ]
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
        await _write_organisers(forum_id, data.units, units)
        await _write_agenda(forum_id, data.agenda)
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


MOVING = ("start", "end", "format", "venue", "link")
"""The changes that move a forum: a scheduled one needs a reason, and invitees are told."""
EDITABLE = (
    "title",
    "purpose",
    "cycle",
    "format",
    "venue",
    "link",
    "capacity",
    "narasumber",
    "moderator",
    "notulis",
)


async def _current(row: dict[str, Any]) -> dict[str, Any]:
    """A forum's changeable fields under ForumPatch's names."""
    codes = await ForumUnit.select(ForumUnit.unit.code.as_alias("code")).where(
        ForumUnit.forum == row["id"]
    )
    agenda = (
        await AgendaItem.select().where(AgendaItem.forum == row["id"]).order_by(AgendaItem.position)
    )
    return {
        **{name: row[name] for name in EDITABLE},
        "start": row["start_at"],
        "end": row["end_at"],
        "units": [r["code"] for r in codes],
        "agenda": [AgendaIn(a["title"], a["speaker"], a["duration_minutes"]) for a in agenda],
    }


def _snapshot(value: object) -> object:
    if isinstance(value, list):
        return [_snapshot(v) for v in value]
    if isinstance(value, AgendaIn):
        return msgspec.structs.asdict(value)
    return value if value is None or isinstance(value, str | int) else str(value)


async def update_forum(actor: Actor, forum_id: int, patch: ForumPatch) -> None:
    """Change a forum until it is held (title, purpose, organisers, agenda, speakers, time,
    place); moving a scheduled one needs a reason and tells every invitee."""
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not UNSET}
    reason = str(changes.pop("reason", "")).strip()
    async with atomic():
        row = await forum_row(actor, forum_id, Action.manage_forums)
        if not is_upcoming(row["status"]):
            raise Conflict("Forum yang sudah berlangsung atau dibatalkan tidak dapat diubah.")
        before = await _current(row)
        now = before | changes
        content, units = await _check_content(
            now["title"],
            now["purpose"],
            now["cycle"],
            now["units"],
            now["agenda"],
            now["capacity"],
        )
        errors = _check_times(now["start"], now["end"])
        errors += _check_place(now["format"], now["venue"], now["link"])
        errors += content
        changed = [k for k in changes if changes[k] != before[k]]
        moved = any(k in changed for k in MOVING)
        if moved and row["status"] == SCHEDULED and not reason:
            errors.append(FieldError("reason", "alasan perubahan jadwal/tempat wajib diisi"))
        if errors:
            raise ValidationFailed(errors)
        for code in set(now["units"]) - set(before["units"]):
            require(actor, Action.manage_forums, units[code])
        column = {"start": "start_at", "end": "end_at"}
        values = {
            getattr(Forum, column.get(k, k)): v.strip() if isinstance(v, str) else v
            for k, v in changes.items()
            if k not in ("units", "agenda")
        }
        values[Forum.updated_at] = utcnow()
        if moved and reason:
            values[Forum.status_reason] = reason
        await Forum.update(values).where(Forum.id == forum_id)
        if "units" in changes:
            await _write_organisers(forum_id, changes["units"], units)
        if "agenda" in changes:
            await _write_agenda(forum_id, changes["agenda"])
        await record(
            actor,
            "forum.rescheduled" if moved else "forum.updated",
            "forum",
            forum_id,
            before={k: _snapshot(before[k]) for k in changed},
            after={k: _snapshot(now[k]) for k in changed} | ({"reason": reason} if reason else {}),
        )
        if moved and row["status"] == SCHEDULED:
            await notify_invitees("forum.rescheduled", forum_id)
