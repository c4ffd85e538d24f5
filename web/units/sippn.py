"""The SIPPN export over HTTP: the API for scripts, and the download behind the page buttons.

Both only parse the query and hand it to core.units.sippn_export; a refusal is core's
ValidationFailed, answered 422 with every unit and field (JSON on /api, the error page elsewhere).
"""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import FromQuery

from core.errors import ValidationFailed
from core.units.sippn_export import SippnFile, export_sippn
from web.context import CurrentActor, signed_in, token_required

SKIPPED_HEADER = "X-Suara-Skipped-Units"


def _year(text: str | None) -> int:
    if not text or not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ValidationFailed.single("year", "tahun wajib diisi, empat angka (mis. 2026)")
    return int(text)


async def _file(
    request: Request,
    actor: CurrentActor,
    unit: str | None,
    year: str | None,
    fmt: str | None,
    period: str | None,
) -> Response[bytes]:
    if not fmt:
        raise ValidationFailed.single("format", "format wajib dipilih")
    result: SippnFile = await export_sippn(
        signed_in(actor),
        request.app.state.hooks,
        unit=unit or None,
        year=_year(year),
        fmt=fmt,
        period=period or None,
    )
    headers = {"Content-Disposition": f'attachment; filename="{result.filename}"'}
    if result.skipped:
        headers[SKIPPED_HEADER] = ", ".join(code for code, _ in result.skipped)
    return Response(content=result.content, media_type=result.media_type, headers=headers)


@get(
    "/api/v1/exports/sippn",
    tags=["units"],
    guards=[token_required],
    operation_id="exportSippn",
)
async def sippn_api(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    format: FromQuery[str | None] = None,
    unit: FromQuery[str | None] = None,
    period: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The SIPPN file of one unit (``unit=CODE``) or every unit with a final SKM result (no
    ``unit``) for ``year`` [and ``period``] in ``format`` (csv, xlsx, json, or another a plugin
    registers). 422 names every unit and field when the data is not ready; the units left out of
    an all-unit export are listed in the ``X-Suara-Skipped-Units`` header."""
    return await _file(request, actor, unit, year, format, period)


@get("/ekspor/sippn")
async def sippn_download(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    format: FromQuery[str | None] = None,
    unit: FromQuery[str | None] = None,
    period: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The same file for the buttons on the unit and recap pages (signed-in session)."""
    return await _file(request, actor, unit, year, format, period)


API_ROUTES = [sippn_api]
PAGE_ROUTES = [sippn_download]
