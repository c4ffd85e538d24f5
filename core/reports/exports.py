"""Per-cycle exports for staff: raw responses (without source keys) and results."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Any

from core.accounts.policy import Actor
from core.cells import safe_row
from core.errors import NotFound
from core.hooks import Hooks
from core.reports.content import CycleReportContent, cycle_report_content
from core.reports.respondents import RAW_COLUMNS
from core.settings import Settings


def raw_rows(content: CycleReportContent) -> tuple[list[str], list[list[Any]]]:
    """Header and one row per counted response, oldest first: profile, answers U1..Un, saran.

    Nothing that could trace a respondent (submission token, source key, who keyed it) is included.
    """
    header = [*RAW_COLUMNS, *content.processing.codes, "saran"]
    return header, [[number, *row] for number, row in enumerate(content.responses, start=1)]


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark (Excel shows the accents), decimals with a point."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def results_json(content: CycleReportContent) -> bytes:
    """The cycle's results as JSON: index, per unsur, per layanan, profile (no responses)."""
    data = asdict(content)
    for private in ("processing", "responses", "saran", "saran_by_unsur", "narrative"):
        data.pop(private)
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def results_csv(content: CycleReportContent) -> bytes:
    """Per unsur results as CSV, followed by the unit's index."""
    rows: list[list[Any]] = [
        [u.code, u.name, u.answered, u.nrr, u.tertimbang, u.konversi, u.mutu or ""]
        for u in content.unsur
    ]
    rows.append(
        [
            "IKM",
            content.unit_name,
            content.collected,
            content.ikm,
            content.ikm,
            content.konversi,
            content.mutu or "",
        ]
    )
    return to_csv(["kode", "unsur", "dijawab", "nrr", "nrr_tertimbang", "konversi", "mutu"], rows)


def raw_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    """Raw responses as a one-sheet workbook (numbers as numbers)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data mentah")
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


EXPORTS: dict[str, str] = {
    "jawaban.csv": "Jawaban responden (CSV)",
    "jawaban.xlsx": "Jawaban responden (XLSX)",
    "hasil.csv": "Hasil per unsur (CSV)",
    "hasil.json": "Hasil lengkap (JSON)",
}


async def cycle_export(
    actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int, name: str
) -> tuple[bytes, str, str]:
    """One per-cycle export for staff: (content, file name, format)."""
    if name not in EXPORTS:
        raise NotFound(f"Ekspor {name!r} tidak ada; pilihan: {', '.join(EXPORTS)}.")
    content = await cycle_report_content(actor, settings, hooks, cycle_id)
    stem = (
        f"skm-{content.unit_code}-{content.year}-{content.period_label.lower().replace(' ', '-')}"
    )
    kind, fmt = name.split(".")
    if kind == "jawaban":
        header, rows = raw_rows(content)
        data = to_csv(header, rows) if fmt == "csv" else raw_xlsx(header, rows)
    else:
        data = results_csv(content) if fmt == "csv" else results_json(content)
    return data, f"{stem}-{name}", fmt
