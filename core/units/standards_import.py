"""Importing service standards from a CSV or XLSX file: one row per service, all rows or none.

Every row is checked first (the unit and the service exist and the user may manage them, each
component fits, the date is a date, the forum belongs to the unit); when any row is bad, the report
names every row and column and nothing is written.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from core.accounts.policy import Action, Actor, can
from core.db import atomic
from core.errors import DomainError, ValidationFailed
from core.tabular import read_upload
from core.units.schemas import ImportReport, ImportRowError, StandardIn
from core.units.standards import (
    CODES,
    MAX_COMPONENT_CHARS,
    get_standard,
    save_standard,
    unit_forums,
)
from core.units.tables import Service, Unit

UNIT, SERVICE, SET_ON, FORUM = "unit", "layanan", "tanggal_penetapan", "forum_id"
COLUMNS: tuple[str, ...] = (UNIT, SERVICE, *CODES, SET_ON, FORUM)
_EXAMPLE = {
    UNIT: "DINKES",
    SERVICE: "SIK",
    "persyaratan": "Fotokopi ijazah; STR yang masih berlaku",
    "prosedur": "Pemohon mengajukan berkas, petugas memverifikasi, izin diterbitkan",
    "jangka_waktu": "5 hari kerja",
    "biaya_tarif": "Tidak dipungut biaya",
    "produk": "Surat Izin Praktik",
    "pengaduan": "Kotak saran, SP4N-LAPOR!, WhatsApp 0812-0000-0000",
    "dasar_hukum": "Permenkes 2052/2011",
    "sarana_prasarana": "Ruang tunggu, loket, komputer",
    "kompetensi_pelaksana": "Memahami regulasi perizinan tenaga kesehatan",
    "pengawasan_internal": "Atasan langsung dan Inspektorat",
    "jumlah_pelaksana": "3 orang",
    "jaminan_pelayanan": "Maklumat pelayanan",
    "jaminan_keamanan": "Data pemohon dijaga kerahasiaannya",
    "evaluasi_kinerja": "Evaluasi setiap triwulan",
    SET_ON: "2026-03-02",
    FORUM: "",
}


def template_csv() -> bytes:
    """The import layout: the header and one example row (UTF-8 with BOM, so Excel reads it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow([_EXAMPLE[column] for column in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def _services(actor: Actor) -> dict[tuple[str, str], int]:
    """(unit code, service code) → unit id, for the services the actor may manage."""
    rows = await Service.select(
        Service.code, Service.unit, Service.unit.code.as_alias("unit_code")
    ).where(Service.unit.active.eq(True))
    return {
        (row["unit_code"], row["code"]): row["unit"]
        for row in rows
        if can(actor, Action.manage_services, row["unit"])
    }


async def _parse(
    actor: Actor, rows: list[dict[str, str]]
) -> tuple[list[tuple[int, str, str, StandardIn]], list[ImportRowError]]:
    allowed = await _services(actor)
    units = {row["code"] for row in await Unit.select(Unit.code)}
    forums: dict[int, set[int]] = {}
    seen: dict[tuple[str, str], int] = {}
    parsed: list[tuple[int, str, str, StandardIn]] = []
    errors: list[ImportRowError] = []
    for number, raw in enumerate(rows, start=2):
        row = {k.strip().casefold(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        key = (row.get(UNIT, ""), row.get(SERVICE, ""))
        problems: list[tuple[str, str]] = []
        bad = problems.append
        if key[0] not in units:
            bad((UNIT, f"unit {key[0]!r} tidak ada" if key[0] else "wajib diisi"))
        elif key not in allowed:
            bad(
                (SERVICE, f"layanan {key[1]!r} tidak ada di unit {key[0]} atau bukan wewenang Anda")
            )
        if key in seen:
            bad((SERVICE, f"layanan yang sama sudah ada di baris {seen[key]}"))
        seen.setdefault(key, number)
        for code in CODES:
            if len(row.get(code, "")) > MAX_COMPONENT_CHARS:
                bad((code, f"maksimal {MAX_COMPONENT_CHARS} karakter"))
        set_on = _date(row.get(SET_ON, "")) if row.get(SET_ON) else None
        if row.get(SET_ON) and set_on is None:
            bad((SET_ON, "tanggal tidak valid (format TTTT-BB-HH)"))
        forum: int | None = None
        if row.get(FORUM):
            text = row[FORUM]
            forum = int(text) if text.isascii() and text.isdigit() else None
            unit_id = allowed.get(key)
            if forum is None:
                bad((FORUM, "harus berupa nomor forum"))
            elif unit_id is not None:
                if unit_id not in forums:
                    forums[unit_id] = {f["id"] for f in await unit_forums(unit_id)}
                if forum not in forums[unit_id]:
                    bad((FORUM, f"forum {forum} tidak ada atau bukan forum unit {key[0]}"))
        errors += [ImportRowError(number, column, message) for column, message in problems]
        components = {code: row.get(code, "") for code in CODES}
        parsed.append((number, *key, StandardIn(components=components, set_on=set_on, forum=forum)))
    return parsed, errors


class _Abort(Exception):
    """Raised inside the import transaction to roll it back."""


async def import_standards(actor: Actor, content: bytes, filename: str) -> ImportReport:
    """Create or replace the standard of every service in the file (CSV or XLSX), or none."""
    try:
        rows = await read_upload(content, filename)
    except ValidationFailed as exc:
        return ImportReport(0, 0, [ImportRowError(0, e.field, e.message) for e in exc.errors])
    header = {name.strip().casefold() for row in rows[:1] for name in row}
    missing = [column for column in COLUMNS if column not in header]
    if not rows:
        return ImportReport(0, 0, [ImportRowError(0, "file", "berkas tidak berisi baris data")])
    if missing:
        message = f"kolom tidak ada di baris judul: {', '.join(missing)}"
        return ImportReport(0, 0, [ImportRowError(1, "file", message)])
    parsed, errors = await _parse(actor, rows)
    if errors:
        return ImportReport(0, 0, errors)
    if not parsed:
        return ImportReport(0, 0, [ImportRowError(0, "file", "berkas tidak berisi baris data")])
    created = updated = 0
    try:
        async with atomic():
            for number, unit, service, data in parsed:
                try:
                    existed = (await get_standard(actor, unit, service)).updated_at is not None
                    await save_standard(actor, unit, service, data)
                except ValidationFailed as exc:
                    errors += [ImportRowError(number, e.field, e.message) for e in exc.errors]
                    raise _Abort from exc
                except DomainError as exc:
                    errors.append(ImportRowError(number, SERVICE, exc.message))
                    raise _Abort from exc
                created, updated = (created, updated + 1) if existed else (created + 1, updated)
    except _Abort:
        return ImportReport(0, 0, errors)
    return ImportReport(created, updated, [])
