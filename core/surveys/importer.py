"""Importing paper-survey results from CSV/XLSX: every row checked, then all rows or none."""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
from datetime import date, datetime

from core.accounts.policy import Action, Actor
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic, lock_key
from core.errors import Conflict, FieldError
from core.surveys.cycles import cycle_row
from core.surveys.methods import method_choices, parse_method
from core.surveys.questionnaires import items_of
from core.surveys.responses import (
    MAX_SARAN,
    TIME_RE,
    CleanResponse,
    check_answers,
    check_profile,
    cycle_channels,
    cycle_services,
    store,
)
from core.surveys.schemas import UnsurItem
from core.surveys.tables import Channel, CycleStatus, ImportBatch, QuestionnaireVersion
from core.tabular import MAX_ROWS, read_upload

PROFILE_COLUMNS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "pekerjaan_lain")
ROWS_PER_PAUSE = 500  # checking rows hands the event loop back this often


def template_columns(items: list[UnsurItem]) -> list[str]:
    """Header of the import template: the unsur codes, then profile and other columns."""
    return [
        *(item.code for item in items),
        "layanan",
        "metode",
        *PROFILE_COLUMNS,
        "tanggal",
        "jam",
        "saran",
    ]


def template_csv(items: list[UnsurItem]) -> bytes:
    """An empty CSV template with the right header."""
    return (",".join(template_columns(items)) + "\n").encode()


def template_xlsx(items: list[UnsurItem]) -> bytes:
    """An XLSX template: a header row and a sheet explaining each column."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Jawaban"
    sheet.append(template_columns(items))
    guide = book.create_sheet("Petunjuk")
    guide.append(["Kolom", "Isi"])
    for item in items:
        guide.append([item.code, f"{item.name}: 1–4 (kosong = tidak dijawab)"])
    for column, text in (
        ("layanan", "kode jenis layanan"),
        ("metode", f"cara pengisian (wajib): {method_choices()}"),
        ("jenis_kelamin", "L atau P"),
        ("usia", "tahun"),
        ("pendidikan", "SD, SMP, SMA, D1–D4, S1, S2, S3"),
        ("pekerjaan", "PNS, TNI, POLRI, Swasta, Wirausaha, Lainnya"),
        ("tanggal", "YYYY-MM-DD atau DD/MM/YYYY"),
        ("jam", "HH:MM"),
        ("saran", "saran dan masukan (boleh kosong)"),
    ):
        guide.append([column, text])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _parse_date(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _row_errors(number: int, errors: list[FieldError]) -> list[FieldError]:
    out = []
    for error in errors:
        column = re.sub(r"^(answers|profile)\.", "", error.field)
        out.append(FieldError(column, error.message, row=number))
    return out


async def _refuse_imported(cycle_id: int, digest: str) -> None:
    if await ImportBatch.exists().where(
        (ImportBatch.cycle == cycle_id) & (ImportBatch.file_hash == digest)
    ):
        raise Conflict("Berkas yang sama sudah pernah diimpor ke siklus ini.")


async def import_responses(
    actor: Actor, cycle_id: int, content: bytes, filename: str
) -> tuple[int, list[FieldError]]:
    """Import a file of questionnaires into an open cycle.

    Returns (rows imported, errors). With any error nothing is written; the same file (by
    SHA-256) cannot be imported twice into a cycle.
    """
    cycle = await cycle_row(actor, cycle_id, Action.enter_responses)
    if cycle["status"] != CycleStatus.open.value:
        raise Conflict("Jawaban hanya diterima selama siklus dibuka.")
    if Channel.import_file.value not in cycle_channels(cycle):
        raise Conflict("Impor berkas tidak dibuka untuk survei ini.")
    digest = hashlib.sha256(content).hexdigest()
    await _refuse_imported(cycle_id, digest)
    rows = await read_upload(content, filename, MAX_ROWS)
    version = (
        await QuestionnaireVersion.select()
        .where(QuestionnaireVersion.id == cycle["questionnaire"])
        .first()
    )
    items = items_of(version)
    header = {
        name.strip().upper()
        if re.match(r"(?i)^u\d+$", name.strip())
        else name.strip().lower(): name
        for name in (rows[0].keys() if rows else [])
    }
    missing = [
        item.code for item in items if item.code.upper() not in header and int(item.code[1:]) <= 9
    ] + ([] if "metode" in header else ["metode"])
    if not rows:
        return 0, [FieldError("file", "tidak ada baris jawaban")]
    if missing:
        return 0, [
            FieldError(code, "kolom wajib tidak ada di baris judul", row=1) for code in missing
        ]
    services = await cycle_services(cycle_id)
    errors: list[FieldError] = []
    parsed: list[CleanResponse] = []
    for index, row in enumerate(rows):
        number = index + 2
        if index % ROWS_PER_PAUSE == ROWS_PER_PAUSE - 1:
            await asyncio.sleep(0)
        cells = {key: (row.get(original) or "").strip() for key, original in header.items()}
        if not any(cells.values()):
            continue
        answers, answer_errors = check_answers(
            items, {item.code: cells.get(item.code.upper(), "") for item in items}, complete=False
        )
        profile, profile_errors = check_profile(
            {k: cells.get(k, "") for k in PROFILE_COLUMNS if cells.get(k)}, required=False
        )
        row_errors = answer_errors + profile_errors
        service_id = None
        if cells.get("layanan"):
            service_id = services.get(cells["layanan"])
            if service_id is None:
                row_errors.append(
                    FieldError("layanan", f"layanan {cells['layanan']!r} tidak dikenal")
                )
        elif services:
            row_errors.append(FieldError("layanan", "wajib diisi"))
        method = parse_method(cells.get("metode", ""))
        if method is None:
            problem = (
                "wajib diisi" if not cells.get("metode") else f"{cells['metode']!r} tidak dikenal"
            )
            row_errors.append(FieldError("metode", f"{problem}; pilihan: {method_choices()}"))
        filled_on = None
        if cells.get("tanggal"):
            filled_on = _parse_date(cells["tanggal"])
            if filled_on is None:
                row_errors.append(
                    FieldError("tanggal", "format tanggal YYYY-MM-DD atau DD/MM/YYYY")
                )
            elif not cycle["start_date"] <= filled_on <= cycle["end_date"]:
                row_errors.append(FieldError("tanggal", "di luar periode survei"))
        if len(cells.get("saran", "")) > MAX_SARAN:
            row_errors.append(FieldError("saran", f"maksimal {MAX_SARAN} karakter"))
        if cells.get("jam") and not TIME_RE.match(cells["jam"][:5]):
            row_errors.append(FieldError("jam", "format jam HH:MM"))
        errors += _row_errors(number, row_errors)
        parsed.append(
            CleanResponse(
                answers,
                service_id,
                profile,
                cells.get("saran", ""),
                filled_on=filled_on,
                filled_time=cells.get("jam", "")[:5],
                method=method.value if method else "",
            )
        )
    if errors:
        return 0, errors
    async with atomic():
        # Two imports of one file racing each other: the second waits here, then is refused.
        await lock_key(f"survey-import:{cycle_id}")
        await _refuse_imported(cycle_id, digest)
        batch = await ImportBatch.insert(
            ImportBatch(
                cycle=cycle_id,
                file_hash=digest,
                filename=filename[:255],
                rows=len(parsed),
                imported_by=actor.user_id,
                created_at=utcnow(),
            )
        ).returning(ImportBatch.id)
        batch_id = int(batch[0]["id"])
        for number, clean in enumerate(parsed, start=1):
            await store(
                cycle,
                clean,
                Channel.import_file,
                token=f"import-{cycle_id}-{digest[:40]}-{number}",
                entered_by=actor.user_id,
                batch_id=batch_id,
            )
        await record(
            actor,
            "responses.imported",
            "survey_cycle",
            cycle_id,
            after={
                "file": filename,
                "sha256": digest,
                "batch": batch_id,
                "rows": len(parsed),
            },
            unit_id=cycle["unit"],
        )
    return len(parsed), []
