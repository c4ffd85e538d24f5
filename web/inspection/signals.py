"""The integrity signals page of a cycle, and the inspector's 'reviewed' form."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.policy import Actor
from core.errors import ValidationFailed
from core.inspection.signals import cycle_signals, review_signal
from core.surveys.labels import CHANNEL_LABELS
from web.context import CurrentActor, page, signed_in
from web.forms import form_errors, read_form


async def _page(
    request: Request, actor: Actor, cycle_id: int, errors: dict[str, str], code: str = ""
) -> Template:
    return page(
        request,
        "inspection/signals.html",
        status_code=422 if errors else 200,
        data=await cycle_signals(actor, cycle_id),
        channel_labels=CHANNEL_LABELS,
        errors=errors,
        failed=code,
        saved=request.query_params.get("saved", ""),
    )


@get("/sinyal/{cycle_id:int}")
async def signals_page(request: Request, actor: CurrentActor, cycle_id: FromPath[int]) -> Template:
    """Every integrity signal of a cycle with its count, threshold, sample and reviews."""
    return await _page(request, signed_in(actor), cycle_id, {})


@post("/sinyal/{cycle_id:int}/{code:str}")
async def signal_review(
    request: Request, actor: CurrentActor, cycle_id: FromPath[int], code: FromPath[str]
) -> Template | Redirect:
    """Mark a signal reviewed with a note (inspectors)."""
    actor = signed_in(actor)
    note = (await read_form(request)).text("note")
    try:
        await review_signal(actor, cycle_id, code, note)
    except ValidationFailed as exc:
        return await _page(request, actor, cycle_id, form_errors(exc).fields, code)
    return Redirect(path=f"/sinyal/{cycle_id}?saved={code}#{code}")


ROUTES = [signals_page, signal_review]
