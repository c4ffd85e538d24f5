"""Who hears of a forum event: its invitees and organisers, and the channels they turned off."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.accounts.tables import User, UserUnit
from core.forums.tables import Invitation
from core.notifications.tables import ChannelChoice
from core.plugin_api import NotificationChannel

log = logging.getLogger(__name__)


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


async def stakeholder_recipients(forum_id: int, only: list[int] | None) -> list[Recipient]:
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


async def staff_recipients(forum: Mapping[str, Any], unit_ids: list[int]) -> list[Recipient]:
    """The forum's creator and the users assigned to its organising units (active ones)."""
    user_ids = {forum["created_by"]} if forum["created_by"] else set()
    if unit_ids:
        rows = await UserUnit.select(UserUnit.user).where(UserUnit.unit.is_in(unit_ids))
        user_ids |= {r["user"] for r in rows}
    return await user_recipients(user_ids)


async def user_recipients(user_ids: Iterable[int]) -> list[Recipient]:
    """The active ones of these users as recipients, by id."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return []
    users = await User.select(User.id, User.username, User.full_name, User.email).where(
        User.id.is_in(wanted) & User.active.eq(True)
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


async def switched_off(user_ids: Iterable[int]) -> set[tuple[int, str]]:
    """(user, channel) pairs a user turned off."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    rows = await ChannelChoice.select(ChannelChoice.user, ChannelChoice.channel).where(
        ChannelChoice.user.is_in(ids) & ChannelChoice.enabled.eq(False)
    )
    return {(r["user"], r["channel"]) for r in rows}


def channel_address(channel: NotificationChannel, recipient: Mapping[str, Any]) -> str | None:
    """The channel's address for the recipient; a channel whose address() breaks reaches no one."""
    try:
        value = channel.address(recipient)
    except Exception:  # a plugin's bug must not stop the other channels
        log.exception("address() of notification channel %r failed", channel.code)
        return None
    return (str(value).strip() or None) if value else None
