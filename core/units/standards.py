"""The Standar Pelayanan of a service: the 14 components of PermenPAN-RB 15/2014.

Six components concern service delivery (*penyampaian pelayanan*), eight the organisation behind
it (*pengelolaan pelayanan*). A standard may be saved incomplete while a unit drafts it; what is
still blank is named (``missing``) and the SIPPN export refuses it. Every save is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import FieldError, NotFound, ValidationFailed
from core.forums.tables import Forum, ForumUnit
from core.units.schemas import StandardIn, StandardOut
from core.units.service import emit_event, unit_by_code
from core.units.tables import Service, ServiceStandard

MAX_COMPONENT_CHARS = 5000


@dataclass(frozen=True)
class Component:
    """One component of the standard: its stable code, its name, which part it belongs to."""

    code: str
    label: str
    part: str


DELIVERY = "penyampaian"
MANAGEMENT = "pengelolaan"
PART_LABELS = {
    DELIVERY: "Komponen penyampaian pelayanan (service delivery)",
    MANAGEMENT: "Komponen pengelolaan pelayanan (manufacturing)",
}
COMPONENTS: tuple[Component, ...] = (
    Component("persyaratan", "Persyaratan", DELIVERY),
    Component("prosedur", "Sistem, mekanisme dan prosedur", DELIVERY),
    Component("jangka_waktu", "Jangka waktu pelayanan", DELIVERY),
    Component("biaya_tarif", "Biaya/tarif", DELIVERY),
    Component("produk", "Produk pelayanan", DELIVERY),
    Component("pengaduan", "Penanganan pengaduan, saran dan masukan", DELIVERY),
    Component("dasar_hukum", "Dasar hukum", MANAGEMENT),
    Component("sarana_prasarana", "Sarana, prasarana dan/atau fasilitas", MANAGEMENT),
    Component("kompetensi_pelaksana", "Kompetensi pelaksana", MANAGEMENT),
    Component("pengawasan_internal", "Pengawasan internal", MANAGEMENT),
    Component("jumlah_pelaksana", "Jumlah pelaksana", MANAGEMENT),
    Component("jaminan_pelayanan", "Jaminan pelayanan", MANAGEMENT),
    Component("jaminan_keamanan", "Jaminan keamanan dan keselamatan pelayanan", MANAGEMENT),
    Component("evaluasi_kinerja", "Evaluasi kinerja pelaksana", MANAGEMENT),
)
CODES: tuple[str, ...] = tuple(c.code for c in COMPONENTS)
LABELS: dict[str, str] = {c.code: c.label for c in COMPONENTS}
SET_ON = "set_on"

register({"service.standard_saved": ("Jenis layanan", "Standar pelayanan disimpan")})


def missing_fields(components: dict[str, str], set_on: date | None) -> list[str]:
    """The blank components (in the regulation's order), then ``set_on`` when it is not set."""
    missing = [code for code in CODES if not components.get(code, "").strip()]
    return missing + ([SET_ON] if set_on is None else [])


def check_standard(data: StandardIn, today: date) -> list[FieldError]:
    """Field problems of an entered standard (unknown component, too long, a future date)."""
    errors = [
        FieldError(code, "komponen tidak dikenal") for code in data.components if code not in LABELS
    ]
    errors += [
        FieldError(code, f"maksimal {MAX_COMPONENT_CHARS} karakter")
        for code, text in data.components.items()
        if len(text) > MAX_COMPONENT_CHARS
    ]
    if data.set_on is not None and data.set_on > today:
        errors.append(FieldError(SET_ON, "tanggal penetapan tidak boleh di masa depan"))
    return errors


async def unit_forums(unit_id: int) -> list[dict[str, Any]]:
    """Forums organised by the unit (id, title, start), newest first: the choices for ``forum``."""
    rows = await Forum.select(Forum.id, Forum.title, Forum.start_at).where(
        Forum.id.is_in(ForumUnit.select(ForumUnit.forum).where(ForumUnit.unit == unit_id))
    )
    return sorted(rows, key=lambda row: row["start_at"], reverse=True)


async def _service_row(unit_id: int, unit_code: str, service_code: str) -> dict[str, Any]:
    row = (
        await Service.select()
        .where((Service.unit == unit_id) & (Service.code == service_code))
        .first()
    )
    if row is None:
        raise NotFound(f"Layanan {service_code!r} tidak ada di unit {unit_code}.")
    return row


def _standard_out(
    unit: str, service: dict[str, Any], row: dict[str, Any] | None, titles: dict[int, str]
) -> StandardOut:
    components = {code: (row or {}).get(code, "") or "" for code in CODES}
    set_on = row["set_on"] if row else None
    forum = row["forum"] if row else None
    return StandardOut(
        unit=unit,
        service=service["code"],
        service_name=service["name"],
        components=components,
        set_on=set_on,
        forum=forum,
        forum_title=titles.get(forum) if forum else None,
        missing=missing_fields(components, set_on),
        updated_at=row["updated_at"] if row else None,
    )


async def _forum_titles(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Forum.select(Forum.id, Forum.title).where(Forum.id.is_in(sorted(ids)))
    return {row["id"]: row["title"] for row in rows}


async def standards_by_service(service_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The stored standard rows of these services, by service id (services without one absent)."""
    if not service_ids:
        return {}
    rows = await ServiceStandard.select().where(ServiceStandard.service.is_in(service_ids))
    return {row["service"]: row for row in rows}


async def unit_standards(actor: Actor, unit_code: str) -> list[StandardOut]:
    """The standard of every service of a unit (blank ones included), by service code."""
    unit = await unit_by_code(actor, unit_code)
    services = await Service.select().where(Service.unit == unit.id).order_by(Service.code)
    stored = await standards_by_service([s["id"] for s in services])
    titles = await _forum_titles({r["forum"] for r in stored.values() if r["forum"]})
    return [_standard_out(unit.code, s, stored.get(s["id"]), titles) for s in services]


async def get_standard(actor: Actor, unit_code: str, service_code: str) -> StandardOut:
    """One service's standard (blank when none was entered yet)."""
    unit = await unit_by_code(actor, unit_code)
    service = await _service_row(unit.id, unit.code, service_code)
    stored = (await standards_by_service([service["id"]])).get(service["id"])
    titles = await _forum_titles({stored["forum"]} if stored and stored["forum"] else set())
    return _standard_out(unit.code, service, stored, titles)


async def _check_forum(unit_id: int, forum: int | None) -> list[FieldError]:
    if forum is None:
        return []
    if forum not in {row["id"] for row in await unit_forums(unit_id)}:
        return [FieldError("forum", f"forum {forum} tidak ada atau bukan forum unit ini")]
    return []


async def save_standard(
    actor: Actor, unit_code: str, service_code: str, data: StandardIn
) -> StandardOut:
    """Store a service's standard (operators of the unit and admins); every change is audited."""
    components = {code: text.strip() for code, text in data.components.items()}
    data = msgspec.structs.replace(data, components=components)
    async with atomic():
        unit = await unit_by_code(actor, unit_code, Action.manage_services)
        service = await _service_row(unit.id, unit.code, service_code)
        errors = check_standard(data, utcnow().date()) + await _check_forum(unit.id, data.forum)
        if errors:
            raise ValidationFailed(errors)
        before = await get_standard(actor, unit_code, service_code)
        values: dict[str, Any] = {code: components.get(code, "") for code in CODES}
        values.update(set_on=data.set_on, forum=data.forum, updated_at=utcnow())
        if before.updated_at is None:
            await ServiceStandard.insert(ServiceStandard(service=service["id"], **values))
        else:
            await ServiceStandard.update(
                {getattr(ServiceStandard, k): v for k, v in values.items()}
            ).where(ServiceStandard.service == service["id"])
        after = await get_standard(actor, unit_code, service_code)
        await record(
            actor,
            "service.standard_saved",
            "service",
            f"{unit.code}/{service_code}",
            before=_snapshot(before) if before.updated_at else None,
            after=_snapshot(after),
            unit_id=unit.id,
        )
        await emit_event("service.standard_saved", {"unit": unit.code, "service": service_code})
    return after


def _snapshot(standard: StandardOut) -> dict[str, Any]:
    data = msgspec.to_builtins(standard)
    for key in ("updated_at", "missing", "forum_title", "service_name"):
        data.pop(key, None)
    return data
