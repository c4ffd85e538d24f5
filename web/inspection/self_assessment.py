"""The unit's self-assessment form (F-01) and its API."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, JSONBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_201_CREATED

from core.accounts.policy import Action, Actor
from core.clock import utcnow
from core.errors import DomainError, NotFound, PermissionDenied
from core.inspection.self_assessment import SelfAssessmentIn, save_self_assessment
from core.reports.publications import MEDIA_LABELS
from core.units.service import unit_by_code
from web.context import CurrentActor, page, signed_in, token_required
from web.forms import Form, form_errors, read_form

NUMBERS = ("surveys_held", "rtl_done_percent", "follow_up_months")


async def _form(
    request: Request, actor: Actor, code: str, values: dict, errors: dict, status: int = 200
) -> Template:
    unit = await unit_by_code(actor, code, Action.self_assess)
    return page(
        request,
        "inspection/self_assessment.html",
        status_code=status,
        unit=unit,
        values=values,
        errors=errors,
        media_labels=MEDIA_LABELS,
        saved=request.query_params.get("saved") == "1",
    )


@get("/penilaian-mandiri/{code:str}")
async def self_assessment_page(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> Template:
    """The unit's F-01 form for the current year."""
    return await _form(request, signed_in(actor), code, {"year": str(utcnow().year)}, {})


def _read(form: Form) -> tuple[SelfAssessmentIn | None, dict[str, str]]:
    errors: dict[str, str] = {}
    numbers = {}
    for name in ("year", *NUMBERS):
        text = form.one(name)
        numbers[name] = form.integer(name) if text else None
        if text and numbers[name] is None:
            errors[name] = "isi angka bulat"
    ikm_text = form.one("last_ikm").replace(",", ".")
    ikm = None
    if ikm_text:
        try:
            ikm = float(ikm_text)
        except ValueError:
            errors["last_ikm"] = "isi angka, mis. 82,45"
    if numbers["year"] is None:
        errors["year"] = "tahun empat angka, mis. 2026"
    if numbers["surveys_held"] is None:
        errors.setdefault("surveys_held", "wajib diisi (0 bila tidak ada)")
    if errors:
        return None, errors
    data = SelfAssessmentIn(
        year=numbers["year"],
        surveys_held=numbers["surveys_held"],
        media=form.many("media"),
        last_ikm=ikm,
        rtl_done_percent=numbers["rtl_done_percent"],
        follow_up_months=numbers["follow_up_months"],
    )
    return data, {}


@post("/penilaian-mandiri/{code:str}")
async def self_assessment_save(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> Template | Redirect:
    """Save the unit's claim, or show the form again with each problem next to its field."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = {**form.values("year", "last_ikm", *NUMBERS), "media": form.many("media")}
    data, errors = _read(form)
    if data is not None:
        try:
            await save_self_assessment(actor, code, data)
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            errors = form_errors(exc).fields
    if errors:
        return await _form(request, actor, code, values, errors, 422)
    return Redirect(path=f"/penilaian-mandiri/{code}?saved=1")


@post(
    "/api/v1/units/{code:str}/self-assessment",
    guards=[token_required],
    tags=["inspection"],
    status_code=HTTP_201_CREATED,
)
async def self_assessment_api(
    actor: CurrentActor, code: FromPath[str], data: JSONBody[SelfAssessmentIn]
) -> dict[str, int]:
    """Record the unit's F-01 self-assessment for a year (the unit's own users)."""
    return {"id": await save_self_assessment(signed_in(actor), code, data)}


PAGE_ROUTES = [self_assessment_page, self_assessment_save]
API_ROUTES = [self_assessment_api]
