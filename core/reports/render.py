"""The report as HTML (the page and the print view) and as PDF (WeasyPrint), from one template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core import charts, pdf
from core.formatting import integer, number, percent
from core.reports.content import DIMENSION_LABELS, CycleReportContent, GroupRow
from core.reports.narrative import LEGAL_BASIS

TEMPLATES = Path(__file__).parent / "templates"
STYLESHEET = TEMPLATES / "laporan.css"
PAGE = "laporan"


def environment() -> Environment:
    """The Jinja environment of the report documents (autoescaped, strict)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(num=number, integer=integer, percent=percent, charts=charts)
    return env


def chart_data(
    content: CycleReportContent,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]:
    """What the unsur and trend charts draw, and their mutu legend."""
    unsur = [
        {"code": u.code, "name": u.name, "nrr": u.nrr, "mutu": u.mutu}
        for u in content.unsur
        if u.nrr is not None
    ]
    trend = [
        {"label": p["label"], "sublabel": p["year"], "konversi": p["konversi"], "mutu": p["mutu"]}
        for p in content.trend
    ]
    return unsur, trend, content.legend


def regency_place(regency: str) -> str:
    """The place of a signature when the unit gave none: the regency's own name."""
    return regency.removeprefix("Pemerintah ").removeprefix("Kabupaten ").removeprefix("Kota ")


def file_stem(content: CycleReportContent) -> str:
    """``laporan-skm-PKM-SUKAMAJU-2026-tw1`` style names for the downloads."""
    period = content.period_label.lower().replace(" ", "-")
    return f"laporan-skm-{content.unit_code}-{content.year}-{period}"


def place_of(content: CycleReportContent) -> str:
    """The place of the report's signature when the unit gave none."""
    return regency_place(content.regency)


def _context(content: CycleReportContent) -> dict[str, Any]:
    chart_unsur, chart_trend, _ = chart_data(content)
    services_rows = [
        GroupRow(label=s["name"], respondents=s["collected"], share=s["share"])
        for s in content.services
    ]
    return {
        "c": content,
        "legal_basis": LEGAL_BASIS,
        "dimension_labels": DIMENSION_LABELS,
        "chart_unsur": chart_unsur,
        "chart_trend": chart_trend,
        "services_rows": services_rows,
        "place": place_of(content),
    }


def report_body(content: CycleReportContent, env: Environment | None = None) -> str:
    """The report as an HTML fragment (the report page embeds it)."""
    return (env or environment()).get_template("laporan.html").render(**_context(content))


def report_document(content: CycleReportContent, env: Environment | None = None) -> str:
    """The report as a whole HTML document with its print stylesheet (print view and PDF)."""
    title = f"Laporan Hasil SKM {content.unit_name} {content.period_label} {content.year}"
    return html_document(title, report_body(content, env))


def html_document(title: str, body: str) -> str:
    """A whole HTML document around a report body, with the print stylesheet."""
    return (
        '<!doctype html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{_escape(title)}</title><style>{STYLESHEET.read_text(encoding='utf-8')}</style>"
        f"</head><body>{body}</body></html>"
    )


def _escape(text: str) -> str:
    from html import escape

    return escape(text, quote=True)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a report document; ``PdfUnavailable`` without WeasyPrint or Pango."""
    return pdf.html_to_pdf(html, page=PAGE)
