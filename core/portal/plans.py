"""A unit's published RTL as the public reads it: «kami mendengar, kami bertindak».

Only a published (or closed) plan appears. Of each item the public sees the topic citizens raised
(the unsur and how many saran spoke of it — never their text), what the unit does, when, its
status, progress and dated evidence. A stored evidence file is served only for such a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from core.plans.lifecycle import ITEM_LABELS, PLAN_LABELS, ROLLUP_RULE
from core.plans.reads import plan_out
from core.plans.schemas import EvidenceOut, PlanItemOut
from core.plans.tables import ItemStatus, Plan, PlanEvidence, PlanStatus

PUBLIC_PLAN_STATUSES = (PlanStatus.published.value, PlanStatus.closed.value)


@dataclass(frozen=True)
class PublicEvidence:
    """A milestone's proof: a link, or a stored file the portal serves (see ``href``)."""

    id: int
    milestone_on: date
    title: str
    url: str
    filename: str

    def href(self, unit_code: str) -> str:
        """Where the public opens it."""
        return self.url or f"/transparansi/unit/{unit_code}/bukti/{self.id}"


@dataclass(frozen=True)
class PublicItem:
    """One action of a published plan, without the saran text it came from."""

    number: str
    unsur: str
    unsur_name: str
    konversi: float | None
    mutu: str
    saran_count: int
    program: str
    waktu: str
    indicator: str
    status: str
    status_label: str
    progress: int
    realised_on: date | None
    evidence: tuple[PublicEvidence, ...]
    sub: bool


@dataclass(frozen=True)
class PublicPlan:
    """A unit's published RTL for one cycle."""

    id: int
    cycle: int
    status: str
    status_label: str
    forum: int | None
    published_on: date | None
    items: tuple[PublicItem, ...]
    rollup_rule: str = ROLLUP_RULE

    @property
    def top(self) -> list[PublicItem]:
        """The items that are not sub-items."""
        return [i for i in self.items if not i.sub]

    @property
    def progress(self) -> int | None:
        """The mean progress of the items not dropped (None when every item was dropped)."""
        counted = [i.progress for i in self.top if i.status != ItemStatus.dropped.value]
        return round(sum(counted) / len(counted)) if counted else None

    @property
    def done(self) -> int:
        """Items done."""
        return sum(i.status == ItemStatus.done.value for i in self.top)


def _evidence(rows: list[EvidenceOut]) -> tuple[PublicEvidence, ...]:
    return tuple(PublicEvidence(e.id, e.milestone_on, e.title, e.url, e.filename) for e in rows)


def _items(items: list[PlanItemOut]) -> tuple[PublicItem, ...]:
    out: list[PublicItem] = []
    number, sub = 0, 0
    for item in items:
        if item.parent is None:
            number, sub = number + 1, 0
            label = str(number)
        else:
            sub += 1
            label = f"{number}.{sub}"
        out.append(
            PublicItem(
                number=label,
                unsur=item.unsur,
                unsur_name=item.unsur_name,
                konversi=item.konversi,
                mutu=item.mutu,
                saran_count=len(item.saran),
                program=item.program,
                waktu=item.waktu,
                indicator=item.indicator,
                status=item.status,
                status_label=ITEM_LABELS.get(item.status, item.status),
                progress=item.progress,
                realised_on=item.realised_on,
                evidence=_evidence(item.evidence),
                sub=item.parent is not None,
            )
        )
    return tuple(out)


async def published_plans(unit_id: int) -> list[PublicPlan]:
    """A unit's published or closed plans, newest cycle first."""
    rows = (
        await Plan.select()
        .where((Plan.unit == unit_id) & Plan.status.is_in(list(PUBLIC_PLAN_STATUSES)))
        .order_by(Plan.cycle, ascending=False)
    )
    plans = []
    for row in rows:
        plan = await plan_out(row)
        plans.append(
            PublicPlan(
                id=plan.id,
                cycle=plan.cycle,
                status=plan.status,
                status_label=PLAN_LABELS.get(plan.status, plan.status),
                forum=plan.forum,
                published_on=plan.published_at.date() if plan.published_at else None,
                items=_items(plan.items),
            )
        )
    return plans


async def evidence_file(data_dir: Path, unit_id: int, evidence_id: int) -> tuple[Path, str, str]:
    """A stored evidence file of a unit's published plan: (path, download name, media type).

    Raises LookupError for a link, another unit's evidence or an unpublished plan.
    """
    row = (
        await PlanEvidence.select(
            PlanEvidence.path,
            PlanEvidence.filename,
            PlanEvidence.media_type,
            PlanEvidence.item.plan.unit.as_alias("unit"),
            PlanEvidence.item.plan.status.as_alias("status"),
        )
        .where(PlanEvidence.id == evidence_id)
        .first()
    )
    if (
        row is None
        or not row["path"]
        or row["unit"] != unit_id
        or row["status"] not in PUBLIC_PLAN_STATUSES
    ):
        raise LookupError(evidence_id)
    root = (data_dir / "plans").resolve()
    path = (data_dir / row["path"]).resolve()
    if root not in path.parents or not path.is_file():
        raise LookupError(evidence_id)
    return path, row["filename"] or path.name, row["media_type"]
