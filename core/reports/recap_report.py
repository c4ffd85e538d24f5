"""The regency recap report of a year (PDF and XLSX): what the Bagian Organisasi sends the Bupati."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

import anyio

from core.accounts.policy import Action, Actor, require
from core.formatting import integer, number
from core.hooks import Hooks
from core.pdf import PdfUnavailable
from core.reports import jobs
from core.reports.content import LAYOUT_VERSION
from core.reports.render import STYLESHEET, environment, html_to_pdf
from core.settings import Settings
from core.surveys import insights
from core.surveys.labels import SHORT_PERIOD_LABELS
from core.surveys.recap import STANDARD_ONLY_NOTE, Recap, year_recap
from core.surveys.recap_export import export_recap
from core.units.tables import Unit, UnitKind

KIND = "recap"


def _fingerprint(recap: Recap) -> str:
    data = json.dumps({"layout": LAYOUT_VERSION, **asdict(recap)}, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


async def request_recap_report(actor: Actor, hooks: Hooks, year: int) -> int:
    """Queue the recap report of a year (or return the job that made it from the same data)."""
    require(actor, Action.view_recap)
    recap = await year_recap(actor, hooks, year)
    return await jobs.request_job(actor, KIND, _fingerprint(recap), year=year)


async def recap_document(hooks: Hooks, year: int) -> tuple[Recap, str]:
    """The recap of a year and its printable HTML document."""
    recap = await year_recap(Actor.system(), hooks, year)
    rows = insights.sort_recap(recap, "name")
    regency = await Unit.select(Unit.name).where(Unit.kind == UnitKind.pemda.value).first()
    weakest = insights.weakest_unsur(recap.pooled)
    names = {u.code: u for u in (recap.pooled.unsur if recap.pooled else ())}
    html = (
        environment()
        .get_template("rekap.html")
        .render(
            recap=recap,
            rows=rows,
            cells={row.code: insights.recap_cells(row) for row in rows},
            columns=insights.RECAP_COLUMNS,
            column_labels=SHORT_PERIOD_LABELS,
            regency=regency["name"] if regency else "",
            weakest=[names[code] for code in weakest],
            standard_only_note=STANDARD_ONLY_NOTE,
            num=number,
            integer=integer,
        )
    )
    style = STYLESHEET.read_text(encoding="utf-8")
    return recap, (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Rekap SKM {year}</title>'
        f"<style>{style}</style></head><body>{html}</body></html>"
    )


async def render_recap(
    settings: Settings, hooks: Hooks, row: dict[str, Any]
) -> tuple[str, list[tuple[str, str, bytes]], str]:
    """XLSX always; PDF where WeasyPrint can run (else the job fails with what to install)."""
    year = int(row["year"])
    recap, html = await recap_document(hooks, year)

    def build() -> tuple[list[tuple[str, str, bytes]], str]:
        # CPU work in a thread, so the worker's lease heartbeat keeps beating meanwhile
        workbook = export_recap(hooks, "xlsx", recap, insights.sort_recap(recap, "name")).content
        files = [("xlsx", f"rekap-skm-{year}.xlsx", workbook)]
        try:
            files.insert(0, ("pdf", f"rekap-skm-{year}.pdf", html_to_pdf(html)))
        except PdfUnavailable as exc:
            return files, str(exc)
        return files, ""

    files, error = await anyio.to_thread.run_sync(build)
    return _fingerprint(recap), files, error
