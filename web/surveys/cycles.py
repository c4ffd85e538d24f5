"""Staff pages for survey cycles: the list, the new-cycle form, a cycle's page and its moves."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor, can
from core.audit.service import AuditFilter, list_events
from core.clock import utcnow
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.surveys import cycles, insights
from core.surveys.cycle_list import cycle_page
from core.surveys.schemas import CycleIn
from core.units.service import list_services, list_units, unit_by_code
from web.context import CurrentActor, page, signed_in
from web.forms import FORM_KEY, Form, form_errors, read_form
from web.surveys.common import deps, survey_context

KM_EXAMPLES = (10, 100, 500, 1000, 5000, 10000, 100000)
NEW_FIELDS = ("unit", "period_type", "year", "start_date", "end_date", "population")
NOTICES = {
    "dibuat": "Siklus survei dibuat sebagai draf. Periksa isinya, lalu buka survei.",
    "dibuka": "Survei dibuka: tautan, kios dan kode QR sudah aktif.",
    "ditutup": "Survei ditutup; jawaban baru tidak diterima lagi.",
    "dibuka-kembali": "Survei dibuka kembali; alasannya tercatat di log audit.",
}


# ---------------------------------------------------------------- list


@get("/cycles")
async def cycles_list(
    request: Request,
    actor: CurrentActor,
    unit: FromQuery[str | None] = None,
    year: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    hal: FromQuery[str | None] = None,
) -> Template:
    """Cycles the user may see with their index, a page at a time, by unit, year and status."""
    settings, hooks = deps(request)
    actor = signed_in(actor)
    query = Form.of({"year": year or "", "hal": hal or ""})
    units = await list_units(actor)
    filters = cycles.CycleFilter(
        unit=unit if unit and any(u.code == unit for u in units) else None,
        year=query.integer("year"),
        status=status if status in cycles.CYCLE_STATES.labels else None,
    )
    listing = await cycle_page(actor, settings, hooks, filters, query.integer("hal") or 1)
    return page(
        request,
        "surveys/list.html",
        **survey_context(
            listing=listing,
            units=units,
            years=await insights.cycle_years(actor),
            filters={
                "unit": filters.unit or "",
                "year": filters.year or "",
                "status": filters.status or "",
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
    _, hooks = deps(request)
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
    population = Form.of({"n": str(values.get("population", ""))}).integer("n")
    minimum = insights.minimum_sample(hooks, population) if population else None
    return page(
        request,
        "surveys/new.html",
        status_code=status_code,
        **survey_context(
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


def _unreadable(form: Form, custom: bool) -> dict[str, str]:
    """Inputs the core would only see as missing, with the more precise message for the form."""
    own: dict[str, str] = {}
    if form.integer("population") is None:
        own["population"] = "isi dengan bilangan bulat, misalnya 1200"
    if not custom and form.one("year") and form.integer("year") is None:
        own["year"] = "tahun harus berupa angka, misalnya 2026"
    for name in ("start_date", "end_date"):
        if custom and form.one(name) and form.day(name) is None:
            own[name] = "format tanggal tidak valid"
    if not form.one("period_type"):
        own["period_type"] = "pilih periode survei"
    if not form.many("channels"):
        own["channels"] = "pilih minimal satu cara pengumpulan"
    return own


@post("/cycles")
async def cycle_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Create a draft cycle, or show the form again with each problem next to its field."""
    _, hooks = deps(request)
    actor = signed_in(actor)
    form = await read_form(request)
    values: dict[str, Any] = form.values(*NEW_FIELDS)
    values["services"] = form.many("services")
    values["channels"] = form.many("channels")
    values["service_populations"] = {
        code: form.one(f"population_{code}") for code in values["services"]
    }
    if not values["unit"]:
        return await _new_form(request, actor, values, {"unit": "pilih unit"}, 422)
    custom = values["period_type"] == "custom"
    # Unreadable inputs are passed on as missing, so the core rejects them too and nothing is
    # written; the form then shows the more precise message from here.
    own = _unreadable(form, custom)
    per_service = {
        code: form.integer(f"population_{code}")
        for code in values["services"]
        if form.one(f"population_{code}")
    }
    try:
        cycle_id = await cycles.create_cycle(
            actor,
            hooks,
            CycleIn(
                unit=values["unit"],
                period_type=values["period_type"],
                population=form.integer("population") or 0,
                start_date=form.day("start_date") if custom else None,
                end_date=form.day("end_date") if custom else None,
                year=None if custom else form.integer("year"),
                services=values["services"],
                service_populations={code: n or 0 for code, n in per_service.items()},
                channels=values["channels"],
            ),
        )
    except (ValidationFailed, Conflict) as exc:
        errors = form_errors(exc, _new_field).fields
        if "start_date" in errors and not custom:
            errors.setdefault("year", errors.pop("start_date"))
        if FORM_KEY in errors:  # an overlapping cycle: shown next to the period
            errors["period_type"] = errors.pop(FORM_KEY)
        errors.update({k: v for k, v in own.items() if k in errors})
        status = 422 if isinstance(exc, ValidationFailed) else exc.status_code
        return await _new_form(request, actor, values, errors, status)
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuat")


def _new_field(core_field: str) -> str:
    """Core's ``service_populations.KIA`` is the form's ``population_KIA``."""
    if core_field.startswith("service_populations."):
        return "population_" + core_field.split(".", 1)[1]
    return core_field


# ---------------------------------------------------------------- detail and moves


async def _detail(
    request: Request,
    actor: Actor,
    cycle_id: int,
    *,
    errors: dict[str, str] | None = None,
    reason: str = "",
    status_code: int = 200,
) -> Template:
    settings, hooks = deps(request)
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
        **survey_context(
            cycle=cycle,
            unit=unit,
            events=events,
            notice=notice,
            errors=errors or {},
            reason=reason,
            staff_channels=[c for c in cycles.STAFF_CHANNELS if c in cycle.channels],
        ),
    )


@get("/cycles/{cycle_id:int}")
async def cycle_detail(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """A cycle: status and its buttons, progress against the minimum, links, audit trail."""
    return await _detail(request, signed_in(actor), cycle_id)


@post("/cycles/{cycle_id:int}/open")
async def cycle_open(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Redirect:
    """Open for answers (freezes the questionnaire and issues the links)."""
    _, hooks = deps(request)
    await cycles.open_cycle(signed_in(actor), hooks, cycle_id)
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuka")


@post("/cycles/{cycle_id:int}/close")
async def cycle_close(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Stop accepting answers (below the minimum sample only with a reason)."""
    _, hooks = deps(request)
    actor = signed_in(actor)
    reason = (await read_form(request)).text("reason")
    try:
        await cycles.close_cycle(actor, hooks, cycle_id, reason)
    except ValidationFailed as exc:
        errors = {f"close_{k}": v for k, v in form_errors(exc).fields.items()}
        return await _detail(
            request, actor, cycle_id, errors=errors, reason=reason, status_code=422
        )
    return Redirect(path=f"/cycles/{cycle_id}?ok=ditutup")


@post("/cycles/{cycle_id:int}/reopen")
async def cycle_reopen(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Reopen a closed cycle (administrators only, with a reason kept in the audit log)."""
    actor = signed_in(actor)
    reason = (await read_form(request)).text("reason")
    try:
        await cycles.reopen_cycle(actor, cycle_id, reason)
    except ValidationFailed as exc:
        errors = {f"reopen_{k}": v for k, v in form_errors(exc).fields.items()}
        return await _detail(
            request, actor, cycle_id, errors=errors, reason=reason, status_code=422
        )
    return Redirect(path=f"/cycles/{cycle_id}?ok=dibuka-kembali")


ROUTES = [
    cycles_list,
    cycle_new,
    cycle_create,
    cycle_detail,
    cycle_open,
    cycle_close,
    cycle_reopen,
]
