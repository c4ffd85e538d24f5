"""Built-in export formats: CSV (UTF-8 with BOM, for Excel) and XLSX, for any core dataset.

An installation adds another format (the SIPPN upload file …) as a plugin of its own with the same
``suara_export_formats`` hook; the recap downloads then offer it too.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from core.plugin_api import Dataset, ExportFormat, PluginContext, hookimpl, safe_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: object) -> object:
    return safe_cell(float(value) if isinstance(value, Decimal) else value)


def render_csv(dataset: Dataset) -> bytes:
    """The table, a blank line, then the summary lines; decimals with a point."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.columns)
    writer.writerows([safe_cell(v) for v in row] for row in dataset.rows)
    if dataset.summary:
        writer.writerow([])
        writer.writerows([safe_cell(v) for v in line] for line in dataset.summary)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(dataset: Dataset) -> bytes:
    """Sheet "Rekap" with the table (decimals shown with 2 places), sheet "Ringkasan" with the
    summary lines; streamed (openpyxl's write-only workbook: no cell objects kept)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Rekap")
    sheet.freeze_panes = "D2"
    bold = Font(bold=True)

    def styled(value: object, *, font: Font | None = None) -> object:
        if font is None and not isinstance(value, float):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        if isinstance(value, float):
            cell.number_format = "0.00"
        return cell

    sheet.append([styled(safe_cell(v), font=bold) for v in dataset.columns])
    for row in dataset.rows:
        sheet.append([styled(_cell(v)) for v in row])
    summary = book.create_sheet("Ringkasan")
    for line in dataset.summary:
        summary.append([_cell(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@hookimpl
def suara_export_formats(context: PluginContext) -> list[ExportFormat]:
    """CSV and XLSX."""
    return [
        ExportFormat("csv", "CSV (Excel)", "text/csv; charset=utf-8", "csv", render_csv),
        ExportFormat("xlsx", "Excel (XLSX)", XLSX, "xlsx", render_xlsx),
    ]
