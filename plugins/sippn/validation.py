"""Checking a SIPPN document before anything is written: every problem, named by unit and field.

The readable checks come first (a service without its standard, an unsur missing, an index
withheld …); a document that passes them is then held against the JSON Schema shipped with the
plugin (``sippn.schema.json``), which also pins codes and number ranges.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from core.plugin_api import FieldError, ValidationFailed
from plugins.sippn.document import COMPONENTS

SCHEMA_PATH = Path(__file__).with_name("sippn.schema.json")
STANDARD_UNSUR = tuple(f"U{n}" for n in range(1, 10))


@cache
def schema() -> dict[str, Any]:
    """The shipped JSON Schema."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _service_problems(unit: str, service: Mapping[str, Any]) -> list[FieldError]:
    where = f"{unit}.layanan.{service['kode_layanan']}"
    standard = service["standar_pelayanan"]
    blank = [code for code in COMPONENTS if not str(standard.get(code) or "").strip()]
    if len(blank) == len(COMPONENTS):
        return [FieldError(f"{where}.standar_pelayanan", "belum punya Standar Pelayanan")]
    errors = [FieldError(f"{where}.{code}", "komponen standar kosong") for code in blank]
    if not service["tanggal_penetapan"]:
        errors.append(FieldError(f"{where}.tanggal_penetapan", "tanggal penetapan belum diisi"))
    return errors


def _skm_problems(unit: str, skm: Mapping[str, Any]) -> list[FieldError]:
    where = f"{unit}.skm"
    errors: list[FieldError] = []
    if skm["indeks_ditahan"]:
        errors.append(FieldError(f"{where}.ikm", f"indeks ditahan: {skm['indeks_ditahan']}"))
    answered = {row["kode"] for row in skm["unsur"] if row["jumlah_menjawab"]}
    errors += [
        FieldError(f"{where}.unsur.{code}", "unsur baku tidak ada atau tanpa jawaban")
        for code in STANDARD_UNSUR
        if code not in answered
    ]
    return errors


def problems(document: Mapping[str, Any]) -> list[FieldError]:
    """Every problem in the document; empty when it may be written."""
    errors: list[FieldError] = []
    for unit in document["unit"]:
        code = unit["kode_unit"]
        if not unit["layanan"]:
            errors.append(FieldError(f"{code}.layanan", "unit belum punya jenis layanan aktif"))
        for service in unit["layanan"]:
            errors += _service_problems(code, service)
        errors += _skm_problems(code, unit["skm"])
    if errors:
        return errors
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [
        FieldError(_path(document, error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    ]


def _path(document: Mapping[str, Any], path: Any) -> str:
    """A schema error's place as unit code and field names (``DINKES.skm.konversi``)."""
    parts = list(path)
    if len(parts) >= 2 and parts[0] == "unit" and isinstance(parts[1], int):
        parts = [document["unit"][parts[1]]["kode_unit"], *parts[2:]]
    return ".".join(str(part) for part in parts) or "dokumen"


def check(document: Mapping[str, Any]) -> None:
    """Raise ValidationFailed naming every unit and field when the document has any problem."""
    errors = problems(document)
    if errors:
        units = sorted({error.field.split(".", 1)[0] for error in errors})
        raise ValidationFailed(
            errors,
            f"Ekspor SIPPN ditolak, tidak ada berkas yang ditulis: {len(errors)} masalah pada "
            f"{', '.join(units)}",
        )
