"""The compliance matrix page (filters, sort), its XLSX download, and the API."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template

from core.clock import utcnow
from core.errors import ValidationFailed
from core.inspection.compliance import INDICATORS, Compliance, compliance_matrix
from core.inspection.export import export_compliance
from core.inspection.labels import INDICATOR_LABELS
from core.units.tables import UnitKind
from web.context import CurrentActor, locale_of, page, signed_in, token_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_year(text: str | None) -> int:
    if not text:
        return utcnow().year
    if not (text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
        raise ValidationFailed.single("year", "tahun empat angka, mis. 2026")
    return int(text)


async def _matrix(
    request: Request, actor: CurrentActor, year: str | None, kind: str | None, sort: str | None
) -> Compliance:
    if kind and kind not in UnitKind.__members__:
        raise ValidationFailed.single("kind", f"pilihan: {', '.join(UnitKind)}")
    settings = request.app.state.settings
    return await compliance_matrix(
        signed_in(actor),
        request.app.state.hooks,
        parse_year(year),
        kind or None,
        sort or "unit",
        settings.timezone,
        locale_of(request),
    )


@get("/kepatuhan")
async def compliance_page(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Template:
    """Units × one year: indicators 6, 7, 8, 9 and FKP 2 with the evidence behind each score."""
    matrix = await _matrix(request, actor, year, kind, sort)
    this_year = utcnow().year
    return page(
        request,
        "inspection/compliance.html",
        matrix=matrix,
        indicators=INDICATORS,
        indicator_labels=INDICATOR_LABELS,
        kind=kind or "",
        sort=sort or "unit",
        years=sorted({*range(this_year - 4, this_year + 1), matrix.year}, reverse=True),
    )


@get("/kepatuhan.xlsx", media_type=XLSX)
async def compliance_xlsx(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The matrix as a workbook, with the notes on what cannot be evidenced yet."""
    matrix = await _matrix(request, actor, year, kind, sort)
    export = export_compliance(request.app.state.hooks, "xlsx", matrix)
    suffix = f"-{kind}" if kind else ""
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="kepatuhan-{matrix.year}{suffix}.xlsx"'
        },
    )


@get("/api/v1/compliance", guards=[token_required], tags=["inspection"])
async def compliance_api(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Compliance:
    """The compliance matrix of a year (inspectors and administrators)."""
    return await _matrix(request, actor, year, kind, sort)


PAGE_ROUTES = [compliance_page, compliance_xlsx]
API_ROUTES = [compliance_api]
