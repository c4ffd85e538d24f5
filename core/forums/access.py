"""Loading a forum for an actor (with the permission check), and the stakeholder columns every
list of invitees or attendees shows."""

from __future__ import annotations

from typing import Any

from core.accounts.policy import Action, Actor, can, require
from core.errors import NotFound
from core.forums.tables import Attendance, Forum, ForumUnit


async def organiser_ids(forum_id: int) -> list[int]:
    """The ids of a forum's organising units."""
    rows = await ForumUnit.select(ForumUnit.unit).where(ForumUnit.forum == forum_id)
    return [r["unit"] for r in rows]


def _may(actor: Actor, action: Action, unit_ids: list[int]) -> bool:
    return can(actor, action) or any(can(actor, action, u) for u in unit_ids)


async def forum_row(
    actor: Actor, forum_id: int, action: Action = Action.view_forums
) -> dict[str, Any]:
    """The forum's row; NotFound when the actor may not see it, PermissionDenied for ``action``."""
    row = await Forum.select().where(Forum.id == forum_id).first()
    if row is None:
        raise NotFound(f"Forum {forum_id} tidak ditemukan.")
    unit_ids = await organiser_ids(forum_id)
    if not _may(actor, Action.view_forums, unit_ids):
        raise NotFound(f"Forum {forum_id} tidak ditemukan.")
    if not _may(actor, action, unit_ids):
        require(actor, action)
    return row


async def forum_access(actor: Actor | None, forum_id: int) -> tuple[bool, bool]:
    """Whether the actor may see the forum's staff page, and whether they may manage it."""
    if actor is None:
        return False, False
    try:
        await forum_row(actor, forum_id)
    except NotFound:
        return False, False
    return True, _may(actor, Action.manage_forums, await organiser_ids(forum_id))


def person_columns(link: Any) -> tuple[Any, ...]:
    """Name, organisation and group of the stakeholder behind ``link`` (an Invitation or
    Attendance ``stakeholder`` foreign key), aliased as every list reads them."""
    return (
        link.name.as_alias("name"),
        link.organisation.as_alias("organisation"),
        link.group.as_alias("group"),
    )


async def present_ids(forum_id: int) -> set[int]:
    """The stakeholders recorded present at the forum."""
    rows = await Attendance.select(Attendance.stakeholder).where(Attendance.forum == forum_id)
    return {r["stakeholder"] for r in rows}
