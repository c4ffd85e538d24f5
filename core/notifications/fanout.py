"""The ``notify`` job: one delivery (and its ``deliver`` job) per recipient and channel."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from core.forums.tables import Forum, ForumStatus, ForumUnit, Invitation
from core.hooks import Hooks
from core.notifications.messages import EVENTS, format_date, format_span, render_message
from core.notifications.outgoing import queue_delivery
from core.notifications.recipients import (
    channel_address,
    staff_recipients,
    stakeholder_recipients,
    switched_off,
)
from core.settings import Settings

log = logging.getLogger(__name__)

# Events about the forum as a whole: its organisers (creator, unit operators) hear of them too.
STAFF_EVENTS = frozenset({"forum.invited", "forum.rescheduled", "forum.cancelled"})
FORUM_PATH = "/forum/{id}"
RSVP_PATH = "/undangan/{token}"


async def notify(payload: Mapping[str, Any], hooks: Hooks, settings: Settings) -> int:
    """The ``notify`` job: a delivery (and its ``deliver`` job) per recipient and channel.

    Runs inside the job's transaction. Returns how many deliveries were queued.
    """
    event = str(payload["event"])
    forum_id = int(payload["forum"])
    only = payload.get("invitations")
    if event not in EVENTS:
        log.warning("notify: no message templates for event %r; nothing sent", event)
        return 0
    forum = await Forum.select().where(Forum.id == forum_id).first()
    if forum is None:
        return 0
    expected = ForumStatus.cancelled if event == "forum.cancelled" else ForumStatus.scheduled
    if forum["status"] != expected.value:
        log.info("notify: forum %s is %s now; %s not sent", forum_id, forum["status"], event)
        return 0
    units = await ForumUnit.select(ForumUnit.unit, ForumUnit.unit.name.as_alias("name")).where(
        ForumUnit.forum == forum_id
    )
    unit_ids = [u["unit"] for u in units]
    recipients = await stakeholder_recipients(forum_id, only)
    invited = await Invitation.count().where(Invitation.forum == forum_id)
    if only is None and event in STAFF_EVENTS:
        recipients += await staff_recipients(forum, unit_ids)
    off = await switched_off(r.user_id for r in recipients if r.user_id)
    channels = hooks.notification_channels()
    lang = settings.locale
    base = settings.base_url
    forum_ctx = {
        "id": forum_id,
        "title": forum["title"],
        "when": format_span(forum["start_at"], forum["end_at"], forum["timezone"], lang),
        "date": format_date(forum["start_at"], forum["timezone"], lang),
        "venue": forum["venue"],
        "link": forum["link"],
        "format": forum["format"],
        "organisers": ", ".join(sorted(u["name"] for u in units)),
    }
    queued = 0
    for recipient in recipients:
        person = recipient.as_mapping()
        targets = []
        for code, channel in channels.items():
            if recipient.user_id and (recipient.user_id, code) in off:
                continue
            address = channel_address(channel, person)
            if address:
                targets.append((code, address))
        if not targets:
            continue
        path = FORUM_PATH.format(id=forum_id)
        rsvp_link = ""
        if recipient.kind == "stakeholder":
            rsvp_link = base + RSVP_PATH.format(token=recipient.extra["token"])
        context = {
            "event": event,
            "recipient": person,
            "forum": forum_ctx,
            "reason": forum["status_reason"],
            "rsvp_link": rsvp_link,
            "forum_link": base + path,
            "rsvp": recipient.extra.get("rsvp", ""),
            "waitlisted": recipient.extra.get("waitlisted", False),
            "invited": invited,
        }
        subject, body = render_message(event, lang, context)
        data = {
            "forum": forum_id,
            "forum_title": forum["title"],
            "start": forum["start_at"].isoformat(),
            "end": forum["end_at"].isoformat(),
            "timezone": forum["timezone"],
            "venue": forum["venue"],
            "online_link": forum["link"],
            "invitation": recipient.extra.get("invitation"),
            "rsvp_link": rsvp_link,
            "reason": forum["status_reason"],
            "link": rsvp_link or base + path,
            "path": "" if rsvp_link else path,
            "locale": lang,
            "recipient": person,
        }
        for code, address in targets:
            await queue_delivery(event, code, address, subject, body, data)
            queued += 1
    return queued
