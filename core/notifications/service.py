"""Who is told what through which channel: the ``notify`` and ``deliver`` jobs, inbox and log.

``notify`` (queued by the forum rules with the change that caused it) decides the recipients, renders
each message once and writes one :class:`Delivery` row per recipient and channel, each with its own
``deliver`` job, in the job's transaction. ``deliver`` sends one row through its channel; when the
channel raises, the job's transaction is rolled back and :func:`delivery_failed` records the
attempt, so the worker's retry with backoff can try again while the log shows what happened.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import anyio

from core.accounts.policy import Action, Actor, require
from core.accounts.tables import User, UserUnit
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import NotFound, PermissionDenied
from core.forums.tables import Forum, ForumStatus, ForumUnit, Invitation
from core.hooks import Hooks
from core.jobs.outbox import TASK_MAX_RETRIES, enqueue
from core.notifications.messages import EVENTS, format_date, format_span, render_message
from core.notifications.schemas import ChannelOption, DeliveryFilter, DeliveryOut, InboxItem
from core.notifications.tables import ChannelChoice, Delivery, InboxMessage
from core.plugin_api import NotificationChannel, OutgoingMessage
from core.settings import Settings

log = logging.getLogger(__name__)

# The first run plus every retry the worker makes: the last failure marks a delivery "failed".
MAX_ATTEMPTS = 1 + TASK_MAX_RETRIES
# Events about the forum as a whole: its organisers (creator, unit operators) hear of them too.
STAFF_EVENTS = frozenset({"forum.invited", "forum.rescheduled", "forum.cancelled"})
# Channels a user can switch off on the preferences page.
USER_CHANNELS = ("email", "inapp")
FORUM_PATH = "/forum/{id}"
RSVP_PATH = "/undangan/{token}"


class DeliveryStatus(StrEnum):
    """Where one delivery stands."""

    pending = "pending"
    sent = "sent"
    retrying = "retrying"
    failed = "failed"


@dataclass
class Recipient:
    """One person to tell, with what only their message needs (RSVP link, waitlist …)."""

    kind: str
    id: int
    name: str
    email: str = ""
    phone: str = ""
    user_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_mapping(self) -> dict[str, Any]:
        """The plain mapping channels see (``NotificationChannel.address``)."""
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "user_id": self.user_id,
        }


def _user_id(actor: Actor) -> int:
    """The signed-in user's id (the system actor has no inbox or preferences)."""
    if actor.user_id is None:
        raise PermissionDenied("Hanya untuk pengguna yang masuk.")
    return actor.user_id


def _loads(value: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value or "{}")
    return value or {}


# --- notify: recipients, rendering, one delivery per recipient and channel --------------------


async def _stakeholder_recipients(forum_id: int, only: list[int] | None) -> list[Recipient]:
    """Invitees of the forum (all, or the given invitations) who consented and are active."""
    query = Invitation.select(
        Invitation.id,
        Invitation.token,
        Invitation.rsvp,
        Invitation.waitlisted,
        Invitation.stakeholder,
        Invitation.stakeholder.name.as_alias("name"),
        Invitation.stakeholder.email.as_alias("email"),
        Invitation.stakeholder.phone.as_alias("phone"),
        Invitation.stakeholder.consent.as_alias("consent"),
        Invitation.stakeholder.active.as_alias("active"),
    ).where(Invitation.forum == forum_id)
    if only is not None:
        query = query.where(Invitation.id.is_in([int(i) for i in only] or [-1]))
    recipients = []
    for row in await query.order_by(Invitation.id):
        if not row["consent"] or not row["active"]:
            continue  # withdrawn consent or a retired record: they hear nothing from us
        recipients.append(
            Recipient(
                kind="stakeholder",
                id=row["stakeholder"],
                name=row["name"],
                email=row["email"] or "",
                phone=row["phone"] or "",
                extra={
                    "invitation": row["id"],
                    "token": row["token"],
                    "rsvp": row["rsvp"],
                    "waitlisted": bool(row["waitlisted"]),
                },
            )
        )
    return recipients


async def _staff_recipients(forum: Mapping[str, Any], unit_ids: list[int]) -> list[Recipient]:
    """The forum's creator and the users assigned to its organising units (active ones)."""
    user_ids = {forum["created_by"]} if forum["created_by"] else set()
    if unit_ids:
        rows = await UserUnit.select(UserUnit.user).where(UserUnit.unit.is_in(unit_ids))
        user_ids |= {r["user"] for r in rows}
    if not user_ids:
        return []
    users = await User.select(User.id, User.username, User.full_name, User.email).where(
        User.id.is_in(sorted(user_ids)) & User.active.eq(True)
    )
    return [
        Recipient(
            kind="user",
            id=u["id"],
            name=u["full_name"] or u["username"],
            email=u["email"] or "",
            user_id=u["id"],
        )
        for u in sorted(users, key=lambda u: u["id"])
    ]


async def _switched_off(user_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(user, channel) pairs a user turned off."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    rows = await ChannelChoice.select(ChannelChoice.user, ChannelChoice.channel).where(
        ChannelChoice.user.is_in(ids) & ChannelChoice.enabled.eq(False)
    )
    return {(r["user"], r["channel"]) for r in rows}


def _address(channel: NotificationChannel, recipient: Mapping[str, Any]) -> str | None:
    """The channel's address for the recipient; a channel whose address() breaks reaches no one."""
    try:
        value = channel.address(recipient)
    except Exception:  # a plugin's bug must not stop the other channels
        log.exception("address() of notification channel %r failed", channel.code)
        return None
    return (str(value).strip() or None) if value else None


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
    recipients = await _stakeholder_recipients(forum_id, only)
    invited = await Invitation.count().where(Invitation.forum == forum_id)
    if only is None and event in STAFF_EVENTS:
        recipients += await _staff_recipients(forum, unit_ids)
    off = await _switched_off(r.user_id for r in recipients if r.user_id)
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
            address = _address(channel, person)
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
            rows = await Delivery.insert(
                Delivery(
                    event=event,
                    channel=code,
                    recipient=address[:250],
                    subject=subject[:250],
                    body=body,
                    data=json.dumps(data, default=str),
                    status=DeliveryStatus.pending.value,
                    attempts=0,
                    error="",
                    created_at=utcnow(),
                )
            ).returning(Delivery.id)
            await enqueue("deliver", {"delivery": int(rows[0]["id"])})
            queued += 1
    return queued


# --- deliver: one send, its record, and the record of a failure -------------------------------


async def send_through(channel: NotificationChannel, message: OutgoingMessage) -> None:
    """Call a channel's send: awaited when it is a coroutine function, else in a thread."""
    if inspect.iscoroutinefunction(channel.send):
        await channel.send(message)
        return
    result = await anyio.to_thread.run_sync(channel.send, message)
    if inspect.isawaitable(result):
        await result


async def deliver(payload: Mapping[str, Any], hooks: Hooks) -> str:
    """The ``deliver`` job: send one delivery and mark it sent (a sent one is never re-sent)."""
    delivery_id = int(payload["delivery"])
    row = await Delivery.select().where(Delivery.id == delivery_id).first()
    if row is None:
        return "missing"
    if row["status"] in (DeliveryStatus.sent.value, DeliveryStatus.failed.value):
        return row["status"]
    channel = hooks.notification_channels().get(row["channel"])
    if channel is None:
        await Delivery.update(
            {
                Delivery.status: DeliveryStatus.failed.value,
                Delivery.attempts: row["attempts"] + 1,
                Delivery.error: f"kanal {row['channel']!r} tidak tersedia (plugin mati?)",
            }
        ).where(Delivery.id == delivery_id)
        return DeliveryStatus.failed.value
    data = dict(_loads(row["data"]))
    person = data.pop("recipient", {}) or {}
    message = OutgoingMessage(
        recipient=row["recipient"],
        subject=row["subject"],
        body=row["body"],
        event=row["event"],
        data={**data, "delivery": delivery_id},
        person=person,
    )
    await send_through(channel, message)
    await Delivery.update(
        {
            Delivery.status: DeliveryStatus.sent.value,
            Delivery.attempts: row["attempts"] + 1,
            Delivery.error: "",
            Delivery.sent_at: utcnow(),
        }
    ).where(Delivery.id == delivery_id)
    return DeliveryStatus.sent.value


async def delivery_failed(payload: Mapping[str, Any], exc: BaseException) -> None:
    """Record a failed send after its transaction was rolled back: attempts, error, status."""
    delivery_id = int(payload["delivery"])
    async with atomic():
        row = (
            await Delivery.select(Delivery.status, Delivery.attempts)
            .where(Delivery.id == delivery_id)
            .first()
        )
        if row is None or row["status"] == DeliveryStatus.sent.value:
            return
        attempts = row["attempts"] + 1
        status = DeliveryStatus.failed if attempts >= MAX_ATTEMPTS else DeliveryStatus.retrying
        error = f"{type(exc).__name__}: {exc}".strip()
        await Delivery.update(
            {
                Delivery.status: status.value,
                Delivery.attempts: attempts,
                Delivery.error: error[:2000],
            }
        ).where(Delivery.id == delivery_id)


JobHandler = Callable[[dict[str, Any]], Awaitable[None]]


def notification_handlers(hooks: Hooks, settings: Settings | None = None) -> dict[str, JobHandler]:
    """The ``notify`` and ``deliver`` job handlers bound to this process's plugins and settings."""

    async def notify_job(payload: dict[str, Any]) -> None:
        await notify(payload, hooks, settings or Settings.from_env())

    async def deliver_job(payload: dict[str, Any]) -> None:
        await deliver(payload, hooks)

    deliver_job.on_failure = delivery_failed  # type: ignore[attr-defined]
    return {"notify": notify_job, "deliver": deliver_job}


# --- the in-app inbox (the "inapp" channel writes here) ---------------------------------------


async def list_inbox(actor: Actor, limit: int = 100) -> list[InboxItem]:
    """The signed-in user's messages, newest first."""
    user_id = _user_id(actor)
    rows = (
        await InboxMessage.select()
        .where(InboxMessage.user == user_id)
        .order_by(InboxMessage.created_at, ascending=False)
        .order_by(InboxMessage.id, ascending=False)
        .limit(limit)
    )
    return [
        InboxItem(
            id=r["id"],
            subject=r["subject"],
            body=r["body"],
            link=r["link"],
            read=bool(r["read"]),
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def unread_count(actor: Actor) -> int:
    """How many of the user's messages are unread."""
    return await InboxMessage.count().where(
        (InboxMessage.user == _user_id(actor)) & InboxMessage.read.eq(False)
    )


async def mark_read(actor: Actor, message_id: int | None = None) -> int:
    """Mark one of the user's messages (or all of them) read; returns how many changed."""
    user_id = _user_id(actor)
    where = (InboxMessage.user == user_id) & InboxMessage.read.eq(False)
    if message_id is not None:
        if not await InboxMessage.exists().where(
            (InboxMessage.id == message_id) & (InboxMessage.user == user_id)
        ):
            raise NotFound("Pesan tidak ditemukan.")
        where = where & (InboxMessage.id == message_id)
    async with atomic():
        changed = await InboxMessage.count().where(where)
        await InboxMessage.update({InboxMessage.read: True}).where(where)
    return changed


# --- users' channel choices ------------------------------------------------------------------


async def channel_options(actor: Actor, hooks: Hooks) -> list[ChannelOption]:
    """The channels a user may switch (e-mail, in-app), each with its current state."""
    user_id = _user_id(actor)
    available = hooks.notification_channels()
    off = {c for _, c in await _switched_off([user_id])}
    return [
        ChannelOption(code=code, label=available[code].label, enabled=code not in off)
        for code in USER_CHANNELS
        if code in available
    ]


async def save_channel_choices(actor: Actor, hooks: Hooks, enabled: Iterable[str]) -> None:
    """Turn the user's channels on or off: those in ``enabled`` on, the other choosable ones off."""
    user_id = _user_id(actor)
    wanted = set(enabled)
    options = await channel_options(actor, hooks)
    async with atomic():
        for option in options:
            on = option.code in wanted
            existing = (
                await ChannelChoice.select(ChannelChoice.id)
                .where((ChannelChoice.user == user_id) & (ChannelChoice.channel == option.code))
                .first()
            )
            if existing is None:
                await ChannelChoice.insert(
                    ChannelChoice(user=user_id, channel=option.code, enabled=on)
                )
            else:
                await ChannelChoice.update({ChannelChoice.enabled: on}).where(
                    ChannelChoice.id == existing["id"]
                )
        await record(
            actor,
            "notification.channels_changed",
            "user",
            user_id,
            before={o.code: o.enabled for o in options},
            after={o.code: o.code in wanted for o in options},
        )


# --- the delivery log ------------------------------------------------------------------------


async def list_deliveries(actor: Actor, filters: DeliveryFilter) -> list[DeliveryOut]:
    """Deliveries newest first, narrowed by status, channel and event (admins and organisers)."""
    require(actor, Action.view_deliveries)
    query = Delivery.select().order_by(Delivery.id, ascending=False)
    if filters.status:
        query = query.where(Delivery.status == filters.status)
    if filters.channel:
        query = query.where(Delivery.channel == filters.channel)
    if filters.event:
        query = query.where(Delivery.event == filters.event)
    rows = await query.limit(max(1, min(filters.limit, 500))).offset(max(filters.offset, 0))
    out = []
    for r in rows:
        person = _loads(r["data"]).get("recipient") or {}
        out.append(
            DeliveryOut(
                id=r["id"],
                event=r["event"],
                channel=r["channel"],
                recipient=r["recipient"],
                recipient_name=str(person.get("name", "")),
                recipient_kind=str(person.get("kind", "")),
                subject=r["subject"],
                status=r["status"],
                attempts=r["attempts"],
                error=r["error"],
                created_at=r["created_at"],
                sent_at=r["sent_at"],
            )
        )
    return out


async def delivery_facets(actor: Actor) -> dict[str, list[str]]:
    """The channels and events that occur in the log (for the filter menus)."""
    require(actor, Action.view_deliveries)
    channels = await Delivery.select(Delivery.channel).distinct().order_by(Delivery.channel)
    events = await Delivery.select(Delivery.event).distinct().order_by(Delivery.event)
    return {
        "status": [s.value for s in DeliveryStatus],
        "channel": [r["channel"] for r in channels],
        "event": [r["event"] for r in events],
    }
