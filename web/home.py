"""The landing page: a summary for staff; for visitors, the transparency portal's overview."""

from __future__ import annotations

from litestar import Request, Response, get

from core.units.service import count_units_by_kind
from web.context import CurrentActor, page
from web.portal.pages import overview_response


@get("/")
async def home(request: Request, actor: CurrentActor) -> Response:
    """Staff see unit counts per kind; visitors see the regency's published results."""
    if actor is None:
        return await overview_response(request)
    counts = await count_units_by_kind(actor)
    return page(request, "home.html", counts=counts, total=sum(counts.values()))


ROUTES = [home]
