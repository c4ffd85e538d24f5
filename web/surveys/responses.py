"""Staff pages for a cycle's responses: the list, one response with its versions, void, correct."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor
from core.errors import Conflict, ValidationFailed
from core.surveys import cycles, insights
from core.surveys.corrections import CorrectionIn, VoidIn, correct_response, void_response
from core.surveys.labels import CHANNEL_LABELS
from core.surveys.methods import STAFF_METHODS
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.response_list import (
    STATUS_LABELS,
    ResponseFilter,
    ResponseRow,
    list_responses,
    people_who_entered,
    response_versions,
)
from core.surveys.tables import Channel, Method
from web.context import CurrentActor, page, signed_in
from web.forms import Form, form_errors, read_form
from web.surveys import responses_api
from web.surveys.common import field_name, survey_context

PROFILE_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
FIELD_ORDER = ("layanan", *PROFILE_FIELDS, "filled_on", "filled_time", "saran", "method", "reason")
NOTICES = {
    "dibatalkan": "Jawaban dibatalkan: tetap tersimpan, tidak dihitung, dan tercatat di log audit.",
    "dikoreksi": "Koreksi tersimpan sebagai versi baru; versi lama tetap tersimpan.",
}


def _labels(request: Request, **context: Any) -> dict[str, Any]:
    """The survey pages' labels and formatters, plus the statuses of a response."""
    return survey_context(response_status_labels=STATUS_LABELS, **context)


@get("/cycles/{cycle_id:int}/jawaban")
async def responses_list(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    kanal: FromQuery[str | None] = None,
    oleh: FromQuery[str | None] = None,
    dari: FromQuery[str | None] = None,
    sampai: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    hal: FromQuery[str | None] = None,
) -> Template:
    """A cycle's responses, newest first, filtered by channel, who entered them and the day."""
    actor = signed_in(actor)
    settings, hooks = request.app.state.settings, request.app.state.hooks
    query = Form.of(
        {"kanal": kanal, "oleh": oleh, "dari": dari, "sampai": sampai, "status": status, "hal": hal}
    )
    filters = ResponseFilter(
        channel=query.one("kanal") if query.one("kanal") in CHANNEL_LABELS else None,
        entered_by=query.integer("oleh"),
        entered_from=query.day("dari"),
        entered_to=query.day("sampai"),
        status=query.one("status") if query.one("status") in STATUS_LABELS else None,
        page=query.integer("hal") or 1,
    )
    result = await list_responses(actor, settings.timezone, cycle_id, filters)
    row = await cycles.cycle_row(actor, cycle_id, Action.view_responses)
    return page(
        request,
        "surveys/responses.html",
        **_labels(
            request,
            cycle=await cycles.cycle_out(settings, hooks, row),
            unit_id=row["unit"],
            items=await insights.cycle_items(hooks, row),
            result=result,
            filters=query.values("kanal", "oleh", "dari", "sampai", "status"),
            people=await people_who_entered(actor, cycle_id),
        ),
    )


async def _detail(
    request: Request,
    actor: Actor,
    cycle_id: int,
    response_id: int,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
    notice: str | None = None,
    status_code: int = 200,
) -> Template:
    settings, hooks = request.app.state.settings, request.app.state.hooks
    versions = await response_versions(actor, cycle_id, response_id)
    row = await cycles.cycle_row(actor, cycle_id, Action.view_responses)
    return page(
        request,
        "surveys/response.html",
        status_code=status_code,
        **_labels(
            request,
            cycle=await cycles.cycle_out(settings, hooks, row),
            unit_id=row["unit"],
            items=await insights.cycle_items(hooks, row),
            response=next(v for v in versions if v.id == response_id),
            versions=versions,
            errors=errors or {},
            reason=reason,
            notice=notice,
            correctable=(Channel.paper.value, Channel.interview.value, Channel.import_file.value),
        ),
    )


@get("/cycles/{cycle_id:int}/jawaban/{response_id:int}")
async def response_page(
    request: Request,
    actor: CurrentActor,
    cycle_id: FromPath[int],
    response_id: FromPath[int],
    ok: FromQuery[str | None] = None,
) -> Template:
    """One response: answers, profile, status, every version; void and correct when allowed."""
    notice = NOTICES.get(ok or "")
    return await _detail(request, signed_in(actor), cycle_id, response_id, notice=notice)


@post("/cycles/{cycle_id:int}/jawaban/{response_id:int}/batal")
async def response_void(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], response_id: FromPath[int]
) -> Template | Redirect:
    """Void with a reason; the page again with the problem when refused."""
    actor = signed_in(actor)
    form = await read_form(request)
    try:
        await void_response(actor, cycle_id, response_id, VoidIn(reason=form.text("reason")))
    except (ValidationFailed, Conflict) as exc:
        errors = form_errors(exc).fields
        code = 422 if isinstance(exc, ValidationFailed) else 409
        return await _detail(
            request,
            actor,
            cycle_id,
            response_id,
            errors=errors,
            reason=form.text("reason"),
            status_code=code,
        )
    return Redirect(path=f"/cycles/{cycle_id}/jawaban/{response_id}?ok=dibatalkan")


def _values_of(response: ResponseRow) -> dict[str, Any]:
    return {
        **{code: str(value) for code, value in response.answers.items()},
        "layanan": response.service,
        "jenis_kelamin": response.jenis_kelamin,
        "usia": "" if response.usia is None else str(response.usia),
        "pendidikan": response.pendidikan,
        "pekerjaan": response.pekerjaan,
        "pekerjaan_lain": response.pekerjaan_lain,
        "filled_on": str(response.filled_on or ""),
        "filled_time": response.filled_time,
        "saran": response.saran,
        "method": response.method,
        "channel": response.channel,
        "reason": "",
    }


async def _correction_page(
    request: Request,
    actor: Actor,
    cycle_id: int,
    response: ResponseRow,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    settings, hooks = request.app.state.settings, request.app.state.hooks
    row = await cycles.cycle_row(actor, cycle_id, Action.correct_responses)
    items = await insights.cycle_items(hooks, row)
    order = [item.code for item in items] + list(FIELD_ORDER)
    imported = response.channel == Channel.import_file.value
    return page(
        request,
        "surveys/entry.html",
        status_code=status_code,
        **_labels(
            request,
            cycle=await cycles.cycle_out(settings, hooks, row),
            items=items,
            values=values,
            errors=errors,
            saved=None,
            focus=next((name for name in order if name in errors), order[0]),
            channels=[response.channel],
            methods=[m.value for m in (tuple(Method) if imported else STAFF_METHODS)],
            jenis_kelamin=JENIS_KELAMIN,
            pendidikan=PENDIDIKAN,
            pekerjaan=PEKERJAAN,
            correcting=response,
        ),
    )


async def _current_version(actor: Actor, cycle_id: int, response_id: int) -> ResponseRow:
    versions = await response_versions(actor, cycle_id, response_id)
    return next(v for v in versions if v.id == response_id)


@get("/cycles/{cycle_id:int}/jawaban/{response_id:int}/koreksi")
async def correction_form(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], response_id: FromPath[int]
) -> Template:
    """The keyed-in form, filled with the response, plus the reason for the correction."""
    actor = signed_in(actor)
    response = await _current_version(actor, cycle_id, response_id)
    return await _correction_page(request, actor, cycle_id, response, _values_of(response), {})


@post("/cycles/{cycle_id:int}/jawaban/{response_id:int}/koreksi")
async def correction_save(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], response_id: FromPath[int]
) -> Template | Redirect:
    """Store the corrected version and show it; the form again with every problem marked."""
    actor = signed_in(actor)
    response = await _current_version(actor, cycle_id, response_id)
    form = await read_form(request)
    row = await cycles.cycle_row(actor, cycle_id, Action.correct_responses)
    items = await insights.cycle_items(request.app.state.hooks, row)
    values = {item.code: form.one(item.code) for item in items}
    values |= {name: form.one(name) for name in FIELD_ORDER if name != "reason"}
    values |= {"reason": form.text("reason"), "channel": response.channel}
    errors: dict[str, str] = {}
    status = 422
    if values["filled_on"] and form.day("filled_on") is None:
        errors["filled_on"] = "format tanggal tidak valid"
    if not errors:
        data = CorrectionIn(
            answers={item.code: values[item.code] or None for item in items},
            reason=values["reason"],
            service=values["layanan"] or None,
            profile={name: values[name] for name in PROFILE_FIELDS if values[name]},
            saran=values["saran"],
            method=values["method"] or None,
            filled_on=form.day("filled_on"),
            filled_time=values["filled_time"],
            allow_blanks=form.flag("simpan_kosong"),
        )
        try:
            new = await correct_response(actor, cycle_id, response_id, data)
        except (ValidationFailed, Conflict) as exc:
            errors = form_errors(exc, field_name).fields
            status = 409 if isinstance(exc, Conflict) else 422
        else:
            return Redirect(path=f"/cycles/{cycle_id}/jawaban/{new.id}?ok=dikoreksi")
    return await _correction_page(request, actor, cycle_id, response, values, errors, status)


ROUTES = [
    Router(
        path="/",
        route_handlers=[
            responses_list,
            response_page,
            response_void,
            correction_form,
            correction_save,
        ],
        include_in_schema=False,
    ),
    *responses_api.ROUTES,
]
