"""Staff pages for survey cycles: list, create, open/close/reopen, paper entry, file import."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor, can
from core.audit.service import AuditFilter, list_events
from core.clock import utcnow
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.hooks import Hooks
from core.settings import Settings
from core.surveys import cycles, importer, insights, responses
from core.surveys.methods import METHOD_LABELS, STAFF_METHODS, parse_method
from core.surveys.periods import PERIOD_LABELS
from core.surveys.profile import JENIS_KELAMIN, PEKERJAAN, PENDIDIKAN
from core.surveys.schemas import CycleIn, ResponseIn, UnsurItem
from core.surveys.tables import Channel
from core.units.service import list_services, list_units, unit_by_code
from web.context import CurrentActor, page, signed_in
from web.formatting import integer, number, percent

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]

STAFF_CHANNELS = (Channel.paper.value, Channel.interview.value)
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
KM_EXAMPLES = (10, 100, 500, 1000, 5000, 10000, 100000)
NOTICES = {
    "dibuat": "Siklus survei dibuat sebagai draf. Periksa isinya, lalu buka survei.",
    "dibuka": "Survei dibuka: tautan, kios dan kode QR sudah aktif.",
    "ditutup": "Survei ditutup; jawaban baru tidak diterima lagi.",
    "dibuka-kembali": "Survei dibuka kembali; alasannya tercatat di log audit.",
}


def _deps(request: Request) -> tuple[Settings, Hooks]:
    return request.app.state.settings, request.app.state.hooks


def _one(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _many(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def _int_or_none(text: str) -> int | None:
    text = text.strip().replace(".", "")
    return int(text) if text.isdigit() else None


def _date_or_none(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _common(**context: Any) -> dict[str, Any]:
    """Labels and number formatters every survey page uses."""
    return {
        "period_labels": PERIOD_LABELS,
        "status_labels": insights.STATUS_LABELS,
        "channel_labels": insights.CHANNEL_LABELS,
        "method_labels": METHOD_LABELS,
        "num": number,
        "integer": integer,
        "percent": percent,
        **context,
    }


# ---------------------------------------------------------------- list


@get("/cycles")
async def cycles_list(
    request: Request,
    actor: CurrentActor,
    unit: FromQuery[str | None] = None,
    year: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
) -> Template:
    """Cycles the user may see, filterable by unit, year and status."""
    settings, hooks = _deps(request)
    actor = signed_in(actor)
    chosen_year = _int_or_none(year or "")
    chosen_status = status if status in insights.STATUS_LABELS else None
    units = await list_units(actor)
    chosen_unit = unit if unit and any(u.code == unit for u in units) else None
    found = await cycles.list_cycles(
        actor, settings, hooks, unit=chosen_unit, year=chosen_year, status=chosen_status
    )
    return page(
        request,
        "surveys/list.html",
        **_common(
            cycles=found,
            units=units,
            years=await insights.cycle_years(actor),
            filters={
                "unit": chosen_unit or "",
                "year": chosen_year or "",
                "status": chosen_status or "",
            },
            can_create=any(can(actor, Action.manage_cycles, u.id) for u in units if u.active),
        ),
    )


# ---------------------------------------------------------------- create


async def _manageable_units(actor: Actor) -> list[Any]:
    units = await list_units(actor, include_inactive=False)
    return [u for u in units if can(actor, Action.manage_cycles, u.id)]


async def _new_form(
    request: Request,
    actor: Actor,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    _, hooks = _deps(request)
    units = await _manageable_units(actor)
    if not units:
        raise PermissionDenied("Anda tidak berwenang melakukan tindakan ini.")
    chosen = next((u for u in units if u.code == values.get("unit")), None)
    if chosen is None and len(units) == 1:
        chosen = units[0]
    services = []
    if chosen is not None:
        values["unit"] = chosen.code
        services = [s for s in await list_services(actor, chosen.code) if s.active]
        if "services" not in values:
            values["services"] = [s.code for s in services]
    population = _int_or_none(str(values.get("population", "")))
    minimum = insights.minimum_sample(hooks, population) if population and population > 0 else None
    return page(
        request,
        "surveys/new.html",
        status_code=status_code,
        **_common(
            units=units,
            unit=chosen,
            services=services,
            values=values,
            errors=errors,
            channels=cycles.CHANNELS,
            km_examples=[(n, insights.minimum_sample(hooks, n)) for n in KM_EXAMPLES],
            minimum=minimum,
            population=population,
        ),
    )


@get("/cycles/new")
async def cycle_new(
    request: Request,
    actor: CurrentActor,
    unit: FromQuery[str | None] = None,
    population: FromQuery[str | None] = None,
) -> Template:
    """The new-cycle form; ?unit=CODE chooses the unit first so its services can be listed."""
    actor = signed_in(actor)
    values: dict[str, Any] = {
        "unit": unit or "",
        "period_type": "",
        "year": str(utcnow().year),
        "start_date": "",
        "end_date": "",
        "population": population or "",
        "channels": list(cycles.CHANNELS),
    }
    return await _new_form(request, actor, values, {})


@post("/cycles")
async def cycle_create(request: Request, actor: CurrentActor, data: Form) -> Template | Redirect:
    """Create a draft cycle, or show the form again with each problem next to its field."""
    _, hooks = _deps(request)
    actor = signed_in(actor)
    values: dict[str, Any] = {
        name: _one(data, name)
        for name in ("unit", "period_type", "year", "start_date", "end_date", "population")
    }
    values["services"] = _many(data, "services")
    values["channels"] = _many(data, "channels")
    if not values["unit"]:
        return await _new_form(request, actor, values, {"unit": "pilih unit"}, 422)
    # Unreadable inputs are passed on as missing, so the core rejects them too and nothing is
    # written; the form then shows the more precise message from here.
    own: dict[str, str] = {}
    population = _int_or_none(values["population"])
    if population is None:
        own["population"] = "isi dengan bilangan bulat, misalnya 1200"
    custom = values["period_type"] == "custom"
    year = None if custom else _int_or_none(values["year"])
    if not custom and values["year"] and year is None:
        own["year"] = "tahun harus berupa angka, misalnya 2026"
    start = _date_or_none(values["start_date"]) if custom else None
    end = _date_or_none(values["end_date"]) if custom else None
    for name, parsed in (("start_date", start), ("end_date", end)):
        if custom and values[name] and parsed is None:
            own[name] = "format tanggal tidak valid"
    if not values["period_type"]:
        own["period_type"] = "pilih periode survei"
    if not values["channels"]:
        own["channels"] = "pilih minimal satu cara pengumpulan"
    try:
        cycle_id = await cycles.create_cycle(
            actor,
            hooks,
            CycleIn(
                unit=values["unit"],
                period_type=values["period_type"],
                population=population or 0,
                start_date=start,
                end_date=end,
                year=year,
                services=values["services"],
                channels=values["channels"],
            ),
        )
    except ValidationFailed as exc:
        errors = dict(exc.by_field())
        if "start_date" in errors and not custom:
            errors.setdefault("year", errors.pop("start_date"))
        errors.update({k: v for k, v in own.items() if k in errors})
        return await _new_form(request, actor, values, errors, 422)
    except Conflict as exc:
        return await _new_form(request, actor, values, {"period_type": exc.message}, 409)
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuat")


# ---------------------------------------------------------------- detail and transitions


async def _detail(
    request: Request,
    actor: Actor,
    cycle_id: int,
    *,
    reopen_errors: dict[str, str] | None = None,
    reason: str = "",
    status_code: int = 200,
) -> Template:
    settings, hooks = _deps(request)
    cycle = await cycles.get_cycle(actor, settings, hooks, cycle_id)
    unit = await unit_by_code(actor, cycle.unit)
    events: list[dict[str, Any]] = []
    if can(actor, Action.view_audit):
        events = await list_events(
            actor, AuditFilter(entity="survey_cycle", entity_id=str(cycle_id), limit=200)
        )
    notice = NOTICES.get(request.query_params.get("ok") or "")
    return page(
        request,
        "surveys/detail.html",
        status_code=status_code,
        **_common(
            cycle=cycle,
            unit=unit,
            events=events,
            notice=notice,
            reopen_errors=reopen_errors or {},
            reason=reason,
            staff_channels=[c for c in STAFF_CHANNELS if c in cycle.channels],
        ),
    )


@get("/cycles/{cycle_id:int}")
async def cycle_detail(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """A cycle: status and its buttons, progress against the minimum, links, audit trail."""
    return await _detail(request, signed_in(actor), cycle_id)


@post("/cycles/{cycle_id:int}/open")
async def cycle_open(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Redirect:
    """Open for answers (freezes the questionnaire and issues the links)."""
    _, hooks = _deps(request)
    await cycles.open_cycle(signed_in(actor), hooks, cycle_id)
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuka")


@post("/cycles/{cycle_id:int}/close")
async def cycle_close(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Redirect:
    """Stop accepting answers."""
    await cycles.close_cycle(signed_in(actor), cycle_id)
    return Redirect(path=f"/cycles/{cycle_id}?ok=ditutup")


@post("/cycles/{cycle_id:int}/reopen")
async def cycle_reopen(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Reopen a closed cycle (administrators only, with a reason kept in the audit log)."""
    actor = signed_in(actor)
    reason = _one(data, "reason")
    try:
        await cycles.reopen_cycle(actor, cycle_id, reason)
    except ValidationFailed as exc:
        return await _detail(
            request,
            actor,
            cycle_id,
            reopen_errors=dict(exc.by_field()),
            reason=reason,
            status_code=422,
        )
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuka-kembali")


# ---------------------------------------------------------------- paper entry


def _field_name(core_field: str) -> str:
    """Core's field names (answers.U3, profile.usia, service) as the entry form names them."""
    name = (
        core_field.split(".", 1)[1]
        if core_field.startswith(("answers.", "profile."))
        else core_field
    )
    return "layanan" if name == "service" else name


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
    settings, hooks = _deps(request)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    cycle = await cycles.cycle_out(settings, hooks, row)
    items = await insights.cycle_items(hooks, row)
    channels = [c for c in STAFF_CHANNELS if c in cycle.channels]
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
        **_common(
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
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], data: Form
) -> Template | Redirect:
    """Store one keyed-in questionnaire (blanks stay blank); a repeated submit stores it once."""
    _, hooks = _deps(request)
    actor = signed_in(actor)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    items = await insights.cycle_items(hooks, row)
    values: dict[str, Any] = {item.code: _one(data, item.code) for item in items}
    values.update({name: _one(data, name) for name in ENTRY_FIELDS})
    values["submission_token"] = _one(data, "submission_token") or secrets.token_urlsafe(24)
    own: dict[str, str] = {}
    filled_on = _date_or_none(values["filled_on"])
    if values["filled_on"] and filled_on is None:
        own["filled_on"] = "format tanggal tidak valid"
    channel = values["channel"] or Channel.paper.value
    if channel not in STAFF_CHANNELS:
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
            allow_blanks=_one(data, "simpan_kosong") == "1",
        )
    except ValidationFailed as exc:
        errors: dict[str, str] = {}
        for error in exc.errors:
            errors.setdefault(_field_name(error.field), error.message)
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
    settings, hooks = _deps(request)
    row = await cycles.cycle_row(actor, cycle_id, Action.enter_responses)
    cycle = await cycles.cycle_out(settings, hooks, row)
    items = await insights.cycle_items(hooks, row)
    return page(
        request,
        "surveys/import.html",
        status_code=status_code,
        **_common(
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
    _, hooks = _deps(request)
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    cycles_list,
    cycle_new,
    cycle_create,
    cycle_detail,
    cycle_open,
    cycle_close,
    cycle_reopen,
    entry_form,
    entry_save,
    import_form,
    import_upload,
    template_csv,
    template_xlsx,
]
