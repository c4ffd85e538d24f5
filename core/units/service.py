"""The rules for units and their services. Every write is audited and emits an event."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET

from core.accounts.policy import Action, Actor, can, require, visible_unit_ids
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic, icontains
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.jobs.outbox import enqueue
from core.units.schemas import ServiceIn, ServiceOut, ServicePatch, UnitIn, UnitOut, UnitPatch
from core.units.tables import Service, Unit, UnitKind
from core.units.validation import check_code, check_contact, check_kind, check_name

CONTACT_FIELDS = frozenset({"address", "phone", "email"})


def _unit_columns() -> list[Any]:
    return [*Unit.all_columns(), Unit.parent.code.as_alias("parent_code")]


def _unit_out(row: dict[str, Any]) -> UnitOut:
    return UnitOut(
        id=row["id"],
        code=row["code"],
        name=row["name"],
        kind=row["kind"],
        parent=row.get("parent_code"),
        address=row["address"],
        phone=row["phone"],
        email=row["email"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _snapshot(unit: UnitOut) -> dict[str, Any]:
    data = msgspec.to_builtins(unit)
    data.pop("created_at", None)
    data.pop("updated_at", None)
    return data


async def emit_event(name: str, payload: dict[str, Any]) -> None:
    """Queue a domain event for plugins; call inside the atomic() block of the change."""
    await enqueue("event", {"name": name, "payload": payload})


async def _row_by_code(code: str) -> dict[str, Any] | None:
    return await Unit.select(*_unit_columns()).where(Unit.code == code).first()


async def unit_by_code(actor: Actor, code: str, action: Action = Action.view_unit) -> UnitOut:
    """The unit with this code if the actor may take action on it; otherwise NotFound/Denied."""
    row = await _row_by_code(code)
    if row is None or not can(actor, Action.view_unit, row["id"]):
        raise NotFound(f"Unit dengan kode {code!r} tidak ditemukan.")
    require(actor, action, row["id"])
    return _unit_out(row)


async def list_units(
    actor: Actor,
    *,
    kind: str | None = None,
    search: str | None = None,
    include_inactive: bool = True,
) -> list[UnitOut]:
    """Units the actor may see, ordered by kind then name."""
    visible = visible_unit_ids(actor)
    query = Unit.select(*_unit_columns()).order_by(Unit.kind).order_by(Unit.name)
    if visible is not None:
        if not visible:
            return []
        query = query.where(Unit.id.is_in(list(visible)))
    if kind:
        query = query.where(Unit.kind == kind)
    if search:
        query = query.where(icontains(Unit.name, search) | icontains(Unit.code, search))
    if not include_inactive:
        query = query.where(Unit.active.eq(True))
    return [_unit_out(row) for row in await query]


async def _parent_id(parent: str | None, own_id: int | None, field: str = "parent") -> int | None:
    if not parent:
        return None
    row = await Unit.select(Unit.id, Unit.parent).where(Unit.code == parent).first()
    if row is None:
        raise ValidationFailed.single(field, f"unit induk {parent!r} tidak ada")
    seen = set()
    cursor: int | None = row["id"]
    while cursor is not None and cursor not in seen:
        if own_id is not None and cursor == own_id:
            raise ValidationFailed.single(field, "unit tidak boleh menjadi induk dirinya sendiri")
        seen.add(cursor)
        up = await Unit.select(Unit.parent).where(Unit.id == cursor).first()
        cursor = up["parent"] if up else None
    return int(row["id"])


def validate_unit(data: UnitIn) -> list[FieldError]:
    """Every field problem of a unit (shared by the service and the CSV pre-check)."""
    errors = [
        *check_code(data.code),
        *check_name(data.name),
        *check_kind(data.kind),
        *check_contact(data.email, data.phone),
    ]
    if data.kind == UnitKind.pemda.value and data.parent:
        errors.append(FieldError("parent", "pemerintah daerah adalah puncak hierarki, tanpa induk"))
    return errors


async def create_unit(actor: Actor, data: UnitIn) -> UnitOut:
    """Create a unit (admin only); the code must be new."""
    require(actor, Action.create_unit)
    data = msgspec.structs.replace(data, code=data.code.strip(), name=data.name.strip())
    errors = validate_unit(data)
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        if await Unit.exists().where(Unit.code == data.code):
            raise Conflict(f"Kode unit {data.code!r} sudah dipakai.")
        parent_id = await _parent_id(data.parent, None)
        now = utcnow()
        inserted = await Unit.insert(
            Unit(
                code=data.code,
                name=data.name,
                kind=data.kind,
                parent=parent_id,
                address=data.address,
                phone=data.phone,
                email=data.email,
                active=True,
                created_at=now,
                updated_at=now,
            )
        ).returning(Unit.id)
        unit = await unit_by_code(Actor.system(), data.code)
        await record(
            actor,
            "unit.created",
            "unit",
            data.code,
            after=_snapshot(unit),
            unit_id=inserted[0]["id"],
        )
        await emit_event("unit.created", {"unit": data.code})
    return unit


async def update_unit(actor: Actor, code: str, patch: UnitPatch) -> UnitOut:
    """Change a unit: admins any field, operators only the contact fields of their own units."""
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not UNSET}
    async with atomic():
        before = await unit_by_code(actor, code)
        if set(changes) - CONTACT_FIELDS:
            require(actor, Action.edit_unit, before.id)
        else:
            require(actor, Action.edit_unit_contact, before.id)
        merged = UnitIn(
            code=before.code,
            name=changes.get("name", before.name),
            kind=changes.get("kind", before.kind),
            parent=changes.get("parent", before.parent),
            address=changes.get("address", before.address),
            phone=changes.get("phone", before.phone),
            email=changes.get("email", before.email),
        )
        errors = validate_unit(merged)
        if errors:
            raise ValidationFailed(errors)
        values: dict[Any, Any] = {Unit.updated_at: utcnow()}
        for name, value in changes.items():
            if name == "parent":
                values[Unit.parent] = await _parent_id(value, before.id)
            else:
                values[getattr(Unit, name)] = value.strip() if isinstance(value, str) else value
        await Unit.update(values).where(Unit.id == before.id)
        after = await unit_by_code(Actor.system(), code)
        action = "unit.updated"
        if changes.get("active") is False and before.active:
            action = "unit.deactivated"
        elif changes.get("active") is True and not before.active:
            action = "unit.reactivated"
        await record(
            actor,
            action,
            "unit",
            code,
            before=_snapshot(before),
            after=_snapshot(after),
            unit_id=before.id,
        )
        await emit_event(action, {"unit": code})
    return after


def _service_out(row: dict[str, Any], unit_code: str) -> ServiceOut:
    return ServiceOut(
        id=row["id"], unit=unit_code, code=row["code"], name=row["name"], active=row["active"]
    )


async def list_services(actor: Actor, unit_code: str) -> list[ServiceOut]:
    """The jenis layanan of a unit."""
    unit = await unit_by_code(actor, unit_code)
    rows = await Service.select().where(Service.unit == unit.id).order_by(Service.code)
    return [_service_out(row, unit.code) for row in rows]


async def create_service(actor: Actor, unit_code: str, data: ServiceIn) -> ServiceOut:
    """Add a jenis layanan to a unit; its code is unique within the unit."""
    data = ServiceIn(code=data.code.strip(), name=data.name.strip())
    errors = [*check_code(data.code), *check_name(data.name)]
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        unit = await unit_by_code(actor, unit_code, Action.manage_services)
        exists = await Service.exists().where(
            (Service.unit == unit.id) & (Service.code == data.code)
        )
        if exists:
            raise Conflict(f"Kode layanan {data.code!r} sudah ada di unit {unit.code}.")
        now = utcnow()
        rows = await Service.insert(
            Service(
                unit=unit.id,
                code=data.code,
                name=data.name,
                active=True,
                created_at=now,
                updated_at=now,
            )
        ).returning(*Service.all_columns())
        out = _service_out(rows[0], unit.code)
        await record(
            actor,
            "service.created",
            "service",
            f"{unit.code}/{data.code}",
            after=msgspec.to_builtins(out),
            unit_id=unit.id,
        )
        await emit_event("service.created", {"unit": unit.code, "service": data.code})
    return out


async def update_service(
    actor: Actor, unit_code: str, service_code: str, patch: ServicePatch
) -> ServiceOut:
    """Rename or (de)activate a jenis layanan."""
    changes = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not UNSET}
    if "name" in changes:
        changes["name"] = changes["name"].strip()
        errors = check_name(changes["name"])
        if errors:
            raise ValidationFailed(errors)
    async with atomic():
        unit = await unit_by_code(actor, unit_code, Action.manage_services)
        row = (
            await Service.select()
            .where((Service.unit == unit.id) & (Service.code == service_code))
            .first()
        )
        if row is None:
            raise NotFound(f"Layanan {service_code!r} tidak ada di unit {unit.code}.")
        before = _service_out(row, unit.code)
        values: dict[Any, Any] = {Service.updated_at: utcnow()}
        values.update({getattr(Service, k): v for k, v in changes.items()})
        await Service.update(values).where(Service.id == row["id"])
        new_row = await Service.select().where(Service.id == row["id"]).first()
        after = _service_out(new_row, unit.code)
        await record(
            actor,
            "service.updated",
            "service",
            f"{unit.code}/{service_code}",
            before=msgspec.to_builtins(before),
            after=msgspec.to_builtins(after),
            unit_id=unit.id,
        )
        await emit_event("service.updated", {"unit": unit.code, "service": service_code})
    return after


async def count_units_by_kind(actor: Actor) -> dict[str, int]:
    """How many active units of each kind the actor can see."""
    counts: dict[str, int] = {}
    for unit in await list_units(actor, include_inactive=False):
        counts[unit.kind] = counts.get(unit.kind, 0) + 1
    return counts
