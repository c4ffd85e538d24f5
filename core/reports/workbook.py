"""The report workbook (openpyxl): ringkasan, pengolahan, per unsur, per layanan, profil, saran, data mentah.

Numbers are numbers (full precision, shown with 2–3 decimals), so the pengolahan footer equals the
dashboard to the last digit; write-only mode keeps a 10,000-row cycle fast. The formula guard
(``core.cells``) runs on every cell that can hold text; the answers are integers and skip it.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from core.cells import safe_cell, safe_row
from core.reports.content import DIMENSION_LABELS, CycleReportContent
from core.reports.respondents import ANSWERS_AT, RAW_COLUMNS

NRR_FORMAT = "0.000"
INDEX_FORMAT = "0.00"
SHARE_FORMAT = "0.0%"


def _cell(sheet: Any, value: Any, fmt: str | None = None, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if fmt and isinstance(value, (int, float)):
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _append(sheet: Any, row: list[Any]) -> None:
    sheet.append(safe_row(row))


def _header(sheet: Any, *names: str) -> None:
    _append(sheet, [_cell(sheet, name, bold=True) for name in names])


def _ringkasan(book: Any, c: CycleReportContent) -> None:
    sheet = book.create_sheet("Ringkasan")
    rows: list[tuple[str, Any, str | None]] = [
        ("Pemerintah daerah", c.regency, None),
        ("Unit", c.unit_name, None),
        ("Periode", f"{c.period_label} {c.year}", None),
        ("Tanggal", f"{c.start_date:%d-%m-%Y} s.d. {c.end_date:%d-%m-%Y}", None),
        ("Populasi (N)", c.population, None),
        ("Responden minimal (Krejcie-Morgan)", c.minimum_sample, None),
        ("Responden terkumpul", c.collected, None),
        ("IKM (skala 1-4)", c.ikm, "0.0000"),
        ("IKM unit (konversi 25-100)", c.konversi, INDEX_FORMAT),
        ("Mutu", c.mutu or "", None),
        ("Kinerja unit pelayanan", c.kinerja or "", None),
        ("Unsur prioritas (terendah)", ", ".join(c.weakest), None),
    ]
    for label, value, fmt in rows:
        _append(sheet, [_cell(sheet, label, bold=True), _cell(sheet, value, fmt)])


def _pengolahan(book: Any, c: CycleReportContent) -> None:
    t = c.processing
    sheet = book.create_sheet("Pengolahan")
    _header(sheet, "No", *t.codes)
    for number, row in enumerate(t.rows, start=1):
        sheet.append([number, *row])  # integers (or None): nothing to guard
    footer: list[tuple[str, list[Any], str | None]] = [
        ("Jumlah nilai per unsur", list(t.jumlah), None),
        ("NRR per unsur", list(t.nrr), NRR_FORMAT),
        ("NRR tertimbang per unsur", list(t.tertimbang), NRR_FORMAT),
        ("Σ NRR tertimbang", [t.sum_tertimbang], NRR_FORMAT),
        ("IKM unit", [t.ikm_unit], INDEX_FORMAT),
    ]
    for label, values, fmt in footer:
        _append(sheet, [_cell(sheet, label, bold=True), *[_cell(sheet, v, fmt) for v in values]])


def _per_unsur(book: Any, c: CycleReportContent) -> None:
    sheet = book.create_sheet("Per unsur")
    _header(sheet, "Kode", "Unsur", "Dijawab", "NRR", "NRR tertimbang", "Konversi", "Mutu")
    for u in c.unsur:
        _append(
            sheet,
            [
                u.code,
                u.name,
                u.answered,
                _cell(sheet, u.nrr, NRR_FORMAT),
                _cell(sheet, u.tertimbang, NRR_FORMAT),
                _cell(sheet, u.konversi, INDEX_FORMAT),
                u.mutu or "tidak ada jawaban",
            ],
        )


def _per_layanan(book: Any, c: CycleReportContent) -> None:
    sheet = book.create_sheet("Per layanan")
    _header(sheet, "Kode", "Jenis layanan", "Responden", "Minimal", "IKM", "Mutu", "Kinerja")
    for s in c.services:
        _append(
            sheet,
            [
                s["code"],
                s["name"],
                s["collected"],
                s["minimum"],
                _cell(sheet, s["konversi"], INDEX_FORMAT),
                s["mutu"] or "",
                s["kinerja"] or "",
            ],
        )


def _profil(book: Any, c: CycleReportContent) -> None:
    sheet = book.create_sheet("Profil responden")
    _header(sheet, "Karakteristik", "Kelompok", "Jumlah", "Persentase")
    for name, groups in c.profile.items():
        for g in groups:
            _append(
                sheet,
                [
                    DIMENSION_LABELS[name],
                    g.label,
                    g.respondents,
                    _cell(sheet, g.share, SHARE_FORMAT),
                ],
            )
    for s in c.services:
        _append(
            sheet,
            [
                DIMENSION_LABELS["layanan"],
                s["name"],
                s["collected"],
                _cell(sheet, s["share"], SHARE_FORMAT),
            ],
        )


def _saran(book: Any, c: CycleReportContent) -> None:
    sheet = book.create_sheet("Saran")
    _header(sheet, "No", "Saran dan masukan")
    for number, text in enumerate(c.saran, start=1):
        sheet.append([number, safe_cell(text)])


def _data_mentah(book: Any, c: CycleReportContent) -> None:
    """One row per counted response (as ``exports.raw_rows``): profile, answers, saran."""
    sheet = book.create_sheet("Data mentah")
    _header(sheet, *RAW_COLUMNS, *c.processing.codes, "saran")
    # Profiles repeat a few values (codes, S1, Swasta …): each distinct one is guarded once.
    guard = lru_cache(maxsize=None)(safe_cell)
    for number, response in enumerate(c.responses, start=1):
        profile = map(guard, response[:ANSWERS_AT])
        sheet.append([number, *profile, *response[ANSWERS_AT:-1], guard(response[-1])])


def report_workbook(c: CycleReportContent) -> bytes:
    """The workbook of a cycle's report as XLSX bytes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    _ringkasan(book, c)
    _pengolahan(book, c)
    _per_unsur(book, c)
    _per_layanan(book, c)
    _profil(book, c)
    _saran(book, c)
    _data_mentah(book, c)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
