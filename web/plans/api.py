"""JSON API of improvement action plans (RTL): draft, read, edit items, evidence, life cycle, KPIs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import msgspec
from litestar import Request, Response, Router, get, patch, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from core.errors import ValidationFailed
from core.plans import evidence, reads, service, spreadsheet
from core.plans.drafting import request_draft
from core.plans.kpi import follow_up
from core.plans.schemas import (
    DiscussIn,
    EvidenceOut,
    EvidenceUrlIn,
    FollowUpOut,
    ItemPatch,
    LinkIn,
    PlanOut,
)
from core.reports.follow_up import request_follow_up_report
from web.context import CurrentActor, signed_in, token_required


class JobOut(msgspec.Struct):
    """A queued background job."""

    job: int


@post("/cycles/{cycle_id:int}/plan/draft", status_code=HTTP_202_ACCEPTED, operation_id="draftPlan")
async def draft(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> JobOut:
    """Queue the drafting of the cycle's plan (again: keeps what the unit edited)."""
    job = await request_draft(signed_in(actor), request.app.state.hooks, cycle_id)
    return JobOut(job=job)


@get("/cycles/{cycle_id:int}/plan", operation_id="getPlan")
async def get_plan(actor: CurrentActor, cycle_id: FromPath[int]) -> PlanOut:
    """The cycle's plan with its items (404 until a draft exists)."""
    return await reads.plan_for_cycle(signed_in(actor), cycle_id)


async def _plan_of_item(actor, item_id: int) -> PlanOut:
    _item, plan, _full = await service.item_access(actor, item_id)
    return await reads.plan_out(plan)


@patch("/plan-items/{item_id:int}", operation_id="updatePlanItem")
async def update_item(
    actor: CurrentActor, item_id: FromPath[int], data: JSONBody[ItemPatch]
) -> PlanOut:
    """Change an item (status, progress, realisation, hambatan …); answers with the plan."""
    actor = signed_in(actor)
    await service.update_item(actor, item_id, data)
    return await _plan_of_item(actor, item_id)


@post(
    "/plan-items/{item_id:int}/evidence",
    status_code=HTTP_201_CREATED,
    operation_id="addPlanEvidence",
)
async def add_evidence(
    request: Request, actor: CurrentActor, item_id: FromPath[int]
) -> EvidenceOut:
    """A milestone's evidence: a multipart ``file`` (+ ``milestone_on``, ``title``) or JSON ``{"url"}``."""
    actor = signed_in(actor)
    if request.content_type[0] == "application/json":
        try:
            body = msgspec.json.decode(await request.body(), type=EvidenceUrlIn)
        except msgspec.ValidationError as exc:
            raise ValidationFailed.single("url", str(exc)) from exc
        return await evidence.add_link(actor, item_id, body.url, body.milestone_on, body.title)
    form = await request.form()
    upload = form.get("file")
    day = form.get("milestone_on") or ""
    try:
        milestone_on = date.fromisoformat(day) if day else None
    except ValueError as exc:
        raise ValidationFailed.single("milestone_on", "tanggal dengan format YYYY-MM-DD") from exc
    if not isinstance(upload, UploadFile):
        raise ValidationFailed.single("file", 'kirim berkas (multipart) atau JSON {"url"}')
    return await evidence.add_file(
        actor,
        item_id,
        upload.filename,
        await upload.read(),
        milestone_on,
        str(form.get("title") or ""),
        data_dir=request.app.state.settings.data_dir,
    )


@post(
    "/plan-items/{item_id:int}/agreements",
    status_code=HTTP_200_OK,
    operation_id="linkPlanAgreement",
)
async def link_agreement(
    actor: CurrentActor, item_id: FromPath[int], data: JSONBody[LinkIn]
) -> PlanOut:
    """Link the item to an agreement of the forum that discussed the plan."""
    actor = signed_in(actor)
    await service.link_agreement(actor, item_id, data.agreement)
    return await _plan_of_item(actor, item_id)


async def _plan(actor, plan_id: int) -> PlanOut:
    return await reads.plan_out(await reads.plan_row(actor, plan_id))


async def _moved(move: Callable[..., Awaitable[object]], actor, plan_id: int, *args) -> PlanOut:
    """Make a life-cycle move (core.plans.service) and answer with the plan."""
    await move(actor, plan_id, *args)
    return await _plan(actor, plan_id)


@post("/plans/{plan_id:int}/discuss", status_code=HTTP_200_OK, operation_id="discussPlan")
async def discuss(
    actor: CurrentActor, plan_id: FromPath[int], data: JSONBody[DiscussIn]
) -> PlanOut:
    """The plan was agreed in this (held) FKP forum."""
    return await _moved(service.discuss, signed_in(actor), plan_id, data.forum)


@post("/plans/{plan_id:int}/publish", status_code=HTTP_200_OK, operation_id="publishPlan")
async def publish(actor: CurrentActor, plan_id: FromPath[int]) -> PlanOut:
    """Publish a discussed plan (every item with a program, a time and a penanggung jawab)."""
    return await _moved(service.publish, signed_in(actor), plan_id)


@post("/plans/{plan_id:int}/close", status_code=HTTP_200_OK, operation_id="closePlan")
async def close(actor: CurrentActor, plan_id: FromPath[int]) -> PlanOut:
    """Close a published plan once every item is done or dropped."""
    return await _moved(service.close, signed_in(actor), plan_id)


@get("/units/{code:str}/follow-up", operation_id="unitFollowUp")
async def unit_follow_up(
    request: Request, actor: CurrentActor, code: FromPath[str], year: FromQuery[int]
) -> FollowUpOut:
    """Items, done, % done and months to complete of a unit's plans of a year (PEKPPP 8 and 9)."""
    return await follow_up(signed_in(actor), code, year, request.app.state.settings.timezone)


@post(
    "/plans/{plan_id:int}/follow-up-report",
    status_code=HTTP_202_ACCEPTED,
    operation_id="requestFollowUpReport",
)
async def follow_up_report(request: Request, actor: CurrentActor, plan_id: FromPath[int]) -> JobOut:
    """Queue the Laporan Hasil Tindak Lanjut (PDF, DOCX); follow it at ``/api/v1/jobs/{job}``."""
    data_dir = request.app.state.settings.data_dir
    return JobOut(job=await request_follow_up_report(signed_in(actor), data_dir, plan_id))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get("/plans/{plan_id:int}/xlsx", operation_id="exportPlanXlsx")
async def export_xlsx(actor: CurrentActor, plan_id: FromPath[int]) -> Response[bytes]:
    """The plan as an Excel sheet (the layout the import reads back)."""
    plan = await _plan(signed_in(actor), plan_id)
    return Response(
        spreadsheet.export_xlsx(plan),
        media_type=XLSX,
        headers={
            "Content-Disposition": f'attachment; filename="rtl-{plan.unit}-{plan.cycle}.xlsx"'
        },
    )


@post("/plans/{plan_id:int}/xlsx", status_code=HTTP_200_OK, operation_id="importPlanXlsx")
async def import_xlsx(request: Request, actor: CurrentActor, plan_id: FromPath[int]) -> PlanOut:
    """Bulk progress updates from the exported layout (multipart ``file``): all rows or none."""
    actor = signed_in(actor)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed.single("file", "kirim berkas XLSX (multipart, kolom file)")
    await spreadsheet.import_progress(actor, plan_id, await upload.read(), upload.filename)
    return await _plan(actor, plan_id)


ROUTES = [
    Router(
        path="/api/v1",
        guards=[token_required],
        tags=["plans"],
        route_handlers=[
            export_xlsx,
            import_xlsx,
            draft,
            get_plan,
            update_item,
            add_evidence,
            link_agreement,
            discuss,
            publish,
            close,
            unit_follow_up,
            follow_up_report,
        ],
    )
]
