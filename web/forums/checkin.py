"""Check-in at the door: the notulis's tablet (search, tap a name, add a walk-in) and the QR
code of each invitation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.policy import Actor
from core.errors import Conflict, ValidationFailed
from core.forums import attendance, service
from core.forums.invitations import invitation_token
from core.forums.schemas import AttendanceIn, StakeholderIn
from web.context import CurrentActor, signed_in
from web.forms import form_errors, read_form
from web.forums.common import checkin_url, forum_page, qr_svg, svg_response

WALK_IN_FIELDS = ("name", "organisation", "position", "group", "phone", "email")


async def checkin_page(
    request: Request,
    actor: Actor,
    forum_id: int,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    alert: str = "",
) -> Template:
    """The check-in screen, optionally with a problem."""
    forum = await service.get_forum(actor, forum_id)
    search = request.query_params.get("q") or ""
    rows = await attendance.checkin_list(actor, forum_id, search)
    just = request.query_params.get("hadir") or ""
    name = await attendance.stakeholder_name(int(just)) if just.isdigit() else ""
    undone = request.query_params.get("batal") or ""
    return forum_page(
        request,
        "forums/checkin.html",
        status_code=status_code,
        forum=forum,
        rows=rows,
        q=search,
        present=sum(1 for r in rows if r.present) if not search else None,
        just_name=name,
        just_id=int(just) if just.isdigit() else None,
        undone_name=await attendance.stakeholder_name(int(undone)) if undone.isdigit() else "",
        known=request.query_params.get("terdaftar") == "1",
        errors=errors or {},
        values=values or {},
        alert=alert,
    )


@get("/forum/{forum_id:int}/hadir")
async def checkin_screen(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template:
    """The notulis's tablet: search, tap a name to record them present, or add a walk-in."""
    return await checkin_page(request, signed_in(actor), forum_id)


def _back_to_checkin(
    forum_id: int, stakeholder: int, q: str, extra: str = "", key: str = "hadir"
) -> Redirect:
    query = urlencode({k: v for k, v in (("q", q), (key, str(stakeholder))) if v})
    return Redirect(path=f"/forum/{forum_id}/hadir?{query}{extra}#p{stakeholder}")


async def _tapped(
    request: Request,
    actor: Actor | None,
    forum_id: int,
    change: Callable[[Actor, int], Awaitable[Any]],
    key: str,
) -> Template | Redirect:
    """A name tapped on the check-in screen: change its attendance, then back to that name."""
    actor = signed_in(actor)
    form = await read_form(request)
    stakeholder = form.integer("stakeholder")
    if stakeholder is None:
        raise ValidationFailed.single("stakeholder", "pilih peserta")
    try:
        await change(actor, stakeholder)
    except Conflict as exc:
        return await checkin_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return _back_to_checkin(forum_id, stakeholder, form.one("q"), key=key)


@post("/forum/{forum_id:int}/hadir")
async def checkin_tap(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """A tapped name is recorded present."""

    async def present(actor: Actor, stakeholder: int) -> None:
        await service.check_in(actor, forum_id, AttendanceIn(stakeholder=stakeholder), "tap")

    return await _tapped(request, actor, forum_id, present, "hadir")


@post("/forum/{forum_id:int}/hadir/batal")
async def checkin_undo(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Take back a check-in recorded by mistake (audited)."""

    async def undo(actor: Actor, stakeholder: int) -> None:
        await attendance.undo_check_in(actor, forum_id, stakeholder)

    return await _tapped(request, actor, forum_id, undo, "batal")


@post("/forum/{forum_id:int}/hadir/baru")
async def checkin_walk_in(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Someone without an invitation: joins the registry (or is found in it) and is present."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = form.values(*WALK_IN_FIELDS)
    consent = form.one("consent") == "1"
    person = StakeholderIn(**values, consent=consent)
    try:
        stakeholder, known = await attendance.check_in_walk_in(actor, forum_id, person)
    except ValidationFailed as exc:
        return await checkin_page(
            request,
            actor,
            forum_id,
            status_code=422,
            errors=form_errors(exc).fields,
            values={**values, "consent": "1" if consent else ""},
        )
    except Conflict as exc:
        return await checkin_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return _back_to_checkin(forum_id, stakeholder, "", "&terdaftar=1" if known else "")


@get("/forum/{forum_id:int}/undangan/{invitation_id:int}/qr.svg")
async def invitation_qr(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], invitation_id: FromPath[int]
) -> Response[bytes]:
    """An invitation's QR code (SVG): the check-in link for staff to scan at the door."""
    token = await invitation_token(signed_in(actor), forum_id, invitation_id)
    return svg_response(qr_svg(checkin_url(request, forum_id, token)))


async def _qr_page(
    request: Request,
    actor: Actor,
    forum_id: int,
    token: str,
    status_code: int = 200,
    alert: str = "",
) -> Template:
    person = await attendance.invitation_for_token(actor, forum_id, token)
    forum = await service.get_forum(actor, forum_id)
    response = forum_page(
        request,
        "forums/qr_checkin.html",
        status_code=status_code,
        forum=forum,
        person=person,
        token=token,
        alert=alert,
    )
    response.set_header("Referrer-Policy", "no-referrer")
    return response


@get("/forum/{forum_id:int}/checkin/{token:str}")
async def qr_checkin_confirm(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], token: FromPath[str]
) -> Template:
    """A scanned QR code: who it is, and a button to record them present (nothing changes yet)."""
    return await _qr_page(request, signed_in(actor), forum_id, token)


@post("/forum/{forum_id:int}/checkin/{token:str}")
async def qr_checkin(
    request: Request, actor: CurrentActor, forum_id: FromPath[int], token: FromPath[str]
) -> Template | Redirect:
    """Record the QR code's invitee present."""
    actor = signed_in(actor)
    person = await attendance.invitation_for_token(actor, forum_id, token)
    try:
        await service.check_in(actor, forum_id, AttendanceIn(invitation_token=token))
    except Conflict as exc:
        return await _qr_page(request, actor, forum_id, token, 409, exc.message)
    return _back_to_checkin(forum_id, person.stakeholder, "")


ROUTES = [
    checkin_screen,
    checkin_tap,
    checkin_undo,
    checkin_walk_in,
    invitation_qr,
    qr_checkin_confirm,
    qr_checkin,
]
