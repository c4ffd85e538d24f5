"""The audit log page for admins and inspectors."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from core.audit.actions import action_label, entity_label
from core.audit.service import AuditFilter, list_events
from web.context import CurrentActor, page, signed_in

PAGE_SIZE = 50


@get("/audit")
async def audit_list(
    request: Request,
    actor: CurrentActor,
    user: FromQuery[str | None] = None,
    entity: FromQuery[str | None] = None,
    action: FromQuery[str | None] = None,
    entity_id: FromQuery[str | None] = None,
    offset: FromQuery[int] = 0,
) -> Template:
    """Newest events first, filtered by user, record type, action or record id."""
    filters = AuditFilter(
        actor=user or None,
        entity=entity or None,
        action=action or None,
        entity_id=entity_id or None,
        limit=PAGE_SIZE,
        offset=max(offset, 0),
    )
    events = await list_events(signed_in(actor), filters)
    return page(
        request,
        "audit/list.html",
        events=events,
        filters=filters,
        page_size=PAGE_SIZE,
        action_label=action_label,
        entity_label=entity_label,
    )


ROUTES = [audit_list]
