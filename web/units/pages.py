"""Unit and service administration pages, including the CSV import with its row report."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, require
from core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.units import importer
from core.units.schemas import ServiceIn, ServicePatch, UnitIn, UnitPatch
from core.units.service import (
    create_service,
    create_unit,
    list_services,
    list_units,
    unit_by_code,
    update_service,
    update_unit,
)
from web.context import CurrentActor, page, signed_in
from web.forms import form_errors, read_form
from web.units import sippn, standards

UNIT_FIELDS = ("code", "name", "kind", "parent", "address", "phone", "email")


def _on_form(exc: DomainError) -> dict[str, str]:
    """Core's error as the template's ``errors``; the only conflicts here are a code already used."""
    if isinstance(exc, NotFound | PermissionDenied):
        raise exc
    if isinstance(exc, Conflict):
        return {"code": exc.message}
    return form_errors(exc).fields


@get("/units")
async def units_list(
    request: Request,
    actor: CurrentActor,
    kind: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
) -> Template:
    """Every unit the user may see, filterable by kind and a search text."""
    actor = signed_in(actor)
    units = await list_units(actor, kind=kind or None, search=q or None)
    return page(request, "units/list.html", units=units, kind=kind or "", q=q or "")


@get("/units/new")
async def unit_new(request: Request, actor: CurrentActor) -> Template:
    """Empty form for a new unit."""
    actor = require(signed_in(actor), Action.create_unit)
    parents = await list_units(actor, include_inactive=False)
    return page(request, "units/form.html", values={}, errors={}, parents=parents, editing=None)


@post("/units")
async def unit_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Create a unit, or show the form again with each problem next to its field."""
    actor = signed_in(actor)
    values = (await read_form(request)).values(*UNIT_FIELDS)
    try:
        unit = await create_unit(actor, UnitIn(**{**values, "parent": values["parent"] or None}))
    except DomainError as exc:
        errors = _on_form(exc)
        parents = await list_units(actor, include_inactive=False)
        return page(
            request,
            "units/form.html",
            status_code=422,
            values=values,
            errors=errors,
            parents=parents,
            editing=None,
        )
    return Redirect(path=f"/units/{unit.code}")


@get("/units/{code:str}")
async def unit_detail(request: Request, actor: CurrentActor, code: FromPath[str]) -> Template:
    """A unit with its services."""
    actor = signed_in(actor)
    unit = await unit_by_code(actor, code)
    services = await list_services(actor, code)
    return page(
        request,
        "units/detail.html",
        unit=unit,
        services=services,
        errors={},
        values={},
        **await standards.detail_context(request, actor, code),
    )


@get("/units/{code:str}/edit")
async def unit_edit(request: Request, actor: CurrentActor, code: FromPath[str]) -> Template:
    """The edit form (operators see only the contact fields)."""
    actor = signed_in(actor)
    unit = await unit_by_code(actor, code, Action.edit_unit_contact)
    parents = [u for u in await list_units(actor, include_inactive=False) if u.code != code]
    values = {name: getattr(unit, name) or "" for name in UNIT_FIELDS}
    return page(request, "units/form.html", values=values, errors={}, parents=parents, editing=unit)


@post("/units/{code:str}/edit")
async def unit_update(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> Template | Redirect:
    """Save the edit form; only fields present in the form are changed."""
    actor = signed_in(actor)
    unit = await unit_by_code(actor, code)
    form = await read_form(request)
    values = form.values(*UNIT_FIELDS)
    changes: dict[str, Any] = {k: v for k, v in values.items() if k in form.data and k != "code"}
    if "parent" in changes:
        changes["parent"] = changes["parent"] or None
    try:
        await update_unit(actor, code, UnitPatch(**changes))
    except DomainError as exc:
        parents = [u for u in await list_units(actor, include_inactive=False) if u.code != code]
        return page(
            request,
            "units/form.html",
            status_code=422,
            values={**values, "code": code},
            errors=_on_form(exc),
            parents=parents,
            editing=unit,
        )
    return Redirect(path=f"/units/{code}")


@post("/units/{code:str}/active")
async def unit_set_active(request: Request, actor: CurrentActor, code: FromPath[str]) -> Redirect:
    """Deactivate or reactivate a unit (its history stays)."""
    active = (await read_form(request)).flag("active")
    await update_unit(signed_in(actor), code, UnitPatch(active=active))
    return Redirect(path=f"/units/{code}")


@post("/units/{code:str}/services")
async def service_create(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> Template | Redirect:
    """Add a jenis layanan; on a problem, the unit page shows it next to the field."""
    actor = signed_in(actor)
    values = (await read_form(request)).values("code", "name")
    try:
        await create_service(actor, code, ServiceIn(**values))
    except DomainError as exc:
        errors = _on_form(exc)
        unit = await unit_by_code(actor, code)
        return page(
            request,
            "units/detail.html",
            status_code=422,
            unit=unit,
            services=await list_services(actor, code),
            errors=errors,
            values=values,
            **await standards.detail_context(request, actor, code),
        )
    return Redirect(path=f"/units/{code}#layanan")


@post("/units/{code:str}/services/{service:str}/active")
async def service_set_active(
    request: Request, actor: CurrentActor, code: FromPath[str], service: FromPath[str]
) -> Redirect:
    """Deactivate or reactivate a jenis layanan."""
    active = (await read_form(request)).flag("active")
    await update_service(signed_in(actor), code, service, ServicePatch(active=active))
    return Redirect(path=f"/units/{code}#layanan")


@get("/units/import")
async def import_form(request: Request, actor: CurrentActor) -> Template:
    """Upload form for a units CSV."""
    require(signed_in(actor), Action.import_units)
    return page(request, "units/import.html", report=None, columns=importer.COLUMNS)


@post("/units/import")
async def import_upload(request: Request, actor: CurrentActor) -> Template:
    """Import the uploaded CSV; with any bad row, list every problem and import nothing."""
    actor = signed_in(actor)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed.single("file", "pilih berkas CSV terlebih dahulu")
    report = await importer.import_units_csv(actor, await upload.read())
    return page(
        request,
        "units/import.html",
        status_code=422 if report.errors else 200,
        report=report,
        columns=importer.COLUMNS,
    )


@get("/units/import/template.csv", media_type="text/csv")
async def import_template(actor: CurrentActor) -> Response[bytes]:
    """A CSV template with the expected columns and one example row."""
    require(signed_in(actor), Action.import_units)
    return Response(
        content=importer.TEMPLATE.encode(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="template-unit.csv"'},
    )


ROUTES = [
    units_list,
    unit_new,
    unit_create,
    import_form,
    import_upload,
    import_template,
    unit_detail,
    unit_edit,
    unit_update,
    unit_set_active,
    service_create,
    service_set_active,
    *standards.ROUTES,
    *sippn.PAGE_ROUTES,
]
