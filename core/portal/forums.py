"""A unit's public forums: upcoming ones and those whose minutes are published (through
:mod:`core.forums.public`, which decides what of a forum the public may read)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.clock import utcnow
from core.forums.public import PublicForum, public_forum
from core.forums.tables import Forum, ForumStatus, ForumUnit

UPCOMING = (ForumStatus.scheduled.value, ForumStatus.cancelled.value)
PUBLISHED = ForumStatus.minutes_published.value


@dataclass
class UnitForums:
    """Upcoming (or cancelled, still ahead) forums, soonest first; published minutes, newest first."""

    upcoming: list[PublicForum] = field(default_factory=list)
    published: list[PublicForum] = field(default_factory=list)


async def unit_forums(unit_id: int, limit: int = 20) -> UnitForums:
    """The forums a unit organises that the public may see."""
    now = utcnow()
    links = await ForumUnit.select(ForumUnit.forum).where(ForumUnit.unit == unit_id)
    ids = [link["forum"] for link in links]
    if not ids:
        return UnitForums()
    upcoming = (
        await Forum.select(Forum.id)
        .where(Forum.id.is_in(ids) & Forum.status.is_in(list(UPCOMING)) & (Forum.end_at >= now))
        .order_by(Forum.start_at)
        .limit(limit)
    )
    published = (
        await Forum.select(Forum.id)
        .where(Forum.id.is_in(ids) & (Forum.status == PUBLISHED))
        .order_by(Forum.start_at, ascending=False)
        .limit(limit)
    )
    return UnitForums(
        upcoming=[await public_forum(r["id"]) for r in upcoming],
        published=[await public_forum(r["id"]) for r in published],
    )
