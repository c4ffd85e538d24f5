"""The documents of one cycle's report: asking for them and building them in the worker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from core.accounts.policy import Action, Actor
from core.hooks import Hooks
from core.pdf import PdfUnavailable
from core.reports import follow_up, jobs, public_report, recap_report
from core.reports.content import CycleReportContent, cycle_report_content
from core.reports.infographic import PNG_MISSING, infographic_svg, svg_to_png
from core.reports.render import file_stem, html_to_pdf, report_document
from core.reports.word import report_docx
from core.reports.workbook import report_workbook
from core.settings import Settings

KIND = "cycle"


async def request_cycle_report(
    actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int
) -> int:
    """Queue the report of a cycle (or return the job that already made it from the same data)."""
    from core.surveys.cycles import cycle_row

    await cycle_row(actor, cycle_id, Action.manage_cycles)
    content = await cycle_report_content(actor, settings, hooks, cycle_id)
    return await jobs.request_job(actor, KIND, content.fingerprint(), cycle=cycle_id)


async def render_cycle(
    settings: Settings, hooks: Hooks, row: dict[str, Any]
) -> tuple[str, list[tuple[str, str, bytes]], str]:
    """XLSX, DOCX and the infographic SVG always; PDF and PNG where their libraries load.

    Without one of them the job fails with what to install, keeping the files it could make.
    """
    content = await cycle_report_content(Actor.system(), settings, hooks, int(row["cycle"]))
    # The documents are CPU work: built in a thread, so the worker's lease heartbeat keeps beating.
    files, error = await anyio.to_thread.run_sync(_build_files, content)
    return content.fingerprint(), files, error


def _build_files(content: CycleReportContent) -> tuple[list[tuple[str, str, bytes]], str]:
    stem = file_stem(content)
    picture = infographic_svg(content)
    files = [
        ("xlsx", f"{stem}.xlsx", report_workbook(content)),
        ("docx", f"{stem}.docx", report_docx(content)),
        ("svg", f"infografik-{stem}.svg", picture.encode("utf-8")),
    ]
    problems = []
    png = svg_to_png(picture)
    if png is None:
        problems.append(PNG_MISSING)
    else:
        files.append(("png", f"infografik-{stem}.png", png))
    try:
        files.insert(0, ("pdf", f"{stem}.pdf", html_to_pdf(report_document(content))))
    except PdfUnavailable as exc:
        problems.insert(0, str(exc))
    return files, " ".join(problems)


def report_job_handlers(
    hooks: Hooks, settings: Settings | None = None
) -> dict[str, Callable[[dict[str, Any]], Awaitable[None]]]:
    """The outbox handlers of every report kind (registered in core.jobs.handlers)."""
    renderers = jobs.report_handlers(
        hooks,
        settings,
        {
            KIND: render_cycle,
            recap_report.KIND: recap_report.render_recap,
            public_report.KIND: public_report.render_public,
            follow_up.KIND: follow_up.render_follow_up,
        },
    )
    return {**renderers, public_report.REQUEST_JOB: public_report.request_handler(hooks, settings)}
