"""The evaluation year page (its window, reopened units, what each unit still misses) and a
unit's evaluation page (scores with their review log, evidence slots, threads, dossier links),
with the forms that change them. Thin: every rule is in core/inspection."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from core.accounts.policy import Action, Actor
from core.errors import DomainError, NotFound, PermissionDenied
from core.inspection import clarifications as threads
from core.inspection.compliance import INDICATORS
from core.inspection.dossier import create_link, dossier, links_of, revoke_link
from core.inspection.evaluation import completeness
from core.inspection.evidence import Upload
from core.inspection.labels import INDICATOR_LABELS
from core.inspection.reads import local_today
from core.inspection.redaction import redact
from core.inspection.review import VERDICT_LABELS, ReviewIn, review_indicator, review_states
from core.inspection.slots import SLOTS, file_row, stored_path, upload_evidence
from core.inspection.windows import (
    PHASE_LABELS,
    OverrideIn,
    WindowIn,
    get_window,
    grant_override,
    save_window,
    unit_id_of,
)
from core.reports.publications import MEDIA_LABELS
from web.context import CurrentActor, locale_of, page, signed_in
from web.forms import form_errors, read_form
from web.inspection.compliance import parse_year

UPLOAD_LIMIT = 11 * 1024 * 1024
LABELS = {
    "indicator_labels": INDICATOR_LABELS,
    "verdict_labels": VERDICT_LABELS,
    "phase_labels": PHASE_LABELS,
    "thread_labels": threads.THREAD_LABELS,
    "thread_kinds": threads.KIND_LABELS,
    "entry_labels": threads.ENTRY_LABELS,
    "media_labels": MEDIA_LABELS,
    "slot_labels": {code: slot.label for code, slot in SLOTS.items()},
}


async def _year_page(
    request: Request, actor: Actor, year: int, errors: dict | None = None, status: int = 200
) -> Template:
    settings = request.app.state.settings
    return page(
        request,
        "inspection/evaluation.html",
        status_code=status,
        year=year,
        window=await get_window(year),
        report=await completeness(actor, request.app.state.hooks, year, local_today(),
                                  settings.timezone, locale_of(request)),
        errors=errors or {},
        saved=request.query_params.get("saved") == "1",
        **LABELS,
    )  # fmt: skip


@get("/evaluasi")
async def evaluation_now(actor: CurrentActor) -> Redirect:
    """This year's evaluation."""
    signed_in(actor)
    return Redirect(path=f"/evaluasi/{local_today().year}")


@get("/evaluasi/{year:int}")
async def evaluation_year(request: Request, actor: CurrentActor, year: FromPath[int]) -> Template:
    """The year's window and phase, and per unit what is still missing."""
    return await _year_page(request, signed_in(actor), parse_year(str(year)))


async def _year_step(
    request: Request, actor: Actor, year: int, step: Callable[[], Awaitable[Any]]
) -> Template | Redirect:
    try:
        await step()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return await _year_page(request, actor, year, form_errors(exc).fields, exc.status_code)
    return Redirect(path=f"/evaluasi/{year}?saved=1")


@post("/evaluasi/{year:int}/jadwal")
async def evaluation_window_save(
    request: Request, actor: CurrentActor, year: FromPath[int]
) -> Template | Redirect:
    """Administrators set the year's four dates."""
    actor = signed_in(actor)
    form = await read_form(request)
    names = ("opens_on", "fill_until", "evaluate_until", "object_until")
    days = {name: form.day(name) for name in names}
    missing = {name: "isi tanggal (HH/BB/TTTT)" for name, day in days.items() if day is None}
    if missing:
        return await _year_page(request, actor, year, missing, 422)
    data = WindowIn(**days)  # type: ignore[arg-type]
    return await _year_step(request, actor, year, lambda: save_window(actor, year, data))


@post("/evaluasi/{year:int}/pengecualian")
async def evaluation_override(
    request: Request, actor: CurrentActor, year: FromPath[int]
) -> Template | Redirect:
    """Administrators reopen one unit's editing until a date, with a reason."""
    actor = signed_in(actor)
    form = await read_form(request)
    until = form.day("until")
    if until is None:
        return await _year_page(request, actor, year, {"until": "isi tanggal (HH/BB/TTTT)"}, 422)
    data = OverrideIn(unit=form.one("unit"), until=until, reason=form.text("reason"))
    return await _year_step(request, actor, year, lambda: grant_override(actor, year, data))


async def _unit_page(
    request: Request,
    actor: Actor,
    code: str,
    year: int,
    errors: dict | None = None,
    status: int = 200,
    token: str = "",
) -> Template:
    settings = request.app.state.settings
    found = await dossier(
        actor, request.app.state.hooks, code, year, settings.timezone, locale_of(request)
    )
    unit_id = await unit_id_of(code)
    files = [f for slot in found.slots for f in slot.files]
    return page(
        request,
        "inspection/evaluation_unit.html",
        status_code=status,
        year=year,
        unit_id=unit_id,
        row=found.row,
        slots=found.slots,
        states=await review_states(found.row, unit_id, year, files),
        threads=await threads.threads_of(actor, code, year),
        links=await links_of(actor, code, year),
        window=await get_window(year),
        indicators=INDICATORS,
        new_token=token,
        errors=errors or {},
        saved=request.query_params.get("saved") == "1",
        **LABELS,
    )


@get("/evaluasi/{year:int}/{code:str}")
async def evaluation_unit(
    request: Request, actor: CurrentActor, year: FromPath[int], code: FromPath[str]
) -> Template:
    """A unit's year: scores, reviews, evidence slots, threads and dossier links."""
    return await _unit_page(request, signed_in(actor), code, parse_year(str(year)))


async def _unit_step(
    request: Request, actor: Actor, code: str, year: int, step: Callable[[], Awaitable[Any]],
    anchor: str = "",
) -> Template | Redirect:  # fmt: skip
    try:
        await step()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        return await _unit_page(request, actor, code, year, form_errors(exc).fields,
                                exc.status_code)  # fmt: skip
    return Redirect(path=f"/evaluasi/{year}/{code}?saved=1{anchor}")


@post("/evaluasi/{year:int}/{code:str}/tinjau")
async def evaluation_review(
    request: Request, actor: CurrentActor, year: FromPath[int], code: FromPath[str]
) -> Template | Redirect:
    """The inspector's verdict on one indicator, with a note."""
    actor = signed_in(actor)
    form = await read_form(request)
    data = ReviewIn(year, form.one("indicator"), form.one("verdict"), form.text("note"))
    timezone = request.app.state.settings.timezone
    hooks = request.app.state.hooks
    return await _unit_step(
        request, actor, code, year,
        lambda: review_indicator(actor, hooks, code, data, timezone), f"#ind-{data.indicator}",
    )  # fmt: skip


@post("/evaluasi/{year:int}/{code:str}/bukti", request_max_body_size=UPLOAD_LIMIT)
async def evaluation_upload(
    request: Request, actor: CurrentActor, year: FromPath[int], code: FromPath[str]
) -> Template | Redirect:
    """The unit adds a file to a slot (the next version of it)."""
    actor = signed_in(actor)
    form = await read_form(request)
    raw = await request.form()
    file = raw.get("file")
    content = await file.read() if isinstance(file, UploadFile) else b""
    upload = Upload(file.filename or "" if isinstance(file, UploadFile) else "", content)
    slot, medium = form.one("slot"), form.one("medium")
    data_dir = request.app.state.settings.data_dir
    return await _unit_step(
        request, actor, code, year,
        lambda: upload_evidence(actor, data_dir, code, year, slot, upload, medium), "#bukti",
    )  # fmt: skip


@post("/evaluasi/{year:int}/{code:str}/samarkan/{file_id:int}")
async def evaluation_redact(
    request: Request,
    actor: CurrentActor,
    year: FromPath[int],
    code: FromPath[str],
    file_id: FromPath[int],
) -> Template | Redirect:
    """Make the blacked-out copy of a file from the boxes given."""
    actor = signed_in(actor)
    form = await read_form(request)
    data_dir = request.app.state.settings.data_dir
    return await _unit_step(
        request, actor, code, year,
        lambda: redact(actor, data_dir, file_id, form.text("boxes")), f"#file-{file_id}",
    )  # fmt: skip


@post("/evaluasi/{year:int}/{code:str}/klarifikasi")
async def evaluation_thread(
    request: Request, actor: CurrentActor, year: FromPath[int], code: FromPath[str]
) -> Template | Redirect:
    """Open a thread: the inspector's question, or the unit's objection."""
    actor = signed_in(actor)
    form = await read_form(request)
    data = threads.ThreadIn(year, form.one("indicator"), form.one("subject"), form.text("text"))
    kind = "objection" if actor.is_scoped else "question"
    return await _unit_step(
        request, actor, code, year, lambda: threads.open_thread(actor, code, data, kind), "#utas"
    )


@post("/evaluasi/{year:int}/{code:str}/klarifikasi/{thread_id:int}")
async def evaluation_thread_step(
    request: Request,
    actor: CurrentActor,
    year: FromPath[int],
    code: FromPath[str],
    thread_id: FromPath[int],
) -> Template | Redirect:
    """Answer a thread, or (inspectors) resolve it."""
    actor = signed_in(actor)
    form = await read_form(request)
    text = form.text("text")
    act = threads.resolve if form.one("step") == "resolve" else threads.reply
    return await _unit_step(
        request, actor, code, year, lambda: act(actor, thread_id, text), f"#utas-{thread_id}"
    )


@post("/evaluasi/{year:int}/{code:str}/tautan")
async def evaluation_link(
    request: Request, actor: CurrentActor, year: FromPath[int], code: FromPath[str]
) -> Template:
    """Make a shareable dossier link; its address is shown once."""
    actor = signed_in(actor)
    link = await create_link(actor, request.app.state.settings.secret_key, code, year)
    return await _unit_page(request, actor, code, year, token=link.token)


@post("/evaluasi/{year:int}/{code:str}/tautan/{link_id:int}/cabut")
async def evaluation_link_revoke(
    request: Request,
    actor: CurrentActor,
    year: FromPath[int],
    code: FromPath[str],
    link_id: FromPath[int],
) -> Redirect:
    """Revoke a dossier link."""
    await revoke_link(signed_in(actor), link_id)
    return Redirect(path=f"/evaluasi/{year}/{code}?saved=1#tautan")


@get("/evaluasi/berkas/{file_id:int}/{which:str}")
async def evaluation_file(
    request: Request, actor: CurrentActor, file_id: FromPath[int], which: FromPath[str]
) -> File:
    """A stored file: ``asli`` (the original, for the unit and the inspectorate) or
    ``samaran`` (the blacked-out copy)."""
    row = await file_row(signed_in(actor), file_id, Action.view_findings)
    relative = {"asli": row["path"], "samaran": row["redacted_path"]}.get(which, "")
    path = stored_path(request.app.state.settings.data_dir, relative)
    if path is None:
        raise NotFound("Berkas tidak ditemukan.")
    return file_response(path, row, which == "samaran")


def file_response(path: Any, row: dict, copy: bool) -> File:
    """Send a stored evidence file as a download that the browser never sniffs."""
    media_type = ("application/pdf" if str(path).endswith(".pdf") else "image/png") if copy else (
        row["media_type"])  # fmt: skip
    name = ("samaran-" + row["filename"].rsplit(".", 1)[0] + "." + str(path).rsplit(".", 1)[-1]
            if copy else row["filename"])  # fmt: skip
    return File(
        path=path,
        filename=name,
        media_type=media_type,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"},
    )


ROUTES = [
    evaluation_now,
    evaluation_year,
    evaluation_window_save,
    evaluation_override,
    evaluation_unit,
    evaluation_review,
    evaluation_upload,
    evaluation_redact,
    evaluation_thread,
    evaluation_thread_step,
    evaluation_link,
    evaluation_link_revoke,
    evaluation_file,
]
