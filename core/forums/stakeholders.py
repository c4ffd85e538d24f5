"""The stakeholder registry: the people and organisations a regency consults."""

from __future__ import annotations

import json
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic, icontains
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.forums.labels import GROUP_LABELS, VULNERABLE_LABELS
from core.forums.schemas import StakeholderIn, StakeholderOut
from core.forums.tables import Stakeholder, StakeholderUnit
from core.tabular import read_csv
from core.units.tables import Unit
from core.units.validation import check_contact

CSV_COLUMNS = (
    "name",
    "organisation",
    "position",
    "group",
    "email",
    "phone",
    "consent",
    "vulnerable",
    "units",
)


def _normalise_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return "+62" + digits[1:] if digits.startswith("0") else digits


def check_stakeholder(data: StakeholderIn, known_units: set[str]) -> list[FieldError]:
    """Every field problem of a stakeholder."""
    errors: list[FieldError] = []
    if not data.name.strip():
        errors.append(FieldError("name", "wajib diisi"))
    if data.group not in GROUP_LABELS:
        errors.append(FieldError("group", f"pilihan: {', '.join(GROUP_LABELS)}"))
    errors += check_contact(data.email.strip(), data.phone.strip())
    errors += [
        FieldError("vulnerable", f"pilihan: {', '.join(VULNERABLE_LABELS)}")
        for v in data.vulnerable
        if v not in VULNERABLE_LABELS
    ][:1]
    errors += [
        FieldError("units", f"unit {code!r} tidak ada")
        for code in data.units
        if code not in known_units
    ]
    if data.consent and not (data.email.strip() or data.phone.strip()):
        errors.append(FieldError("consent", "persetujuan dihubungi perlu e-mail atau telepon"))
    return errors


async def _unit_ids() -> dict[str, int]:
    return {r["code"]: r["id"] for r in await Unit.select(Unit.code, Unit.id)}


async def find_duplicate(email: str, phone: str, exclude: int | None = None) -> int | None:
    """The id of an active stakeholder with the same e-mail or phone, if any."""
    conditions = []
    if email.strip():
        conditions.append(Stakeholder.email == email.strip().lower())
    if phone.strip():
        conditions.append(Stakeholder.phone == _normalise_phone(phone))
    if not conditions:
        return None
    where = conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]
    query = Stakeholder.select(Stakeholder.id).where(where)
    if exclude is not None:
        query = query.where(Stakeholder.id != exclude)
    row = await query.first()
    return int(row["id"]) if row else None


async def _write(
    actor: Actor, data: StakeholderIn, units: dict[str, int], existing: int | None
) -> int:
    now = utcnow()
    before = None
    consent_at = now if data.consent else None
    if existing is not None:
        before = await Stakeholder.select().where(Stakeholder.id == existing).first()
        if data.consent and before and before["consent"] and before["consent_at"]:
            consent_at = before["consent_at"]  # consent given earlier stays dated then
    values = {
        "name": data.name.strip(),
        "organisation": data.organisation.strip(),
        "position": data.position.strip(),
        "group": data.group,
        "vulnerable": json.dumps(sorted(set(data.vulnerable))),
        "email": data.email.strip().lower(),
        "phone": _normalise_phone(data.phone),
        "consent": data.consent,
        "consent_at": consent_at,
    }
    if existing is None:
        rows = await Stakeholder.insert(
            Stakeholder(**values, active=True, created_at=now, updated_at=now)
        ).returning(Stakeholder.id)
        stakeholder_id = int(rows[0]["id"])
        action = "stakeholder.created"
    else:
        stakeholder_id = existing
        await Stakeholder.update(
            {getattr(Stakeholder, k): v for k, v in values.items()} | {Stakeholder.updated_at: now}
        ).where(Stakeholder.id == existing)
        await StakeholderUnit.delete().where(StakeholderUnit.stakeholder == existing)
        action = "stakeholder.updated"
    for code in dict.fromkeys(data.units):
        await StakeholderUnit.insert(StakeholderUnit(stakeholder=stakeholder_id, unit=units[code]))
    await record(
        actor,
        action,
        "stakeholder",
        stakeholder_id,
        before=(
            {k: str(before[k]) if k == "consent_at" else before[k] for k in values}
            if before
            else None
        ),
        after={**values, "consent_at": str(values["consent_at"]), "units": data.units},
    )
    return stakeholder_id


async def create_stakeholder(actor: Actor, data: StakeholderIn) -> StakeholderOut:
    """Add a stakeholder; an existing one with the same e-mail or phone is a conflict."""
    require(actor, Action.manage_stakeholders)
    units = await _unit_ids()
    errors = check_stakeholder(data, set(units))
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        duplicate = await find_duplicate(data.email, data.phone)
        if duplicate is not None:
            raise Conflict(
                f"Pemangku kepentingan dengan e-mail/telepon ini sudah ada (id {duplicate})."
            )
        stakeholder_id = await _write(actor, data, units, None)
    return await get_stakeholder(actor, stakeholder_id)


async def update_stakeholder(
    actor: Actor, stakeholder_id: int, data: StakeholderIn
) -> StakeholderOut:
    """Change a stakeholder; another one with the same e-mail or phone is a conflict."""
    require(actor, Action.manage_stakeholders)
    units = await _unit_ids()
    errors = check_stakeholder(data, set(units))
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await get_stakeholder(actor, stakeholder_id)
        duplicate = await find_duplicate(data.email, data.phone, exclude=stakeholder_id)
        if duplicate is not None:
            raise Conflict(
                f"Pemangku kepentingan lain dengan e-mail/telepon ini sudah ada (id {duplicate})."
            )
        await _write(actor, data, units, stakeholder_id)
    return await get_stakeholder(actor, stakeholder_id)


def _out(row: dict[str, Any], units: list[str]) -> StakeholderOut:
    vulnerable = row["vulnerable"]
    return StakeholderOut(
        id=row["id"],
        name=row["name"],
        organisation=row["organisation"],
        position=row["position"],
        group=row["group"],
        email=row["email"],
        phone=row["phone"],
        consent=row["consent"],
        vulnerable=json.loads(vulnerable) if isinstance(vulnerable, str) else list(vulnerable),
        units=units,
        active=row["active"],
    )


async def _units_by_stakeholder(ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    rows = await StakeholderUnit.select(
        StakeholderUnit.stakeholder, StakeholderUnit.unit.code.as_alias("code")
    ).where(StakeholderUnit.stakeholder.is_in(ids))
    out: dict[int, list[str]] = {}
    for row in rows:
        out.setdefault(row["stakeholder"], []).append(row["code"])
    return out


async def get_stakeholder(actor: Actor, stakeholder_id: int) -> StakeholderOut:
    """One stakeholder (staff who handle forums)."""
    require(actor, Action.view_forums)
    row = await Stakeholder.select().where(Stakeholder.id == stakeholder_id).first()
    if row is None:
        raise NotFound(f"Pemangku kepentingan {stakeholder_id} tidak ditemukan.")
    units = await _units_by_stakeholder([stakeholder_id])
    return _out(row, sorted(units.get(stakeholder_id, [])))


async def list_stakeholders(
    actor: Actor, *, group: str | None = None, unit: str | None = None, search: str | None = None
) -> list[StakeholderOut]:
    """The registry, filtered by group, related unit or a search text."""
    require(actor, Action.view_forums)
    query = Stakeholder.select().where(Stakeholder.active.eq(True)).order_by(Stakeholder.name)
    if group:
        query = query.where(Stakeholder.group == group)
    if search:
        query = query.where(
            icontains(Stakeholder.name, search) | icontains(Stakeholder.organisation, search)
        )
    rows = await query
    units = await _units_by_stakeholder([r["id"] for r in rows])
    out = [_out(r, sorted(units.get(r["id"], []))) for r in rows]
    if unit:
        out = [s for s in out if unit in s.units]
    return out


async def withdraw_consent(actor: Actor, stakeholder_id: int) -> None:
    """The stakeholder no longer wants to be contacted: nothing is sent to them any more."""
    require(actor, Action.manage_stakeholders)
    async with atomic():
        await get_stakeholder(actor, stakeholder_id)
        await Stakeholder.update(
            {
                Stakeholder.consent: False,
                Stakeholder.consent_at: None,
                Stakeholder.updated_at: utcnow(),
            }
        ).where(Stakeholder.id == stakeholder_id)
        await record(actor, "stakeholder.consent_withdrawn", "stakeholder", stakeholder_id)


def _bool(text: str) -> bool | None:
    value = text.strip().lower()
    if value in {"1", "ya", "yes", "y", "true"}:
        return True
    if value in {"", "0", "tidak", "no", "n", "false"}:
        return False
    return None


async def import_stakeholders_csv(
    actor: Actor, content: bytes
) -> tuple[int, int, list[FieldError]]:
    """Create or update (matched by e-mail/phone) stakeholders from CSV; all rows or none."""
    require(actor, Action.manage_stakeholders)
    rows = await read_csv(content, ("name", "group"))
    units = await _unit_ids()
    errors: list[FieldError] = []
    parsed: list[tuple[int, StakeholderIn]] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        consent = _bool(row.get("consent", ""))
        data = StakeholderIn(
            name=row.get("name", ""),
            group=row.get("group", ""),
            organisation=row.get("organisation", ""),
            position=row.get("position", ""),
            email=row.get("email", ""),
            phone=row.get("phone", ""),
            consent=bool(consent),
            vulnerable=[v.strip() for v in row.get("vulnerable", "").split("|") if v.strip()],
            units=[u.strip() for u in row.get("units", "").split("|") if u.strip()],
        )
        problems = check_stakeholder(data, set(units))
        if consent is None:
            problems.append(FieldError("consent", "isi ya atau tidak"))
        for key in (data.email.strip().lower(), _normalise_phone(data.phone)):
            if key and key in seen:
                problems.append(
                    FieldError("email" if "@" in key else "phone", f"sama dengan baris {seen[key]}")
                )
            elif key:
                seen[key] = number
        errors += [FieldError(p.field, p.message, row=number) for p in problems]
        parsed.append((number, data))
    if errors:
        return 0, 0, errors
    created = updated = 0
    async with atomic():
        for _, data in parsed:
            existing = await find_duplicate(data.email, data.phone)
            await _write(actor, data, units, existing)
            created += existing is None
            updated += existing is not None
    return created, updated, []
