"""Survey cycles: create, open (freezing the questionnaire), close, reopen; progress counts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.accounts.policy import Action, Actor, can, require, visible_unit_ids
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic, lock_row
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.hooks import Hooks
from core.settings import Settings
from core.states import StateMachine, move
from core.surveys.collected import collected_count
from core.surveys.cycle_view import cycle_out, cycles_out
from core.surveys.kept import hold, seal_cycle
from core.surveys.labels import PERIOD_LABELS, STATUS_LABELS
from core.surveys.periods import resolve_period
from core.surveys.questionnaires import freeze_for_cycle, scoring_method
from core.surveys.schemas import CycleIn, CycleOut
from core.surveys.tables import (
    Channel,
    CycleService,
    CycleStatus,
    SurveyCycle,
)
from core.units.service import emit_event, unit_by_code
from core.units.tables import Service, Unit

CHANNELS = tuple(c.value for c in Channel)
STAFF_CHANNELS = (Channel.paper.value, Channel.interview.value)  # keyed in by staff
MAX_POPULATION = 100_000_000
MIN_REASON = 10  # characters of a reason for reopening or closing below the minimum

CYCLE_STATES = StateMachine(
    entity="survey_cycle",
    action_prefix="cycle",
    noun="Siklus survei",
    transitions={
        CycleStatus.draft.value: frozenset({CycleStatus.open.value}),
        CycleStatus.open.value: frozenset({CycleStatus.closed.value}),
        # Reopening (with a reason) is only possible before the report is made.
        CycleStatus.closed.value: frozenset({CycleStatus.open.value, CycleStatus.reported.value}),
        CycleStatus.reported.value: frozenset({CycleStatus.published.value}),
        CycleStatus.published.value: frozenset(),
    },
    labels=STATUS_LABELS,
)
"""The life cycle of a survey cycle: draft → open → closed → reported → published."""


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
    method = scoring_method(hooks, data.scoring_method)
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
        await _refuse_overlap(unit.id, unit.code, start, end)
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


async def _refuse_overlap(unit_id: int, unit_code: str, start: date, end: date) -> None:
    """Conflict naming the unit's cycle whose days overlap ``start``..``end``, if there is one
    (a day counted in two cycles would be counted twice in the year's figures)."""
    clash = (
        await SurveyCycle.select()
        .where(
            (SurveyCycle.unit == unit_id)
            & (SurveyCycle.start_date <= end)
            & (SurveyCycle.end_date >= start)
        )
        .order_by(SurveyCycle.start_date)
        .first()
    )
    if clash is not None:
        raise Conflict(
            f"Periode {start:%d/%m/%Y}–{end:%d/%m/%Y} bertumpuk dengan siklus "
            f"{PERIOD_LABELS[clash['period_type']]} {clash['year']} unit {unit_code} "
            f"({clash['start_date']:%d/%m/%Y}–{clash['end_date']:%d/%m/%Y}, "
            f"{STATUS_LABELS[clash['status']]}, nomor {clash['id']}). "
            "Satu hari hanya boleh masuk satu siklus; pilih periode lain atau gunakan siklus itu."
        )


async def cycle_row(actor: Actor, cycle_id: int, action: Action = Action.view_unit) -> dict:
    """The cycle's row if the actor may see it and do ``action`` on its unit."""
    row = await SurveyCycle.select().where(SurveyCycle.id == cycle_id).first()
    if row is None or not can(actor, Action.view_unit, row["unit"]):
        raise NotFound(f"Siklus survei {cycle_id} tidak ditemukan.")
    require(actor, action, row["unit"])
    return row


async def _move(
    actor: Actor,
    row: dict[str, Any],
    to: CycleStatus,
    values: dict[Any, Any],
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Apply one audited move of the life cycle and tell plugins; call inside ``atomic()``.

    ``detail`` is added to the audit event's after-snapshot.
    """
    values = {SurveyCycle.updated_at: utcnow(), **values}
    after = {**row, "status": to.value, **{column._meta.name: v for column, v in values.items()}}
    await move(
        CYCLE_STATES,
        actor,
        SurveyCycle,
        row,
        to.value,
        values=values,
        before=_snapshot(row),
        after={**_snapshot(after), **(detail or {})},
        reason=reason,
        unit_id=row["unit"],
    )
    unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
    await emit_event(f"cycle.{to.value}", {"cycle": row["id"], "unit": unit["code"]})


async def open_cycle(actor: Actor, hooks: Hooks, cycle_id: int) -> None:
    """Start collecting: freeze the questionnaire and issue the public link (kiosks are enrolled
    devices of the unit, core.surveys.kiosks)."""
    async with atomic():
        row = await cycle_row(actor, cycle_id, Action.manage_cycles)
        CYCLE_STATES.check(row["status"], CycleStatus.open.value)
        unit = await Unit.select(Unit.code).where(Unit.id == row["unit"]).first()
        version = row["questionnaire"] or await freeze_for_cycle(
            hooks, actor, row["unit"], unit["code"]
        )
        await _move(
            actor,
            row,
            CycleStatus.open,
            {
                SurveyCycle.questionnaire: version,
                SurveyCycle.public_token: row["public_token"] or secrets.token_urlsafe(9),
                SurveyCycle.opened_at: utcnow(),
            },
        )


async def close_cycle(actor: Actor, hooks: Hooks, cycle_id: int, reason: str = "") -> None:
    """Stop collecting answers. Below the minimum sample this needs a reason (kept in the audit
    log with the counts), since the index of such a cycle is not representative."""
    async with atomic():
        await hold(cycle_id)  # the seal lock first, as a void or a correction takes it
        await lock_row("survey_cycle", cycle_id)  # waits for submissions in flight (submission.py)
        row = await cycle_row(actor, cycle_id, Action.manage_cycles)
        CYCLE_STATES.check(row["status"], CycleStatus.closed.value)
        shortfall = await sample_shortfall(hooks, row)
        if shortfall and len(reason.strip()) < MIN_REASON:
            collected, minimum = shortfall
            raise ValidationFailed.single(
                "reason",
                f"baru {collected} dari minimum {minimum} responden; menutup di bawah sampel"
                " minimum memerlukan alasan (minimal 10 karakter)",
            )
        detail = {"collected": shortfall[0], "minimum_sample": shortfall[1]} if shortfall else {}
        await _move(
            actor,
            row,
            CycleStatus.closed,
            {SurveyCycle.closed_at: utcnow()},
            reason=reason.strip() or None,
            detail=detail,
        )
        await seal_cycle(cycle_id)  # the rest of its responses: read from kept tallies from now


async def sample_shortfall(hooks: Hooks, row: dict[str, Any]) -> tuple[int, int] | None:
    """(collected, minimum) when a cycle has fewer responses than its minimum sample, else None."""
    minimum = scoring_method(hooks, row["scoring_method"]).minimum_sample(row["population"])
    collected = await collected_count(row["id"])
    return (collected, minimum) if collected < minimum else None


async def reopen_cycle(actor: Actor, cycle_id: int, reason: str) -> None:
    """Open a closed cycle again (admin only, with a reason kept in the audit log)."""
    if len(reason.strip()) < MIN_REASON:
        raise ValidationFailed.single("reason", "alasan wajib diisi (minimal 10 karakter)")
    async with atomic():
        row = await cycle_row(actor, cycle_id, Action.reopen_cycle)
        await _move(
            actor, row, CycleStatus.open, {SurveyCycle.closed_at: None}, reason=reason.strip()
        )


async def get_cycle(actor: Actor, settings: Settings, hooks: Hooks, cycle_id: int) -> CycleOut:
    """One cycle the actor may see."""
    return await cycle_out(settings, hooks, await cycle_row(actor, cycle_id), actor)


@dataclass(frozen=True)
class CycleFilter:
    """Which cycles a list shows: of one unit (code), year and/or status; None means any."""

    unit: str | None = None
    year: int | None = None
    status: str | None = None

    async def where(self, actor: Actor) -> Any:
        """The SQL condition: these filters within the units the actor may see."""
        condition = SurveyCycle.id.is_not_null()
        visible = visible_unit_ids(actor)
        if visible is not None:
            condition &= SurveyCycle.unit.is_in(list(visible) or [-1])
        if self.unit:
            condition &= SurveyCycle.unit == (await unit_by_code(actor, self.unit)).id
        if self.year:
            condition &= SurveyCycle.year == self.year
        if self.status:
            condition &= SurveyCycle.status == self.status
        return condition


async def list_cycles(
    actor: Actor,
    settings: Settings,
    hooks: Hooks,
    *,
    unit: str | None = None,
    year: int | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[CycleOut]:
    """Cycles the actor may see, newest period first (optionally of one unit, year, status;
    ``limit``/``offset`` give one page of them)."""
    where = await CycleFilter(unit, year, status).where(actor)
    query = (
        SurveyCycle.select()
        .where(where)
        .order_by(SurveyCycle.start_date, ascending=False)
        .order_by(SurveyCycle.id, ascending=False)
    )
    if limit is not None:  # SQLite takes an offset only with a limit
        query = query.limit(limit).offset(max(offset, 0))
    return await cycles_out(settings, hooks, await query, actor)


async def count_cycles(actor: Actor, filters: CycleFilter) -> int:
    """How many cycles ``list_cycles`` would give without a limit."""
    return await SurveyCycle.count().where(await filters.where(actor))


async def open_cycle_by_token(token: str) -> dict[str, Any]:
    """The open cycle behind a public link; NotFound when unknown, Conflict when not open."""
    row = await SurveyCycle.select().where(SurveyCycle.public_token == token).first()
    if row is None:
        raise NotFound("Tautan survei tidak dikenal.")
    if row["status"] != CycleStatus.open.value:
        raise Conflict("Survei ini sedang tidak menerima jawaban. Terima kasih atas minat Anda.")
    return row
