"""The staff forum page and its actions: schedule, reschedule, cancel, invite, hold, agree, write
and publish the minutes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from core.accounts.policy import Actor
from core.forums import service
from core.forums.access import forum_access
from core.forums.schemas import AgreementIn, ForumPatch, InvitationsIn, MinutesIn
from web.context import CurrentActor, signed_in
from web.forms import read_form
from web.forums.common import (
    DATE_INVALID,
    local_zone,
    parse_date,
    parse_schedule,
    public_forum_page,
)
from web.forums.working import act, refused, staff_page


async def _move(
    request: Request,
    actor: Actor | None,
    forum_id: int,
    form: str,
    move: Callable[[Actor, int], Awaitable[Any]],
    notice: str,
) -> Template | Redirect:
    """A life-cycle button without fields: the move in core.forums.service, or the page with
    the reason it was refused."""
    actor = signed_in(actor)
    return await act(request, actor, forum_id, form, {}, lambda: move(actor, forum_id), notice)


@get("/forum/{forum_id:int}")
async def forum_detail(request: Request, actor: CurrentActor, forum_id: FromPath[int]) -> Template:
    """Staff see the working page; everyone else the public page (the iCal feeds link here)."""
    may_view, _ = await forum_access(actor, forum_id)
    if not may_view or actor is None:
        return await public_forum_page(request, forum_id)
    return await staff_page(request, actor, forum_id)


@post("/forum/{forum_id:int}/jadwalkan")
async def forum_schedule(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Draft → scheduled; the invitations go out."""
    return await _move(request, actor, forum_id, "schedule", service.schedule_forum, "dijadwalkan")


@post("/forum/{forum_id:int}/batalkan")
async def forum_cancel(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Cancel with a reason."""
    actor = signed_in(actor)
    reason = (await read_form(request)).text("reason")
    return await act(
        request,
        actor,
        forum_id,
        "cancel",
        {"reason": reason},
        lambda: service.cancel_forum(actor, forum_id, reason),
        "dibatalkan",
    )


@post("/forum/{forum_id:int}/ubah-jadwal")
async def forum_reschedule(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Move the forum (date, times, venue, link) with a reason; invitees are told."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = form.values("date", "start_time", "end_time", "venue", "link", "reason")
    errors: dict[str, str] = {}
    times = parse_schedule(form, local_zone(request), errors)
    if times is None:
        return await refused(request, actor, forum_id, "reschedule", errors, values)
    patch = ForumPatch(
        start=times[0],
        end=times[1],
        reason=values["reason"],
        **{k: values[k] for k in ("venue", "link") if k in form.data},
    )
    return await act(
        request,
        actor,
        forum_id,
        "reschedule",
        values,
        lambda: service.update_forum(actor, forum_id, patch),
        "diubah",
    )


@post("/forum/{forum_id:int}/berlangsung")
async def forum_hold(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Scheduled → held (needs recorded attendance)."""
    return await _move(request, actor, forum_id, "hold", service.hold_forum, "berlangsung")


@post("/forum/{forum_id:int}/terbitkan")
async def forum_publish(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Held → minutes published (needs an agreement or the 'no agreement' statement)."""
    return await _move(request, actor, forum_id, "publish", service.publish_minutes, "terbit")


@post("/forum/{forum_id:int}/undang")
async def forum_invite(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Invite chosen stakeholders, whole groups, or everyone related to a unit."""
    actor = signed_in(actor)
    form = await read_form(request)
    ids = [int(v) for v in form.many("stakeholders") if v.isdigit()]
    invitations = InvitationsIn(
        stakeholders=ids, groups=form.many("groups"), units=form.many("units")
    )
    return await act(
        request,
        actor,
        forum_id,
        "invite",
        {"stakeholders": ids, "groups": invitations.groups, "units": invitations.units},
        lambda: service.invite(actor, forum_id, invitations),
        "diundang",
        "undangan",
    )


@post("/forum/{forum_id:int}/kesepakatan")
async def forum_agreement(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Add the next numbered agreement."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = form.values("owner_unit", "owner_person", "due_date") | {"text": form.text("text")}
    due = parse_date(values["due_date"]) if values["due_date"] else None
    if values["due_date"] and due is None:
        return await refused(
            request, actor, forum_id, "agreement", {"due_date": DATE_INVALID}, values
        )
    agreement = AgreementIn(
        text=values["text"],
        owner_unit=values["owner_unit"] or None,
        owner_person=values["owner_person"],
        due_date=due,
    )
    return await act(
        request,
        actor,
        forum_id,
        "agreement",
        values,
        lambda: service.add_agreement(actor, forum_id, agreement),
        "kesepakatan",
        "kesepakatan",
    )


@post("/forum/{forum_id:int}/notulen")
async def forum_minutes(
    request: Request, actor: CurrentActor, forum_id: FromPath[int]
) -> Template | Redirect:
    """Save the notulen and the 'no agreement' statement."""
    actor = signed_in(actor)
    form = await read_form(request)
    values = {n: form.text(n) for n in ("notulen", "no_agreement_statement")}
    minutes = MinutesIn(**values)
    return await act(
        request,
        actor,
        forum_id,
        "minutes",
        values,
        lambda: service.save_minutes(actor, forum_id, minutes),
        "notulen",
        "notulen",
    )


ROUTES = [
    forum_detail,
    forum_schedule,
    forum_cancel,
    forum_reschedule,
    forum_hold,
    forum_publish,
    forum_invite,
    forum_agreement,
    forum_minutes,
]
