"""Field rules for units and services, shared by forms, the API and file imports."""

from __future__ import annotations

import re

from core.cells import has_control_characters
from core.errors import FieldError
from core.units.tables import UnitKind

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^[0-9+()\s.-]{0,40}$")

KIND_LABELS: dict[str, str] = {
    UnitKind.pemda.value: "Pemerintah Daerah",
    UnitKind.opd.value: "Perangkat Daerah (OPD)",
    UnitKind.kecamatan.value: "Kecamatan",
    UnitKind.kelurahan_desa.value: "Kelurahan/Desa",
    UnitKind.puskesmas.value: "Puskesmas",
    UnitKind.rsud.value: "RSUD",
    UnitKind.upt.value: "UPT",
    UnitKind.sekolah.value: "Sekolah",
}


def check_code(value: str, field: str = "code") -> list[FieldError]:
    """A code: 1–40 letters, digits, dot, dash or underscore, starting with a letter or digit."""
    if not value:
        return [FieldError(field, "wajib diisi")]
    if not CODE_RE.match(value):
        return [
            FieldError(field, "hanya huruf, angka, titik, garis bawah atau tanda hubung (maks. 40)")
        ]
    return []


def check_name(value: str, field: str = "name") -> list[FieldError]:
    """A display name: not blank, no control characters, at most 200 characters."""
    if not value.strip():
        return [FieldError(field, "wajib diisi")]
    if has_control_characters(value) or "\n" in value or "\r" in value or "\t" in value:
        return [FieldError(field, "tidak boleh berisi karakter kontrol atau baris baru")]
    if len(value) > 200:
        return [FieldError(field, "maksimal 200 karakter")]
    return []


def check_kind(value: str) -> list[FieldError]:
    """One of the unit kinds."""
    if value not in KIND_LABELS:
        return [
            FieldError(
                "kind", f"jenis unit tidak dikenal: {value!r} (pilihan: {', '.join(KIND_LABELS)})"
            )
        ]
    return []


def check_contact(email: str, phone: str) -> list[FieldError]:
    """Optional e-mail and phone, well-formed when given."""
    errors = []
    if email and not EMAIL_RE.match(email):
        errors.append(FieldError("email", "alamat e-mail tidak valid"))
    if phone and not PHONE_RE.match(phone):
        errors.append(
            FieldError("phone", "nomor telepon hanya boleh berisi angka, spasi, +, -, ( )")
        )
    return errors
