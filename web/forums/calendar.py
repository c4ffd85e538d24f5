"""The staff forum calendar: a month grid, an ISO week, or a list, filtered by unit and purpose."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from core.clock import utcnow
from core.forums.labels import PURPOSE_LABELS
from core.forums.reads import list_forums
from core.units.service import list_units
from web.context import CurrentActor, signed_in
from web.forums.common import forum_page, local_zone
from web.forums.grid import month_period, parse_month, parse_week, week_key, week_period, weeks


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
    tz = local_zone(request)
    today = utcnow().astimezone(tz).date()
    monday = parse_week(minggu)
    if monday is not None:
        period = week_period(monday)
    else:
        period = month_period(parse_month(bulan) or today.replace(day=1))
    view = "daftar" if tampilan == "daftar" else period.kind
    units = await list_units(actor, include_inactive=False)
    unit = unit if unit in {u.code for u in units} else None
    purpose = tujuan if tujuan in PURPOSE_LABELS else None
    start, end = period.bounds(tz)
    forums = await list_forums(actor, start=start, end=end, unit=unit, purpose=purpose)
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

    return forum_page(
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


ROUTES = [forum_calendar]
