"""Evaluation windows: the phases of an evaluation year and what each phase lets people edit.

Phases, from the window's dates: not yet open; units fill (self-assessment, evidence files);
inspectors evaluate (reviews); units may object (objections); final (nothing changes). A year
without a window is not locked. An administrator may reopen one unit's editing until a date
(audited); it lifts every lock of that unit's year.
"""

from __future__ import annotations

from datetime import date

import msgspec

from core.accounts.policy import Action, Actor, require
from core.audit.actions import register
from core.audit.service import record
from core.clock import utcnow
from core.db import atomic
from core.errors import Conflict, FieldError, NotFound, ValidationFailed
from core.inspection.reads import local_today
from core.inspection.tables import EvaluationOverride, EvaluationWindow
from core.units.tables import Unit

NOT_OPEN, FILL, EVALUATE, OBJECT, FINAL = "not_open", "fill", "evaluate", "object", "final"
PHASE_LABELS = {
    NOT_OPEN: "Belum dibuka",
    FILL: "Pengisian oleh unit",
    EVALUATE: "Evaluasi oleh inspektorat",
    OBJECT: "Masa sanggah unit",
    FINAL: "Hasil final",
}
UNIT_EDIT, REVIEW, OBJECTION, THREAD = "unit_edit", "review", "objection", "thread"
ALLOWED_IN = {
    UNIT_EDIT: frozenset({FILL}),
    REVIEW: frozenset({EVALUATE, OBJECT}),
    OBJECTION: frozenset({OBJECT}),
    THREAD: frozenset({NOT_OPEN, FILL, EVALUATE, OBJECT}),
}
"""What may be done in which phase (a year without a window allows everything)."""
LOCKED = {
    UNIT_EDIT: "Pengisian oleh unit hanya pada tahap pengisian",
    REVIEW: "Peninjauan indikator hanya pada tahap evaluasi dan masa sanggah",
    OBJECTION: "Sanggahan hanya pada masa sanggah",
    THREAD: "Hasil evaluasi sudah final",
}
DEADLINES = ("fill_until", "evaluate_until", "object_until")

register(
    {
        "evaluation.window_saved": ("Jadwal evaluasi", "Disimpan"),
        "evaluation.override_granted": ("Jadwal evaluasi", "Pengecualian diberikan"),
    }
)


class WindowIn(msgspec.Struct, forbid_unknown_fields=True):
    """The dates of an evaluation year."""

    opens_on: date
    fill_until: date
    evaluate_until: date
    object_until: date


class WindowOut(msgspec.Struct):
    """An evaluation year's dates and the phase it is in today."""

    year: int
    opens_on: date
    fill_until: date
    evaluate_until: date
    object_until: date
    phase: str
    phase_label: str


class OverrideIn(msgspec.Struct, forbid_unknown_fields=True):
    """Reopen a unit's editing until a date, with the reason."""

    unit: str
    until: date
    reason: str


def phase_on(window: dict | None, today: date) -> str | None:
    """The phase of a window on a day (None: the year has no window)."""
    if window is None:
        return None
    if today < window["opens_on"]:
        return NOT_OPEN
    for phase, key in (
        (FILL, "fill_until"),
        (EVALUATE, "evaluate_until"),
        (OBJECT, "object_until"),
    ):
        if today <= window[key]:
            return phase
    return FINAL


async def window_row(year: int) -> dict | None:
    """The stored window of a year, if any."""
    return await EvaluationWindow.select().where(EvaluationWindow.year == year).first()


def _out(row: dict, today: date) -> WindowOut:
    phase = phase_on(row, today) or FINAL
    return WindowOut(
        year=row["year"],
        opens_on=row["opens_on"],
        fill_until=row["fill_until"],
        evaluate_until=row["evaluate_until"],
        object_until=row["object_until"],
        phase=phase,
        phase_label=PHASE_LABELS[phase],
    )


async def get_window(year: int, today: date | None = None) -> WindowOut | None:
    """The year's window and today's phase (None when the year has none)."""
    row = await window_row(year)
    return _out(row, today or local_today()) if row else None


async def save_window(actor: Actor, year: int, data: WindowIn) -> WindowOut:
    """Set an evaluation year's dates (administrators); they must follow each other."""
    require(actor, Action.manage_evaluation)
    errors = []
    order = [data.opens_on, data.fill_until, data.evaluate_until, data.object_until]
    for name, before, after in zip(DEADLINES, order, order[1:], strict=False):
        if after < before:
            errors.append(FieldError(name, "tanggal harus sesudah tahap sebelumnya"))
    if not 2000 <= year <= 2100:
        errors.append(FieldError("year", "tahun tidak valid"))
    if errors:
        raise ValidationFailed(errors)
    values = {
        EvaluationWindow.opens_on: data.opens_on,
        EvaluationWindow.fill_until: data.fill_until,
        EvaluationWindow.evaluate_until: data.evaluate_until,
        EvaluationWindow.object_until: data.object_until,
        EvaluationWindow.updated_by: actor.user_id,
        EvaluationWindow.updated_at: utcnow(),
    }
    async with atomic():
        before = await window_row(year)
        if before:
            await EvaluationWindow.update(values).where(EvaluationWindow.year == year)
        else:
            await EvaluationWindow.insert(
                EvaluationWindow(year=year, **{c._meta.name: v for c, v in values.items()})
            )
        after = {k: str(v) for k, v in msgspec.structs.asdict(data).items()}
        await record(
            actor,
            "evaluation.window_saved",
            "evaluation_window",
            year,
            before={k: str(before[k]) for k in after} if before else None,
            after=after,
        )
    window = await get_window(year)
    assert window is not None
    return window


async def grant_override(actor: Actor, year: int, data: OverrideIn) -> None:
    """Reopen one unit's editing of a year until a date (administrators), audited."""
    require(actor, Action.manage_evaluation)
    unit = await Unit.select(Unit.id).where(Unit.code == data.unit).first()
    errors = []
    if unit is None:
        errors.append(FieldError("unit", "unit tidak ditemukan"))
    if data.until < local_today():
        errors.append(FieldError("until", "tanggal tidak boleh di masa lalu"))
    if len(data.reason.strip()) < 10:
        errors.append(FieldError("reason", "alasan minimal 10 karakter"))
    if errors:
        raise ValidationFailed(errors)
    async with atomic():
        await EvaluationOverride.insert(
            EvaluationOverride(
                year=year,
                unit=unit["id"],
                until=data.until,
                reason=data.reason.strip(),
                granted_by=actor.user_id,
                granted_at=utcnow(),
            )
        )
        await record(
            actor,
            "evaluation.override_granted",
            "evaluation_window",
            year,
            after={"unit": data.unit, "until": str(data.until), "reason": data.reason.strip()},
            unit_id=unit["id"],
        )


async def _overridden(unit_id: int, year: int, today: date) -> bool:
    return await EvaluationOverride.exists().where(
        (EvaluationOverride.unit == unit_id)
        & (EvaluationOverride.year == year)
        & (EvaluationOverride.until >= today)
    )


async def require_phase(what: str, unit_id: int, year: int, today: date | None = None) -> None:
    """Raise Conflict (naming the phase and its dates) unless ``what`` may be done now."""
    today = today or local_today()
    row = await window_row(year)
    phase = phase_on(row, today)
    if phase is None or phase in ALLOWED_IN[what] or await _overridden(unit_id, year, today):
        return
    raise Conflict(f"{LOCKED[what]}; tahun {year} sekarang: {PHASE_LABELS[phase]}.")


async def missed_filling(year: int, today: date | None = None) -> bool:
    """True once the year's filling phase has ended (a unit that sent nothing then scores 0)."""
    row = await window_row(year)
    return row is not None and (today or local_today()) > row["fill_until"]


async def unit_id_of(code: str) -> int:
    """A unit's id by its code (404 when there is none)."""
    row = await Unit.select(Unit.id).where(Unit.code == code).first()
    if row is None:
        raise NotFound("Unit tidak ditemukan.")
    return int(row["id"])
