"""Each user's choice of the channels they hear through (e-mail, in-app)."""

from __future__ import annotations

from collections.abc import Iterable

from core.accounts.policy import Actor
from core.audit.service import record
from core.db import atomic
from core.hooks import Hooks
from core.notifications.inbox import signed_in_user
from core.notifications.recipients import switched_off
from core.notifications.schemas import ChannelOption
from core.notifications.tables import ChannelChoice

# Channels a user can switch off on the preferences page.
USER_CHANNELS = ("email", "inapp")


async def channel_options(actor: Actor, hooks: Hooks) -> list[ChannelOption]:
    """The channels a user may switch (e-mail, in-app), each with its current state."""
    user_id = signed_in_user(actor)
    available = hooks.notification_channels()
    off = {c for _, c in await switched_off([user_id])}
    return [
        ChannelOption(code=code, label=available[code].label, enabled=code not in off)
        for code in USER_CHANNELS
        if code in available
    ]


async def save_channel_choices(actor: Actor, hooks: Hooks, enabled: Iterable[str]) -> None:
    """Turn the user's channels on or off: those in ``enabled`` on, the other choosable ones off."""
    user_id = signed_in_user(actor)
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
