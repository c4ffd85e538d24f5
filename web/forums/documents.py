"""A forum's papers: uploads and downloads, the printable daftar hadir and berita acara (HTML
always, PDF when WeasyPrint and Pango are installed)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import File, Redirect, Template
from markupsafe import Markup

from core.accounts.policy import Actor
from core.clock import utcnow
from core.forums import attendance, documents, service
from core.forums.labels import GROUP_LABELS, SIGNED_BERITA_ACARA
from core.forums.reads import cycle_choice, letterhead, unit_names
from core.pdf import PdfUnavailable, html_to_pdf, pdf_available, pdf_missing
from web.context import CurrentActor, signed_in
from web.forms import read_form
from web.forums.common import forum_page
from web.forums.working import act

log = logging.getLogger(__name__)
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "suara.css"
BLANK_ATTENDANCE_LINES = 10
UPLOAD_LIMIT = 11 * 1024 * 1024  # a 10 MB file plus the form around it
PAGE = "berita acara"


@post("/forum/{forum_id:int}/dokumen", request_max_body_size=UPLOAD_LIMIT)
async def forum_upload(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Upload a material, a photo, or the signed berita acara scan (which locks the forum)."""
    actor = signed_in(actor)
    kind = (await read_form(request)).one("kind")
    upload = (await request.form()).get("file")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    filename = upload.filename if isinstance(upload, UploadFile) else ""
    data_dir = request.app.state.settings.data_dir
    return await act(
        request,
        actor,
        forum_id,
        "upload",
        {"kind": kind},
        lambda: documents.save_document(
            actor, forum_id, kind, filename or "", content, data_dir=data_dir
        ),
        "terkunci" if kind == SIGNED_BERITA_ACARA else "dokumen",
        "dokumen",
    )


@get("/forum/{forum_id:int}/dokumen/{document_id:int}")
async def forum_download(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], document_id: FromPath[int]
) -> File:
    """A forum's file, for staff who may see the forum."""
    doc, path = await documents.open_document(
        signed_in(actor),
        forum_id,
        document_id,
        data_dir=request.app.state.settings.data_dir,
    )
    inline = doc.media_type in (documents.PDF, documents.JPEG, documents.PNG)
    return File(
        path=path,
        filename=doc.filename,
        media_type=doc.media_type,
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
    )


@get("/forum/{forum_id:int}/daftar-hadir")
async def attendance_sheet(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template:
    """The printable A4 daftar hadir with a signature column and blank lines for walk-ins."""
    actor = signed_in(actor)
    forum = await service.get_forum(actor, forum_id)
    return forum_page(
        request,
        "forums/daftar_hadir.html",
        forum=forum,
        lines=await attendance.attendance_sheet(actor, forum_id),
        blank=BLANK_ATTENDANCE_LINES,
        unit_names=await unit_names(forum.units),
        kop=await letterhead(forum.units),
        pdf=False,
    )


async def _berita_acara(request: Request, actor: Actor, forum_id: int, pdf: bool) -> Template:
    forum = await service.get_forum(actor, forum_id)
    attendees = await attendance.list_attendance(actor, forum_id)
    agreements = await service.list_agreements(actor, forum_id)
    names = await unit_names([*forum.units, *(a.owner_unit for a in agreements if a.owner_unit)])
    by_group: dict[str, list[Any]] = {group: [] for group in GROUP_LABELS}
    for attendee in attendees:
        by_group.setdefault(attendee.group, []).append(attendee)
    return forum_page(
        request,
        "forums/berita_acara.html",
        forum=forum,
        attendees=attendees,
        by_group=by_group,
        agreements=agreements,
        organisers=[names.get(code, code) for code in forum.units],
        kop=await letterhead(forum.units),
        unit_name_of=lambda code: names.get(code, code) if code else "",
        cycle=await cycle_choice(forum.cycle),
        notulen_html=Markup(forum.notulen_html),
        printed_on=utcnow(),
        pdf=pdf,
    )


@get("/forum/{forum_id:int}/berita-acara")
async def berita_acara(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """The berita acara kesepakatan as a printable page (always works)."""
    return await _berita_acara(request, signed_in(actor), forum_id, pdf=False)


@get("/forum/{forum_id:int}/berita-acara.pdf")
async def berita_acara_pdf(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Response[bytes] | Template:
    """The same berita acara as PDF via WeasyPrint; without it, 503 with what to install."""
    actor = signed_in(actor)
    await service.get_forum(actor, forum_id)  # not found / not allowed before anything else
    unavailable = forum_page(
        request,
        "forums/pdf_unavailable.html",
        status_code=503,
        forum_id=forum_id,
        message=pdf_missing(PAGE),
    )
    if not pdf_available():
        return unavailable
    document = await _berita_acara(request, actor, forum_id, pdf=True)
    html = request.app.template_engine.get_template(document.template_name).render(
        **document.context
    )
    try:
        content = await asyncio.to_thread(html_to_pdf, html, (STYLESHEET,), PAGE)
    except PdfUnavailable:  # a library under WeasyPrint missing at render time
        log.exception("PDF rendering failed")
        return unavailable
    return Response(
        content=content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="berita-acara-forum-{forum_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


ROUTES = [forum_upload, forum_download, attendance_sheet, berita_acara, berita_acara_pdf]
