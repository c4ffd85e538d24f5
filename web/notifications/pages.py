"""Notifications for staff: the in-app inbox, channel preferences and the delivery log."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core.notifications.delivery_log import delivery_facets, list_deliveries
from core.notifications.inbox import list_inbox, mark_read, unread_count
from core.notifications.labels import DELIVERY_STATUS_LABELS, EVENT_LABELS
from core.notifications.preferences import channel_options, save_channel_choices
from core.notifications.schemas import DeliveryFilter
from web.context import CurrentActor, page, signed_in
from web.forms import read_form

LOG_PAGE_SIZE = 50


@get("/kotak-masuk")
async def inbox(request: Request, actor: CurrentActor) -> Template:
    """The signed-in user's in-app messages, newest first."""
    actor = signed_in(actor)
    messages = await list_inbox(actor)
    return page(
        request,
        "notifications/inbox.html",
        messages=messages,
        unread=await unread_count(actor),
    )


@post("/kotak-masuk/{message_id:int}/dibaca")
async def inbox_mark_read(
    request: Request, actor: CurrentActor, message_id: FromPath[int]
) -> Redirect:
    """Mark one message read."""
    await mark_read(signed_in(actor), message_id)
    return Redirect(path="/kotak-masuk")


@post("/kotak-masuk/dibaca")
async def inbox_mark_all_read(request: Request, actor: CurrentActor) -> Redirect:
    """Mark every message read."""
    await mark_read(signed_in(actor))
    return Redirect(path="/kotak-masuk")


@get("/pengaturan/notifikasi")
async def preferences(request: Request, actor: CurrentActor) -> Template:
    """Which channels the user receives notifications through."""
    actor = signed_in(actor)
    options = await channel_options(actor, request.app.state.hooks)
    saved = request.query_params.get("tersimpan") == "1"
    return page(request, "notifications/preferences.html", options=options, saved=saved)


@post("/pengaturan/notifikasi")
async def preferences_save(request: Request, actor: CurrentActor) -> Redirect:
    """Save the checkboxes: a ticked ``channel_<code>`` is on, an unticked one off."""
    actor = signed_in(actor)
    form = await read_form(request)
    enabled = [
        key.removeprefix("channel_")
        for key in form.data
        if key.startswith("channel_") and form.flag(key)
    ]
    await save_channel_choices(actor, request.app.state.hooks, enabled)
    return Redirect(path="/pengaturan/notifikasi?tersimpan=1")


@get("/notifikasi/log")
async def delivery_log(
    request: Request,
    actor: CurrentActor,
    status: FromQuery[str | None] = None,
    channel: FromQuery[str | None] = None,
    event: FromQuery[str | None] = None,
    offset: FromQuery[int] = 0,
) -> Template:
    """Every delivery with its recipient, channel, event, status, attempts and error."""
    actor = signed_in(actor)
    filters = DeliveryFilter(
        status=status or None,
        channel=channel or None,
        event=event or None,
        limit=LOG_PAGE_SIZE,
        offset=max(offset, 0),
    )
    deliveries = await list_deliveries(actor, filters)
    return page(
        request,
        "notifications/log.html",
        deliveries=deliveries,
        filters=filters,
        facets=await delivery_facets(actor),
        page_size=LOG_PAGE_SIZE,
        status_labels=DELIVERY_STATUS_LABELS,
        event_labels=EVENT_LABELS,
        channel_labels={
            code: channel.label
            for code, channel in request.app.state.hooks.notification_channels().items()
        },
    )


ROUTES = [inbox, inbox_mark_read, inbox_mark_all_read, preferences, preferences_save, delivery_log]
