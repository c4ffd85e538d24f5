"""Findings pages: the list with filters, the form (inspectors), a finding with its thread and the
step forms (the unit's tanggapan with files; the inspector's accept, return, close)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import File, Redirect, Template

from core.accounts.policy import Action, Actor, require
from core.errors import DomainError, NotFound, PermissionDenied
from core.forums.reads import cycle_choices
from core.inspection import findings
from core.inspection.evidence import Upload
from core.inspection.labels import ENTRY_LABELS, INDICATOR_LABELS, STATUS_LABELS
from core.inspection.lifecycle import FINDING_STATES
from core.inspection.reads import get_finding, list_findings, open_evidence
from core.inspection.schemas import FindingIn
from core.units.service import list_units
from web.context import CurrentActor, page, signed_in
from web.forms import form_errors, read_form

FIELDS = ("unit", "title", "kondisi", "kriteria", "akibat", "rekomendasi", "due_date")
UPLOAD_LIMIT = 31 * 1024 * 1024  # three 10 MB files and the form around them
MAX_FILES = 3
LABELS = {
    "status_labels": STATUS_LABELS,
    "entry_labels": ENTRY_LABELS,
    "indicator_labels": INDICATOR_LABELS,
}


@get("/temuan")
async def findings_list(
    request: Request,
    actor: CurrentActor,
    unit: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
) -> Template:
    """Findings the user may read, filtered by unit and status."""
    actor = signed_in(actor)
    items = await list_findings(actor, unit or None, status or None)
    units = await list_units(actor, include_inactive=False)
    return page(
        request,
        "inspection/findings.html",
        findings=items,
        units=units,
        unit=unit or "",
        status=status or "",
        **LABELS,
    )


async def _form(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "inspection/finding_form.html",
        status_code=status_code,
        values=values,
        errors=errors,
        units=await list_units(actor, include_inactive=False),
        cycles=await cycle_choices(actor),
        **LABELS,
    )


@get("/temuan/baru")
async def finding_new(
    request: Request, actor: CurrentActor, unit: FromQuery[str | None] = None
) -> Template:
    """The empty form for a finding (inspectors), the unit chosen when given."""
    actor = require(signed_in(actor), Action.manage_findings)
    return await _form(request, actor, {"unit": unit or ""}, {})


@post("/temuan")
async def finding_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Record the finding, or show the form again with each problem next to its field."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = {
        **form.values(*FIELDS, "cycle", "indicator"),
        **{name: form.text(name) for name in ("kondisi", "kriteria", "akibat", "rekomendasi")},
    }
    due = form.day("due_date")
    if due is None:
        return await _form(request, actor, values, {"due_date": "isi tanggal (HH/BB/TTTT)"}, 422)
    cycle = form.integer("cycle")
    data = FindingIn(
        unit=values["unit"],
        title=values["title"],
        kondisi=values["kondisi"],
        kriteria=values["kriteria"],
        akibat=values["akibat"],
        rekomendasi=values["rekomendasi"],
        due_date=due,
        cycle=cycle,
        indicator=values["indicator"],
    )
    try:
        finding_id = await findings.create_finding(actor, data)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return await _form(request, actor, values, form_errors(exc).fields, 422)
    return Redirect(path=f"/temuan/{finding_id}?saved=1")


async def _detail(
    request: Request,
    actor: Actor,
    finding_id: int,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    finding = await get_finding(actor, finding_id)
    return page(
        request,
        "inspection/finding.html",
        status_code=status_code,
        finding=finding,
        allowed=FINDING_STATES.allowed(finding.status),
        errors=errors or {},
        saved=request.query_params.get("saved") == "1",
        max_files=MAX_FILES,
        **LABELS,
    )


@get("/temuan/{finding_id:int}")
async def finding_detail(
    request: Request, actor: CurrentActor, finding_id: FromPath[int]
) -> Template:
    """A finding with its thread and the forms the user may use."""
    return await _detail(request, signed_in(actor), finding_id)


async def _step(
    request: Request, actor: Actor, finding_id: int, action: Callable[[], Awaitable[object]]
) -> Template | Redirect:
    try:
        await action()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return await _detail(request, actor, finding_id, form_errors(exc).fields, exc.status_code)
    return Redirect(path=f"/temuan/{finding_id}?saved=1")


@post("/temuan/{finding_id:int}/tanggapan", request_max_body_size=UPLOAD_LIMIT)
async def finding_respond(
    request: Request, actor: CurrentActor, finding_id: FromPath[int]
) -> Template | Redirect:
    """The unit's tanggapan with up to three evidence files."""
    actor = signed_in(actor)
    form = await read_form(request)
    raw = await request.form()
    files = raw.getall("files", []) if hasattr(raw, "getall") else []
    uploads = [
        Upload(f.filename or "", await f.read())
        for f in files
        if isinstance(f, UploadFile) and f.filename
    ][:MAX_FILES]
    data_dir = request.app.state.settings.data_dir
    return await _step(
        request,
        actor,
        finding_id,
        lambda: findings.respond(actor, finding_id, form.text("text"), uploads, data_dir=data_dir),
    )


@post("/temuan/{finding_id:int}/langkah")
async def finding_decide(
    request: Request, actor: CurrentActor, finding_id: FromPath[int]
) -> Template | Redirect:
    """The inspector's step: accept, return or close, with the note."""
    actor = signed_in(actor)
    form = await read_form(request)
    note = form.text("text")
    steps = {
        "accept": lambda: findings.accept(actor, finding_id, note),
        "return": lambda: findings.return_finding(actor, finding_id, note),
        "close": lambda: findings.close(actor, finding_id, note),
    }
    step = steps.get(form.one("step"))
    if step is None:
        return await _detail(request, actor, finding_id, {"step": "pilih langkah"}, 422)
    return await _step(request, actor, finding_id, step)


@get("/temuan/{finding_id:int}/bukti/{evidence_id:int}")
async def evidence_download(
    request: Request, actor: CurrentActor, finding_id: FromPath[int], evidence_id: FromPath[int]
) -> File:
    """An evidence file, for those who may read the finding."""
    item, path = await open_evidence(
        signed_in(actor), finding_id, evidence_id, request.app.state.settings.data_dir
    )
    return File(
        path=path,
        filename=item.filename,
        media_type=item.media_type,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
    )


ROUTES = [
    findings_list,
    finding_new,
    finding_create,
    finding_detail,
    finding_respond,
    finding_decide,
    evidence_download,
]
