"""The public forum pages (no log-in): upcoming and published forums, one forum, and the
invitee's personal RSVP link with their QR code for the door."""

from __future__ import annotations

from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.clock import utcnow
from core.errors import Conflict, NotFound, ValidationFailed
from core.forums import service
from core.forums.lifecycle import accepts_answers
from core.forums.public import InvitationView, invitation_view, public_forums
from web.context import CurrentActor
from web.forms import form_errors, read_form
from web.forums.common import checkin_url, forum_page, public_forum_page, qr_svg, svg_response


@get("/forum")
async def public_list(request: Request, actor: CurrentActor) -> Template:
    """Upcoming forums and those whose minutes are published; no log-in needed."""
    upcoming, published = await public_forums(utcnow())
    return forum_page(request, "forums/public_list.html", upcoming=upcoming, published=published)


async def _rsvpforum_page(
    request: Request,
    invitation: InvitationView,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    representative: str | None = None,
    alert: str = "",
) -> Template:
    response = forum_page(
        request,
        "forums/rsvp.html",
        status_code=status_code,
        invitation=invitation,
        forum=invitation.forum,
        open=accepts_answers(invitation.forum.status),
        saved=request.query_params.get("tersimpan") == "1",
        errors=errors or {},
        representative=invitation.representative if representative is None else representative,
        alert=alert,
        token_path=quote(invitation.token, safe=""),
        invitation_link=invitation.link,
    )
    response.set_header("Referrer-Policy", "no-referrer")
    response.set_header("Cache-Control", "private, no-store")
    return response


@get("/undangan/{token:str}")
async def rsvp_form(request: Request, actor: CurrentActor, token: FromPath[str]) -> Template:
    """An invitee's personal page: the forum, and hadir / tidak hadir / diwakilkan."""
    return await _rsvpforum_page(request, await invitation_view(token))


@post("/undangan/{token:str}")
async def rsvp_answer(
    request: Request, actor: CurrentActor, token: FromPath[str]
) -> Template | Redirect:
    """Record the invitee's answer (a 'tidak hadir' frees the seat for the waitlist)."""
    invitation = await invitation_view(token)
    form = await read_form(request)
    answer, representative = form.one("rsvp"), form.one("representative")
    try:
        await service.answer_invitation(token, answer, representative, actor)
    except ValidationFailed as exc:
        return await _rsvpforum_page(
            request,
            invitation,
            status_code=422,
            errors=form_errors(exc).fields,
            representative=representative,
        )
    except Conflict as exc:
        return await _rsvpforum_page(request, invitation, status_code=409, alert=exc.message)
    return Redirect(path=f"/undangan/{quote(token, safe='')}?tersimpan=1")


@get("/undangan/{token:str}/qr.svg")
async def rsvp_qr(request: Request, token: FromPath[str]) -> Response[bytes]:
    """The invitee's own QR code to show at the door (the link's token is the secret)."""
    invitation = await invitation_view(token)
    if invitation.waitlisted or not accepts_answers(invitation.forum.status):
        raise NotFound("Kode QR hanya untuk undangan forum terjadwal.")
    return svg_response(qr_svg(checkin_url(request, invitation.forum.id, token)))


@get("/forum/{forum_id:int}/publik")
async def forum_public(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """What the public sees of a forum (staff can check it here too)."""
    return await public_forum_page(request, forum_id)


ROUTES = [public_list, forum_public, rsvp_form, rsvp_answer, rsvp_qr]
