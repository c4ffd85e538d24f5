"""The forum form: create a draft forum, or change one until it is held (each problem is shown
next to its field)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor, require
from core.errors import Conflict, ValidationFailed
from core.forums import service
from core.forums.lifecycle import is_upcoming
from core.forums.reads import cycle_choices
from core.forums.schemas import AgendaIn, ForumIn, ForumOut, ForumPatch
from core.units.service import list_units
from web.context import CurrentActor, signed_in
from web.forms import FORM_KEY, Form, form_errors, read_form
from web.forums.common import (
    NOT_A_NUMBER,
    REQUIRED,
    core_field,
    done,
    forum_page,
    local_zone,
    parse_schedule,
)

AGENDA_ROWS = 3
MAX_AGENDA_ROWS = 30
TEXT_FIELDS = (
    "title",
    "purpose",
    "cycle",
    "format",
    "venue",
    "link",
    "date",
    "start_time",
    "end_time",
    "capacity",
    "narasumber",
    "moderator",
    "notulis",
)
# The form's fields in page order, with the label the error summary names them by.
FORM_LABELS = {
    "title": "Judul forum",
    "purpose": "Tujuan",
    "units": "Unit penyelenggara",
    "cycle": "Siklus SKM yang ditindaklanjuti",
    "format": "Format",
    "venue": "Tempat",
    "link": "Tautan rapat daring",
    "date": "Tanggal",
    "start_time": "Mulai",
    "end_time": "Selesai",
    "capacity": "Kapasitas (orang)",
    "narasumber": "Narasumber",
    "moderator": "Moderator/fasilitator",
    "notulis": "Notulis",
    "reason": "Alasan perubahan",
}
AGENDA_LABELS = {"title": "Acara", "speaker": "Pembicara", "duration": "Durasi (menit)"}


def forum_values(form: Form) -> dict[str, Any]:
    """The form as sent, for showing it again (agenda rows as dicts)."""
    values: dict[str, Any] = form.values(*TEXT_FIELDS)
    values["narasumber"] = form.text("narasumber")
    values["units"] = form.many("units")
    rows = max(1, min(form.integer("rows") or AGENDA_ROWS, MAX_AGENDA_ROWS))
    values["agenda"] = [
        {key: form.one(f"agenda-{n}-{key}") for key in ("title", "speaker", "duration")}
        for n in range(1, rows + 1)
    ]
    return values


def _agenda(values: dict[str, Any], errors: dict[str, str]) -> tuple[list[AgendaIn], list[int]]:
    """The filled agenda rows, and the form row number of each."""
    agenda: list[AgendaIn] = []
    rows: list[int] = []
    for number, row in enumerate(values["agenda"], start=1):
        if not any(row.values()):
            continue
        duration = 0
        if row["duration"]:
            if not row["duration"].isdigit():
                errors[f"agenda-{number}-duration"] = NOT_A_NUMBER
            else:
                duration = int(row["duration"])
        agenda.append(AgendaIn(title=row["title"], speaker=row["speaker"], duration=duration))
        rows.append(number)
    return agenda, rows


def forum_in(
    form: Form, values: dict[str, Any], request: Request
) -> tuple[ForumIn | None, dict[str, str], list[int]]:
    """The form as ForumIn, the problems the form itself can see, and agenda row numbers."""
    errors: dict[str, str] = {}
    times = parse_schedule(form, local_zone(request), errors)
    capacity = form.integer("capacity") if values["capacity"] else None
    if values["capacity"] and capacity is None:
        errors["capacity"] = NOT_A_NUMBER
    cycle = None
    if values["cycle"] and values["purpose"] == "tindak_lanjut_skm":
        cycle = form.integer("cycle")
        if cycle is None:
            errors["cycle"] = NOT_A_NUMBER
    agenda, rows = _agenda(values, errors)
    if times is None or errors:
        if not values["title"]:
            errors.setdefault("title", REQUIRED)
        if not values["units"]:
            errors.setdefault("units", "pilih minimal satu unit penyelenggara")
        return None, errors, rows
    data = ForumIn(
        title=values["title"],
        purpose=values["purpose"],
        units=values["units"],
        format=values["format"],
        start=times[0],
        end=times[1],
        venue=values["venue"],
        link=values["link"],
        cycle=cycle,
        capacity=capacity,
        narasumber=values["narasumber"],
        moderator=values["moderator"],
        notulis=values["notulis"],
        agenda=agenda,
    )
    return data, errors, rows


def core_errors(exc: ValidationFailed, rows: list[int]) -> dict[str, str]:
    """Core's errors under the form's names (agenda.N is the N-th filled row)."""

    def rename(name: str) -> str:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "agenda" and parts[1].isdigit():
            return f"agenda-{rows[int(parts[1]) - 1]}-{parts[2]}"
        return core_field(name)

    return form_errors(exc, rename).fields


def summary(errors: dict[str, str]) -> list[tuple[str, str, str, int | None]]:
    """(field, label, message, agenda row) in page order, for the list above the form."""
    order = list(FORM_LABELS)
    items = []
    for name, message in errors.items():
        if name == FORM_KEY:
            continue
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "agenda" and parts[1].isdigit():
            row = int(parts[1])
            label = AGENDA_LABELS.get(parts[2], parts[2])
            items.append(((len(order), row, parts[2]), (name, label, message, row)))
        else:
            position = order.index(name) if name in order else len(order) + 1
            items.append(((position, 0, name), (name, FORM_LABELS.get(name, name), message, None)))
    return [item for _, item in sorted(items)]


async def form_page(
    request: Request,
    actor: Actor,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
    editing: ForumOut | None = None,
) -> Template:
    """The forum form with the values sent and the problems found (``editing``: a change)."""
    return forum_page(
        request,
        "forums/form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        summary=summary(errors),
        units=await list_units(actor, include_inactive=False),
        cycles=await cycle_choices(actor),
        editing=editing,
        action=f"/forum/{editing.id}/ubah" if editing else "/forum/baru",
    )


def values_of(forum: ForumOut, tz: ZoneInfo) -> dict[str, Any]:
    """A forum's current values as the form shows them (times in the local zone)."""
    start, end = forum.start.astimezone(tz), forum.end.astimezone(tz)
    agenda = [
        {"title": a.title, "speaker": a.speaker, "duration": str(a.duration or "")}
        for a in forum.agenda
    ]
    blank = {"title": "", "speaker": "", "duration": ""}
    return {
        "title": forum.title,
        "purpose": forum.purpose,
        "cycle": str(forum.cycle or ""),
        "format": forum.format,
        "venue": forum.venue,
        "link": forum.link,
        "date": start.date().isoformat(),
        "start_time": f"{start:%H:%M}",
        "end_time": f"{end:%H:%M}",
        "capacity": str(forum.capacity or ""),
        "narasumber": forum.narasumber,
        "moderator": forum.moderator,
        "notulis": forum.notulis,
        "reason": "",
        "units": list(forum.units),
        "agenda": agenda + [dict(blank) for _ in range(max(1, AGENDA_ROWS - len(agenda)))],
    }


@get("/forum/baru")
async def forum_new(request: Request, actor: CurrentActor) -> Template:
    """The empty create form (three agenda rows)."""
    actor = require(signed_in(actor), Action.manage_forums)
    return await form_page(request, actor, forum_values(Form({})), {})


@post("/forum/baru")
async def forum_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Create a draft forum; 'tambah baris' re-renders with one more agenda row (no JavaScript)."""
    actor = require(signed_in(actor), Action.manage_forums)
    form = await read_form(request)
    values = forum_values(form)
    if form.one("aksi") == "tambah_baris":
        if len(values["agenda"]) < MAX_AGENDA_ROWS:
            values["agenda"].append({"title": "", "speaker": "", "duration": ""})
        return await form_page(request, actor, values, {})
    data, errors, rows = forum_in(form, values, request)
    if data is None:
        return await form_page(request, actor, values, errors, 422)
    try:
        forum_id = await service.create_forum(actor, data)
    except ValidationFailed as exc:
        return await form_page(request, actor, values, core_errors(exc, rows), 422)
    return done(forum_id, "dibuat")


@get("/forum/{forum_id:int}/ubah")
async def forum_edit(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """The form filled with the forum as it is (until it is held)."""
    actor = signed_in(actor)
    forum = await service.get_forum(actor, forum_id)
    if not is_upcoming(forum.status):
        raise Conflict("Forum yang sudah berlangsung atau dibatalkan tidak dapat diubah.")
    return await form_page(request, actor, values_of(forum, local_zone(request)), {}, editing=forum)


@post("/forum/{forum_id:int}/ubah")
async def forum_update(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Save the changes; a scheduled forum moved in time or place needs a reason."""
    actor = signed_in(actor)
    forum = await service.get_forum(actor, forum_id)
    form = await read_form(request)
    values = forum_values(form) | {"reason": form.one("reason")}
    if form.one("aksi") == "tambah_baris":
        if len(values["agenda"]) < MAX_AGENDA_ROWS:
            values["agenda"].append({"title": "", "speaker": "", "duration": ""})
        return await form_page(request, actor, values, {}, editing=forum)
    data, errors, rows = forum_in(form, values, request)
    if data is None:
        return await form_page(request, actor, values, errors, 422, editing=forum)
    patch = ForumPatch(**msgspec.structs.asdict(data), reason=values["reason"])
    try:
        await service.update_forum(actor, forum_id, patch)
    except ValidationFailed as exc:
        return await form_page(request, actor, values, core_errors(exc, rows), 422, forum)
    except Conflict as exc:
        errors = {FORM_KEY: exc.message}
        return await form_page(request, actor, values, errors, 409, editing=forum)
    return done(forum_id, "tersimpan")


ROUTES = [forum_new, forum_create, forum_edit, forum_update]
