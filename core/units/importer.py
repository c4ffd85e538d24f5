"""Importing units from CSV: validate every row first, then write all or nothing."""

from __future__ import annotations

from core.accounts.policy import Action, Actor, require
from core.db import atomic
from core.errors import ValidationFailed
from core.tabular import read_csv
from core.units.schemas import ImportReport, ImportRowError, UnitIn, UnitPatch
from core.units.service import create_unit, update_unit, validate_unit
from core.units.tables import Unit

COLUMNS = ("code", "name", "kind", "parent", "address", "phone", "email")
REQUIRED = ("code", "name", "kind")
TEMPLATE = (
    ",".join(COLUMNS)
    + "\nDINKES,Dinas Kesehatan,opd,KAB,Jl. Merdeka 1,0271-555,dinkes@contoh.go.id\n"
)


class _Abort(Exception):
    """Raised inside the import transaction to roll it back."""


async def import_units_csv(actor: Actor, content: bytes) -> ImportReport:
    """Create new units and update existing ones (matched by code) from a CSV file.

    Every row is checked before anything is written; when any row is bad the report lists every
    problem by row and column and the database is left untouched.
    """
    require(actor, Action.import_units)
    try:
        rows = await read_csv(content, REQUIRED)
    except ValidationFailed as exc:
        return ImportReport(0, 0, [ImportRowError(0, e.field, e.message) for e in exc.errors])
    existing = {r["code"]: r["id"] for r in await Unit.select(Unit.code, Unit.id)}
    errors: list[ImportRowError] = []
    seen: dict[str, int] = {}
    parsed: list[tuple[int, UnitIn]] = []
    for number, row in rows:
        data = UnitIn(**{c: row.get(c, "") for c in COLUMNS})
        data.parent = data.parent or None
        problems = validate_unit(data)
        errors += [ImportRowError(number, p.field, p.message) for p in problems]
        if data.code in seen:
            errors.append(
                ImportRowError(number, "code", f"kode sama dengan baris {seen[data.code]}")
            )
        if data.parent and data.parent not in existing and data.parent not in seen:
            errors.append(
                ImportRowError(
                    number,
                    "parent",
                    f"unit induk {data.parent!r} tidak ada (atau muncul setelah baris ini)",
                )
            )
        if data.parent and data.parent == data.code:
            errors.append(
                ImportRowError(number, "parent", "unit tidak boleh menjadi induk dirinya")
            )
        seen.setdefault(data.code, number)
        parsed.append((number, data))
    if errors:
        return ImportReport(0, 0, errors)
    created = updated = 0
    try:
        async with atomic():
            for number, data in parsed:
                try:
                    if data.code in existing:
                        await update_unit(
                            actor,
                            data.code,
                            UnitPatch(
                                name=data.name,
                                kind=data.kind,
                                parent=data.parent,
                                address=data.address,
                                phone=data.phone,
                                email=data.email,
                            ),
                        )
                        updated += 1
                    else:
                        await create_unit(actor, data)
                        created += 1
                except ValidationFailed as exc:  # e.g. a parent cycle only seen when writing
                    errors += [ImportRowError(number, e.field, e.message) for e in exc.errors]
                    raise _Abort from exc
    except _Abort:
        return ImportReport(0, 0, errors)
    return ImportReport(created, updated, errors)
