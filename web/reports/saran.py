"""The staff page where a unit picks the saran it publishes (curated text, names taken out)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.errors import DomainError
from core.reports.public_report import curate_saran
from core.reports.saran_picks import MAX_PICKS, MAX_TEXT, SaranPick, candidates
from core.surveys.cycles import cycle_row, get_cycle
from web.context import CurrentActor, page, signed_in
from web.forms import FormErrors, form_errors, read_form


def _path(cycle_id: int) -> str:
    return f"/cycles/{cycle_id}/laporan/saran-publik"


async def _page(
    request: Request,
    actor: Any,
    cycle_id: int,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Template:
    state = request.app.state
    return page(
        request,
        "reports/saran.html",
        status_code=status_code,
        cycle=await get_cycle(actor, state.settings, state.hooks, cycle_id),
        unit_id=(await cycle_row(actor, cycle_id))["unit"],
        candidates=await candidates(actor, cycle_id),
        errors=(errors or FormErrors()).fields,
        form_error=(errors or FormErrors()).form,
        saved=request.query_params.get("ok") == "disimpan",
        max_picks=MAX_PICKS,
        max_text=MAX_TEXT,
    )


@get("/cycles/{cycle_id:int}/laporan/saran-publik")
async def saran_page(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """Every saran of the cycle, with a box to publish it and the text to show."""
    return await _page(request, signed_in(actor), cycle_id)


@post("/cycles/{cycle_id:int}/laporan/saran-publik")
async def saran_save(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int]
) -> Template | Redirect:
    """Save the picked saran (the whole selection); a published cycle's public report follows."""
    actor = signed_in(actor)
    form = await read_form(request)
    picks = [
        SaranPick(response=int(value), text=form.text(f"text-{value}"))
        for value in form.many("pick")
        if value.isdigit()
    ]
    state = request.app.state
    try:
        await curate_saran(actor, state.settings, state.hooks, cycle_id, picks)
    except DomainError as exc:

        def field(name: str) -> str:  # picks[2].text → the textarea of that pick
            head, _, _rest = name.partition("].")
            number = head.removeprefix("picks[")
            return f"text-{picks[int(number)].response}" if number.isdigit() else name

        errors = form_errors(exc, field)
        return await _page(request, actor, cycle_id, errors, status_code=exc.status_code)
    return Redirect(path=f"{_path(cycle_id)}?ok=disimpan")


ROUTES = [saran_page, saran_save]
