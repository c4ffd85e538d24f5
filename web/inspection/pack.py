"""The audit pack of one unit and year: its matrix row, every indicator's evidence with dates and
sha256 (what Suara holds and the unit's files), the inspector's latest verdict, and its findings
— a printable A4 page, and the same as PDF when WeasyPrint is there."""

from __future__ import annotations

import asyncio
from pathlib import Path

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from core.clock import utcnow
from core.inspection.compliance import INDICATORS
from core.inspection.dossier import dossier
from core.inspection.labels import ENTRY_LABELS, INDICATOR_LABELS, STATUS_LABELS
from core.inspection.reads import list_findings
from core.inspection.review import VERDICT_LABELS, review_states
from core.inspection.windows import unit_id_of
from core.pdf import PdfUnavailable, html_to_pdf, pdf_missing
from core.reports.publications import MEDIA_LABELS
from web.context import CurrentActor, locale_of, page, signed_in
from web.inspection.compliance import parse_year

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "suara.css"
PAGE = "paket audit"


async def _pack(
    request: Request, actor: CurrentActor, code: str, year: str | None, pdf: bool
) -> Template:
    actor = signed_in(actor)
    chosen = parse_year(year)
    settings = request.app.state.settings
    found = await dossier(
        actor, request.app.state.hooks, code, chosen, settings.timezone, locale_of(request)
    )
    row = found.row
    files = [f for slot in found.slots for f in slot.files]
    states = await review_states(row, await unit_id_of(code), chosen, files)
    return page(
        request,
        "inspection/pack.html",
        row=row,
        year=chosen,
        findings=await list_findings(actor, code),
        indicators=INDICATORS,
        slots=found.slots,
        states=states,
        verdict_labels=VERDICT_LABELS,
        media_labels=MEDIA_LABELS,
        indicator_labels=INDICATOR_LABELS,
        status_labels=STATUS_LABELS,
        entry_labels=ENTRY_LABELS,
        printed_on=utcnow(),
        pdf=pdf,
    )


@get("/kepatuhan/{code:str}/paket")
async def audit_pack(
    request: Request, actor: CurrentActor, code: FromPath[str], year: FromQuery[str | None] = None
) -> Template:
    """The unit's audit pack as a printable page."""
    return await _pack(request, actor, code, year, pdf=False)


@get("/kepatuhan/{code:str}/paket.pdf")
async def audit_pack_pdf(
    request: Request, actor: CurrentActor, code: FromPath[str], year: FromQuery[str | None] = None
) -> Response[bytes] | Template:
    """The same pack as PDF; without WeasyPrint, 503 saying what to install."""
    document = await _pack(request, actor, code, year, pdf=True)
    html = request.app.template_engine.get_template(document.template_name).render(
        **document.context
    )
    chosen = document.context["year"]
    try:
        content = await asyncio.to_thread(html_to_pdf, html, [STYLESHEET], PAGE)
    except PdfUnavailable:
        return page(
            request,
            "inspection/pack_unavailable.html",
            status_code=503,
            message=pdf_missing(PAGE),
            code=code,
            year=chosen,
        )
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="paket-audit-{code}-{chosen}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


ROUTES = [audit_pack, audit_pack_pdf]
