"""The yearly recap as a dataset for the registered export formats (CSV, XLSX, SIPPN …).

The unit rows are the recap page's rows; the summary lines carry the regency figures the page
shows, each marked final (closed cycles) or *sementara* (open cycles included), and say that the
pooled figure uses the nine standard unsur.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core.errors import NotFound
from core.hooks import Hooks
from core.plugin_api import TABLE, Dataset, ExportFormat, ScoreResult
from core.surveys.insights import RECAP_COLUMNS, recap_cells
from core.surveys.labels import SHORT_PERIOD_LABELS
from core.surveys.recap import PROVISIONAL, STANDARD_ONLY_NOTE, Recap, RecapCell, RecapRow
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
        "Konversi setahun (siklus ditutup)",
        "Mutu setahun (siklus ditutup)",
        f"Konversi setahun termasuk siklus dibuka ({PROVISIONAL})",
        f"Mutu setahun termasuk siklus dibuka ({PROVISIONAL})",
        "Melaksanakan SKM",
        "Di bawah sampel minimum",
        "Keterangan",
    ]
    return columns


def _mutu(cell: RecapCell) -> str:
    return f"{cell.mutu} ({PROVISIONAL})" if cell.provisional and cell.mutu else cell.mutu or ""


def _cell_values(cells: list[RecapCell]) -> tuple[Any, str]:
    scored = [c for c in cells if c.konversi is not None]
    if not scored:
        return None, ""
    if len(scored) == 1:
        return round2(scored[0].konversi), _mutu(scored[0])
    # Several custom cycles share the "Lainnya" column: list each, in period order.
    return "; ".join(str(round2(c.konversi)) for c in scored), "; ".join(map(_mutu, scored))


def _notes(row: RecapRow) -> str:
    notes = [
        f"{SHORT_PERIOD_LABELS.get(c.period_type, c.period_label)}: indeks ditahan, {c.withheld}"
        for c in row.cells
        if c.withheld
    ]
    if row.score and row.score.withheld and not notes:
        notes.append(f"Setahun: indeks ditahan, {row.score.withheld}")
    return "; ".join(notes)


def row_values(row: RecapRow) -> list[Any]:
    """One unit's line: numbers as Decimal (2 decimals), blanks where there is no score."""
    values: list[Any] = [row.code, row.name, KIND_LABELS.get(row.kind, row.kind)]
    columns = recap_cells(row)
    for period in RECAP_COLUMNS:
        values += list(_cell_values(columns[period]))
    current = row.score if row.provisional else None
    values += [
        row.collected,
        round2(row.final.konversi) if row.final else None,
        (row.final.mutu or "") if row.final else "",
        round2(current.konversi) if current else None,
        (current.mutu or "") if current else "",
        "Ya" if row.surveyed else "Tidak",
        "Ya" if row.below_minimum else "Tidak",
        _notes(row),
    ]
    return values


def _figure(label: str, score: ScoreResult | None) -> tuple[Any, ...]:
    if score is None:
        return (label, None, "", "belum ada jawaban")
    if score.withheld:
        return (label, None, "", f"ditahan: {score.withheld}")
    return (label, round2(score.konversi), score.mutu or "", score.kinerja or "")


def summary(recap: Recap, rows: list[RecapRow]) -> list[tuple[Any, ...]]:
    """The regency lines: counts, then each figure final and (while cycles are open) sementara."""
    pooled = f"Indeks kabupaten/kota — {STANDARD_ONLY_NOTE}"
    mean = "Indeks kabupaten/kota — rata-rata indeks unit"
    lines: list[tuple[Any, ...]] = [
        ("Tahun", recap.year),
        ("Jumlah unit", len(rows)),
        ("Unit belum melaksanakan SKM", len(recap.not_surveyed)),
        ("Unit di bawah sampel minimum", len(recap.below_minimum)),
        _figure(f"{pooled} (siklus ditutup)", recap.pooled_final),
        (f"{mean} (siklus ditutup)", round2(recap.mean_final)),
    ]
    if recap.provisional:
        lines += [
            _figure(f"{pooled} termasuk siklus dibuka ({PROVISIONAL})", recap.pooled),
            (f"{mean} termasuk siklus dibuka ({PROVISIONAL})", round2(recap.mean_of_units)),
        ]
    if recap.other_method_cycles:
        lines.append(
            ("Siklus dengan metode penilaian lain (tidak digabung)", recap.other_method_cycles)
        )
    return lines


def recap_dataset(recap: Recap, rows: list[RecapRow]) -> Dataset:
    """The recap's unit rows and regency lines, ready for any export format."""
    return Dataset(
        name=f"rekap-skm-{recap.year}",
        title=f"Rekap SKM {recap.year}",
        columns=tuple(header()),
        rows=tuple(tuple(row_values(row)) for row in rows),
        summary=tuple(summary(recap, rows)),
    )


@dataclass(frozen=True)
class Export:
    """A rendered file: its bytes, media type and file name extension."""

    content: bytes
    media_type: str
    extension: str


def export_format(hooks: Hooks, code: str, kind: str = TABLE) -> ExportFormat:
    """A registered export format for datasets of ``kind`` by code (404 naming the ones there
    are)."""
    formats = hooks.export_formats(kind)
    if code not in formats:
        raise NotFound(
            f"Format ekspor {code!r} tidak ada (tersedia: {', '.join(sorted(formats))})."
        )
    return formats[code]


def export_recap(hooks: Hooks, code: str, recap: Recap, rows: list[RecapRow]) -> Export:
    """The recap rendered by the export format ``code``."""
    chosen = export_format(hooks, code)
    content = chosen.render(recap_dataset(recap, rows))
    return Export(content=content, media_type=chosen.media_type, extension=chosen.extension)
