"""The responses of a cycle as staff review them: filtered, paged, with their versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from core.accounts.policy import Action, Actor
from core.errors import NotFound
from core.surveys.cycles import cycle_row
from core.surveys.responses import STANDARD_COLUMNS
from core.surveys.tables import ExtraAnswer, Response, counted

PAGE_SIZE = 50
STATUS_LABELS: dict[str, str] = {
    "counted": "Berlaku",
    "voided": "Dibatalkan",
    "superseded": "Versi lama (dikoreksi)",
}
"""A response's standing: counted in every score, voided, or replaced by a corrected version."""


class ResponseRow(msgspec.Struct):
    """One response as the list and its page show it."""

    id: int
    cycle: int
    status: str
    channel: str
    method: str
    service: str
    entered_by: str
    created_at: datetime
    filled_on: date | None
    filled_time: str
    answers: dict[str, int]
    jenis_kelamin: str
    usia: int | None
    pendidikan: str
    pekerjaan: str
    pekerjaan_lain: str
    saran: str
    voided_at: datetime | None
    voided_by: str
    void_reason: str
    superseded_by: int | None
    replaces: int | None


class ResponsePage(msgspec.Struct):
    """One page of a cycle's responses and how many match in all."""

    rows: list[ResponseRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class ResponseFilter:
    """Which responses to list; dates are local days of entry (the configured time zone)."""

    channel: str | None = None
    entered_by: int | None = None
    entered_from: date | None = None
    entered_to: date | None = None
    status: str | None = None
    page: int = 1


_COLUMNS = (
    Response.id,
    Response.cycle,
    Response.channel,
    Response.method,
    Response.created_at,
    Response.filled_on,
    Response.filled_time,
    *(getattr(Response, column) for column in STANDARD_COLUMNS.values()),
    Response.jenis_kelamin,
    Response.usia,
    Response.pendidikan,
    Response.pekerjaan,
    Response.pekerjaan_lain,
    Response.saran,
    Response.voided_at,
    Response.void_reason,
    Response.superseded_by,
    Response.service.code.as_alias("service_code"),
    Response.entered_by.username.as_alias("entered_by_name"),
    Response.voided_by.username.as_alias("voided_by_name"),
)


def status_of(row: dict[str, Any]) -> str:
    """counted, voided or superseded."""
    if row["voided_at"] is not None:
        return "voided"
    return "superseded" if row["superseded_by"] is not None else "counted"


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def _where(cycle_id: int, filters: ResponseFilter, zone: ZoneInfo) -> Any:
    where = Response.cycle == cycle_id
    if filters.channel:
        where &= Response.channel == filters.channel
    if filters.entered_by:
        where &= Response.entered_by == filters.entered_by
    if filters.entered_from:
        where &= Response.created_at >= _start_of(filters.entered_from, zone)
    if filters.entered_to:
        where &= Response.created_at < _start_of(filters.entered_to + timedelta(days=1), zone)
    if filters.status == "counted":
        where &= counted()
    elif filters.status == "voided":
        where &= Response.voided_at.is_not_null()
    elif filters.status == "superseded":
        where &= Response.superseded_by.is_not_null()
    return where


async def _rows(where: Any, limit: int | None = None, offset: int = 0) -> list[ResponseRow]:
    query = Response.select(*_COLUMNS).where(where).order_by(Response.id, ascending=False)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    rows = await query
    ids = [row["id"] for row in rows]
    extras: dict[int, dict[str, int]] = {}
    replaces: dict[int, int] = {}
    if ids:
        for extra in await ExtraAnswer.select().where(ExtraAnswer.response.is_in(ids)):
            extras.setdefault(extra["response"], {})[extra["code"]] = extra["value"]
        older = await Response.select(Response.id, Response.superseded_by).where(
            Response.superseded_by.is_in(ids)
        )
        replaces = {row["superseded_by"]: row["id"] for row in older}
    return [
        ResponseRow(
            id=row["id"],
            cycle=row["cycle"],
            status=status_of(row),
            channel=row["channel"],
            method=row["method"],
            service=row["service_code"] or "",
            entered_by=row["entered_by_name"] or "",
            created_at=row["created_at"],
            filled_on=row["filled_on"],
            filled_time=row["filled_time"],
            answers={
                **{
                    code: row[column]
                    for code, column in STANDARD_COLUMNS.items()
                    if row[column] is not None
                },
                **extras.get(row["id"], {}),
            },
            jenis_kelamin=row["jenis_kelamin"],
            usia=row["usia"],
            pendidikan=row["pendidikan"],
            pekerjaan=row["pekerjaan"],
            pekerjaan_lain=row["pekerjaan_lain"],
            saran=row["saran"],
            voided_at=row["voided_at"],
            voided_by=row["voided_by_name"] or "",
            void_reason=row["void_reason"],
            superseded_by=row["superseded_by"],
            replaces=replaces.get(row["id"]),
        )
        for row in rows
    ]


async def list_responses(
    actor: Actor, timezone: str, cycle_id: int, filters: ResponseFilter
) -> ResponsePage:
    """A page of a cycle's responses, newest first, with every version and void kept visible."""
    await cycle_row(actor, cycle_id, Action.view_responses)
    where = _where(cycle_id, filters, ZoneInfo(timezone))
    total = await Response.count().where(where)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    rows = await _rows(where, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return ResponsePage(rows=rows, total=total, page=page, pages=pages)


async def response_versions(actor: Actor, cycle_id: int, response_id: int) -> list[ResponseRow]:
    """A response with all its versions, newest first (the asked-for one among them)."""
    await cycle_row(actor, cycle_id, Action.view_responses)
    found = await _rows((Response.cycle == cycle_id) & (Response.id == response_id))
    if not found:
        raise NotFound(f"Jawaban {response_id} tidak ditemukan di siklus ini.")
    chain = found
    while chain[0].superseded_by is not None:
        chain = await _rows(Response.id == chain[0].superseded_by) + chain
    while chain[-1].replaces is not None:
        chain = chain + await _rows(Response.id == chain[-1].replaces)
    return chain


async def cycle_of_response(response_id: int) -> int:
    """The cycle a response belongs to (permissions are checked by what is done with it next)."""
    row = await Response.select(Response.cycle).where(Response.id == response_id).first()
    if row is None:
        raise NotFound(f"Jawaban {response_id} tidak ditemukan.")
    return int(row["cycle"])


async def people_who_entered(actor: Actor, cycle_id: int) -> list[tuple[int, str]]:
    """The staff who keyed in or imported responses of a cycle (id, username), by name."""
    await cycle_row(actor, cycle_id, Action.view_responses)
    rows = (
        await Response.select(Response.entered_by, Response.entered_by.username.as_alias("name"))
        .where((Response.cycle == cycle_id) & Response.entered_by.is_not_null())
        .distinct()
    )
    return sorted(((row["entered_by"], row["name"]) for row in rows), key=lambda p: p[1])
