"""The yearly recap as a table for spreadsheets: the same unit rows as the recap page."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.surveys.insights import RECAP_COLUMNS, recap_cells
from core.surveys.labels import SHORT_PERIOD_LABELS
from core.surveys.recap import Recap, RecapRow
from core.units.validation import KIND_LABELS


def round2(value: float | None) -> Decimal | None:
    """Half-up to 2 decimals of the value as written (82.345 → 82.35, never 82.34)."""
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def header() -> list[str]:
    """Column titles: unit, one konversi/mutu pair per period column, then the year."""
    columns = ["Kode", "Nama unit", "Jenis unit"]
    for period in RECAP_COLUMNS:
        label = SHORT_PERIOD_LABELS[period]
        columns += [f"{label} konversi", f"{label} mutu"]
    columns += [
        "Responden setahun",
        "Konversi setahun (gabungan)",
        "Mutu setahun",
        "Melaksanakan SKM",
        "Di bawah sampel minimum",
    ]
    return columns


def _cell_values(cells: list[Any]) -> tuple[Any, str]:
    scored = [c for c in cells if c.konversi is not None]
    if not scored:
        return None, ""
    if len(scored) == 1:
        return round2(scored[0].konversi), scored[0].mutu or ""
    # Several custom cycles share the "Lainnya" column: list each, in period order.
    return (
        "; ".join(str(round2(c.konversi)) for c in scored),
        "; ".join(c.mutu or "" for c in scored),
    )


def row_values(row: RecapRow) -> list[Any]:
    """One unit's line: numbers as Decimal (2 decimals), blanks where there is no score."""
    values: list[Any] = [row.code, row.name, KIND_LABELS.get(row.kind, row.kind)]
    columns = recap_cells(row)
    for period in RECAP_COLUMNS:
        values += list(_cell_values(columns[period]))
    values += [
        row.collected,
        round2(row.konversi),
        row.mutu or "",
        "Ya" if row.surveyed else "Tidak",
        "Ya" if row.below_minimum else "Tidak",
    ]
    return values


def recap_csv(recap: Recap, rows: list[RecapRow]) -> bytes:
    """CSV in UTF-8 with a byte-order mark so Excel shows the accents; decimals with a point."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header())
    for row in rows:
        writer.writerow(["" if v is None else v for v in row_values(row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def recap_xlsx(recap: Recap, rows: list[RecapRow]) -> bytes:
    """A workbook: sheet "Rekap" with the unit rows, sheet "Ringkasan" with the regency index."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    sheet.append(header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [float(v) if isinstance(v, Decimal) else v for v in row_values(row)]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"
    sheet.freeze_panes = "D2"
    summary = book.create_sheet("Ringkasan")
    pooled = recap.pooled or {}
    summary.append(["Tahun", recap.year])
    summary.append(["Jumlah unit", len(rows)])
    summary.append(["Unit belum melaksanakan SKM", len(recap.not_surveyed)])
    summary.append(["Unit di bawah sampel minimum", len(recap.below_minimum)])
    summary.append(
        [
            "Indeks kabupaten/kota — gabungan seluruh jawaban",
            float(round2(pooled["konversi"])) if pooled else None,
            pooled.get("mutu", ""),
        ]
    )
    summary.append(
        [
            "Indeks kabupaten/kota — rata-rata indeks unit",
            float(round2(recap.mean_of_units)) if recap.mean_of_units is not None else None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
