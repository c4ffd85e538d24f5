"""The SIPPN files: JSON (the document), CSV and XLSX (its table, one row per service).

Each render builds the document, checks it (``validation.check`` raises, naming every unit and
field) and only then serialises it, so a refused export produces no bytes at all.
"""

from __future__ import annotations

import csv
import io
import json

from core.plugin_api import Dataset
from plugins.sippn.document import COLUMNS, build, flat_rows
from plugins.sippn.validation import check

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _checked(dataset: Dataset) -> dict:
    document = build(dataset)
    check(document)
    return document


def render_json(dataset: Dataset) -> bytes:
    """The document as UTF-8 JSON (valid against sippn.schema.json)."""
    document = _checked(dataset)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_csv(dataset: Dataset) -> bytes:
    """The table as CSV (UTF-8 with BOM, comma, decimal point), header row = ``COLUMNS``."""
    document = _checked(dataset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([("" if v is None else v) for v in row] for row in flat_rows(document))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(dataset: Dataset) -> bytes:
    """Sheet "SIPPN" with the table (numbers as numbers), sheet "Keterangan" with what the file
    is and the units left out."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    document = _checked(dataset)
    book = Workbook()
    sheet = book.active
    sheet.title = "SIPPN"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in flat_rows(document):
        sheet.append(row)
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("Keterangan")
    notes.append(["format", document["format"]])
    notes.append(["versi", document["versi"]])
    notes.append(["judul", document["judul"]])
    notes.append(["dibuat", document["dibuat"]])
    notes.append(["jumlah_unit", len(document["unit"])])
    for skipped in document["unit_dilewati"]:
        notes.append(["unit_dilewati", skipped["kode_unit"], skipped["alasan"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
