"""The public version of a published cycle's Laporan Hasil SKM: the same report from the same
template, without saran text (except the saran the unit picked, ``saran_picks``) and without the
per-respondent rows of Lampiran 2 — only aggregates. Made by a report job of its own kind (PDF
only), asked for when a cycle is published or its picked saran change.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from core.accounts.policy import Actor
from core.db import atomic
from core.hooks import Hooks
from core.jobs.outbox import enqueue
from core.jobs.tables import OutboxJob
from core.pdf import PdfUnavailable
from core.reports import jobs
from core.reports.content import CycleReportContent, cycle_report_content, unit_texts
from core.reports.narrative import write_narrative
from core.reports.render import file_stem, html_to_pdf, report_document
from core.reports.saran_picks import SaranPick, published_saran, save_picks
from core.reports.tables import JobStatus, ReportArtifact, ReportJob
from core.settings import Settings
from core.surveys.tables import CycleStatus, SurveyCycle

KIND = "public"
REQUEST_JOB = "report.public"
"""The outbox job a publication enqueues: the worker then asks for the public report."""


async def public_content(settings: Settings, hooks: Hooks, cycle_id: int) -> CycleReportContent:
    """The report's content as the public version shows it."""
    full = await cycle_report_content(Actor.system(), settings, hooks, cycle_id)
    content = replace(
        full,
        saran=[],
        saran_by_unsur={},
        processing=replace(full.processing, rows=[]),
        responses=[],
        public=True,
        published_saran=await published_saran(cycle_id),
    )
    content.narrative = write_narrative(content, await unit_texts(cycle_id))
    return content


async def request_public_report(settings: Settings, hooks: Hooks, cycle_id: int) -> int | None:
    """Queue the public report of a published cycle (None for a cycle not published)."""
    row = await SurveyCycle.select(SurveyCycle.status).where(SurveyCycle.id == cycle_id).first()
    if row is None or row["status"] != CycleStatus.published.value:
        return None
    content = await public_content(settings, hooks, cycle_id)
    return await jobs.request_job(Actor.system(), KIND, content.fingerprint(), cycle=cycle_id)


async def ask_after_publication(cycle_id: int) -> None:
    """Enqueue the request of a cycle's public report (call in the transaction publishing it)."""
    await enqueue(REQUEST_JOB, {"cycle": int(cycle_id)})


async def queue_missing_public_reports() -> int:
    """Ask for the public report of every published cycle that never had one (cycles published
    before public reports existed); how many. Idempotent: a cycle with a public report job of any
    status, or whose request is still in the outbox, is left alone."""
    published = await SurveyCycle.select(SurveyCycle.id).where(
        SurveyCycle.status == CycleStatus.published.value
    )
    made = await ReportJob.select(ReportJob.cycle).where(ReportJob.kind == KIND)
    waiting = await OutboxJob.select(OutboxJob.payload).where(
        (OutboxJob.kind == REQUEST_JOB) & OutboxJob.done_at.is_null()
    )
    asked = {
        int((json.loads(r["payload"]) if isinstance(r["payload"], str) else r["payload"])["cycle"])
        for r in waiting
    }
    missing = sorted({r["id"] for r in published} - {r["cycle"] for r in made} - asked)
    async with atomic():
        for cycle_id in missing:
            await ask_after_publication(cycle_id)
    return len(missing)


def request_handler(
    hooks: Hooks, settings: Settings | None
) -> Callable[[dict[str, Any]], Awaitable[None]]:
    """The outbox handler of ``REQUEST_JOB``."""

    async def handle(payload: dict[str, Any]) -> None:
        await request_public_report(settings or Settings.from_env(), hooks, int(payload["cycle"]))

    return handle


async def render_public(
    settings: Settings, hooks: Hooks, row: dict[str, Any]
) -> tuple[str, list[tuple[str, str, bytes]], str]:
    """The public PDF; without WeasyPrint the job fails with what to install."""
    content = await public_content(settings, hooks, int(row["cycle"]))
    try:
        pdf = html_to_pdf(report_document(content))
    except PdfUnavailable as exc:
        return content.fingerprint(), [], str(exc)
    return content.fingerprint(), [("pdf", f"{file_stem(content)}-publik.pdf", pdf)], ""


async def curate_saran(
    actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int, picks: list[SaranPick]
) -> int:
    """Save the picked saran and, for a published cycle, ask for its public report again."""
    count = await save_picks(actor, cycle_id, picks)
    await request_public_report(settings, hooks, cycle_id)
    return count


async def public_report_job(cycle_id: int) -> tuple[int, str] | None:
    """The newest finished public report of a published cycle: (job id, PDF sha256), or None."""
    cycle = await SurveyCycle.select(SurveyCycle.status).where(SurveyCycle.id == cycle_id).first()
    if cycle is None or cycle["status"] != CycleStatus.published.value:
        return None
    row = (
        await ReportArtifact.select(ReportArtifact.job, ReportArtifact.sha256)
        .where(
            (ReportArtifact.format == "pdf")
            & (ReportArtifact.job.kind == KIND)
            & (ReportArtifact.job.cycle == cycle_id)
            & (ReportArtifact.job.status == JobStatus.done.value)
        )
        .order_by(ReportArtifact.job, ascending=False)
        .first()
    )
    return (int(row["job"]), row["sha256"]) if row else None
