"""The staff working page of a forum, and running one of its actions: a problem re-shows the page
with it next to its field (422) or on top (409)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template
from markupsafe import Markup

from core.accounts.policy import Actor
from core.errors import Conflict, ValidationFailed
from core.forums import documents, service
from core.forums.access import forum_access
from core.forums.labels import GROUP_LABELS, SIGNED_BERITA_ACARA
from core.forums.lifecycle import is_upcoming, upload_kinds
from core.forums.reads import cycle_choice, unit_names
from core.forums.stakeholders import list_stakeholders
from core.units.service import list_units
from web.forms import form_errors
from web.forums.common import NOTICES, core_field, done, forum_page

# Which section of the forum page holds each form (to point at after a problem).
FORM_ANCHORS = {
    "reschedule": "tindakan",
    "cancel": "tindakan",
    "invite": "undangan",
    "agreement": "kesepakatan",
    "minutes": "notulen",
    "upload": "dokumen",
}


async def staff_page(
    request: Request,
    actor: Actor,
    forum_id: int,
    *,
    status_code: int = 200,
    failed: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    alert: str = "",
) -> Template:
    """The working page of a forum, optionally with the problems of one of its forms."""
    forum = await service.get_forum(actor, forum_id)
    _, manage = await forum_access(actor, forum_id)
    invitations = await service.list_invitations(actor, forum_id)
    agreements = await service.list_agreements(actor, forum_id)
    docs = await documents.list_documents(actor, forum_id)
    inviting = manage and is_upcoming(forum.status)
    registry: dict[str, list[Any]] = {group: [] for group in GROUP_LABELS}
    if inviting:
        for person in await list_stakeholders(actor):
            registry.setdefault(person.group, []).append(person)
    names = await unit_names([*forum.units, *(a.owner_unit for a in agreements if a.owner_unit)])
    signed = [d.sha256 for d in docs if d.kind == SIGNED_BERITA_ACARA]
    return forum_page(
        request,
        "forums/detail.html",
        status_code=status_code,
        forum=forum,
        manage=manage,
        inviting=inviting,
        invitations=invitations,
        invited_ids={i.stakeholder for i in invitations},
        registry=registry,
        agreements=agreements,
        documents=docs,
        materials=[d for d in docs if d.kind == "material"],
        unit_names=names,
        unit_name_of=lambda code: names.get(code, code) if code else "",
        forum_hash=signed[-1] if signed else "",
        units=await list_units(actor, include_inactive=False) if manage else [],
        cycle=await cycle_choice(forum.cycle),
        notice=NOTICES.get(request.query_params.get("pesan") or "", ""),
        alert=alert,
        failed=failed,
        failed_anchor=FORM_ANCHORS.get(failed, ""),
        errors=errors or {},
        values=values or {},
        notulen_html=Markup(forum.notulen_html),
        upload_kinds=upload_kinds(forum.status, forum.locked),
    )


async def refused(
    request: Request,
    actor: Actor,
    forum_id: int,
    form: str,
    errors: dict[str, str],
    values: dict[str, Any],
) -> Template:
    """The forum page again (422) with one form's errors and what was typed in it."""
    return await staff_page(
        request, actor, forum_id, status_code=422, failed=form, errors=errors, values=values
    )


async def act(
    request: Request,
    actor: Actor,
    forum_id: int,
    form: str,
    values: dict[str, Any],
    action: Callable[[], Awaitable[Any]],
    notice: str,
    anchor: str = "",
) -> Template | Redirect:
    """Run one staff action; on a problem show the forum page again with it."""
    try:
        await action()
    except ValidationFailed as exc:
        return await refused(
            request, actor, forum_id, form, form_errors(exc, core_field).fields, values
        )
    except Conflict as exc:
        return await staff_page(request, actor, forum_id, status_code=409, alert=exc.message)
    return done(forum_id, notice, anchor)
