"""The audit pack of one unit and year: its matrix row, every indicator's evidence with dates and
sha256, and its findings — a printable A4 page, and the same as PDF when WeasyPrint is there."""

from __future__ import annotations

import asyncio
import logging

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from core.clock import utcnow
from core.inspection.compliance import INDICATORS, PLANS_PENDING, REGISTER_PENDING, unit_compliance
from core.inspection.labels import ENTRY_LABELS, INDICATOR_LABELS, STATUS_LABELS
from core.inspection.reads import list_findings
from web.context import CurrentActor, page, signed_in
from web.forums.documents import PDF_MISSING, _render_pdf, pdf_available
from web.inspection.compliance import parse_year

log = logging.getLogger(__name__)


async def _pack(
    request: Request, actor: CurrentActor, code: str, year: str | None, pdf: bool
) -> Template:
    actor = signed_in(actor)
    chosen = parse_year(year)
    settings = request.app.state.settings
    row = await unit_compliance(actor, request.app.state.hooks, chosen, code, settings.timezone)
    return page(
        request,
        "inspection/pack.html",
        row=row,
        year=chosen,
        findings=await list_findings(actor, code),
        indicators=INDICATORS,
        indicator_labels=INDICATOR_LABELS,
        status_labels=STATUS_LABELS,
        entry_labels=ENTRY_LABELS,
        pending=[REGISTER_PENDING, PLANS_PENDING],
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
    if pdf_available():
        html = request.app.template_engine.get_template(document.template_name).render(
            **document.context
        )
        try:
            content = await asyncio.to_thread(_render_pdf, html)
        except OSError:
            log.exception("PDF rendering failed")
        else:
            name = f"paket-audit-{code}-{document.context['year']}.pdf"
            return Response(
                content=content,
                media_type="application/pdf",
                headers={
                    "Content-Disposition": f'inline; filename="{name}"',
                    "Cache-Control": "private, no-store",
                },
            )
    return page(
        request,
        "inspection/pack_unavailable.html",
        status_code=503,
        message=PDF_MISSING,
        code=code,
        year=document.context["year"],
    )


ROUTES = [audit_pack, audit_pack_pdf]
