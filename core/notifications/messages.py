"""Rendering notification messages from the Jinja2 text templates, in Indonesian or English.

Each event has ``templates/<event>.<lang>.txt``: the first line is ``Subjek: …`` (or
``Subject: …``), the rest is the body. Templates run in a sandbox with autoescaping off (plain text).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

TEMPLATE_DIR = Path(__file__).parent / "templates"
LANGUAGES = ("id", "en")
EVENTS = (
    "forum.invited",
    "forum.rescheduled",
    "forum.cancelled",
    "forum.seat_available",
    "forum.reminder_3d",
    "forum.reminder_1d",
)

DAYS = {
    "id": ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "id": (
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
# Indonesia's three time zones by their everyday names; any other zone shows its own abbreviation.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Jakarta")


def _zone_label(name: str, local: datetime) -> str:
    return ZONE_NAMES.get(name) or local.tzname() or name


def clock_time(moment: datetime, timezone: str, lang: str = "id") -> str:
    """The time of day in the zone: ``09.00 WIB`` (Indonesian) or ``09:00 WIB`` (English)."""
    local = moment.astimezone(_zone(timezone))
    separator = "." if lang == "id" else ":"
    return f"{local:%H}{separator}{local:%M} {_zone_label(timezone, local)}"


def format_date(moment: datetime, timezone: str, lang: str = "id") -> str:
    """The local day: ``Kamis, 10 Desember 2026`` (``Thursday, 10 December 2026``)."""
    local = moment.astimezone(_zone(timezone))
    lang = lang if lang in DAYS else "id"
    return (
        f"{DAYS[lang][local.weekday()]}, {local.day} {MONTHS[lang][local.month - 1]} {local.year}"
    )


def long_date(day: date, lang: str) -> str:
    """A calendar day: ``15 Januari 2027`` (``15 January 2027``)."""
    return f"{day.day} {MONTHS.get(lang, MONTHS['id'])[day.month - 1]} {day.year}"


def format_when(moment: datetime, timezone: str, lang: str = "id") -> str:
    """A moment as people read it: ``Kamis, 10 Desember 2026 pukul 09.00 WIB``."""
    at = "at" if lang == "en" else "pukul"
    return f"{format_date(moment, timezone, lang)} {at} {clock_time(moment, timezone, lang)}"


def format_span(start: datetime, end: datetime, timezone: str, lang: str = "id") -> str:
    """Start and end: the end as a time of day when both fall on the same local day."""
    zone = _zone(timezone)
    until = "s.d." if lang == "id" else "to"
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        return f"{format_when(start, timezone, lang)} {until} {clock_time(end, timezone, lang)}"
    return f"{format_when(start, timezone, lang)} {until} {format_when(end, timezone, lang)}"


def environment() -> SandboxedEnvironment:
    """The sandboxed Jinja environment for message templates (plain text, strict variables)."""
    return folder_environment(str(TEMPLATE_DIR))


@lru_cache(maxsize=8)
def folder_environment(folder: str) -> SandboxedEnvironment:
    """A sandboxed plain-text environment for the message templates of one folder."""
    return SandboxedEnvironment(
        loader=FileSystemLoader(folder),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def split_subject(text: str) -> tuple[str, str]:
    """The ``Subjek:``/``Subject:`` first line and the body after it."""
    first, _, rest = text.strip().partition("\n")
    label, colon, subject = first.partition(":")
    if not colon or label.strip().lower() not in {"subjek", "subject"}:
        raise ValueError(f"a message template must start with 'Subjek: …', got {first!r}")
    body = "\n".join(line.rstrip() for line in rest.strip("\n").splitlines())
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return " ".join(subject.split()), body.strip() + "\n"


def render_in(folder: Path, event: str, lang: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``<event>.<lang>.txt`` in an area's own template folder."""
    lang = lang if lang in LANGUAGES else "id"
    template = folder_environment(str(folder)).get_template(f"{event}.{lang}.txt")
    return split_subject(template.render(**context, lang=lang))


def render_message(event: str, lang: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of an event's message in a language (Indonesian when it has no variant)."""
    lang = lang if lang in LANGUAGES else "id"
    template = environment().get_template(f"{event}.{lang}.txt")
    return split_subject(template.render(**context, lang=lang))
