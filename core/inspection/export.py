"""The compliance matrix as a dataset for the registered export formats (XLSX, CSV …)."""

from __future__ import annotations

from core.hooks import Hooks
from core.inspection.compliance import INDICATORS, Compliance
from core.plugin_api import Dataset
from core.surveys.recap_export import Export, export_format
from core.units.validation import KIND_LABELS

COLUMNS = (
    "Kode",
    "Nama unit",
    "Jenis unit",
    "Indikator 6",
    "Indikator 7",
    "Indikator 8",
    "Indikator 9",
    "FKP 2",
    "Forum diselenggarakan",
    "Unsur masyarakat hadir",
    "Temuan terbuka",
    "Keterangan",
)


def compliance_dataset(matrix: Compliance) -> Dataset:
    """One row per unit, each score with its note."""
    rows = []
    for unit in matrix.units:
        notes = "; ".join(
            f"{code}: {unit.indicators[code].note}"
            for code in INDICATORS
            if unit.indicators[code].note
        )
        rows.append(
            (
                unit.unit,
                unit.name,
                KIND_LABELS.get(unit.kind, unit.kind),
                *(unit.indicators[code].score for code in INDICATORS),
                "ya" if unit.forum_held else "tidak",
                len(unit.forum_groups),
                unit.open_findings,
                notes,
            )
        )
    return Dataset(
        name=f"kepatuhan-{matrix.year}",
        title=f"Matriks kepatuhan {matrix.year}",
        columns=COLUMNS,
        rows=tuple(rows),
    )


def export_compliance(hooks: Hooks, code: str, matrix: Compliance) -> Export:
    """The matrix rendered by the export format ``code``."""
    chosen = export_format(hooks, code)
    content = chosen.render(compliance_dataset(matrix))
    return Export(content=content, media_type=chosen.media_type, extension=chosen.extension)
