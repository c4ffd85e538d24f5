"""The saran (free-text suggestions) of a cycle as staff read them: newest first, searchable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from piccolo.columns.combination import WhereRaw

from core.surveys.tables import Response, counted

SARAN_PAGE_SIZE = 20


@dataclass(frozen=True)
class SaranItem:
    """One respondent's suggestion, without anything that could identify them."""

    id: int
    saran: str
    service: str
    channel: str
    filled_on: date | None
    created_at: datetime


def _like_pattern(text: str) -> str:
    escaped = text.lower().replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


async def saran_page(
    cycle_id: int, search: str | None = None, *, limit: int = SARAN_PAGE_SIZE, offset: int = 0
) -> tuple[list[SaranItem], int]:
    """Non-empty saran of a cycle, newest first, optionally containing a text; and their count.

    Checks no permission: call it for a cycle the actor was already allowed to see.
    """
    conditions = [(Response.cycle == cycle_id), (Response.saran != ""), counted()]
    if search and search.strip():
        conditions.append(
            WhereRaw(
                "LOWER(survey_response.saran) LIKE {} ESCAPE '!'", _like_pattern(search.strip())
            )
        )
    where = conditions[0]
    for condition in conditions[1:]:
        where = where & condition
    total = await Response.count().where(where)
    rows = (
        await Response.select(
            Response.id,
            Response.saran,
            Response.channel,
            Response.filled_on,
            Response.created_at,
            Response.service.code.as_alias("service_code"),
        )
        .where(where)
        .order_by(Response.created_at, ascending=False)
        .order_by(Response.id, ascending=False)
        .limit(min(max(limit, 1), 200))
        .offset(max(offset, 0))
    )
    items = [
        SaranItem(
            id=row["id"],
            saran=row["saran"],
            service=row["service_code"] or "",
            channel=row["channel"],
            filled_on=row["filled_on"],
            created_at=row["created_at"],
        )
        for row in rows
    ]
    return items, total
