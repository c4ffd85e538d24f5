"""iCalendar (RFC 5545) feeds of forums: the whole regency, or one unit.

``build_calendar`` is pure (forums in, bytes out); ``feed_forums`` gathers what a public feed may
show. Only public facts go into a feed: title, time, place or link, status and the public page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlparse

from icalendar import Calendar, Event, vText

from core.audit.tables import AuditEvent
from core.clock import utcnow
from core.errors import NotFound
from core.forums.labels import FORMAT_LABELS, PURPOSE_LABELS, STATUS_LABELS
from core.forums.reads import forum_out
from core.forums.schemas import ForumOut
from core.forums.tables import Forum, ForumStatus, ForumUnit
from core.units.tables import Unit

PRODID = "-//Suara//Forum Konsultasi Publik//ID"
FEED_STATUSES = (
    ForumStatus.scheduled.value,
    ForumStatus.held.value,
    ForumStatus.minutes_published.value,
)
ICS_STATUS = {
    ForumStatus.scheduled.value: "CONFIRMED",
    ForumStatus.held.value: "CONFIRMED",
    ForumStatus.minutes_published.value: "CONFIRMED",
    ForumStatus.cancelled.value: "CANCELLED",
}


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def forum_uid(forum_id: int, base_url: str) -> str:
    """A UID that stays the same for the life of the forum."""
    host = urlparse(base_url).hostname or "suara"
    return f"forum-{forum_id}@{host}"


def build_calendar(
    forums: Sequence[ForumOut],
    base_url: str,
    *,
    name: str = "Forum Konsultasi Publik",
    sequences: Mapping[int, int] | None = None,
    revised: Mapping[int, datetime] | None = None,
    unit_names: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> bytes:
    """An iCalendar document with one VEVENT per forum (drafts are the caller's to leave out).

    ``sequences`` gives each forum's SEQUENCE (how often it was rescheduled), ``revised`` its
    last change (DTSTAMP/LAST-MODIFIED; ``now`` otherwise), ``unit_names`` the names of units.
    """
    base = base_url.rstrip("/")
    stamp = _utc(now or utcnow())
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    calendar.add("x-published-ttl", "PT1H")
    for forum in forums:
        url = f"{base}/forum/{forum.id}"
        event = Event()
        event.add("uid", forum_uid(forum.id, base))
        changed = _utc(revised[forum.id]) if revised and forum.id in revised else stamp
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("dtstart", _utc(forum.start))
        event.add("dtend", _utc(forum.end))
        event.add("sequence", (sequences or {}).get(forum.id, 0))
        event.add("summary", forum.title)
        event.add("status", ICS_STATUS.get(forum.status, "TENTATIVE"))
        location = forum.venue or forum.link
        if location:
            event.add("location", vText(location))
        units = [(unit_names or {}).get(code, code) for code in forum.units]
        lines = [
            PURPOSE_LABELS.get(forum.purpose, forum.purpose),
            f"Penyelenggara: {', '.join(units)}",
            f"Bentuk: {FORMAT_LABELS.get(forum.format, forum.format)}",
        ]
        if forum.venue:
            lines.append(f"Tempat: {forum.venue}")
        if forum.link:
            lines.append(f"Tautan: {forum.link}")
        lines += [f"Status: {STATUS_LABELS.get(forum.status, forum.status)}", f"Informasi: {url}"]
        event.add("description", "\n".join(lines))
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()


async def feed_forums(
    unit_code: str | None = None,
) -> tuple[list[ForumOut], dict[int, int], dict[int, datetime], dict[str, str]]:
    """Forums a public feed shows, with their SEQUENCE, last change and unit names.

    Scheduled, held and published forums, and cancelled ones that had been announced (so that
    subscribed calendars drop them); drafts never. NotFound for an unknown unit.
    """
    query = (
        Forum.select(Forum.id, Forum.status, Forum.updated_at)
        .where(Forum.status.is_in([*FEED_STATUSES, ForumStatus.cancelled.value]))
        .order_by(Forum.start_at)
    )
    if unit_code is not None:
        unit = await Unit.select(Unit.id).where(Unit.code == unit_code).first()
        if unit is None:
            raise NotFound("Unit tidak ditemukan.")
        linked = [
            r["forum"]
            for r in await ForumUnit.select(ForumUnit.forum).where(ForumUnit.unit == unit["id"])
        ]
        query = query.where(Forum.id.is_in(linked or [-1]))
    rows = await query
    ids = [str(r["id"]) for r in rows]
    events = (
        await AuditEvent.select(AuditEvent.entity_id, AuditEvent.action).where(
            (AuditEvent.entity == "forum")
            & AuditEvent.entity_id.is_in(ids or ["-"])
            & AuditEvent.action.is_in(["forum.rescheduled", "forum.scheduled"])
        )
        if ids
        else []
    )
    announced = {int(e["entity_id"]) for e in events if e["action"] == "forum.scheduled"}
    sequences: dict[int, int] = {}
    for e in events:
        if e["action"] == "forum.rescheduled":
            sequences[int(e["entity_id"])] = sequences.get(int(e["entity_id"]), 0) + 1
    shown = [
        r
        for r in rows
        if r["status"] in FEED_STATUSES
        or (r["status"] == ForumStatus.cancelled.value and r["id"] in announced)
    ]
    for r in shown:
        # A cancellation is a revision subscribers must pick up.
        if r["status"] == ForumStatus.cancelled.value:
            sequences[r["id"]] = sequences.get(r["id"], 0) + 1
    forums = [await forum_out(r["id"]) for r in shown]
    codes = {code for forum in forums for code in forum.units}
    names = {
        r["code"]: r["name"]
        for r in await Unit.select(Unit.code, Unit.name).where(
            Unit.code.is_in(list(codes) or ["-"])
        )
    }
    return forums, sequences, {r["id"]: r["updated_at"] for r in shown}, names
