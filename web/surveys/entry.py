"""Staff pages for keying in paper questionnaires and importing a file of them, with templates."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor
from core.errors import Conflict, ValidationFailed
from core.surveys import cycles, importer, insights, responses
from core.surveys.methods import STAFF_METHODS, parse_method
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.schemas import ResponseIn, UnsurItem
from core.surveys.tables import Channel
from web.context import CurrentActor, page, signed_in
from web.forms import form_errors, read_form
from web.surveys.common import XLSX, deps, field_name, survey_context

Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
ENTRY_FIELDS = (
    "layanan",
    *PROFILE_FIELDS,
    "filled_on",
    "filled_time",
    "saran",
    "channel",
    "method",
)


# ---------------------------------------------------------------- paper entry


async def _entry_page(
    request: Request,
    actor: Actor,
    cycle_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    saved: int | None = None,
    status_code: int = 200,
) -> Template:
    settings, hooks = deps(request)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    cycle = await cycles.cycle_out(settings, hooks, row)
    items = await insights.cycle_items(hooks, row)
    channels = [c for c in cycles.STAFF_CHANNELS if c in cycle.channels]
    if values.get("channel") not in channels:
        values["channel"] = channels[0] if channels else ""
    if not values.get("layanan") and len(cycle.services) == 1:
        values["layanan"] = cycle.services[0].code
    order = [item.code for item in items] + [*ENTRY_FIELDS]
    focus = next((name for name in order if name in errors), order[0] if items else "")
    return page(
        request,
        "surveys/entry.html",
        status_code=status_code,
        **survey_context(
            cycle=cycle,
            items=items,
            values=values,
            errors=errors,
            saved=saved,
            focus=focus,
            channels=channels,
            methods=[m.value for m in STAFF_METHODS],
            jenis_kelamin=JENIS_KELAMIN,
            pendidikan=PENDIDIKAN,
            pekerjaan=PEKERJAAN,
        ),
    )


@get("/cycles/{cycle_id:int}/entri")
async def entry_form(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    tersimpan: FromQuery[str | None] = None,
    kanal: FromQuery[str | None] = None,
) -> Template:
    """An empty paper-questionnaire form (after a save: how many are keyed in so far)."""
    actor = signed_in(actor)
    saved = await insights.staff_entered_count(actor, cycle_id) if tersimpan else None
    values = {"submission_token": secrets.token_urlsafe(24), "channel": kanal or ""}
    return await _entry_page(request, actor, cycle_id, values, {}, saved=saved)


@post("/cycles/{cycle_id:int}/entri")
async def entry_save(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Store one keyed-in questionnaire (blanks stay blank); a repeated submit stores it once."""
    _, hooks = deps(request)
    actor = signed_in(actor)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    items = await insights.cycle_items(hooks, row)
    form = await read_form(request)
    values: dict[str, Any] = form.values(*(item.code for item in items))
    values.update(form.values(*PROFILE_FIELDS, "layanan", "channel", "filled_on", "filled_time"))
    values["method"] = form.one("method")
    values["saran"] = form.text("saran")
    values["submission_token"] = form.one("submission_token") or secrets.token_urlsafe(24)
    own: dict[str, str] = {}
    filled_on = form.day("filled_on")
    if values["filled_on"] and filled_on is None:
        own["filled_on"] = "format tanggal tidak valid"
    channel = values["channel"] or Channel.paper.value
    if channel not in cycles.STAFF_CHANNELS:
        own["channel"] = "pilih kertas atau wawancara"
    method = parse_method(values["method"]) if values["method"] else None
    if values["method"] and method is None:
        own["method"] = "pilih metode pengumpulan"
    if own:
        return await _entry_page(request, actor, cycle_id, values, own, status_code=422)
    payload = ResponseIn(
        answers={item.code: values[item.code] or None for item in items},
        service=values["layanan"] or None,
        profile={name: values[name] for name in PROFILE_FIELDS if values[name]},
        saran=values["saran"],
        submission_token=values["submission_token"][:64],
    )
    try:
        await responses.enter_response(
            actor,
            cycle_id,
            payload,
            Channel(channel),
            filled_on=filled_on,
            filled_time=values["filled_time"],
            method=method,
            allow_blanks=form.flag("simpan_kosong"),
        )
    except ValidationFailed as exc:
        errors = form_errors(exc, field_name).fields
        return await _entry_page(request, actor, cycle_id, values, errors, status_code=422)
    return Redirect(path=f"/cycles/{cycle_id}/entri?tersimpan=1&kanal={channel}")


# ---------------------------------------------------------------- import


async def _import_page(
    request: Request,
    actor: Actor,
    cycle_id: int,
    *,
    imported: int | None = None,
    errors: list[dict[str, Any]] | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Template:
    settings, hooks = deps(request)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    cycle = await cycles.cycle_out(settings, hooks, row)
    items = await insights.cycle_items(hooks, row)
    return page(
        request,
        "surveys/import.html",
        status_code=status_code,
        **survey_context(
            cycle=cycle,
            columns=importer.template_columns(items),
            imported=imported,
            errors=errors or [],
            problem=problem,
        ),
    )


@get("/cycles/{cycle_id:int}/impor")
async def import_form(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """Upload form for a CSV/XLSX of questionnaires, with the templates to download."""
    return await _import_page(request, signed_in(actor), cycle_id)


@post("/cycles/{cycle_id:int}/impor")
async def import_upload(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], data: Upload
) -> Template:
    """Import every row or none; with problems, list them by row and column (status 422)."""
    actor = signed_in(actor)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors = [{"row": None, "field": "file", "message": "pilih berkas CSV atau XLSX"}]
        return await _import_page(request, actor, cycle_id, errors=errors, status_code=422)
    try:
        imported, problems = await importer.import_responses(
            actor, cycle_id, await upload.read(), upload.filename
        )
    except ValidationFailed as exc:
        problems, imported = exc.errors, 0
    except Conflict as exc:
        return await _import_page(request, actor, cycle_id, problem=exc.message, status_code=409)
    if problems:
        return await _import_page(
            request,
            actor,
            cycle_id,
            errors=[e.as_dict() for e in problems],
            status_code=422,
        )
    return await _import_page(request, actor, cycle_id, imported=imported)


async def _template_items(
    request: Request, actor: Actor | None, cycle_id: int
) -> tuple[list[UnsurItem], str]:
    """The cycle's questions (frozen, or current while a draft) and a file name."""
    _, hooks = deps(request)
    row = await cycles.cycle_row(signed_in(actor), cycle_id, Action.enter_responses)
    return await insights.cycle_items(hooks, row), f"templat-skm-siklus-{cycle_id}"


@get("/cycles/{cycle_id:int}/templat.csv", media_type="text/csv")
async def template_csv(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Response[bytes]:
    """The import template of the cycle's questionnaire as CSV."""
    items, name = await _template_items(request, actor, cycle_id)
    return Response(
        content=importer.template_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@get("/cycles/{cycle_id:int}/templat.xlsx", media_type=XLSX)
async def template_xlsx(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Response[bytes]:
    """The import template of the cycle's questionnaire as XLSX, with a guide sheet."""
    items, name = await _template_items(request, actor, cycle_id)
    return Response(
        content=importer.template_xlsx(items),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


ROUTES = [
    entry_form,
    entry_save,
    import_form,
    import_upload,
    template_csv,
    template_xlsx,
]
