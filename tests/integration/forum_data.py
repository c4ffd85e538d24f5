"""Builders and page helpers for the forum page tests: organiser session, stakeholders, forums in
each state (through core.forums), and small readers of the rendered HTML."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

from core.accounts.policy import Actor
from core.audit.tables import AuditEvent
from core.clock import frozen_at
from core.forums import service
from core.forums.schemas import (
    AttendanceIn,
    ForumIn,
    InvitationsIn,
    StakeholderIn,
)
from core.forums.stakeholders import create_stakeholder
from core.forums.tables import Forum
from core.surveys.cycles import close_cycle, create_cycle, open_cycle
from core.surveys.schemas import CycleIn

WIB = timezone(timedelta(hours=7))
FORUM_DAY = datetime(2026, 12, 10, 10, 0, tzinfo=WIB)
"""During the forum that new_forum() plans by default (check-ins are refused before its day)."""
GROUPS = ("pengguna_layanan", "akademisi", "instansi_terkait", "organisasi_masyarakat", "media")
SYSTEM = Actor.system()
START = "2026-12-10T09:00:00+07:00"
END = "2026-12-10T12:00:00+07:00"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


async def people(prefix: str = "w", groups: tuple[str, ...] = GROUPS) -> list[int]:
    """One consenting stakeholder per group, related to PKM-A."""
    ids = []
    for n, group in enumerate(groups):
        out = await create_stakeholder(
            SYSTEM,
            StakeholderIn(
                name=f"Warga {prefix}{n}",
                organisation=f"Org {prefix}{n}",
                group=group,
                email=f"{prefix}{n}@contoh.id",
                consent=True,
                units=["PKM-A"],
            ),
        )
        ids.append(out.id)
    return ids


async def new_forum(start: datetime | None = None, **extra) -> int:
    """A draft forum for PKM-A, by default on 10 December 2026 09.00–12.00 WIB."""
    start = start or datetime(2026, 12, 10, 9, 0, tzinfo=WIB)
    values = {
        "title": "Forum standar pelayanan",
        "purpose": "standar_pelayanan",
        "units": ["PKM-A"],
        "format": "tatap_muka",
        "venue": "Aula Puskesmas",
        "start": start,
        "end": start + timedelta(hours=3),
        **extra,
    }
    return await service.create_forum(SYSTEM, ForumIn(**values))


async def scheduled_forum(prefix: str = "w", **extra) -> tuple[int, list[int]]:
    """A scheduled forum with one invitee per group (named Warga <prefix><n>)."""
    forum_id = await new_forum(**extra)
    ids = await people(prefix)
    await service.invite(SYSTEM, forum_id, InvitationsIn(stakeholders=ids))
    await service.schedule_forum(SYSTEM, forum_id)
    return forum_id, ids


async def held_forum(prefix: str = "w") -> tuple[int, list[int]]:
    """A held forum where the first three invitees checked in."""
    forum_id, ids = await scheduled_forum(prefix)
    with frozen_at(FORUM_DAY):
        for stakeholder in ids[:3]:
            await service.check_in(SYSTEM, forum_id, AttendanceIn(stakeholder=stakeholder))
        await service.hold_forum(SYSTEM, forum_id)
    return forum_id, ids


async def post(client, path: str, token: str, files=None, **data):
    """Submit a form with the CSRF token, without following the redirect."""
    return await client.post(
        path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False
    )


async def actions(forum_id: int) -> list[str]:
    """The audit actions recorded on one forum."""
    rows = await AuditEvent.select(AuditEvent.action).where(
        (AuditEvent.entity == "forum") & (AuditEvent.entity_id == str(forum_id))
    )
    return [r["action"] for r in rows]


async def status(forum_id: int) -> str:
    """The forum's stored status."""
    return (await Forum.select(Forum.status).where(Forum.id == forum_id).first())["status"]


def invalid(page: str, field_id: str) -> bool:
    """True when the page marks the field as invalid."""
    return re.search(rf'id="{field_id}"[^>]*aria-invalid="true"', page, re.S) is not None


def text(page: str) -> str:
    """The page with HTML entities decoded."""
    return html.unescape(page)


def day_cell(page: str, day: str) -> str:
    """The calendar cell of one local date."""
    match = re.search(
        rf'<li class="cal-day[^"]*">\s*<p class="cal-date"><time datetime="{day}">'
        r'.*?</li>\s*(?=<li class="cal-day|</ol>)',
        page,
        re.S,
    )
    assert match, f"no cell for {day}"
    return match.group(0)


async def closed_cycle(hooks, unit: str = "PKM-A") -> int:
    """A survey cycle of the unit closed early (a follow-up forum may refer to it)."""
    cycle_id = await create_cycle(
        SYSTEM, hooks, CycleIn(unit=unit, period_type="tw1", year=2026, population=50)
    )
    await open_cycle(SYSTEM, hooks, cycle_id)
    await close_cycle(
        SYSTEM, hooks, cycle_id, "Tes: siklus ditutup sebelum sampel minimum tercapai"
    )
    return cycle_id


FORM = {
    "title": "Standar pelayanan poli umum",
    "purpose": "standar_pelayanan",
    "units": ["PKM-A"],
    "format": "tatap_muka",
    "venue": "Aula Puskesmas",
    "date": "2026-12-10",
    "start_time": "09:00",
    "end_time": "12:00",
    "capacity": "40",
    "notulis": "Sari",
    "rows": "3",
    "agenda-1-title": "Pembukaan",
    "agenda-1-speaker": "Kepala Puskesmas",
    "agenda-1-duration": "15",
}


def forum_body(cycle_id: int | None = None, **changes) -> dict:
    """The JSON of a follow-up forum for PKM-A (10 December 09.00–12.00 WIB), with changes."""
    body = {
        "title": "Tindak lanjut SKM TW I Puskesmas Sukamaju",
        "purpose": "tindak_lanjut_skm",
        "units": ["PKM-A"],
        "format": "tatap_muka",
        "venue": "Aula Puskesmas",
        "start": START,
        "end": END,
        "cycle": cycle_id,
        "capacity": 30,
        "agenda": [{"title": "Paparan hasil SKM", "speaker": "Kepala Puskesmas", "duration": 30}],
    }
    return {**body, **changes}
