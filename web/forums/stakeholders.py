"""Stakeholder registry pages: list, add, edit, withdraw consent, and the CSV import."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor, require
from core.errors import Conflict, FieldError, ValidationFailed
from core.forums.labels import GROUP_LABELS, VULNERABLE_LABELS
from core.forums.schemas import StakeholderIn, StakeholderOut
from core.forums.stakeholders import (
    CSV_COLUMNS,
    create_stakeholder,
    get_stakeholder,
    import_stakeholders_csv,
    list_stakeholders,
    update_stakeholder,
    withdraw_consent,
)
from core.units.service import list_units
from web.context import CurrentActor, page, signed_in
from web.forms import Form, form_errors, read_form

TEXT_FIELDS = ("name", "organisation", "position", "group", "email", "phone")
EXAMPLE_ROW = (
    "Siti Aminah",
    "Paguyuban Pasien",
    "Ketua",
    "pengguna_layanan",
    "siti@contoh.id",
    "081234567890",
    "ya",
    "lansia|disabilitas",
    "",
)


def _form_values(form: Form) -> dict[str, Any]:
    values: dict[str, Any] = form.values(*TEXT_FIELDS)
    values["consent"] = form.one("consent") in ("1", "on", "ya")
    values["vulnerable"] = form.many("vulnerable")
    values["units"] = form.many("units")
    return values


def _values_of(stakeholder: StakeholderOut) -> dict[str, Any]:
    return {
        "name": stakeholder.name,
        "organisation": stakeholder.organisation,
        "position": stakeholder.position,
        "group": stakeholder.group,
        "email": stakeholder.email,
        "phone": stakeholder.phone,
        "consent": stakeholder.consent,
        "vulnerable": list(stakeholder.vulnerable),
        "units": list(stakeholder.units),
    }


async def _form_page(
    request: Request,
    actor: Actor,
    *,
    values: dict[str, Any],
    editing: StakeholderOut | None,
    errors: dict[str, str] | None = None,
    problem: str = "",
    notice: str = "",
    status_code: int = 200,
) -> Template:
    return page(
        request,
        "stakeholders/form.html",
        status_code=status_code,
        values=values,
        errors=errors or {},
        problem=problem,
        notice=notice,
        editing=editing,
        units=await list_units(actor, include_inactive=False),
        group_labels=GROUP_LABELS,
        vulnerable_labels=VULNERABLE_LABELS,
    )


@get("/pemangku")
async def stakeholders_list(
    request: Request,
    actor: CurrentActor,
    group: FromQuery[str | None] = None,
    unit: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
) -> Template:
    """The registry, filterable by group, related unit and a search text."""
    actor = signed_in(actor)
    people = await list_stakeholders(
        actor, group=group or None, unit=unit or None, search=q or None
    )
    return page(
        request,
        "stakeholders/list.html",
        people=people,
        group=group or "",
        unit=unit or "",
        q=q or "",
        units=await list_units(actor, include_inactive=False),
        group_labels=GROUP_LABELS,
        vulnerable_labels=VULNERABLE_LABELS,
    )


async def _refused(
    request: Request,
    actor: Actor,
    values: dict[str, Any],
    editing: StakeholderOut | None,
    exc: ValidationFailed | Conflict,
) -> Template:
    """The form again with what was typed: each problem at its field, or the conflict on top."""
    invalid = isinstance(exc, ValidationFailed)
    return await _form_page(
        request,
        actor,
        values=values,
        editing=editing,
        errors=form_errors(exc).fields if invalid else {},
        problem="" if invalid else exc.message,
        status_code=exc.status_code,
    )


@get("/pemangku/baru")
async def stakeholder_new(request: Request, actor: CurrentActor) -> Template:
    """Empty form for a new stakeholder."""
    actor = require(signed_in(actor), Action.manage_stakeholders)
    return await _form_page(request, actor, values={}, editing=None)


@post("/pemangku")
async def stakeholder_create(request: Request, actor: CurrentActor) -> Template | Redirect:
    """Register a stakeholder, or show the form again with each problem next to its field."""
    actor = signed_in(actor)
    values = _form_values(await read_form(request))
    try:
        created = await create_stakeholder(actor, StakeholderIn(**values))
    except (ValidationFailed, Conflict) as exc:
        return await _refused(request, actor, values, None, exc)
    return Redirect(path=f"/pemangku/{created.id}?disimpan=1")


@get("/pemangku/{stakeholder_id:int}")
async def stakeholder_edit(
    request: Request, actor: CurrentActor, stakeholder_id: FromPath[int]
) -> Template:
    """The edit form, with the consent status and a button to withdraw it."""
    actor = require(signed_in(actor), Action.manage_stakeholders)
    stakeholder = await get_stakeholder(actor, stakeholder_id)
    return await _form_page(
        request,
        actor,
        values=_values_of(stakeholder),
        editing=stakeholder,
        notice=(
            "withdrawn"
            if request.query_params.get("ditarik")
            else "saved"
            if request.query_params.get("disimpan")
            else ""
        ),
    )


@post("/pemangku/{stakeholder_id:int}")
async def stakeholder_update(
    request: Request, actor: CurrentActor, stakeholder_id: FromPath[int]
) -> Template | Redirect:
    """Save the edit form."""
    actor = signed_in(actor)
    stakeholder = await get_stakeholder(actor, stakeholder_id)
    values = _form_values(await read_form(request))
    try:
        await update_stakeholder(actor, stakeholder_id, StakeholderIn(**values))
    except (ValidationFailed, Conflict) as exc:
        return await _refused(request, actor, values, stakeholder, exc)
    return Redirect(path=f"/pemangku/{stakeholder_id}?disimpan=1")


@post("/pemangku/{stakeholder_id:int}/tarik-persetujuan")
async def stakeholder_withdraw_consent(
    actor: CurrentActor, stakeholder_id: FromPath[int]
) -> Redirect:
    """The stakeholder no longer wants to be contacted."""
    await withdraw_consent(signed_in(actor), stakeholder_id)
    return Redirect(path=f"/pemangku/{stakeholder_id}?ditarik=1")


@get("/pemangku/impor")
async def import_form(request: Request, actor: CurrentActor) -> Template:
    """Upload form for a stakeholders CSV."""
    require(signed_in(actor), Action.manage_stakeholders)
    return page(request, "stakeholders/import.html", report=None, columns=CSV_COLUMNS)


@post("/pemangku/impor")
async def import_upload(request: Request, actor: CurrentActor) -> Template:
    """Import the CSV; with any bad row, list every problem by row and import nothing."""
    actor = require(signed_in(actor), Action.manage_stakeholders)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        report: dict[str, Any] = {
            "created": 0,
            "updated": 0,
            "errors": [FieldError("file", "pilih berkas CSV terlebih dahulu")],
        }
    else:
        try:
            created, updated, errors = await import_stakeholders_csv(actor, await upload.read())
        except ValidationFailed as exc:  # the file as a whole is unusable
            created, updated, errors = 0, 0, exc.errors
        report = {"created": created, "updated": updated, "errors": errors}
    return page(
        request,
        "stakeholders/import.html",
        status_code=422 if report["errors"] else 200,
        report=report,
        columns=CSV_COLUMNS,
    )


@get("/pemangku/impor/templat.csv", media_type="text/csv")
async def import_template(actor: CurrentActor) -> Response[bytes]:
    """A CSV template: the columns and one example row."""
    require(signed_in(actor), Action.manage_stakeholders)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerow(EXAMPLE_ROW)
    return Response(
        content=buffer.getvalue().encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="templat-pemangku.csv"'},
    )


ROUTES = [
    stakeholders_list,
    stakeholder_new,
    stakeholder_create,
    import_form,
    import_upload,
    import_template,
    stakeholder_edit,
    stakeholder_update,
    stakeholder_withdraw_consent,
]
