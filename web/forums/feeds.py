"""Public iCalendar feeds of forums (no log-in): /calendar.ics and /calendar/{unit}.ics."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from core.forums.calendar import build_calendar, feed_forums

# Litestar adds "; charset=utf-8" to text/* types.
MEDIA_TYPE = "text/calendar"


async def _feed(request: Request, unit_code: str | None, filename: str) -> Response[bytes]:
    forums, sequences, revised, unit_names = await feed_forums(unit_code)
    name = "Forum Konsultasi Publik"
    if unit_code is not None:
        name += f" — {unit_names.get(unit_code, unit_code)}"
    body = build_calendar(
        forums,
        request.app.state.settings.base_url,
        name=name,
        sequences=sequences,
        revised=revised,
        unit_names=unit_names,
    )
    return Response(
        content=body,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "public, max-age=900",
        },
    )


@get("/calendar.ics", include_in_schema=False)
async def regency_calendar(request: Request) -> Response[bytes]:
    """Every announced forum of the regency."""
    return await _feed(request, None, "forum.ics")


@get("/calendar/{name:str}", include_in_schema=False)
async def unit_calendar(request: Request, name: FromPath[str]) -> Response[bytes]:
    """The forums one unit organises (the path ends in .ics)."""
    if not name.endswith(".ics") or len(name) <= 4:
        raise NotFoundException()
    code = name[:-4]
    return await _feed(request, code, f"forum-{code}.ics")


ROUTES = [regency_calendar, unit_calendar]
