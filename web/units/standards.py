"""Service-standard pages: a service's Standar Pelayanan (read, edit) and the file import."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.policy import Actor
from core.clock import utcnow
from core.errors import ValidationFailed
from core.units import standards_import
from core.units.schemas import StandardIn
from core.units.service import unit_by_code
from core.units.sippn_export import sippn_formats
from core.units.standards import (
    CODES,
    COMPONENTS,
    PART_LABELS,
    get_standard,
    save_standard,
    unit_forums,
    unit_standards,
)
from web.context import CurrentActor, page, signed_in
from web.forms import form_errors, read_form


async def _form_page(
    request: Request,
    actor: CurrentActor,
    code: str,
    service: str,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    actor = signed_in(actor)
    unit = await unit_by_code(actor, code)
    standard = await get_standard(actor, code, service)
    if values is None:
        values = {
            **standard.components,
            "set_on": standard.set_on.isoformat() if standard.set_on else "",
            "forum": str(standard.forum or ""),
        }
    return page(
        request,
        "units/standard.html",
        status_code=status_code,
        unit=unit,
        standard=standard,
        components=COMPONENTS,
        part_labels=PART_LABELS,
        forums=await unit_forums(unit.id),
        values=values,
        errors=errors or {},
    )


@get("/units/{code:str}/services/{service:str}/standar")
async def standard_page(
    request: Request, actor: CurrentActor, code: FromPath[str], service: FromPath[str]
) -> Template:
    """A service's standard: what is set, what is still missing, the form for those who manage it."""
    return await _form_page(request, actor, code, service)


@post("/units/{code:str}/services/{service:str}/standar")
async def standard_save(
    request: Request, actor: CurrentActor, code: FromPath[str], service: FromPath[str]
) -> Template | Redirect:
    """Save the standard; a problem is shown next to its field and nothing is saved."""
    form = await read_form(request)
    values = form.values(*CODES, "set_on", "forum")
    errors: dict[str, str] = {}
    set_on = form.day("set_on")
    if values["set_on"] and set_on is None:
        errors["set_on"] = "tanggal tidak valid"
    forum = form.integer("forum")
    if values["forum"] and forum is None:
        errors["forum"] = "pilih forum dari daftar"
    if not errors:
        data = StandardIn(components={c: form.text(c) for c in CODES}, set_on=set_on, forum=forum)
        try:
            await save_standard(signed_in(actor), code, service, data)
        except ValidationFailed as exc:
            errors = form_errors(exc).fields
        else:
            return Redirect(path=f"/units/{code}/services/{service}/standar?disimpan=1")
    return await _form_page(
        request, actor, code, service, values=values, errors=errors, status_code=422
    )


@get("/units/standar/import")
async def standards_import_form(request: Request, actor: CurrentActor) -> Template:
    """Upload form for service standards (CSV or XLSX, one row per service)."""
    signed_in(actor)
    return page(
        request, "units/standard_import.html", report=None, columns=standards_import.COLUMNS
    )


@post("/units/standar/import")
async def standards_import_upload(request: Request, actor: CurrentActor) -> Template:
    """Import the file; with any bad row, list every row and column and import nothing."""
    actor = signed_in(actor)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed.single("file", "pilih berkas CSV atau XLSX terlebih dahulu")
    report = await standards_import.import_standards(
        actor, await upload.read(), upload.filename or "upload.csv"
    )
    return page(
        request,
        "units/standard_import.html",
        status_code=422 if report.errors else 200,
        report=report,
        columns=standards_import.COLUMNS,
    )


@get("/units/standar/import/template.csv", media_type="text/csv")
async def standards_template(actor: CurrentActor) -> Response[bytes]:
    """The import layout: header and one example row."""
    signed_in(actor)
    return Response(
        content=standards_import.template_csv(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="templat-standar-pelayanan.csv"'},
    )


ROUTES = [
    standards_import_form,
    standards_import_upload,
    standards_template,
    standard_page,
    standard_save,
]


async def detail_context(request: Request, actor: Actor, code: str) -> dict[str, Any]:
    """What the unit page shows of standards and the SIPPN export: each service's standard by
    code, the SIPPN formats and the years to choose from."""
    settings, hooks = request.app.state.settings, request.app.state.hooks
    this_year = utcnow().astimezone(ZoneInfo(settings.timezone)).year
    return {
        "standards": {s.service: s for s in await unit_standards(actor, code)},
        "sippn_formats": sippn_formats(hooks),
        "sippn_years": list(range(this_year, this_year - 5, -1)),
    }
