"""Plan pages: the editor from the unit dashboard, the printable RTL table, the regency overview,
and the unit's public «kami mendengar, kami bertindak»."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.clock import utcnow
from core.errors import DomainError, FieldError, NotFound, ValidationFailed
from core.plans import reads, service, spreadsheet
from core.plans.drafting import candidates, request_draft, vocabularies
from core.plans.lifecycle import ITEM_LABELS, ITEM_STATES, PLAN_LABELS, ROLLUP_RULE
from core.plans.overview import (
    forum_agreements,
    forums_for_plan,
    public_plans,
    regency_overview,
)
from core.plans.reads import TABLE_COLUMNS
from core.plans.schemas import QUARTERS, ItemPatch
from core.reports.follow_up import follow_up_jobs, request_follow_up_report
from core.surveys.cycles import cycle_row
from core.units.tables import Unit
from web.context import CurrentActor, page, signed_in
from web.formatting import number
from web.forms import Form, form_errors, read_form
from web.reports.pages import JOB_LABELS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTICES = {
    "disusun": "Draf sedang disusun di latar belakang; muat ulang halaman ini sebentar lagi.",
    "disimpan": "Perubahan kegiatan tersimpan.",
    "dibahas": "Rencana ditautkan ke forum yang membahasnya.",
    "diumumkan": "Rencana tindak lanjut diumumkan.",
    "ditautkan": "Kesepakatan ditautkan ke kegiatan.",
    "selesai": "Rencana tindak lanjut ditutup.",
    "laporan": "Laporan hasil tindak lanjut sedang dibuat di latar belakang.",
}
ITEM_FIELDS = (
    "program",
    "quarter",
    "pj_name",
    "pj_position",
    "pj_email",
    "indicator",
    "hambatan",
    "drop_reason",
)


def _today(request: Request) -> date:
    return utcnow().astimezone(ZoneInfo(request.app.state.settings.timezone)).date()


async def _editor(request: Request, actor, cycle_id: int, status_code: int = 200,
                  errors: Any = None, error_item: int | None = None) -> Template:  # fmt: skip
    row = await cycle_row(actor, cycle_id)
    unit = await Unit.select(Unit.id, Unit.code, Unit.name).where(Unit.id == row["unit"]).first()
    try:
        plan = await reads.plan_for_cycle(actor, cycle_id)
    except NotFound:
        plan = None
    vocabs = vocabularies(request.app.state.hooks, unit["code"])
    options = {i.unsur: candidates(vocabs, i.unsur) for i in (plan.items if plan else [])}
    forums = await forums_for_plan(unit["id"]) if plan else []
    report_jobs = await follow_up_jobs(actor, plan.id) if plan else []
    agreements = await forum_agreements(plan.forum) if plan else []
    return page(
        request, "plans/editor.html", status_code=status_code, cycle=row, unit=unit, plan=plan,
        candidates=options, forums=forums, agreements=agreements, item_labels=ITEM_LABELS, plan_labels=PLAN_LABELS,
        item_moves={i.id: ITEM_STATES.allowed(i.status) for i in (plan.items if plan else [])},
        quarters=QUARTERS, rollup_rule=ROLLUP_RULE, errors=errors, num=number, error_item=error_item,
        notice=NOTICES.get(request.query_params.get("ok") or ""), report_jobs=report_jobs,
        job_labels=JOB_LABELS,
    )  # fmt: skip


@get("/cycles/{cycle_id:int}/rtl")
async def editor(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """The plan of a cycle, editable by the unit's operators (and by each item's PJ)."""
    return await _editor(request, signed_in(actor), cycle_id)


@post("/cycles/{cycle_id:int}/rtl/susun")
async def draft(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Redirect | Template:
    """Queue the drafting job."""
    actor = signed_in(actor)
    try:
        await request_draft(actor, request.app.state.hooks, cycle_id)
    except DomainError as exc:
        return await _editor(request, actor, cycle_id, 409, form_errors(exc))
    return Redirect(path=f"/cycles/{cycle_id}/rtl?ok=disusun")


def _patch(form: Form) -> ItemPatch:
    """The item fields the form sent (a PJ's form carries only the progress fields)."""
    values: dict[str, Any] = {name: form.text(name) for name in ITEM_FIELDS if name in form.data}
    if "status" in form.data:
        values["status"] = form.one("status")
    if "progress" in form.data:
        progress = form.integer("progress")
        values["progress"] = progress if progress is not None else -1
    for name in ("due_date", "realised_on"):
        if name in form.data:
            if form.one(name) and form.day(name) is None:
                raise ValidationFailed.single(name, "tanggal dengan format YYYY-MM-DD")
            values[name] = form.day(name)
    return ItemPatch(**values)


@post("/plan-items/{item_id:int}")
async def update_item(
    request: Request, actor: CurrentActor, item_id: FromPath[int]
) -> Redirect | Template:
    """Save one item's form."""
    actor = signed_in(actor)
    _item, plan, _full = await service.item_access(actor, item_id)
    form = await read_form(request)
    try:
        await service.update_item(actor, item_id, _patch(form))
        if form.text("agreement"):
            await service.link_agreement(actor, item_id, int(form.integer("agreement") or 0))
    except DomainError as exc:
        return await _editor(request, actor, plan["cycle"], 422, form_errors(exc), item_id)
    return Redirect(path=f"/cycles/{plan['cycle']}/rtl?ok=disimpan#item-{item_id}")


async def _plan_action(
    request: Request, actor, plan_id: int, action, ok: str
) -> Redirect | Template:
    actor = signed_in(actor)
    plan = await reads.plan_row(actor, plan_id)
    try:
        await action(actor)
    except DomainError as exc:
        return await _editor(request, actor, plan["cycle"], 422, form_errors(exc))
    return Redirect(path=f"/cycles/{plan['cycle']}/rtl?ok={ok}")


@post("/plans/{plan_id:int}/forum")
async def discuss(
    request: Request, actor: CurrentActor, plan_id: FromPath[int]
) -> Redirect | Template:
    """Link the plan to the forum that discussed it."""
    forum = (await read_form(request)).integer("forum") or 0
    return await _plan_action(
        request, actor, plan_id, lambda a: service.discuss(a, plan_id, forum), "dibahas"
    )


@post("/plans/{plan_id:int}/umumkan")
async def publish(
    request: Request, actor: CurrentActor, plan_id: FromPath[int]
) -> Redirect | Template:
    """Publish the plan."""
    return await _plan_action(
        request, actor, plan_id, lambda a: service.publish(a, plan_id), "diumumkan"
    )


@post("/plans/{plan_id:int}/tutup")
async def close(
    request: Request, actor: CurrentActor, plan_id: FromPath[int]
) -> Redirect | Template:
    """Close the plan."""
    return await _plan_action(
        request, actor, plan_id, lambda a: service.close(a, plan_id), "selesai"
    )


@post("/plans/{plan_id:int}/laporan-tindak-lanjut")
async def follow_up_report(
    request: Request, actor: CurrentActor, plan_id: FromPath[int]
) -> Redirect | Template:
    """Queue the Laporan Hasil Tindak Lanjut (unchanged data: the existing files)."""
    data_dir = request.app.state.settings.data_dir
    return await _plan_action(
        request, actor, plan_id, lambda a: request_follow_up_report(a, data_dir, plan_id), "laporan"
    )


@get("/plans/{plan_id:int}/rtl.xlsx")
async def download_xlsx(actor: CurrentActor, plan_id: FromPath[int]) -> Response[bytes]:
    """The plan as Excel (the layout the upload reads back)."""
    plan = await reads.plan_out(await reads.plan_row(signed_in(actor), plan_id))
    return Response(
        spreadsheet.export_xlsx(plan),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="rtl-{plan.unit}-{plan.cycle}.xlsx"'
        },
    )


@post("/plans/{plan_id:int}/rtl.xlsx")
async def upload_xlsx(
    request: Request, actor: CurrentActor, plan_id: FromPath[int]
) -> Redirect | Template:
    """Bulk progress updates from the Excel layout: all rows or none, bad cells named."""
    upload = (await request.form()).get("file")
    content = await upload.read() if isinstance(upload, UploadFile) else b""
    name = upload.filename if isinstance(upload, UploadFile) else ""

    async def apply(a) -> None:
        try:
            await spreadsheet.import_progress(a, plan_id, content, name)
        except ValidationFailed as exc:  # each cell named on the page as "baris N · kolom"
            named = [
                FieldError(f"baris {e.row} · {e.field}" if e.row else e.field, e.message)
                for e in exc.errors
            ]
            raise ValidationFailed(named, exc.message) from exc

    return await _plan_action(request, actor, plan_id, apply, "disimpan")


@get("/cycles/{cycle_id:int}/rtl/cetak")
async def printable(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """The RTL table to print (No | Prioritas unsur | Program/Kegiatan | Waktu | PJ | Status)."""
    actor = signed_in(actor)
    plan = await reads.plan_for_cycle(actor, cycle_id)
    row = await cycle_row(actor, cycle_id)
    unit = await Unit.select(Unit.code, Unit.name).where(Unit.id == row["unit"]).first()
    return page(request, "plans/print.html", plan=plan, cycle=row, unit=unit,
                columns=TABLE_COLUMNS, rows=await reads.plan_table(cycle_id),
                plan_labels=PLAN_LABELS, rollup_rule=ROLLUP_RULE)  # fmt: skip


@get("/rtl")
async def overview(request: Request, actor: CurrentActor) -> Template:
    """Every plan of the regency the actor may see, overdue first."""
    rows = await regency_overview(signed_in(actor), _today(request))
    return page(request, "plans/overview.html", rows=rows, plan_labels=PLAN_LABELS)


@get("/publik/unit/{code:str}/tindak-lanjut")
async def public_page(request: Request, code: FromPath[str]) -> Template:
    """«Kami mendengar, kami bertindak»: what citizens said, what the unit does, how far it is."""
    unit, plans = await public_plans(code)
    return page(request, "plans/public.html", unit=unit, plans=plans, item_labels=ITEM_LABELS, kiosk=False,
                rollup_rule=ROLLUP_RULE)  # fmt: skip


ROUTES = [
    follow_up_report,
    download_xlsx,
    upload_xlsx,
    editor,
    draft,
    update_item,
    discuss,
    publish,
    close,
    printable,
    overview,
    public_page,
]
