"""Forum pages: calendar, create form, the staff forum page with its actions, check-in (tap, QR,
walk-in), the printable daftar hadir and berita acara (HTML always, PDF when WeasyPrint is there),
uploads, and the public pages (list, forum, the invitee's RSVP link).

Every rule lives in core.forums; handlers parse forms, call core, and re-render the page with each
problem next to its field (422) or the rule's message on top (409).
"""

from __future__ import annotations

import asyncio
import io
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import File, Redirect, Template
from markupsafe import Markup

from core.accounts.policy import Action, Actor, require
from core.clock import utcnow
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums import documents, queries, service
from core.forums.public import InvitationView, invitation_view, public_forum, public_forums
from core.forums.schemas import (
    AgendaIn,
    AgreementIn,
    AttendanceIn,
    ForumIn,
    ForumPatch,
    InvitationsIn,
    MinutesIn,
    StakeholderIn,
)
from core.forums.stakeholders import GROUP_LABELS, find_duplicate, list_stakeholders
from core.forums.tables import ForumStatus, Rsvp
from core.units.service import list_units
from web.context import CurrentActor, locale_of, page, signed_in
from web.forum_calendar import (
    month_period,
    parse_month,
    parse_week,
    week_key,
    week_period,
    weeks,
)

log = logging.getLogger(__name__)
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "suara.css"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

STATUS_LABELS = {
    ForumStatus.draft.value: "Draf",
    ForumStatus.scheduled.value: "Terjadwal",
    ForumStatus.held.value: "Telah berlangsung",
    ForumStatus.minutes_published.value: "Notulen terbit",
    ForumStatus.cancelled.value: "Dibatalkan",
}
RSVP_LABELS = {
    Rsvp.pending.value: "Belum menjawab",
    Rsvp.hadir.value: "Hadir",
    Rsvp.tidak_hadir.value: "Tidak hadir",
    Rsvp.diwakilkan.value: "Diwakilkan",
}
METHOD_LABELS = {"qr": "Kode QR", "tap": "Daftar nama", "walkin": "Tanpa undangan"}
TZ_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
# After an action the page says what happened (?pesan=…); unknown keys show nothing.
NOTICES = {
    "dibuat": "Forum tersimpan sebagai draf. Undang peserta, lalu jadwalkan.",
    "dijadwalkan": "Forum dijadwalkan; undangan dikirim kepada peserta.",
    "dibatalkan": "Forum dibatalkan; peserta diberi tahu.",
    "diubah": "Jadwal forum diubah.",
    "berlangsung": "Forum ditandai telah berlangsung.",
    "terbit": "Notulen diterbitkan dan tampil di halaman publik.",
    "diundang": "Undangan tersimpan.",
    "kesepakatan": "Kesepakatan dicatat.",
    "notulen": "Notulen disimpan.",
    "dokumen": "Berkas diunggah.",
    "terkunci": "Berita acara bertanda tangan tersimpan; forum kini terkunci.",
}
# Which section of the forum page holds each form (to point at after a problem).
FORM_ANCHORS = {
    "reschedule": "tindakan",
    "cancel": "tindakan",
    "invite": "undangan",
    "agreement": "kesepakatan",
    "minutes": "notulen",
    "upload": "dokumen",
}
AGENDA_ROWS = 3
MAX_AGENDA_ROWS = 30
BLANK_ATTENDANCE_LINES = 10
UPLOAD_LIMIT = 11 * 1024 * 1024  # a 10 MB file plus the form around it
PDF_MISSING = (
    "PDF belum tersedia di server ini: pasang pustaka Pango (apt install libpango-1.0-0 "
    "libpangoft2-1.0-0) dan paket Python weasyprint; sementara itu gunakan Cetak → Simpan sebagai "
    "PDF dari halaman berita acara."
)
DATE_INVALID = "tanggal tidak valid (contoh 2026-12-10)"
TIME_INVALID = "jam tidak valid (contoh 09:00)"
NOT_A_NUMBER = "isi dengan angka"
REQUIRED = "wajib diisi"
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


# ---------------------------------------------------------------- helpers


def _one(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value if value is not None else "").strip()


def _many(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def _tz(request: Request) -> ZoneInfo:
    return ZoneInfo(request.app.state.settings.timezone)


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        match = DMY_RE.match(text)
        if match:
            try:
                return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                return None
    return None


def _parse_time(text: str) -> time | None:
    match = TIME_RE.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _parse_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _schedule(
    values: dict[str, Any], tz: ZoneInfo, errors: dict[str, str]
) -> tuple[datetime, datetime] | None:
    """Date + start and end time (local) as aware datetimes; problems go into errors."""
    day = _parse_date(values["date"]) if values["date"] else None
    start = _parse_time(values["start_time"]) if values["start_time"] else None
    end = _parse_time(values["end_time"]) if values["end_time"] else None
    for name, parsed, message in (
        ("date", day, DATE_INVALID),
        ("start_time", start, TIME_INVALID),
        ("end_time", end, TIME_INVALID),
    ):
        if parsed is None:
            errors[name] = message if values[name] else REQUIRED
    if day is None or start is None or end is None:
        return None
    return datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz)


def _core_field(name: str) -> str:
    """Core's field names as the form's: start → start_time, agenda.2.title → agenda-2-title."""
    return {"start": "start_time", "end": "end_time"}.get(name, name.replace(".", "-"))


def _formatters(lang: str, tz: ZoneInfo, tz_name: str) -> dict[str, Any]:
    def local(value: datetime) -> datetime:
        return value.astimezone(tz)

    def day(value: date | datetime) -> str:
        if isinstance(value, datetime):
            value = local(value).date()
        return format_date(value, "EEEE, d MMMM y", locale=lang)

    def short_day(value: date | datetime | None) -> str:
        if value is None:
            return "—"
        if isinstance(value, datetime):
            value = local(value).date()
        return format_date(value, "d MMM y", locale=lang)

    def clock(value: datetime) -> str:
        return local(value).strftime("%H.%M" if lang == "id" else "%H:%M")

    def span(start: datetime, end: datetime) -> str:
        end_text = clock(end)
        if local(end).date() != local(start).date():
            end_text = f"{short_day(end)} {end_text}"
        return f"{day(start)}, {clock(start)}–{end_text} {TZ_LABELS.get(tz_name, tz_name)}"

    def month_title(value: date) -> str:
        return format_date(value, "MMMM y", locale=lang)

    def weekday(value: date, width: str = "EEE") -> str:
        return format_date(value, width, locale=lang)

    return {
        "day": day,
        "short_day": short_day,
        "clock": clock,
        "span": span,
        "month_title": month_title,
        "weekday": weekday,
        "local_date": lambda value: local(value).date().isoformat(),
        "local_time": lambda value: local(value).strftime("%H:%M"),
        "tz_label": TZ_LABELS.get(tz_name, tz_name),
    }


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    """page() with the forum labels and date formatting in the local time zone."""
    tz_name = request.app.state.settings.timezone
    return page(
        request,
        template,
        status_code=status_code,
        purpose_labels=service.PURPOSE_LABELS,
        format_labels=service.FORMAT_LABELS,
        group_labels=GROUP_LABELS,
        status_labels=STATUS_LABELS,
        rsvp_labels=RSVP_LABELS,
        method_labels=METHOD_LABELS,
        document_labels=documents.KIND_LABELS,
        **_formatters(locale_of(request), ZoneInfo(tz_name), tz_name),
        **context,
    )


def _qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff", title=url
    )
    return buffer.getvalue()


def checkin_url(request: Request, forum_id: int, token: str) -> str:
    """What an invitation's QR code encodes."""
    return f"{request.app.state.settings.base_url}/forum/{forum_id}/checkin/{token}"


def _svg(content: bytes) -> Response[bytes]:
    return Response(
        content=content,
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )


def _done(forum_id: int, notice: str, anchor: str = "", path: str = "") -> Redirect:
    target = f"/forum/{forum_id}{path}?pesan={notice}"
    return Redirect(path=target + (f"#{anchor}" if anchor else ""))


# ---------------------------------------------------------------- calendar


@get("/forum/kalender")
async def forum_calendar(
    request: Request,
    actor: CurrentActor,
    bulan: FromQuery[str | None] = None,
    minggu: FromQuery[str | None] = None,
    tampilan: FromQuery[str | None] = None,
    unit: FromQuery[str | None] = None,
    tujuan: FromQuery[str | None] = None,
) -> Template:
    """Month grid (?bulan=2026-12), week (?minggu=2026-W50) or list (?tampilan=daftar)."""
    actor = signed_in(actor)
    tz = _tz(request)
    today = utcnow().astimezone(tz).date()
    monday = parse_week(minggu)
    if monday is not None:
        period = week_period(monday)
    else:
        period = month_period(parse_month(bulan) or today.replace(day=1))
    view = "daftar" if tampilan == "daftar" else period.kind
    units = await list_units(actor, include_inactive=False)
    unit = unit if unit in {u.code for u in units} else None
    purpose = tujuan if tujuan in service.PURPOSE_LABELS else None
    start, end = period.bounds(tz)
    forums = await service.list_forums(actor, start=start, end=end, unit=unit, purpose=purpose)
    grid = weeks(period, today, forums, tz)
    filters = {k: v for k, v in (("unit", unit), ("tujuan", purpose)) if v}
    if period.kind == "week":
        week_link, month_link = period.key, f"{period.first:%Y-%m}"
    else:
        week_link = week_key(today if period.first <= today < period.after else period.first)
        month_link = period.key
    period_param = "minggu" if period.kind == "week" else "bulan"

    def link(view_name: str, key: str | None = None) -> str:
        """The calendar in a view ("bulan", "minggu", "daftar"), keeping the filters."""
        if view_name == "bulan":
            params = {"bulan": key or month_link}
        elif view_name == "minggu":
            params = {"minggu": key or week_link}
        else:
            params = {period_param: key or period.key, "tampilan": "daftar"}
        return "/forum/kalender?" + urlencode({**params, **filters})

    return _page(
        request,
        "forums/calendar.html",
        period=period,
        view=view,
        grid=grid,
        busy_days=[d for row in grid for d in row if d.in_period and d.events],
        forums=forums,
        units=units,
        unit=unit or "",
        purpose=purpose or "",
        link=link,
        period_param=period_param,
        current_view="daftar" if view == "daftar" else period_param,
        period_last=period.after - timedelta(days=1),
        today=today,
    )


# ---------------------------------------------------------------- create


def _forum_values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: _one(data, name)
        for name in (
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
    }
    values["units"] = _many(data, "units")
    rows = _parse_int(_one(data, "rows")) or AGENDA_ROWS
    rows = max(1, min(rows, MAX_AGENDA_ROWS))
    values["agenda"] = [
        {key: _one(data, f"agenda-{n}-{key}") for key in ("title", "speaker", "duration")}
        for n in range(1, rows + 1)
    ]
    return values


def _blank_forum_values() -> dict[str, Any]:
    return _forum_values({})


def _forum_in(
    values: dict[str, Any], tz: ZoneInfo
) -> tuple[ForumIn | None, dict[str, str], list[int]]:
    """The form as ForumIn, the problems the form itself can see, and agenda row numbers."""
    errors: dict[str, str] = {}
    times = _schedule(values, tz, errors)
    capacity = None
    if values["capacity"]:
        capacity = _parse_int(values["capacity"])
        if capacity is None:
            errors["capacity"] = NOT_A_NUMBER
    cycle = None
    if values["cycle"] and values["purpose"] == "tindak_lanjut_skm":
        cycle = _parse_int(values["cycle"])
        if cycle is None:
            errors["cycle"] = NOT_A_NUMBER
    agenda: list[AgendaIn] = []
    rows: list[int] = []
    for number, row in enumerate(values["agenda"], start=1):
        if not any(row.values()):
            continue
        duration = _parse_int(row["duration"]) if row["duration"] else 0
        if duration is None:
            errors[f"agenda-{number}-duration"] = NOT_A_NUMBER
            duration = 0
        agenda.append(AgendaIn(title=row["title"], speaker=row["speaker"], duration=duration))
        rows.append(number)
    if times is None or errors:
        return None, errors, rows
    return (
        ForumIn(
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
        ),
        errors,
        rows,
    )


# The create form's fields in page order, with the label the error summary names them by.
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
}
AGENDA_LABELS = {"title": "Acara", "speaker": "Pembicara", "duration": "Durasi (menit)"}


def _summary(errors: dict[str, str]) -> list[tuple[str, str, str, int | None]]:
    """(field, label, message, agenda row) in page order, for the list above the form."""
    order = list(FORM_LABELS)
    items = []
    for name, message in errors.items():
        parts = name.split("-")
        if len(parts) == 3 and parts[0] == "agenda" and parts[1].isdigit():
            row = int(parts[1])
            label = AGENDA_LABELS.get(parts[2], parts[2])
            items.append(((len(order), row, parts[2]), (name, label, message, row)))
        else:
            position = order.index(name) if name in order else len(order) + 1
            items.append(((position, 0, name), (name, FORM_LABELS.get(name, name), message, None)))
    return [item for _, item in sorted(items)]


async def _form_page(
    request: Request,
    actor: Actor,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    return _page(
        request,
        "forums/form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        summary=_summary(errors),
        units=await list_units(actor, include_inactive=False),
        cycles=await queries.cycle_choices(actor),
    )


@get("/forum/baru")
async def forum_new(request: Request, actor: CurrentActor) -> Template:
    """The empty create form (three agenda rows)."""
    actor = require(signed_in(actor), Action.manage_forums)
    return await _form_page(request, actor, _blank_forum_values(), {})


@post("/forum/baru")
async def forum_create(request: Request, actor: CurrentActor, data: Form) -> Template | Redirect:
    """Create a draft forum; 'tambah baris' re-renders with one more agenda row (no JavaScript)."""
    actor = require(signed_in(actor), Action.manage_forums)
    values = _forum_values(data)
    if _one(data, "aksi") == "tambah_baris":
        if len(values["agenda"]) < MAX_AGENDA_ROWS:
            values["agenda"].append({"title": "", "speaker": "", "duration": ""})
        return await _form_page(request, actor, values, {})
    forum_in, errors, rows = _forum_in(values, _tz(request))
    if forum_in is None:
        if not values["title"]:
            errors.setdefault("title", REQUIRED)
        if not values["units"]:
            errors.setdefault("units", "pilih minimal satu unit penyelenggara")
        return await _form_page(request, actor, values, errors, 422)
    try:
        forum_id = await service.create_forum(actor, forum_in)
    except ValidationFailed as exc:
        errors = {}
        for error in exc.errors:
            field = error.field
            if field.startswith("agenda."):
                _, index, key = field.split(".")
                field = f"agenda-{rows[int(index) - 1]}-{key}"
            errors.setdefault(_core_field(field), error.message)
        return await _form_page(request, actor, values, errors, 422)
    return _done(forum_id, "dibuat")


# ---------------------------------------------------------------- staff forum page


async def _staff_page(
    request: Request,
    actor: Actor,
    forum_id: int,
    *,
    status_code: int = 200,
    failed: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    alert: str = "",
) -> Template:
    forum = await service.get_forum(actor, forum_id)
    _, manage = await queries.forum_access(actor, forum_id)
    invitations = await service.list_invitations(actor, forum_id)
    agreements = await service.list_agreements(actor, forum_id)
    docs = await documents.list_documents(actor, forum_id)
    inviting = manage and forum.status in (ForumStatus.draft.value, ForumStatus.scheduled.value)
    registry: dict[str, list[Any]] = {group: [] for group in GROUP_LABELS}
    if inviting:
        for person in await list_stakeholders(actor):
            registry.setdefault(person.group, []).append(person)
    notice = NOTICES.get(request.query_params.get("pesan") or "", "")
    names = await queries.unit_names(
        [*forum.units, *(a.owner_unit for a in agreements if a.owner_unit)]
    )
    signed = [d.sha256 for d in docs if d.kind == documents.SIGNED_BERITA_ACARA]
    return _page(
        request,
        "forums/detail.html",
        status_code=status_code,
        forum=forum,
        manage=manage,
        inviting=inviting,
        invitations=invitations,
        invited_ids={i.stakeholder for i in invitations},
        registry=registry,
        agreements=agreements,
        documents=docs,
        materials=[d for d in docs if d.kind == "material"],
        unit_names=names,
        unit_name_of=lambda code: names.get(code, code) if code else "",
        forum_hash=signed[-1] if signed else "",
        units=await list_units(actor, include_inactive=False) if manage else [],
        cycle=await queries.cycle_choice(forum.cycle),
        notice=notice,
        alert=alert,
        failed=failed,
        failed_anchor=FORM_ANCHORS.get(failed, ""),
        errors=errors or {},
        values=values or {},
        notulen_html=Markup(service.sanitise(forum.notulen)),
        upload_kinds=_upload_kinds(forum),
    )


def _upload_kinds(forum: Any) -> list[str]:
    kinds = ["material", "photo"]
    after = forum.status in (ForumStatus.held.value, ForumStatus.minutes_published.value)
    if after and not forum.locked:
        kinds.append(documents.SIGNED_BERITA_ACARA)
    return kinds if forum.status != ForumStatus.cancelled.value else []


async def _public_page(request: Request, forum_id: int) -> Template:
    forum = await public_forum(forum_id)
    return _page(request, "forums/public_detail.html", forum=forum, invitation_link="")


@get("/forum/{forum_id:int}")
async def forum_detail(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """Staff see the working page; everyone else the public page (the iCal feeds link here)."""
    may_view, _ = await queries.forum_access(actor, forum_id)
    if not may_view or actor is None:
        return await _public_page(request, forum_id)
    return await _staff_page(request, actor, forum_id)


@get("/forum/{forum_id:int}/publik")
async def forum_public(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """What the public sees of a forum (staff can check it here too)."""
    return await _public_page(request, forum_id)


async def _act(
    request: Request,
    actor: Actor,
    forum_id: int,
    form: str,
    values: dict[str, Any],
    action: Callable[[], Awaitable[Any]],
    done: str,
    anchor: str = "",
) -> Template | Redirect:
    """Run one staff action; on a problem show the forum page again with it."""
    try:
        await action()
    except ValidationFailed as exc:
        errors = {_core_field(k): v for k, v in exc.by_field().items()}
        return await _staff_page(
            request,
            actor,
            forum_id,
            status_code=422,
            failed=form,
            errors=errors,
            values=values,
        )
    except Conflict as exc:
        return await _staff_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return _done(forum_id, done, anchor)


@post("/forum/{forum_id:int}/jadwalkan")
async def forum_schedule(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Draft → scheduled; the invitations go out."""
    actor = signed_in(actor)
    return await _act(
        request,
        actor,
        forum_id,
        "schedule",
        {},
        lambda: service.schedule_forum(actor, forum_id),
        "dijadwalkan",
    )


@post("/forum/{forum_id:int}/batalkan")
async def forum_cancel(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Cancel with a reason."""
    actor = signed_in(actor)
    reason = _one(data, "reason")
    return await _act(
        request,
        actor,
        forum_id,
        "cancel",
        {"reason": reason},
        lambda: service.cancel_forum(actor, forum_id, reason),
        "dibatalkan",
    )


@post("/forum/{forum_id:int}/ubah-jadwal")
async def forum_reschedule(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Move the forum (date, times, venue, link) with a reason; invitees are told."""
    actor = signed_in(actor)
    values = {
        name: _one(data, name)
        for name in ("date", "start_time", "end_time", "venue", "link", "reason")
    }
    errors: dict[str, str] = {}
    times = _schedule(values, _tz(request), errors)
    if times is None:
        return await _staff_page(
            request,
            actor,
            forum_id,
            status_code=422,
            failed="reschedule",
            errors=errors,
            values=values,
        )
    patch = ForumPatch(
        start=times[0],
        end=times[1],
        reason=values["reason"],
        **{k: values[k] for k in ("venue", "link") if k in data},
    )
    return await _act(
        request,
        actor,
        forum_id,
        "reschedule",
        values,
        lambda: service.update_forum(actor, forum_id, patch),
        "diubah",
    )


@post("/forum/{forum_id:int}/berlangsung")
async def forum_hold(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Scheduled → held (needs recorded attendance)."""
    actor = signed_in(actor)
    return await _act(
        request,
        actor,
        forum_id,
        "hold",
        {},
        lambda: service.hold_forum(actor, forum_id),
        "berlangsung",
    )


@post("/forum/{forum_id:int}/terbitkan")
async def forum_publish(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Held → minutes published (needs an agreement or the 'no agreement' statement)."""
    actor = signed_in(actor)
    return await _act(
        request,
        actor,
        forum_id,
        "publish",
        {},
        lambda: service.publish_minutes(actor, forum_id),
        "terbit",
    )


@post("/forum/{forum_id:int}/undang")
async def forum_invite(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Invite chosen stakeholders, whole groups, or everyone related to a unit."""
    actor = signed_in(actor)
    ids = [int(v) for v in _many(data, "stakeholders") if v.isdigit()]
    invitations = InvitationsIn(
        stakeholders=ids, groups=_many(data, "groups"), units=_many(data, "units")
    )
    return await _act(
        request,
        actor,
        forum_id,
        "invite",
        {"stakeholders": ids, "groups": invitations.groups, "units": invitations.units},
        lambda: service.invite(actor, forum_id, invitations),
        "diundang",
        "undangan",
    )


@post("/forum/{forum_id:int}/kesepakatan")
async def forum_agreement(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Add the next numbered agreement."""
    actor = signed_in(actor)
    values = {n: _one(data, n) for n in ("text", "owner_unit", "owner_person", "due_date")}
    due = None
    if values["due_date"]:
        due = _parse_date(values["due_date"])
        if due is None:
            return await _staff_page(
                request,
                actor,
                forum_id,
                status_code=422,
                failed="agreement",
                errors={"due_date": DATE_INVALID},
                values=values,
            )
    agreement = AgreementIn(
        text=values["text"],
        owner_unit=values["owner_unit"] or None,
        owner_person=values["owner_person"],
        due_date=due,
    )
    return await _act(
        request,
        actor,
        forum_id,
        "agreement",
        values,
        lambda: service.add_agreement(actor, forum_id, agreement),
        "kesepakatan",
        "kesepakatan",
    )


@post("/forum/{forum_id:int}/notulen")
async def forum_minutes(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Save the notulen (simple HTML, cleaned by core) and the 'no agreement' statement."""
    actor = signed_in(actor)
    values = {n: _one(data, n) for n in ("notulen", "no_agreement_statement")}
    minutes = MinutesIn(**values)
    return await _act(
        request,
        actor,
        forum_id,
        "minutes",
        values,
        lambda: service.save_minutes(actor, forum_id, minutes),
        "notulen",
        "notulen",
    )


@post("/forum/{forum_id:int}/dokumen", request_max_body_size=UPLOAD_LIMIT)
async def forum_upload(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Upload
) -> Template | Redirect:
    """Upload a material, a photo, or the signed berita acara scan (which locks the forum)."""
    actor = signed_in(actor)
    kind = _one(data, "kind")
    upload = data.get("file")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    filename = upload.filename if isinstance(upload, UploadFile) else ""
    data_dir = request.app.state.settings.data_dir
    return await _act(
        request,
        actor,
        forum_id,
        "upload",
        {"kind": kind},
        lambda: documents.save_document(
            actor, forum_id, kind, filename or "", content, data_dir=data_dir
        ),
        "terkunci" if kind == documents.SIGNED_BERITA_ACARA else "dokumen",
        "dokumen",
    )


@get("/forum/{forum_id:int}/dokumen/{document_id:int}")
async def forum_download(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], document_id: FromPath[int]
) -> File:
    """A forum's file, for staff who may see the forum."""
    doc, path = await documents.open_document(
        signed_in(actor),
        forum_id,
        document_id,
        data_dir=request.app.state.settings.data_dir,
    )
    inline = doc.media_type in (documents.PDF, documents.JPEG, documents.PNG)
    return File(
        path=path,
        filename=doc.filename,
        media_type=doc.media_type,
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
    )


# ---------------------------------------------------------------- check-in


async def _checkin_page(
    request: Request,
    actor: Actor,
    forum_id: int,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    alert: str = "",
) -> Template:
    forum = await service.get_forum(actor, forum_id)
    search = request.query_params.get("q") or ""
    rows = await queries.checkin_list(actor, forum_id, search)
    just = request.query_params.get("hadir") or ""
    name = await queries.stakeholder_name(int(just)) if just.isdigit() else ""
    return _page(
        request,
        "forums/checkin.html",
        status_code=status_code,
        forum=forum,
        rows=rows,
        q=search,
        present=sum(1 for r in rows if r.present) if not search else None,
        just_name=name,
        just_id=int(just) if just.isdigit() else None,
        known=request.query_params.get("terdaftar") == "1",
        errors=errors or {},
        values=values or {},
        alert=alert,
    )


@get("/forum/{forum_id:int}/hadir")
async def checkin_screen(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template:
    """The notulis's tablet: search, tap a name to record them present, or add a walk-in."""
    return await _checkin_page(request, signed_in(actor), forum_id)


def _back_to_checkin(forum_id: int, stakeholder: int, q: str, extra: str = "") -> Redirect:
    query = urlencode({k: v for k, v in (("q", q), ("hadir", str(stakeholder))) if v})
    return Redirect(path=f"/forum/{forum_id}/hadir?{query}{extra}#p{stakeholder}")


@post("/forum/{forum_id:int}/hadir")
async def checkin_tap(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """A tapped name is recorded present."""
    actor = signed_in(actor)
    stakeholder = _parse_int(_one(data, "stakeholder"))
    if stakeholder is None:
        raise ValidationFailed.single("stakeholder", "pilih peserta")
    try:
        await service.check_in(actor, forum_id, AttendanceIn(stakeholder=stakeholder), "tap")
    except Conflict as exc:
        return await _checkin_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return _back_to_checkin(forum_id, stakeholder, _one(data, "q"))


WALK_IN_FIELDS = ("name", "organisation", "position", "group", "phone", "email")


@post("/forum/{forum_id:int}/hadir/baru")
async def checkin_walk_in(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Someone without an invitation: joins the registry and is recorded present.

    A person whose e-mail or phone is already in the registry is recorded as that stakeholder.
    """
    actor = signed_in(actor)
    values = {name: _one(data, name) for name in WALK_IN_FIELDS}
    consent = _one(data, "consent") == "1"
    person = StakeholderIn(**values, consent=consent)
    known = ""
    try:
        try:
            attendance = await service.check_in(actor, forum_id, AttendanceIn(walk_in=person))
        except Conflict:
            existing = await find_duplicate(person.email, person.phone)
            if existing is None:
                raise
            await service.check_in(actor, forum_id, AttendanceIn(stakeholder=existing), "walkin")
            stakeholder, known = existing, "&terdaftar=1"
        else:
            stakeholder = await queries.attendance_stakeholder(attendance)
    except ValidationFailed as exc:
        return await _checkin_page(
            request,
            actor,
            forum_id,
            status_code=422,
            errors=dict(exc.by_field()),
            values={**values, "consent": "1" if consent else ""},
        )
    except Conflict as exc:
        return await _checkin_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return _back_to_checkin(forum_id, stakeholder, "", known)


@get("/forum/{forum_id:int}/undangan/{invitation_id:int}/qr.svg")
async def invitation_qr(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], invitation_id: FromPath[int]
) -> Response[bytes]:
    """An invitation's QR code (SVG): the check-in link for staff to scan at the door."""
    token = await queries.invitation_token(signed_in(actor), forum_id, invitation_id)
    return _svg(_qr_svg(checkin_url(request, forum_id, token)))


@get("/forum/{forum_id:int}/checkin/{token:str}")
async def qr_checkin_confirm(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], token: FromPath[str]
) -> Template:
    """A scanned QR code: who it is, and a button to record them present (nothing changes yet)."""
    actor = signed_in(actor)
    person = await queries.invitation_for_token(actor, forum_id, token)
    forum = await service.get_forum(actor, forum_id)
    response = _page(
        request, "forums/qr_checkin.html", forum=forum, person=person, token=token, alert=""
    )
    response.set_header("Referrer-Policy", "no-referrer")
    return response


@post("/forum/{forum_id:int}/checkin/{token:str}")
async def qr_checkin(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], token: FromPath[str]
) -> Template | Redirect:
    """Record the QR code's invitee present."""
    actor = signed_in(actor)
    person = await queries.invitation_for_token(actor, forum_id, token)
    try:
        await service.check_in(actor, forum_id, AttendanceIn(invitation_token=token))
    except Conflict as exc:
        forum = await service.get_forum(actor, forum_id)
        return _page(
            request,
            "forums/qr_checkin.html",
            status_code=409,
            forum=forum,
            person=person,
            token=token,
            alert=exc.message,
        )
    return _back_to_checkin(forum_id, person.stakeholder, "")


# ---------------------------------------------------------------- printable documents


async def _attendance_sheet(actor: Actor, forum_id: int) -> list[dict[str, Any]]:
    """Invitees expected (not declined, not waitlisted) and everyone recorded present."""
    present = {a.stakeholder: a for a in await queries.list_attendance(actor, forum_id)}
    lines: dict[int, dict[str, Any]] = {}
    for invitation in await service.list_invitations(actor, forum_id):
        expected = not invitation.waitlisted and invitation.rsvp != Rsvp.tidak_hadir.value
        if expected or invitation.stakeholder in present:
            lines[invitation.stakeholder] = {
                "name": invitation.name,
                "representative": invitation.representative,
                "organisation": invitation.organisation,
                "group": invitation.group,
                "present": invitation.stakeholder in present,
            }
    for stakeholder, attendee in present.items():
        lines.setdefault(
            stakeholder,
            {
                "name": attendee.name,
                "representative": "",
                "organisation": attendee.organisation,
                "group": attendee.group,
                "present": True,
            },
        )
    return sorted(lines.values(), key=lambda line: line["name"].casefold())


@get("/forum/{forum_id:int}/daftar-hadir")
async def attendance_sheet(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template:
    """The printable A4 daftar hadir with a signature column and blank lines for walk-ins."""
    actor = signed_in(actor)
    forum = await service.get_forum(actor, forum_id)
    return _page(
        request,
        "forums/daftar_hadir.html",
        forum=forum,
        lines=await _attendance_sheet(actor, forum_id),
        blank=BLANK_ATTENDANCE_LINES,
        unit_names=await queries.unit_names(forum.units),
        pdf=False,
    )


async def _berita_acara(request: Request, actor: Actor, forum_id: int, pdf: bool) -> Template:
    forum = await service.get_forum(actor, forum_id)
    attendees = await queries.list_attendance(actor, forum_id)
    agreements = await service.list_agreements(actor, forum_id)
    names = await queries.unit_names(
        [*forum.units, *(a.owner_unit for a in agreements if a.owner_unit)]
    )
    by_group: dict[str, list[Any]] = {group: [] for group in GROUP_LABELS}
    for attendee in attendees:
        by_group.setdefault(attendee.group, []).append(attendee)
    return _page(
        request,
        "forums/berita_acara.html",
        forum=forum,
        attendees=attendees,
        by_group=by_group,
        agreements=agreements,
        organisers=[names.get(code, code) for code in forum.units],
        unit_name_of=lambda code: names.get(code, code) if code else "",
        cycle=await queries.cycle_choice(forum.cycle),
        notulen_html=Markup(service.sanitise(forum.notulen)),
        printed_on=utcnow(),
        pdf=pdf,
    )


@get("/forum/{forum_id:int}/berita-acara")
async def berita_acara(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """The berita acara kesepakatan as a printable page (always works)."""
    return await _berita_acara(request, signed_in(actor), forum_id, pdf=False)


def _render_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # optional: needs Pango; imported only when asked for

    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def pdf_available() -> bool:
    """Whether WeasyPrint (and the Pango library under it) can be loaded here."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@get("/forum/{forum_id:int}/berita-acara.pdf")
async def berita_acara_pdf(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Response[bytes] | Template:
    """The same berita acara as PDF via WeasyPrint; without it, 503 with what to install."""
    actor = signed_in(actor)
    await service.get_forum(actor, forum_id)  # not found / not allowed before anything else
    unavailable = _page(
        request,
        "forums/pdf_unavailable.html",
        status_code=503,
        forum_id=forum_id,
        message=PDF_MISSING,
    )
    if not pdf_available():
        return unavailable
    document = await _berita_acara(request, actor, forum_id, pdf=True)
    html = request.app.template_engine.get_template(document.template_name).render(
        **document.context
    )
    try:
        content = await asyncio.to_thread(_render_pdf, html)
    except OSError:  # a library under WeasyPrint missing at render time
        log.exception("PDF rendering failed")
        return unavailable
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="berita-acara-forum-{forum_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


# ---------------------------------------------------------------- public


@get("/forum")
async def public_list(request: Request, actor: CurrentActor) -> Template:
    """Upcoming forums and those whose minutes are published; no log-in needed."""
    upcoming, published = await public_forums(utcnow())
    return _page(request, "forums/public_list.html", upcoming=upcoming, published=published)


async def _rsvp_page(
    request: Request,
    invitation: InvitationView,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    representative: str | None = None,
    alert: str = "",
) -> Template:
    response = _page(
        request,
        "forums/rsvp.html",
        status_code=status_code,
        invitation=invitation,
        forum=invitation.forum,
        open=invitation.forum.status == ForumStatus.scheduled.value,
        saved=request.query_params.get("tersimpan") == "1",
        errors=errors or {},
        representative=invitation.representative if representative is None else representative,
        alert=alert,
        token_path=quote(invitation.token, safe=""),
        invitation_link=invitation.link,
    )
    response.set_header("Referrer-Policy", "no-referrer")
    response.set_header("Cache-Control", "private, no-store")
    return response


@get("/undangan/{token:str}")
async def rsvp_form(request: Request, actor: CurrentActor, token: FromPath[str]) -> Template:
    """An invitee's personal page: the forum, and hadir / tidak hadir / diwakilkan."""
    return await _rsvp_page(request, await invitation_view(token))


@post("/undangan/{token:str}")
async def rsvp_answer(
    request: Request, actor: CurrentActor, token: FromPath[str], data: Form
) -> Template | Redirect:
    """Record the invitee's answer (a 'tidak hadir' frees the seat for the waitlist)."""
    invitation = await invitation_view(token)
    answer, representative = _one(data, "rsvp"), _one(data, "representative")
    try:
        await service.answer_invitation(token, answer, representative)
    except ValidationFailed as exc:
        return await _rsvp_page(
            request,
            invitation,
            status_code=422,
            errors=dict(exc.by_field()),
            representative=representative,
        )
    except Conflict as exc:
        return await _rsvp_page(request, invitation, status_code=409, alert=exc.message)
    return Redirect(path=f"/undangan/{quote(token, safe='')}?tersimpan=1")


@get("/undangan/{token:str}/qr.svg")
async def rsvp_qr(request: Request, token: FromPath[str]) -> Response[bytes]:
    """The invitee's own QR code to show at the door (the link's token is the secret)."""
    invitation = await invitation_view(token)
    if invitation.waitlisted or invitation.forum.status != ForumStatus.scheduled.value:
        raise NotFound("Kode QR hanya untuk undangan forum terjadwal.")
    return _svg(_qr_svg(checkin_url(request, invitation.forum.id, token)))


ROUTES = [
    public_list,
    forum_calendar,
    forum_new,
    forum_create,
    forum_detail,
    forum_public,
    forum_schedule,
    forum_cancel,
    forum_reschedule,
    forum_hold,
    forum_publish,
    forum_invite,
    forum_agreement,
    forum_minutes,
    forum_upload,
    forum_download,
    checkin_screen,
    checkin_tap,
    checkin_walk_in,
    invitation_qr,
    qr_checkin_confirm,
    qr_checkin,
    attendance_sheet,
    berita_acara,
    berita_acara_pdf,
    rsvp_form,
    rsvp_answer,
    rsvp_qr,
]
