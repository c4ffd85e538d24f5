"""The portal's pages: the regency overview (also the home page of visitors), a unit's page."""

from __future__ import annotations

from pathlib import Path

from litestar import Request, Response, get
from litestar.params import FromPath
from litestar.response import File

from core import charts
from core.clock import utcnow
from core.errors import NotFound
from core.portal.overview import overview, unit_page
from core.portal.plans import evidence_file
from core.portal.reports import (
    infographic,
    infographic_file,
    public_report,
    public_report_file,
    public_reports,
)
from core.portal.results import public_unit
from core.surveys.labels import SHORT_PERIOD_LABELS
from web.context import page
from web.portal.caching import headers, not_modified, unchanged, validators
from web.surveys.common import survey_context

MAX_SEARCH = 100


def portal_context(request: Request, **context: object) -> dict[str, object]:
    """Formatters, charts and labels the portal pages use, plus the site's address for sharing."""
    return survey_context(
        charts=charts,
        short_labels=SHORT_PERIOD_LABELS,
        site_url=request.app.state.settings.base_url.rstrip("/"),
        **context,
    )


def _year(request: Request) -> int:
    value = request.query_params.get("tahun", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else utcnow().year


async def overview_response(request: Request) -> Response:
    """The regency overview: pooled index, units by kind, ranking, who has not published."""
    search = (request.query_params.get("q") or "").strip()[:MAX_SEARCH]
    year = _year(request)
    data, etag = await validators(request, f"overview|{year}|{search}")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    view = await overview(request.app.state.hooks, year, search or None)
    response = page(
        request, "portal/overview.html", **portal_context(request, view=view, search=search)
    )
    response.headers.update(headers(data, etag))
    return response


@get("/transparansi")
async def transparency(request: Request) -> Response:
    """The overview at its own address (the home page shows it to visitors not signed in)."""
    return await overview_response(request)


@get("/transparansi/unit/{code:str}")
async def unit(request: Request, code: FromPath[str]) -> Response:
    """A unit's published results, trend, services and forums."""
    data, etag = await validators(request, f"unit|{code}")
    if unchanged(request, data, etag):
        return not_modified(data, etag)
    view = await unit_page(request.app.state.hooks, code)
    if view is None:
        raise NotFound(f"Unit {code} tidak ditemukan.")
    picture = await infographic(view.latest.cycle_id, view.unit.id) if view.latest else None
    reports = await public_reports(view.unit.id, [r.cycle_id for r in view.history])
    report = reports.get(view.latest.cycle_id) if view.latest else None
    response = page(
        request,
        "portal/unit.html",
        **portal_context(request, view=view, infographic=picture, report=report, reports=reports),
    )
    response.headers.update(headers(data, etag))
    return response


@get("/transparansi/unit/{code:str}/infografik/{name:str}")
async def unit_infographic(request: Request, code: FromPath[str], name: FromPath[str]) -> Response:
    """A published cycle's infographic, ``{cycle}.png`` or ``{cycle}.svg``, cached by checksum."""
    number, _, fmt = name.partition(".")
    unit = await public_unit(code)
    picture = await infographic(int(number), unit.id) if unit and number.isdigit() else None
    if picture is None:
        raise NotFound("Infografik tidak ditemukan.")
    found = await infographic_file(request.app.state.settings, picture, fmt)
    if found is None:
        raise NotFound("Infografik tidak ditemukan.")
    path, name = found
    return _stored(request, path, name, f'"{picture.sha256[fmt][:32]}"')


def _stored(
    request: Request, path: Path, name: str, etag: str, media_type: str | None = None
) -> Response:
    """A stored file, inline, revalidated by its checksum."""
    if request.headers.get("if-none-match") == etag:
        return Response(content=b"", status_code=304, headers={"ETag": etag})
    return File(
        path=path,
        filename=name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"ETag": etag, "Cache-Control": "public, no-cache"},
    )


@get("/transparansi/unit/{code:str}/laporan/{name:str}")
async def unit_report(request: Request, code: FromPath[str], name: FromPath[str]) -> Response:
    """The public version of a published cycle's report, ``{cycle}.pdf``."""
    number, _, fmt = name.partition(".")
    unit = await public_unit(code)
    found = (
        await public_report(int(number), unit.id)
        if unit and number.isdigit() and fmt == "pdf"
        else None
    )
    if found is None:
        raise NotFound("Laporan versi publik tidak ditemukan.")
    path, filename = await public_report_file(request.app.state.settings, found)
    return _stored(request, path, filename, f'"{found.sha256[:32]}"', "application/pdf")


@get("/transparansi/unit/{code:str}/bukti/{evidence:int}")
async def plan_evidence(request: Request, code: FromPath[str], evidence: FromPath[int]) -> Response:
    """A stored evidence file of an item of the unit's published plan."""
    unit = await public_unit(code)
    try:
        if unit is None:
            raise LookupError(code)
        path, name, media_type = await evidence_file(
            request.app.state.settings.data_dir, unit.id, evidence
        )
    except LookupError:
        raise NotFound("Bukti tidak ditemukan.") from None
    etag = f'"e{evidence}-{path.stat().st_size}"'
    return _stored(request, path, name, etag, media_type or None)


ROUTES = [transparency, unit, unit_infographic, unit_report, plan_evidence]
