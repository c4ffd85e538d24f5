"""The Laporan Hasil Tindak Lanjut of a plan (RTL): what was done for each item, with dates and
evidence, as PDF and DOCX, asked for and built through the report jobs like the SKM report.

Its content is also what the next period's Laporan Hasil SKM appends in its Lampiran.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.accounts.policy import Action, Actor
from core.errors import Conflict
from core.forums.tables import Agreement, Forum
from core.hooks import Hooks
from core.pdf import PdfUnavailable
from core.plans.kpi import FOLLOW_UP_KIND, indicator_9, months_between, published_on
from core.plans.lifecycle import ITEM_LABELS, PLAN_LABELS, ROLLUP_RULE
from core.plans.reads import TABLE_COLUMNS, plan_out, plan_row, plan_table
from core.plans.tables import Plan, PlanEvidence, PlanStatus
from core.reports import jobs
from core.reports.photos import photo_data_uri_of
from core.reports.tables import JobStatus, ReportJob
from core.settings import Settings
from core.surveys.periods import PERIOD_LABELS
from core.surveys.tables import SurveyCycle
from core.units.tables import Unit

KIND = FOLLOW_UP_KIND
LAYOUT_VERSION = 1
PHOTO_TYPES = ("image/png", "image/jpeg")
REPORTABLE = (PlanStatus.published.value, PlanStatus.closed.value)


@dataclass
class FollowUpItem:
    """One item (or sub-item, numbered 1.1) and what was done for it."""

    number: str
    unsur: str
    program: str
    waktu: str
    penanggung_jawab: str
    indicator: str
    status: str
    progress: int
    realised_on: date | None
    hambatan: str
    drop_reason: str
    agreements: list[str]
    evidence: list[dict[str, Any]]


@dataclass
class FollowUpContent:
    """Everything the Laporan Hasil Tindak Lanjut of one plan says."""

    plan_id: int
    cycle_id: int
    regency: str
    unit_code: str
    unit_name: str
    unit_address: str
    period_label: str
    year: int
    plan_status: str
    forum: str
    skm_published_on: date | None
    items: list[FollowUpItem]
    total: int
    done: int
    percent_done: float | None
    last_done_on: date | None
    months_to_complete: int | None
    indicator_9: str
    rollup_rule: str
    signature: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """sha256 of everything the documents show: equal content, equal documents."""
        data = json.dumps({"layout": LAYOUT_VERSION, **asdict(self)}, sort_keys=True, default=str)
        return hashlib.sha256(data.encode()).hexdigest()


@dataclass
class PlanSection:
    """The RTL table the Laporan Hasil SKM's BAB IV prints, with a sentence on where it stands."""

    columns: list[str]
    rows: list[list[str]]
    summary: str


def forum_day(forum: dict[str, Any]) -> date:
    """The local day a forum was held (in its own time zone)."""
    return forum["start_at"].astimezone(ZoneInfo(forum["timezone"])).date()


async def plan_section(cycle_id: int) -> PlanSection | None:
    """BAB IV's plan table when the cycle has a plan (None otherwise)."""
    rows = await plan_table(cycle_id)
    plan = await Plan.select(Plan.status, Plan.forum).where(Plan.cycle == cycle_id).first()
    if rows is None or plan is None:
        return None
    forum = None
    if plan["forum"] is not None:
        forum = await Forum.select().where(Forum.id == plan["forum"]).first()
    where = (
        f" dan disepakati dalam Forum Konsultasi Publik «{forum['title']}» pada "
        f"{forum_day(forum):%d-%m-%Y}"
        if forum
        else ""
    )
    summary = (
        f"Atas unsur prioritas di atas, unit menyusun rencana tindak lanjut{where}. "
        f"Status rencana: {PLAN_LABELS.get(plan['status'], plan['status'])}."
    )
    return PlanSection(columns=list(TABLE_COLUMNS), rows=[list(r) for r in rows], summary=summary)


def _evidence(e: Any, photo: str) -> dict[str, Any]:
    return {"photo": photo, "on": e.milestone_on, "title": e.title, "url": e.url, "filename": e.filename,
            "sha256": e.sha256, "size": e.size}  # fmt: skip


async def _agreements(ids: list[int]) -> dict[int, str]:
    rows = await Agreement.select(Agreement.id, Agreement.number, Agreement.text).where(
        Agreement.id.is_in(ids or [0])
    )
    return {r["id"]: f"Kesepakatan {r['number']}: {r['text']}" for r in rows}


async def _photos(data_dir: Path, evidence_ids: list[int]) -> dict[int, str]:
    """The stored photos among the evidence, as data: URIs (PDF and DOCX print them)."""
    rows = await PlanEvidence.select(PlanEvidence.id, PlanEvidence.path).where(
        PlanEvidence.id.is_in(evidence_ids or [0])
        & PlanEvidence.media_type.is_in(list(PHOTO_TYPES))
    )
    photos = {}
    for row in rows:
        path = (data_dir / row["path"]).resolve()
        if (data_dir / "plans").resolve() in path.parents and path.is_file():
            photos[row["id"]] = photo_data_uri_of(path)
    return photos


async def follow_up_content(cycle_id: int, data_dir: Path) -> FollowUpContent:
    """The report of the cycle's plan, read as the system (callers check access first)."""
    from core.reports.content import SIGNATURE_FIELDS, regency_name, unit_texts

    plan_id = (await Plan.select(Plan.id).where(Plan.cycle == cycle_id).first())["id"]
    plan = await plan_out(await plan_row(Actor.system(), plan_id))
    cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    unit = await Unit.select().where(Unit.id == cycle["unit"]).first()
    forum = await Forum.select().where(Forum.id == plan.forum).first() if plan.forum else None
    links = await _agreements(sorted({a for i in plan.items for a in i.agreements}))
    photos = await _photos(data_dir, [e.id for i in plan.items for e in i.evidence])
    items, number, sub = [], 0, 0
    for item in plan.items:
        if item.parent is None:
            number, sub = number + 1, 0
            label, unsur = str(number), f"{item.unsur} {item.unsur_name}".strip()
        else:
            sub += 1
            label, unsur = f"{number}.{sub}", ""
        pj = ", ".join(p for p in (item.penanggung_jawab["name"],
                                   item.penanggung_jawab["position"]) if p)  # fmt: skip
        items.append(FollowUpItem(
            number=label, unsur=unsur, program=item.program, waktu=item.waktu,
            penanggung_jawab=pj, indicator=item.indicator,
            status=ITEM_LABELS.get(item.status, item.status), progress=item.progress,
            realised_on=item.realised_on, hambatan=item.hambatan, drop_reason=item.drop_reason,
            agreements=[links[a] for a in item.agreements if a in links],
            evidence=[_evidence(e, photos.get(e.id, "")) for e in item.evidence],
        ))  # fmt: skip
    counted = [i for i in plan.items if i.parent is None and i.status != "dropped"]
    done = [i for i in counted if i.status == "done"]
    published = await published_on([cycle_id])
    months = None
    if counted and len(done) == len(counted) and published is not None:
        months = months_between(published, max(i.realised_on or published for i in done))
    texts = await unit_texts(cycle_id)
    forum_text = ""
    if forum is not None:
        forum_text = f"{forum['title']} ({forum_day(forum):%d-%m-%Y})"
    return FollowUpContent(
        plan_id=plan.id, cycle_id=cycle_id, regency=await regency_name(unit["id"]),
        unit_code=unit["code"], unit_name=unit["name"], unit_address=unit["address"],
        period_label=PERIOD_LABELS.get(cycle["period_type"], cycle["period_type"]),
        year=cycle["year"], plan_status=PLAN_LABELS.get(plan.status, plan.status),
        forum=forum_text, skm_published_on=published, items=items, total=len(counted),
        done=len(done), percent_done=round(100 * len(done) / len(counted), 1) if counted else None,
        last_done_on=max((i.realised_on for i in done if i.realised_on), default=None),
        months_to_complete=months, indicator_9=indicator_9(months), rollup_rule=ROLLUP_RULE,
        signature={k: "" if k == "tanggal" else str(texts["signature"].get(k, ""))
                   for k in SIGNATURE_FIELDS},
    )  # fmt: skip


def file_stem(content: FollowUpContent) -> str:
    """``laporan-tindak-lanjut-PKM-A-2026-triwulan-i`` style names for the downloads."""
    period = content.period_label.lower().replace(" ", "-")
    return f"laporan-tindak-lanjut-{content.unit_code}-{content.year}-{period}"


async def request_follow_up_report(actor: Actor, data_dir: Path, plan_id: int) -> int:
    """Queue the Laporan Hasil Tindak Lanjut of a published (or closed) plan; unchanged data
    returns the job that already made it."""
    plan = await plan_row(actor, plan_id, Action.manage_plans)
    if plan["status"] not in REPORTABLE:
        raise Conflict("Laporan hasil tindak lanjut dibuat setelah rencana diumumkan.")
    content = await follow_up_content(plan["cycle"], data_dir)
    return await jobs.request_job(actor, KIND, content.fingerprint(), cycle=plan["cycle"])


async def follow_up_jobs(actor: Actor, plan_id: int) -> list[jobs.JobOut]:
    """The plan's follow-up report jobs, newest first (the plan page's files and history)."""
    plan = await plan_row(actor, plan_id)
    return await jobs.cycle_jobs(actor, plan["cycle"], KIND)


async def previous_follow_up(cycle_id: int, data_dir: Path) -> FollowUpContent | None:
    """The Laporan Hasil Tindak Lanjut of the unit's previous period, once one was made."""
    cycle = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    earlier = await SurveyCycle.select(SurveyCycle.id).where(
        (SurveyCycle.unit == cycle["unit"]) & (SurveyCycle.end_date < cycle["start_date"])
    ).order_by(SurveyCycle.end_date, ascending=False)  # fmt: skip
    for row in earlier:
        if await Plan.exists().where(Plan.cycle == row["id"]):
            made = await ReportJob.exists().where(
                (ReportJob.kind == KIND) & (ReportJob.cycle == row["id"])
                & (ReportJob.status == JobStatus.done.value)
            )  # fmt: skip
            return await follow_up_content(row["id"], data_dir) if made else None
    return None


async def render_follow_up(
    settings: Settings, hooks: Hooks, row: dict[str, Any]
) -> tuple[str, list[tuple[str, str, bytes]], str]:
    """DOCX always; the PDF where WeasyPrint loads (else the job fails saying what to install)."""
    from core.reports.follow_up_docs import follow_up_docx, follow_up_html
    from core.reports.render import html_to_pdf

    content = await follow_up_content(int(row["cycle"]), settings.data_dir)
    stem = file_stem(content)
    files = [("docx", f"{stem}.docx", follow_up_docx(content))]
    error = ""
    try:
        files.insert(0, ("pdf", f"{stem}.pdf", html_to_pdf(follow_up_html(content))))
    except PdfUnavailable as exc:
        error = str(exc)
    return content.fingerprint(), files, error
