"""The audit log for admins and inspectors: filtered list, CSV export, and the chain check."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from litestar import Request, get
from litestar.response import Stream, Template

from core.audit.actions import action_label, entity_label
from core.audit.export import events_csv
from core.audit.service import AuditFilter, audit_facets, list_events, verify_chain
from core.errors import FieldError, ValidationFailed
from web.context import CurrentActor, page, signed_in
from web.forms import Form

PAGE_SIZE = 50
FILTER_FIELDS = ("user", "action", "entity", "entity_id", "since", "until")


def _filters(request: Request) -> tuple[AuditFilter, dict[str, str]]:
    """The filters in the query string; a malformed date is an error naming its field."""
    query = Form.of(request.query_params.dict())
    errors = [
        FieldError(name, "tanggal tidak valid (TTTT-BB-HH)")
        for name in ("since", "until")
        if query.one(name) and query.day(name) is None
    ]
    if errors:
        raise ValidationFailed(errors)
    offset = query.integer("offset") or 0
    return AuditFilter(
        actor=query.one("user") or None,
        action=query.one("action") or None,
        entity=query.one("entity") or None,
        entity_id=query.one("entity_id") or None,
        since=query.day("since"),
        until=query.day("until"),
        zone=request.app.state.settings.timezone,
        limit=PAGE_SIZE,
        offset=offset,
    ), query.values(*FILTER_FIELDS)


async def _render(
    request: Request, actor: CurrentActor, check: tuple[int, object] | None = None
) -> Template:
    actor = signed_in(actor)
    facets = await audit_facets(actor)
    try:
        filters, values = _filters(request)
        events = await list_events(actor, filters)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        filters, events, errors = AuditFilter(), [], exc.by_field()
        values = Form.of(request.query_params.dict()).values(*FILTER_FIELDS)
    chosen = urlencode({k: v for k, v in values.items() if v})
    return page(
        request,
        "audit/list.html",
        status_code=422 if errors else 200,
        events=events,
        filters=filters,
        values=values,
        errors=errors,
        facets=facets,
        query=chosen,
        newer=urlencode({**values, "offset": max(filters.offset - PAGE_SIZE, 0)}),
        older=urlencode({**values, "offset": filters.offset + PAGE_SIZE}),
        page_size=PAGE_SIZE,
        check=check,
        action_label=action_label,
        entity_label=entity_label,
    )


@get("/audit")
async def audit_list(request: Request, actor: CurrentActor) -> Template:
    """Newest events first, filtered by user, action, record (kind and id) and days."""
    return await _render(request, actor)


@get("/audit/verifikasi")
async def audit_verify(request: Request, actor: CurrentActor) -> Template:
    """Walk the whole chain against the latest signed checkpoint and show whether it is intact
    (or the first broken event and its action)."""
    data_dir = request.app.state.settings.data_dir
    checked, broken = await verify_chain(signed_in(actor), data_dir)
    return await _render(request, actor, check=(checked, broken))


@get("/audit.csv")
async def audit_csv(request: Request, actor: CurrentActor) -> Stream:
    """The events matching the filters, oldest first, every field and hash, as CSV."""
    filters, _ = _filters(request)
    chunks = events_csv(signed_in(actor), replace(filters, offset=0))
    return Stream(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="log-audit.csv"'},
    )


ROUTES = [audit_list, audit_verify, audit_csv]
