"""Enrolled kiosk devices: each counter kiosk has its own revocable token and its own pace.

The unit's staff (whoever may manage its cycles) enrol a device and see its token once, as the
kiosk address; only the token's SHA-256 is stored, so nobody — inspector, organiser, or a reader
of the database — can read it back. A device answers for its unit's open cycle, takes at most one
submission every ``kiosk_min_interval_seconds`` (checked by the statement that stores it, like the
public pace), and is refused the moment it is revoked (a form a process's link cache already
holds may still be shown for that cache's few seconds; its answers are refused).
Enrolment, revocation and every refused use are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.accounts.policy import Action, Actor, require
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from core.settings import Settings
from core.surveys.pace import pace_condition
from core.surveys.tables import CycleStatus, KioskDevice, SurveyCycle
from core.units.service import unit_by_code
from core.units.validation import check_name

NAME_MAX = 100
REVOKED = "Kios ini sudah dicabut. Minta petugas unit mendaftarkan ulang perangkat ini."
UNKNOWN = "Tautan kios tidak dikenal."


def token_hash(token: str) -> str:
    """What is stored of a device token."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Device:
    """An enrolled device as its unit's staff see it (never its token)."""

    id: int
    unit: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class Enrolled:
    """A device just enrolled: the only time its token is given."""

    device: Device
    token: str

    def url(self, settings: Settings) -> str:
        """The kiosk address to open on the device."""
        return f"{settings.base_url}/kiosk/{self.token}"


def _device(row: dict[str, Any], unit_code: str) -> Device:
    return Device(
        id=row["id"],
        unit=unit_code,
        name=row["name"],
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
    )


async def enrol_device(actor: Actor, unit_code: str, name: str) -> Enrolled:
    """Enrol a counter device for the unit; its token is in the answer and nowhere else."""
    unit = await unit_by_code(actor, unit_code, Action.manage_cycles)
    name = name.strip()
    errors = check_name(name, "name")
    if len(name) > NAME_MAX:
        raise ValidationFailed.single("name", f"maksimal {NAME_MAX} karakter")
    if errors:
        raise ValidationFailed(errors)
    token = secrets.token_urlsafe(24)
    async with atomic():
        rows = await KioskDevice.insert(
            KioskDevice(
                unit=unit.id,
                name=name,
                token_hash=token_hash(token),
                created_at=utcnow(),
                created_by=actor.user_id,
            )
        ).returning(*KioskDevice.all_columns())
        row = rows[0]
        await record(
            actor,
            "kiosk.enrolled",
            "kiosk_device",
            row["id"],
            after={"name": name},
            unit_id=unit.id,
        )
    return Enrolled(_device(row, unit.code), token)


async def list_devices(actor: Actor, unit_code: str) -> list[Device]:
    """The unit's devices, newest first (for its staff only)."""
    unit = await unit_by_code(actor, unit_code, Action.manage_cycles)
    rows = (
        await KioskDevice.select(*KioskDevice.all_columns())
        .where(KioskDevice.unit == unit.id)
        .order_by(KioskDevice.id, ascending=False)
    )
    return [_device(row, unit.code) for row in rows]


async def revoke_device(actor: Actor, device_id: int) -> Device:
    """Revoke a device: its token stops working at once."""
    async with atomic():
        row = (
            await KioskDevice.select(
                *KioskDevice.all_columns(), KioskDevice.unit.code.as_alias("unit_code")
            )
            .where(KioskDevice.id == device_id)
            .first()
        )
        if row is None:
            require(actor, Action.manage_cycles)
            raise NotFound("Perangkat kios tidak ditemukan.")
        require(actor, Action.manage_cycles, row["unit"])
        if row["revoked_at"] is not None:
            raise Conflict("Perangkat kios ini sudah dicabut.")
        now = utcnow()
        await KioskDevice.update(
            {KioskDevice.revoked_at: now, KioskDevice.revoked_by: actor.user_id}
        ).where(KioskDevice.id == device_id)
        await record(
            actor,
            "kiosk.revoked",
            "kiosk_device",
            device_id,
            before={"name": row["name"]},
            unit_id=row["unit"],
        )
    return _device({**row, "revoked_at": now}, row["unit_code"])


async def _refused(row: dict[str, Any], reason: str) -> None:
    """Audit a refused use of a device (in a transaction of its own: the use wrote nothing)."""
    async with atomic():
        await record(
            Actor.system(),
            "kiosk.refused",
            "kiosk_device",
            row["id"],
            after={"name": row["name"], "reason": reason},
            unit_id=row["unit"],
        )


async def device_by_token(token: str) -> dict[str, Any]:
    """The enrolled device behind a kiosk token; NotFound when unknown or revoked (audited)."""
    row = await KioskDevice.select().where(KioskDevice.token_hash == token_hash(token)).first()
    if row is None:
        raise NotFound(UNKNOWN)
    if row["revoked_at"] is not None:
        await _refused(row, "revoked")
        raise NotFound(REVOKED)
    return row


async def device_cycle(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The device and its unit's open cycle taking kiosk answers (the latest opened)."""
    device = await device_by_token(token)
    cycle = (
        await SurveyCycle.select()
        .where(
            (SurveyCycle.unit == device["unit"]) & (SurveyCycle.status == CycleStatus.open.value)
        )
        .order_by(SurveyCycle.opened_at, ascending=False)
        .first()
    )
    if cycle is None:
        raise Conflict("Survei ini sedang tidak menerima jawaban. Terima kasih atas minat Anda.")
    return device, cycle


# The device is still enrolled: part of the WHERE clause of the statement storing its response.
ENROLLED_SQL = "EXISTS (SELECT 1 FROM kiosk_device d WHERE d.id = {} AND d.revoked_at IS NULL)"


def device_key(device_id: int) -> str:
    """The source key a device's responses are stored under (its pace counts them)."""
    return f"kiosk-{device_id}"


def device_condition(settings: Settings, cycle_id: int, device_id: int) -> tuple[str, list[Any]]:
    """The SQL condition (and values) that the device is enrolled and its last response to the
    cycle is at least ``kiosk_min_interval_seconds`` old: one response per interval."""
    pace, values = pace_condition(
        settings,
        cycle_id,
        device_key(device_id),
        limit=1,
        window_seconds=settings.kiosk_min_interval_seconds,
    )
    return f"{ENROLLED_SQL} AND {pace}", [device_id, *values]


async def device_refusal(settings: Settings, device_id: int) -> NotFound | RateLimited:
    """Why the device's response was not stored (revoked since its form loaded, or its pace);
    the refused use is audited."""
    row = await KioskDevice.select().where(KioskDevice.id == device_id).first()
    if row is None or row["revoked_at"] is not None:
        if row is not None:
            await _refused(row, "revoked")
        return NotFound(REVOKED)
    await _refused(row, "pace")
    return RateLimited(
        f"Kios ini baru saja mengirim jawaban. Tunggu {settings.kiosk_min_interval_seconds} "
        "detik lalu kirim lagi."
    )
