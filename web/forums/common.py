"""What every forum page shares: the page renderer with the forum labels and local date
formatting, reading date and time fields, QR codes, and the redirect after an action."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from litestar import Request, Response
from litestar.response import Redirect, Template

from core.forums.labels import TZ_LABELS, all_labels
from core.forums.lifecycle import status_rules
from core.forums.public import public_forum
from web.context import locale_of, page
from web.forms import Form

# After an action the page says what happened (?pesan=…); unknown keys show nothing.
NOTICES = {
    "dibuat": "Forum tersimpan sebagai draf. Undang peserta, lalu jadwalkan.",
    "dijadwalkan": "Forum dijadwalkan; undangan dikirim kepada peserta.",
    "dibatalkan": "Forum dibatalkan; peserta diberi tahu.",
    "diubah": "Jadwal forum diubah.",
    "tersimpan": "Perubahan forum tersimpan.",
    "berlangsung": "Forum ditandai telah berlangsung.",
    "terbit": "Notulen diterbitkan dan tampil di halaman publik.",
    "diundang": "Undangan tersimpan.",
    "kesepakatan": "Kesepakatan dicatat.",
    "notulen": "Notulen disimpan.",
    "dokumen": "Berkas diunggah.",
    "terkunci": "Berita acara bertanda tangan tersimpan; forum kini terkunci.",
}
DATE_INVALID = "tanggal tidak valid (contoh 2026-12-10)"
TIME_INVALID = "jam tidak valid (contoh 09:00)"
NOT_A_NUMBER = "isi dengan angka"
REQUIRED = "wajib diisi"
TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def local_zone(request: Request) -> ZoneInfo:
    """The installation's time zone."""
    return ZoneInfo(request.app.state.settings.timezone)


def parse_date(text: str) -> date | None:
    """An ISO (2026-12-10) or Indonesian (10/12/2026) date, else None."""
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


def parse_time(text: str) -> time | None:
    """A clock time written 09:00 or 09.00, else None."""
    match = TIME_RE.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_schedule(
    form: Form, tz: ZoneInfo, errors: dict[str, str]
) -> tuple[datetime, datetime] | None:
    """The date + start and end time fields (local) as aware datetimes; problems into errors."""
    parsed = {
        "date": parse_date(form.one("date")) if form.one("date") else None,
        "start_time": parse_time(form.one("start_time")) if form.one("start_time") else None,
        "end_time": parse_time(form.one("end_time")) if form.one("end_time") else None,
    }
    for name, message in (
        ("date", DATE_INVALID),
        ("start_time", TIME_INVALID),
        ("end_time", TIME_INVALID),
    ):
        if parsed[name] is None:
            errors[name] = message if form.one(name) else REQUIRED
    day, start, end = parsed["date"], parsed["start_time"], parsed["end_time"]
    if not isinstance(day, date) or not isinstance(start, time) or not isinstance(end, time):
        return None
    return datetime.combine(day, start, tzinfo=tz), datetime.combine(day, end, tzinfo=tz)


def core_field(name: str) -> str:
    """Core's field names as the forms': start → start_time, agenda.2.title → agenda-2-title."""
    return {"start": "start_time", "end": "end_time"}.get(name, name.replace(".", "-"))


def formatters(lang: str, tz: ZoneInfo, tz_name: str) -> dict[str, Any]:
    """Date and time formatting in the local zone and the page's language."""

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

    return {
        "day": day,
        "short_day": short_day,
        "clock": clock,
        "span": span,
        "month_title": lambda value: format_date(value, "MMMM y", locale=lang),
        "weekday": lambda value, width="EEE": format_date(value, width, locale=lang),
        "local_date": lambda value: local(value).date().isoformat(),
        "local_time": lambda value: local(value).strftime("%H:%M"),
        "tz_label": TZ_LABELS.get(tz_name, tz_name),
    }


def forum_page(request: Request, template: str, status_code: int = 200, **context: Any) -> Template:
    """page() with the forum labels and date formatting in the local time zone."""
    tz_name = request.app.state.settings.timezone
    return page(
        request,
        template,
        status_code=status_code,
        **all_labels(),
        **status_rules(),
        **formatters(locale_of(request), ZoneInfo(tz_name), tz_name),
        **context,
    )


def qr_svg(url: str) -> bytes:
    """A QR code of ``url`` as SVG."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", scale=8, border=4, dark="#000", light="#fff", title=url
    )
    return buffer.getvalue()


def svg_response(content: bytes) -> Response[bytes]:
    """An SVG that must not be cached or leak its URL (it encodes a secret link)."""
    return Response(
        content=content,
        media_type="image/svg+xml",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )


def checkin_url(request: Request, forum_id: int, token: str) -> str:
    """What an invitation's QR code encodes."""
    return f"{request.app.state.settings.base_url}/forum/{forum_id}/checkin/{token}"


def done(forum_id: int, notice: str, anchor: str = "", path: str = "") -> Redirect:
    """Back to the forum page saying what happened."""
    target = f"/forum/{forum_id}{path}?pesan={notice}"
    return Redirect(path=target + (f"#{anchor}" if anchor else ""))


async def public_forum_page(request: Request, forum_id: int) -> Template:
    """What the public sees of a forum."""
    forum = await public_forum(forum_id)
    return forum_page(request, "forums/public_detail.html", forum=forum, invitation_link="")
