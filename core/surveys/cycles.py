"""Survey cycles: create, open (freezing the questionnaire), close, reopen; progress counts."""

from __future__ import annotations

import secrets
from typing import Any

import msgspec

from core.accounts.policy import Action, Actor, can, require, visible_unit_ids
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.hooks import Hooks
from core.settings import Settings
from core.surveys.periods import PERIOD_LABELS, resolve_period
from core.surveys.questionnaires import freeze_for_cycle, scoring_method
from core.surveys.schemas import CycleIn, CycleOut, ServiceCount
from core.surveys.tables import (
    COUNTED_SQL,
    Channel,
    CycleService,
    CycleStatus,
    Response,
    SurveyCycle,
    counted,
)
from core.units.service import emit_event, unit_by_code
from core.units.tables import Service, Unit

CHANNELS = tuple(c.value for c in Channel)
MAX_POPULATION = 100_000_000


def _snapshot(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("status", "period_type", "start_date", "end_date", "population", "year")
    return {k: str(row[k]) if k.endswith("_date") else row[k] for k in keys}


async def create_cycle(actor: Actor, hooks: Hooks, data: CycleIn) -> int:
    """A draft cycle for a unit: period, population N, services covered and channels allowed."""
    errors: list[FieldError] = []
    start, end, period_errors = resolve_period(
        data.period_type, data.start_date, data.end_date, data.year
    )
    errors += period_errors
    if not 1 <= data.population <= MAX_POPULATION:
        errors.append(FieldError("population", "jumlah penerima layanan harus 1 atau lebih"))
    unknown_channels = [c for c in data.channels if c not in CHANNELS]
    if unknown_channels or not data.channels:
        errors.append(FieldError("channels", f"pilihan: {', '.join(CHANNELS)}"))
    method = scoring_method(hooks)
    unit = await unit_by_code(actor, data.unit, Action.manage_cycles)
    services = {
        r["code"]: r["id"]
        for r in await Service.select(Service.code, Service.id).where(
            (Service.unit == unit.id) & Service.active.eq(True)
        )
    }
    errors += [
        FieldError("services", f"layanan {code!r} tidak ada di unit {unit.code}")
        for code in data.services
        if code not in services
    ]
    for code, population in data.service_populations.items():
        if code not in data.services:
            errors.append(
                FieldError(f"service_populations.{code}", "layanan tidak termasuk siklus")
            )
        elif not 1 <= population <= data.population:
            errors.append(
                FieldError(
                    f"service_populations.{code}", "harus 1 sampai jumlah penerima layanan siklus"
                )
            )
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    async with atomic():
        clash = await SurveyCycle.exists().where(
            (SurveyCycle.unit == unit.id)
            & (SurveyCycle.start_date == start)
            & (SurveyCycle.end_date == end)
        )
        if clash:
            raise Conflict(f"Unit {unit.code} sudah punya siklus untuk periode {start}–{end}.")
        rows = await SurveyCycle.insert(
            SurveyCycle(
                unit=unit.id,
                year=start.year,
                period_type=data.period_type,
                start_date=start,
                end_date=end,
                population=data.population,
                channels=list(data.channels),
                scoring_method=method.code,
                status=CycleStatus.draft.value,
                created_at=now,
                updated_at=now,
            )
        ).returning(SurveyCycle.id)
        cycle_id = int(rows[0]["id"])
        for code in dict.fromkeys(data.services):
            await CycleService.insert(
                CycleService(
                    cycle=cycle_id,
                    service=services[code],
                    population=data.service_populations.get(code),
                )
            )
        row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
        await record(
            actor,
            "cycle.created",
            "survey_cycle",
            cycle_id,
            after={**_snapshot(row), "services": sorted(set(data.services))},
            unit_id=unit.id,
        )
    return cycle_id


async def cycle_row(actor: Actor, cycle_id: int, action: Action = Action.view_unit) -> dict:
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    if row is None or not can(actor, Action.view_unit, row["unit"]):
        raise NotFound(f"Siklus survei {cycle_id} tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


async def _transition(
    actor: Actor,
    cycle_id: int,
    allowed_from: set[str],
    to: str,
    action: Action,
    extra: dict[Any, Any] | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    async with atomic():
        row = await cycle_row(actor, cycle_id, action)
        if row["status"] not in allowed_from:
            raise Conflict(
                f"Siklus berstatus {row['status']!r}; tidak dapat diubah menjadi {to!r}."
            )
        values = {SurveyCycle.status: to, SurveyCycle.updated_at: utcnow(), **(extra or {})}
        await SurveyCycle.update(values).where(SurveyCycle.id == cycle_id)
        after = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
        detail = _snapshot(after) | ({"reason": reason} if reason else {})
        await record(
            actor,
            f"cycle.{to}",
            "survey_cycle",
            cycle_id,
            before=_snapshot(row),
            after=detail,
            unit_id=row["unit"],
        )
        unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
        await emit_event(f"cycle.{to}", {"cycle": cycle_id, "unit": unit["code"]})
    return after


async def open_cycle(actor: Actor, hooks: Hooks, cycle_id: int) -> None:
    """Start collecting: freeze the questionnaire and issue the public and kiosk links."""
    row = await cycle_row(actor, cycle_id, Action.manage_cycles)
    unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
    async with atomic():
        version = row["questionnaire"] or await freeze_for_cycle(
            hooks, actor, row["unit"], unit["code"]
        )
        await _transition(
            actor,
            cycle_id,
            {CycleStatus.draft.value},
            CycleStatus.open.value,
            Action.manage_cycles,
            {
                SurveyCycle.questionnaire: version,
                SurveyCycle.public_token: row["public_token"] or secrets.token_urlsafe(9),
                SurveyCycle.kiosk_token: row["kiosk_token"] or secrets.token_urlsafe(18),
                SurveyCycle.opened_at: utcnow(),
            },
        )


async def close_cycle(actor: Actor, cycle_id: int) -> None:
    """Stop collecting answers."""
    await _transition(
        actor,
        cycle_id,
        {CycleStatus.open.value},
        CycleStatus.closed.value,
        Action.manage_cycles,
        {SurveyCycle.closed_at: utcnow()},
    )


async def reopen_cycle(actor: Actor, cycle_id: int, reason: str) -> None:
    """Open a closed cycle again (admin only, with a reason kept in the audit log)."""
    if len(reason.strip()) < 10:
        raise ValidationFailed.single("reason", "alasan wajib diisi (minimal 10 karakter)")
    await _transition(
        actor,
        cycle_id,
        {CycleStatus.closed.value},
        CycleStatus.open.value,
        Action.reopen_cycle,
        {SurveyCycle.closed_at: None},
        reason=reason.strip(),
    )


async def cycle_out(settings: Settings, hooks: Hooks, row: dict[str, Any]) -> CycleOut:
    """A cycle row with its unit, links and collected counts against the K&M minimum."""
    method = scoring_method(hooks, row["scoring_method"])
    unit = await Unit.select(Unit.code, Unit.name).where(Unit.id == row["unit"]).first()
    collected = await Response.count().where((Response.cycle == row["id"]) & counted())
    per_service = await Response.raw(
        f"SELECT service, COUNT(*) AS n FROM survey_response r WHERE cycle = {{}} AND {COUNTED_SQL}"
        " GROUP BY service",
        row["id"],
    )
    counts = {r["service"]: r["n"] for r in per_service}
    services = (
        await CycleService.select(
            CycleService.service,
            CycleService.population,
            CycleService.service.code.as_alias("code"),
            CycleService.service.name.as_alias("name"),
        )
        .where(CycleService.cycle == row["id"])
        .order_by(CycleService.service.code)
    )
    token = row["public_token"]
    return CycleOut(
        id=row["id"],
        unit=unit["code"],
        unit_name=unit["name"],
        year=row["year"],
        period_type=row["period_type"],
        period_label=PERIOD_LABELS[row["period_type"]],
        start_date=row["start_date"],
        end_date=row["end_date"],
        population=row["population"],
        minimum_sample=method.minimum_sample(row["population"]),
        collected=collected,
        services=[
            ServiceCount(
                code=s["code"],
                name=s["name"],
                collected=counts.get(s["service"], 0),
                population=s["population"],
                minimum_sample=method.minimum_sample(s["population"]) if s["population"] else None,
            )
            for s in services
        ],
        channels=list(_json_list(row["channels"])),
        status=row["status"],
        scoring_method=row["scoring_method"],
        public_url=f"{settings.base_url}/s/{token}" if token else None,
        token=token,
        kiosk_url=f"{settings.base_url}/kiosk/{row['kiosk_token']}" if row["kiosk_token"] else None,
        opened_at=row["opened_at"],
        closed_at=row["closed_at"],
    )


def _json_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return msgspec.json.decode(value)
    return list(value or [])


async def get_cycle(actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int) -> CycleOut:
    """One cycle the actor may see."""
    return await cycle_out(settings, hooks, await cycle_row(actor, cycle_id))


async def list_cycles(
    actor: Actor,
    settings: Settings,
    hooks: Hooks,
    *,
    unit: str | None = None,
    year: int | None = None,
    status: str | None = None,
) -> list[CycleOut]:
    """Cycles the actor may see, newest period first (optionally of one unit, year, status)."""
    query = SurveyCycle.select().order_by(SurveyCycle.start_date, ascending=False)
    visible = visible_unit_ids(actor)
    if visible is not None:
        query = query.where(SurveyCycle.unit.is_in(list(visible) or [-1]))
    if unit:
        query = query.where(SurveyCycle.unit == (await unit_by_code(actor, unit)).id)
    if year:
        query = query.where(SurveyCycle.year == year)
    if status:
        query = query.where(SurveyCycle.status == status)
    return [await cycle_out(settings, hooks, row) for row in await query]


async def open_cycle_by_token(token: str, kiosk: bool = False) -> dict[str, Any]:
    """The open cycle behind a public (or kiosk) link; NotFound when unknown or not open."""
    column = SurveyCycle.kiosk_token if kiosk else SurveyCycle.public_token
    row = await SurveyCycle.select().where(column == token).first()
    if row is None:
        raise NotFound("Tautan survei tidak dikenal.")
    if row["status"] != CycleStatus.open.value:
        raise Conflict("Survei ini sedang tidak menerima jawaban. Terima kasih atas minat Anda.")
    return row
