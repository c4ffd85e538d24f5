"""The report page of a cycle: generate, follow the job, download, edit texts, review, publish."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from core.errors import DomainError
from core.formatting import integer
from core.pdf import pdf_available
from core.reports import review
from core.reports.artifacts import MEDIA_TYPES
from core.reports.content import SIGNATURE_FIELDS, cycle_report_content, unit_texts
from core.reports.cycle_report import request_cycle_report
from core.reports.exports import EXPORTS
from core.reports.jobs import artifact_file, cycle_jobs
from core.reports.photos import add_documentation
from core.reports.publications import MEDIA_LABELS, PublicationIn, list_publications
from core.reports.render import STYLESHEET, report_body, report_document
from core.surveys.cycles import cycle_row, get_cycle
from core.surveys.labels import STATUS_LABELS
from web.context import CurrentActor, page, signed_in
from web.forms import FormErrors, form_errors, read_form
from web.reports.api import export_response

JOB_LABELS = {
    "queued": "Dalam antrean",
    "running": "Sedang dibuat",
    "done": "Selesai",
    "failed": "Gagal",
}
NOTICES = {
    "dibuat": "Laporan sedang dibuat; halaman ini diperbarui sendiri.",
    "teks": "Teks laporan disimpan. Buat laporan lagi agar berkasnya memuat teks baru.",
    "diajukan": "Laporan diajukan untuk diperiksa Bagian Organisasi.",
    "dikembalikan": "Laporan dikembalikan ke unit dengan catatan.",
    "final": "Laporan final; status siklus menjadi «Dilaporkan».",
    "publikasi": "Publikasi dicatat.",
    "foto": "Foto dokumentasi diunggah. Buat laporan lagi agar berkasnya memuat foto ini.",
}
TEXT_FIELDS = ("latar_belakang", "kesimpulan", "rekomendasi")


def _base(cycle_id: int) -> str:
    return f"/cycles/{cycle_id}/laporan"


async def _report_page(
    request: Request,
    actor: Any,
    cycle_id: int,
    errors: FormErrors | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Template:
    settings, hooks = request.app.state.settings, request.app.state.hooks
    cycle = await get_cycle(actor, settings, hooks, cycle_id)
    content = await cycle_report_content(actor, settings, hooks, cycle_id)
    jobs = await cycle_jobs(actor, cycle_id)
    latest = jobs[0] if jobs else None
    texts = await unit_texts(cycle_id)
    return page(
        request,
        "reports/cycle.html",
        status_code=status_code,
        cycle=cycle,
        unit_id=(await cycle_row(actor, cycle_id))["unit"],
        content=content,
        body=report_body(content),
        stylesheet=STYLESHEET.read_text(encoding="utf-8"),
        jobs=jobs,
        latest=latest,
        current=latest is not None and latest.inputs_hash == content.fingerprint(),
        in_progress=latest is not None and latest.status in {"queued", "running"},
        review=await review.review_of(actor, cycle_id),
        review_labels=review.REPORT_STATES.labels,
        publications=await list_publications(actor, cycle_id),
        media_labels=MEDIA_LABELS,
        job_labels=JOB_LABELS,
        status_labels=STATUS_LABELS,
        texts=values or texts,
        signature_fields=SIGNATURE_FIELDS,
        errors=(errors or FormErrors()).fields,
        form_error=(errors or FormErrors()).form,
        notice=NOTICES.get(request.query_params.get("ok", "")),
        pdf_ready=pdf_available(),
        exports=EXPORTS,
        integer=integer,
    )


@get("/cycles/{cycle_id:int}/laporan")
async def report_page(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """The report as it reads now, its files and history, the review and the publications."""
    return await _report_page(request, signed_in(actor), cycle_id)


@get("/cycles/{cycle_id:int}/laporan/cetak")
async def report_print(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Response[str]:
    """The report as a printable document (always works, with or without WeasyPrint)."""
    state = request.app.state
    content = await cycle_report_content(signed_in(actor), state.settings, state.hooks, cycle_id)
    return Response(content=report_document(content), media_type="text/html; charset=utf-8")


async def _act(
    request: Request, actor: Any, cycle_id: int, action: Any, ok: str
) -> Template | Redirect:
    """Run one action; back to the page with a notice, or the page with core's message."""
    try:
        await action()
    except DomainError as exc:
        return await _report_page(
            request, actor, cycle_id, form_errors(exc), status_code=exc.status_code
        )
    return Redirect(path=f"{_base(cycle_id)}?ok={ok}")


@post("/cycles/{cycle_id:int}/laporan/buat")
async def report_generate(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Queue the PDF and XLSX (unchanged data: the existing files)."""
    state, actor = request.app.state, signed_in(actor)
    return await _act(
        request,
        actor,
        cycle_id,
        lambda: request_cycle_report(actor, state.settings, state.hooks, cycle_id),
        "dibuat",
    )


@post("/cycles/{cycle_id:int}/laporan/teks")
async def report_texts(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Save the unit's own latar belakang, kesimpulan, rekomendasi and signature block."""
    actor = signed_in(actor)
    form = await read_form(request)
    data = review.ReportTextsIn(
        **{name: form.text(name) for name in TEXT_FIELDS},
        signature={key: form.one(f"ttd_{key}") for key in SIGNATURE_FIELDS},
    )
    try:
        await review.save_texts(actor, cycle_id, data)
    except DomainError as exc:
        values = {**{n: getattr(data, n) for n in TEXT_FIELDS}, "signature": data.signature}
        return await _report_page(request, actor, cycle_id, form_errors(exc), values, 422)
    return Redirect(path=f"{_base(cycle_id)}?ok=teks")


@post("/cycles/{cycle_id:int}/laporan/ajukan")
async def report_submit(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """The operator submits the report for review."""
    actor = signed_in(actor)
    return await _act(
        request, actor, cycle_id, lambda: review.submit_report(actor, cycle_id), "diajukan"
    )


@post("/cycles/{cycle_id:int}/laporan/kembalikan")
async def report_return(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """The Bagian Organisasi returns the report with a note."""
    actor = signed_in(actor)
    note = (await read_form(request)).text("note")
    return await _act(
        request,
        actor,
        cycle_id,
        lambda: review.return_report(actor, cycle_id, note),
        "dikembalikan",
    )


@post("/cycles/{cycle_id:int}/laporan/finalkan")
async def report_finalise(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """The Bagian Organisasi finalises the report (the cycle becomes reported)."""
    actor = signed_in(actor)
    return await _act(
        request, actor, cycle_id, lambda: review.finalise_report(actor, cycle_id), "final"
    )


@post("/cycles/{cycle_id:int}/laporan/publikasi")
async def report_publication(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Record where the result was published (the first one makes the cycle published)."""
    actor = signed_in(actor)
    form = await read_form(request)
    day = form.day("date")
    if day is None:
        errors = FormErrors()
        errors.add("date", "tanggal tidak valid (contoh 2026-12-10)")
        return await _report_page(request, actor, cycle_id, errors, status_code=422)
    data = PublicationIn(media=form.one("media"), date=day, url=form.one("url"))
    upload = (await request.form()).get("photo")
    photo = await upload.read() if isinstance(upload, UploadFile) else b""
    settings = request.app.state.settings
    return await _act(
        request,
        actor,
        cycle_id,
        lambda: review.record_publication(actor, settings, cycle_id, data, photo),
        "publikasi",
    )


@post("/cycles/{cycle_id:int}/laporan/dokumentasi")
async def report_documentation(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Upload a documentation photo for the report's Lampiran 3."""
    actor = signed_in(actor)
    upload = (await request.form()).get("photo")
    photo = await upload.read() if isinstance(upload, UploadFile) else b""
    data_dir = request.app.state.settings.data_dir
    return await _act(
        request,
        actor,
        cycle_id,
        lambda: add_documentation(actor, data_dir, cycle_id, photo),
        "foto",
    )


@get("/laporan/berkas/{job_id:int}/{fmt:str}")
async def report_file(
    request: Request, actor: CurrentActor, job_id: FromPath[int], fmt: FromPath[str]
) -> File:
    """Download one file of a report job (signed-in staff who may see the cycle)."""
    path, name = await artifact_file(signed_in(actor), request.app.state.settings, job_id, fmt)
    return File(path=path, filename=name, media_type=MEDIA_TYPES.get(fmt))


@get("/cycles/{cycle_id:int}/ekspor/{name:str}")
async def report_export(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], name: FromPath[str]
) -> Response[bytes]:
    """Per-cycle exports for staff (raw responses without source keys, results)."""
    return await export_response(request, signed_in(actor), cycle_id, name)


ROUTES = [
    report_export,
    report_page,
    report_print,
    report_generate,
    report_texts,
    report_submit,
    report_return,
    report_finalise,
    report_publication,
    report_documentation,
    report_file,
]
