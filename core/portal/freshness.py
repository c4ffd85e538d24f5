"""Cache validators of the portal: derived from what was last published, so they change when
something is published (a cycle, its public report or picked saran, a forum announced or its
minutes, a plan or its progress and evidence, a service standard) or a unit is renamed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.forums.public import PUBLIC_STATUSES
from core.forums.tables import Forum
from core.plans.tables import Plan, PlanEvidence, PlanItem
from core.portal.plans import PUBLIC_PLAN_STATUSES
from core.reports.public_report import KIND as PUBLIC_KIND
from core.reports.tables import JobStatus, PublishedSaran, ReportJob
from core.surveys.tables import CycleStatus, SurveyCycle
from core.units.tables import ServiceStandard, Unit


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
        await _stamp(Plan, Plan.updated_at, Plan.status.is_in(list(PUBLIC_PLAN_STATUSES))),
        await _stamp(
            PlanItem, PlanItem.updated_at, PlanItem.plan.status.is_in(list(PUBLIC_PLAN_STATUSES))
        ),
        await _stamp(
            PlanEvidence,
            PlanEvidence.added_at,
            PlanEvidence.item.plan.status.is_in(list(PUBLIC_PLAN_STATUSES)),
        ),
        await _stamp(
            ServiceStandard, ServiceStandard.updated_at, ServiceStandard.set_on.is_not_null()
        ),
        await _stamp(PublishedSaran, PublishedSaran.picked_at, PublishedSaran.id > 0),
        await _stamp(
            ReportJob,
            ReportJob.finished_at,
            (ReportJob.kind == PUBLIC_KIND) & (ReportJob.status == JobStatus.done.value),
        ),
    ]
    moments = [_aware(last) for _, last in stamps if last is not None]
    tag = ";".join(f"{n}@{_aware(last).isoformat() if last else '-'}" for n, last in stamps)
    return Freshness(last_modified=max(moments) if moments else None, tag=tag)


def _aware(moment: datetime) -> datetime:
    """SQLite may hand back naive UTC times; make them aware."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
