"""SKM dashboards: one unit's results per cycle, and the regency's year (with exports)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from core import charts
from core.clock import utcnow
from core.plugin_api import TABLE
from core.reports.jobs import get_job
from core.reports.recap_report import request_recap_report
from core.settings import Settings
from core.surveys import insights, recap_export
from core.surveys.labels import DIMENSION_LABELS
from core.surveys.recap import year_recap
from core.surveys.saran import SARAN_PAGE_SIZE
from core.units.sippn_export import sippn_formats
from core.units.validation import KIND_LABELS
from web.context import CurrentActor, page, signed_in
from web.forms import Form, read_form
from web.surveys.common import XLSX, deps, survey_context

PRINT_SARAN = 10  # saran on the printed dashboard (the rest of the page shows on screen only)


def _number(text: str | None) -> int | None:
    return Form.of({"n": text or ""}).integer("n")


def _this_year(settings: Settings) -> int:
    return utcnow().astimezone(ZoneInfo(settings.timezone)).year


def _formatters(**context: Any) -> dict[str, Any]:
    return survey_context(charts=charts, **context)


@get("/units/{code:str}/skm")
async def unit_skm(
    request: Request,
    actor: CurrentActor,
    code: FromPath[str],
    siklus: FromQuery[str | None] = None,
    q: FromQuery[str | None] = None,
    hal: FromQuery[str | None] = None,
) -> Template:
    """A unit's SKM result for one cycle (default: the latest opened), with saran and trend."""
    settings, hooks = deps(request)
    actor = signed_in(actor)
    page_number = max(_number(hal) or 1, 1)
    size = SARAN_PAGE_SIZE
    board = await insights.unit_dashboard(
        actor,
        settings,
        hooks,
        code,
        _number(siklus),
        saran_search=q,
        saran_offset=(page_number - 1) * size,
    )
    saran, saran_total = board.saran, board.saran_total
    return page(
        request,
        "surveys/dashboard.html",
        **_formatters(
            board=board,
            dimension_labels=DIMENSION_LABELS,
            saran=saran,
            saran_total=saran_total,
            q=(q or "").strip(),
            page_number=page_number,
            page_count=max((saran_total + size - 1) // size, 1),
            print_saran=PRINT_SARAN,
        ),
    )


async def _recap(
    request: Request,
    actor: CurrentActor,
    year: str | None,
    kind: str | None,
    sort: str | None,
) -> tuple[Any, list[Any], dict[str, Any]]:
    settings, hooks = deps(request)
    chosen_year = _number(year) or _this_year(settings)
    chosen_kind = kind if kind in KIND_LABELS else None
    chosen_sort = sort if sort in insights.RECAP_SORTS else "name"
    recap = await year_recap(signed_in(actor), hooks, chosen_year, chosen_kind)
    rows = insights.sort_recap(recap, chosen_sort)
    return recap, rows, {"year": chosen_year, "kind": chosen_kind or "", "sort": chosen_sort}


@get("/rekap")
async def recap_page(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
    laporan: FromQuery[str | None] = None,
) -> Template:
    """The regency's year: units × periods, the regency index two ways, who has no SKM yet
    (and, after «Unduh laporan rekap», the recap report job's progress and files)."""
    settings, hooks = deps(request)
    recap, rows, filters = await _recap(request, actor, year, kind, sort)
    job_id = _number(laporan)
    report_job = await get_job(signed_in(actor), job_id) if job_id else None
    cells = {row.code: insights.recap_cells(row) for row in rows}
    this_year = _this_year(settings)
    years = sorted({*range(this_year - 4, this_year + 1), filters["year"]}, reverse=True)
    return page(
        request,
        "surveys/recap.html",
        **_formatters(
            recap=recap,
            rows=rows,
            cells=cells,
            columns=insights.used_columns(cells),
            filters=filters,
            years=years,
            legend=insights.mutu_legend(hooks),
            export_formats=list(hooks.export_formats(TABLE).values()),
            sippn_formats=sippn_formats(hooks),
            report_job=report_job,
        ),
    )


@post("/rekap/laporan")
async def recap_report(request: Request, actor: CurrentActor) -> Redirect:
    """Queue the regency recap report (PDF and XLSX) of the chosen year and follow it on /rekap."""
    form = await read_form(request)
    settings, hooks = deps(request)
    chosen_year = _number(form.one("year")) or _this_year(settings)
    job = await request_recap_report(signed_in(actor), hooks, chosen_year)
    return Redirect(path=f"/rekap?year={chosen_year}&laporan={job}")


async def _download(
    request: Request,
    actor: CurrentActor,
    code: str,
    year: str | None,
    kind: str | None,
    sort: str | None,
) -> Response[bytes]:
    recap, rows, filters = await _recap(request, actor, year, kind, sort)
    export = recap_export.export_recap(request.app.state.hooks, code, recap, rows)
    suffix = f"-{filters['kind']}" if filters["kind"] else ""
    name = f"rekap-skm-{filters['year']}{suffix}.{export.extension}"
    return Response(
        content=export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@get("/rekap.xlsx", media_type=XLSX)
async def recap_xlsx(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The recap's unit rows as a workbook (plus a summary sheet with the regency index)."""
    return await _download(request, actor, "xlsx", year, kind, sort)


@get("/rekap.csv", media_type="text/csv")
async def recap_csv(
    request: Request,
    actor: CurrentActor,
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The recap's unit rows and regency figures as CSV (UTF-8 with BOM, so Excel reads it)."""
    return await _download(request, actor, "csv", year, kind, sort)


@get("/rekap/ekspor/{code:str}")
async def recap_export_any(
    request: Request,
    actor: CurrentActor,
    code: FromPath[str],
    year: FromQuery[str | None] = None,
    kind: FromQuery[str | None] = None,
    sort: FromQuery[str | None] = None,
) -> Response[bytes]:
    """The recap in any registered export format (a plugin's, such as the SIPPN file)."""
    return await _download(request, actor, code, year, kind, sort)


ROUTES = [unit_skm, recap_page, recap_report, recap_xlsx, recap_csv, recap_export_any]
