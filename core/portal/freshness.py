"""Cache validators of the portal: derived from what was last published, so they change when
something is published (a cycle, a forum announced or its minutes) or a unit is renamed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.forums.public import PUBLIC_STATUSES
from core.forums.tables import Forum
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import Unit


@dataclass(frozen=True)
class Freshness:
    """The moment the public data last changed and a validator that changes with it."""

    last_modified: datetime | None
    tag: str

    def etag(self, variant: str = "") -> str:
        """A strong ETag for one representation (``variant``: locale, format …)."""
        digest = hashlib.sha256(f"{self.tag}|{variant}".encode()).hexdigest()[:32]
        return f'"{digest}"'


async def _stamp(table: Any, column: Any, where: Any) -> tuple[int, datetime | None]:
    """How many rows match and the latest change among them (read through the column, so both
    databases hand back a datetime)."""
    count = await table.count().where(where)
    last = await table.select(column).where(where).order_by(column, ascending=False).first()
    return int(count), (last or {}).get(column._meta.name)


async def freshness() -> Freshness:
    """What the public data looks like now: counts and last change times of what is public."""
    stamps = [
        await _stamp(
            SurveyCycle,
            SurveyCycle.updated_at,
            SurveyCycle.status == CycleStatus.published.value,
        ),
        await _stamp(Forum, Forum.updated_at, Forum.status.is_in(list(PUBLIC_STATUSES))),
        await _stamp(Unit, Unit.updated_at, Unit.active.eq(True)),
    ]
    moments = [_aware(last) for _, last in stamps if last is not None]
    tag = ";".join(f"{n}@{_aware(last).isoformat() if last else '-'}" for n, last in stamps)
    return Freshness(last_modified=max(moments) if moments else None, tag=tag)


def _aware(moment: datetime) -> datetime:
    """SQLite may hand back naive UTC times; make them aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
