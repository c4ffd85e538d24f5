"""The landing page: a summary for staff, an introduction for citizens."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from core.units.service import count_units_by_kind
from web.context import CurrentActor, page


@get("/")
async def home(request: Request, actor: CurrentActor) -> Template:
    """Staff see unit counts per kind; visitors see what Suara is."""
    counts = await count_units_by_kind(actor) if actor else {}
    return page(request, "home.html", counts=counts, total=sum(counts.values()))


ROUTES = [home]
