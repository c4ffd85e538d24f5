"""The portal's public JSON API (no log-in): units and their published results."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import FromPath

from core.portal.api import PortalUnit, PortalUnitDetail, unit_out, units_out
from web.portal.caching import headers, not_modified, unchanged, validators


@get("/api/v1/public/units", tags=["public"], operation_id="listPublicUnits")
async def public_units(request: Request) -> Response[list[PortalUnit]]:
    """Every unit with its latest published result (null when it has none)."""
    data, etag = await validators(request, "api|units")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    return Response(await units_out(request.app.state.hooks), headers=headers(data, etag))


@get("/api/v1/public/units/{code:str}", tags=["public"], operation_id="getPublicUnit")
async def public_unit(request: Request, code: FromPath[str]) -> Response[PortalUnitDetail]:
    """A unit's latest published result, its history and its public forums."""
    data, etag = await validators(request, f"api|unit|{code}")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    return Response(await unit_out(request.app.state.hooks, code), headers=headers(data, etag))


ROUTES = [public_units, public_unit]
