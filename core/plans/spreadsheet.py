"""The Excel round trip: a plan exported as XLSX, and the same layout imported back for bulk
progress updates — validated as a whole, all rows or none, each bad row and column named.

Only the progress columns (Status, Progres, Tanggal realisasi, Hambatan, Alasan dibatalkan) are
read back; the others are there to read and are left as they are.
"""

from __future__ import annotations

import io
from datetime import date

from core.accounts.policy import Actor
from core.db import atomic
from core.errors import DomainError, FieldError, ValidationFailed
from core.plans.lifecycle import ITEM_LABELS
from core.plans.reads import plan_out, plan_row
from core.plans.schemas import ItemPatch, PlanOut
from core.plans.service import update_item
from core.tabular import read_upload

ID, STATUS, PROGRESS, REALISED, HAMBATAN, REASON = (
    "ID", "Status", "Progres (%)", "Tanggal realisasi", "Hambatan", "Alasan dibatalkan",
)  # fmt: skip
COLUMNS = (
    ID, "No", "Prioritas unsur", "Program/Kegiatan", "Waktu", "Penanggung jawab", "Jabatan",
    "Indikator keberhasilan", STATUS, PROGRESS, REALISED, HAMBATAN, REASON,
)  # fmt: skip
READ_BACK = (STATUS, PROGRESS, REALISED, HAMBATAN, REASON)
_STATUS_BY_TEXT = {label.lower(): code for code, label in ITEM_LABELS.items()} | {
    code: code for code in ITEM_LABELS
}


def export_xlsx(plan: PlanOut) -> bytes:
    """The plan as one sheet "RTL" (a row per item, sub-items numbered under their item)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "RTL"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number = sub = 0
    for item in plan.items:
        if item.parent is None:
            number, sub = number + 1, 0
            label = str(number)
        else:
            sub += 1
            label = f"{number}.{sub}"
        sheet.append([
            item.id, label, f"{item.unsur} {item.unsur_name}".strip(), item.program, item.waktu,
            item.penanggung_jawab["name"], item.penanggung_jawab["position"], item.indicator,
            ITEM_LABELS[item.status], item.progress,
            item.realised_on.isoformat() if item.realised_on else "", item.hambatan,
            item.drop_reason,
        ])  # fmt: skip
    sheet.freeze_panes = "E2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_patch(line: int, cells: dict[str, str], errors: list[FieldError]) -> ItemPatch | None:
    values: dict = {}
    status = cells.get(STATUS, "").strip()
    if status:
        code = _STATUS_BY_TEXT.get(status.lower())
        if code is None:
            errors.append(
                FieldError(STATUS, f"pilihan: {', '.join(ITEM_LABELS.values())}", row=line)
            )
        values["status"] = code
    progress = cells.get(PROGRESS, "").strip().rstrip("%").strip()
    if progress:
        if not progress.isdigit():
            errors.append(FieldError(PROGRESS, "bilangan bulat 0–100", row=line))
        else:
            values["progress"] = int(progress)
    realised = cells.get(REALISED, "").strip()
    if realised:
        try:
            values["realised_on"] = date.fromisoformat(realised[:10])
        except ValueError:
            errors.append(FieldError(REALISED, "tanggal YYYY-MM-DD", row=line))
    values["hambatan"] = cells.get(HAMBATAN, "")
    values["drop_reason"] = cells.get(REASON, "")
    return ItemPatch(**{k: v for k, v in values.items() if v is not None})


async def import_progress(actor: Actor, plan_id: int, content: bytes, filename: str) -> int:
    """Apply the progress columns of an exported sheet; returns the rows applied."""
    rows = await read_upload(content, filename)
    if not rows:
        raise ValidationFailed.single("file", "berkas tidak berisi baris data")
    missing = [c for c in (ID, *READ_BACK) if c not in rows[0]]
    if missing:
        raise ValidationFailed([FieldError(c, "kolom tidak ada", row=1) for c in missing])
    errors: list[FieldError] = []
    async with atomic():
        plan = await plan_row(actor, plan_id)
        own = {item.id for item in (await plan_out(plan)).items}
        for index, cells in enumerate(rows):
            line = index + 2
            raw_id = cells.get(ID, "").strip()
            if not raw_id.isdigit() or int(raw_id) not in own:
                errors.append(FieldError(ID, "kegiatan bukan dari rencana ini", row=line))
                continue
            found: list[FieldError] = []
            patch = _row_patch(line, cells, found)
            errors += found
            if found or patch is None:
                continue
            try:
                await update_item(actor, int(raw_id), patch)
            except ValidationFailed as exc:
                errors += [FieldError(_column(e.field), e.message, row=line) for e in exc.errors]
            except DomainError as exc:
                errors.append(FieldError(STATUS, str(exc), row=line))
        if errors:
            raise ValidationFailed(errors, "Tidak ada baris yang disimpan: perbaiki baris berikut")
    return len(rows)


_COLUMN_OF = {"status": STATUS, "progress": PROGRESS, "realised_on": REALISED,
              "hambatan": HAMBATAN, "drop_reason": REASON}  # fmt: skip


def _column(field: str) -> str:
    return _COLUMN_OF.get(field, field)
