"""The unit questionnaire editor: reword U1..U9, add or drop the unit's own U10..U20, see versions."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.accounts.policy import Action, Actor, can
from core.errors import ValidationFailed
from core.surveys.questionnaires import (
    EXTRA_CODES,
    STANDARD_CODES,
    current_items,
    questionnaire_versions,
    save_questionnaire,
)
from core.surveys.schemas import UnsurItem
from core.units.service import unit_by_code
from web.context import CurrentActor, page, signed_in
from web.forms import Form, form_errors, read_form
from web.surveys.common import deps, survey_context

LABEL_COUNT = 4


async def _editor(
    request: Request,
    actor: Actor,
    code: str,
    *,
    items: list[UnsurItem] | None = None,
    errors: dict[str, str] | None = None,
    shown_version: int | None = None,
    status_code: int = 200,
) -> Template:
    _, hooks = deps(request)
    unit = await unit_by_code(actor, code)
    versions = await questionnaire_versions(actor, code)
    items = items if items is not None else await current_items(hooks, unit.id)
    used = {item.code for item in items}
    return page(
        request,
        "surveys/questionnaire.html",
        status_code=status_code,
        **survey_context(
            unit=unit,
            items=items,
            standard_codes=STANDARD_CODES,
            free_codes=[c for c in EXTRA_CODES if c not in used],
            versions=versions,
            shown=next((v for v in versions if v.number == shown_version), None),
            errors=errors or {},
            can_edit=can(actor, Action.manage_cycles, unit.id),
            saved=request.query_params.get("ok") == "disimpan",
        ),
    )


@get("/units/{code:str}/kuesioner")
async def questionnaire_page(
    request: Request,
    actor: CurrentActor,
    code: FromPath[str],
    versi: FromQuery[str | None] = None,
) -> Template:
    """The questions a new cycle of the unit will ask, its versions, and (for managers) the editor."""
    shown = Form.of({"v": versi or ""}).integer("v")
    return await _editor(request, signed_in(actor), code, shown_version=shown)


def _item(form: Form, code: str, name: str) -> UnsurItem:
    return UnsurItem(
        code=code,
        name=name,
        question=form.text(f"{code}.question"),
        labels=[form.one(f"{code}.label{n}") for n in range(1, LABEL_COUNT + 1)],
    )


def _posted_items(form: Form, current: list[UnsurItem]) -> list[UnsurItem]:
    """The questionnaire as submitted: U1..U9 keep their names (not editable here), the unit's
    own unsur unless ticked for removal, and the new row when anything was written in it."""
    names = {item.code: item.name for item in current}
    items = [_item(form, code, names.get(code, code)) for code in STANDARD_CODES]
    for code in form.many("extra"):
        if not form.flag(f"{code}.hapus"):
            items.append(_item(form, code, form.one(f"{code}.name")))
    new_code = form.one("new.code")
    if new_code and (form.one("new.name") or form.text("new.question")):
        new = Form(
            {
                f"{new_code}.{field}": form.data.get(f"new.{field}", [])
                for field in ("question", *(f"label{n}" for n in range(1, LABEL_COUNT + 1)))
            }
        )
        items.append(_item(new, new_code, form.one("new.name")))
    return items


@post("/units/{code:str}/kuesioner")
async def questionnaire_save(
    request: Request, actor: CurrentActor, code: FromPath[str]
) -> Template | Redirect:
    """Store a new version; cycles already opened keep the version they opened with."""
    _, hooks = deps(request)
    actor = signed_in(actor)
    unit = await unit_by_code(actor, code)
    items = _posted_items(await read_form(request), await current_items(hooks, unit.id))
    try:
        await save_questionnaire(actor, hooks, code, items)
    except ValidationFailed as exc:
        errors: dict[str, Any] = form_errors(exc).fields
        return await _editor(request, actor, code, items=items, errors=errors, status_code=422)
    return Redirect(path=f"/units/{code}/kuesioner?ok=disimpan")


ROUTES = [questionnaire_page, questionnaire_save]
